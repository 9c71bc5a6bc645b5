/**
 * The webhook inbox, drained: authoritative deliveries (those that carry the provider's state) wait in
 * `webhook_deliveries` as `pending` and are applied in batches straight from there — no queued job per
 * delivery, so storing one is a single INSERT and applying fifty is one database transaction of a
 * handful of statements (`recordObservations`). Rows are
 * claimed with `FOR UPDATE SKIP LOCKED`: any number of processes drain the same inbox, each delivery
 * is applied by one of them, and a process that dies mid-batch leaves its rows pending for the next
 * (its transaction never committed). Hints (Gate, Payment Book's operation events), which need a
 * look-up at the provider, keep their own retried job (`applyDelivery`).
 */
import { and, eq, inArray, isNotNull, lte, or, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@paydesk/db';
import { webhookDeliveries } from '@paydesk/db/schema';
import { recordObservations } from './apply.ts';
import { fromObservationJson } from './observation.ts';
import { describe, type LedgerDeps } from './worker.ts';

export const inboxBatchSize = 50;
/** A delivery that fails this often is set aside as `failed` (it shows on its connection's health). */
const maxAttempts = 12;

function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/** Claims up to `limit` waiting authoritative deliveries (oldest first), skipping rows others hold. */
async function claim(tx: Tx, now: Date, limit: number, ids?: number[]) {
  return tx
    .select({
      id: webhookDeliveries.id,
      connectionId: webhookDeliveries.connectionId,
      observation: webhookDeliveries.observation,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.state, 'pending'),
        isNotNull(webhookDeliveries.observation),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, now)),
        ids ? inArray(webhookDeliveries.id, ids) : undefined,
      ),
    )
    .orderBy(webhookDeliveries.id)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * Applies what was claimed, in a fixed order (connection, provider id, delivery): the transactions are
 * locked in that order, so two batches touching the same ones wait for each other instead of
 * deadlocking, and deliveries of one transaction are folded oldest first. Marks them applied.
 */
async function applyClaimed(tx: Tx, now: Date, rows: Awaited<ReturnType<typeof claim>>) {
  if (rows.length === 0) return;
  const items = rows
    .map((row) => ({
      connectionId: row.connectionId,
      observed: fromObservationJson(row.observation),
      deliveryId: row.id,
    }))
    .sort(
      (a, b) =>
        a.connectionId.localeCompare(b.connectionId) ||
        a.observed.providerId.localeCompare(b.observed.providerId) ||
        a.deliveryId - b.deliveryId,
    );
  const results = await recordObservations(tx, { now, source: 'webhook' }, items);
  const pairs = sql.join(
    items.map((item, index) => sql`(${item.deliveryId}::bigint, ${results[index]!.transactionId}::uuid)`),
    sql`, `,
  );
  await tx.execute(sql`
    UPDATE webhook_deliveries AS delivery
       SET state = 'applied', applied_at = ${now.toISOString()}::timestamptz, attempts = delivery.attempts + 1,
           transaction_id = applied.transaction_id, last_error = NULL, next_attempt_at = NULL
      FROM (VALUES ${pairs}) AS applied (id, transaction_id)
     WHERE delivery.id = applied.id`);
}

/**
 * One batch from the inbox; answers how many deliveries it took (0: nothing is waiting). When the batch
 * fails as a whole (one bad observation), its deliveries are applied one by one so the others go
 * through, and the failing one waits with backoff — `failed` after `maxAttempts`.
 */
export async function drainInbox(deps: LedgerDeps, limit = inboxBatchSize): Promise<number> {
  const now = deps.now();
  let claimedIds: number[] = [];
  try {
    return await deps.db.transaction(async (tx) => {
      const rows = await claim(tx, now, limit);
      claimedIds = rows.map((row) => row.id);
      await applyClaimed(tx, now, rows);
      return rows.length;
    });
  } catch (error) {
    if (claimedIds.length === 0) throw error;
    deps.log.warn(
      { deliveries: claimedIds.length, err: describe(error) },
      'an inbox batch failed as a whole; applying its deliveries one by one',
    );
  }
  for (const id of claimedIds) {
    try {
      await deps.db.transaction(async (tx) => applyClaimed(tx, now, await claim(tx, now, 1, [id])));
    } catch (error) {
      await setAside(deps, id, now, describe(error));
    }
  }
  return claimedIds.length;
}

async function setAside(deps: LedgerDeps, id: number, now: Date, message: string): Promise<void> {
  const [row] = await deps.db
    .select({ attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, id));
  const attempts = (row?.attempts ?? 0) + 1;
  const failed = attempts >= maxAttempts;
  await deps.db
    .update(webhookDeliveries)
    .set({
      attempts,
      lastError: message,
      ...(failed
        ? { state: 'failed' as const, nextAttemptAt: null }
        : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) }),
    })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.state, 'pending')));
  deps.log.error(
    { delivery: id, attempts, err: message },
    failed ? 'delivery failed' : 'delivery apply failed',
  );
}
