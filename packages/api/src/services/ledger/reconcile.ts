/**
 * Reconciliation: catches what webhooks missed. Non-final transactions are looked up again when due
 * (backing off 1, 2, 4… minutes up to 6 hours); listable providers (Paytone) are listed from a stored
 * cursor; deliveries stuck in the inbox are queued again.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte } from 'drizzle-orm';
import { connections, transactions, webhookDeliveries } from '@paydesk/db/schema';
import { providerCapabilities } from '@paydesk/domain';
import { isProviderError } from '@paydesk/providers';
import type { JobQueue } from '../../jobs/queue.ts';
import { nextCheckDelayMs, recordObservation } from './apply.ts';
import { bumpCounter } from './counters.ts';
import { jobNames } from './job-names.ts';
import { connectionAdapter, type LedgerDeps } from './worker.ts';

export interface ReconcileOptions {
  /** Transactions looked up per run. */
  limit?: number;
  /** Look-ups in flight at once. */
  concurrency?: number;
  /** Listing pages per connection per run. */
  maxPages?: number;
}

export interface ReconcileReport {
  checked: number;
  changed: number;
  failed: number;
  listed: number;
  requeued: number;
}

/** A claimed transaction is not claimed again by another process for this long. */
const claimLeaseMs = 5 * 60_000;

export async function reconcileDue(deps: LedgerDeps, options: ReconcileOptions = {}) {
  const now = deps.now();
  const limit = options.limit ?? 200;
  // Claim by pushing next_check_at past a lease: another process's run skips these rows.
  const claimed = await deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: transactions.id })
      .from(transactions)
      .innerJoin(connections, eq(connections.id, transactions.connectionId))
      .where(
        and(
          isNotNull(transactions.nextCheckAt),
          lte(transactions.nextCheckAt, now),
          eq(connections.enabled, true),
        ),
      )
      .orderBy(asc(transactions.nextCheckAt))
      .limit(limit)
      .for('update', { of: transactions, skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(transactions)
      .set({ nextCheckAt: new Date(now.getTime() + claimLeaseMs) })
      .where(
        inArray(
          transactions.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
  });

  const rows = await deps.db.select().from(connections);
  const byId = new Map(rows.map((row) => [row.id, row]));
  let changed = 0;
  let failed = 0;
  const queue = [...claimed];
  const work = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const connection = byId.get(next.connectionId);
      if (!connection) continue;
      const attempts = next.checkAttempts + 1;
      try {
        const observed = await connectionAdapter(deps, connection).lookup({
          reference: next.reference,
          providerId: next.providerId,
        });
        const at = deps.now();
        const result = await deps.db.transaction(async (tx) => {
          const applied = await recordObservation(
            tx,
            { connectionId: connection.id, now: at, source: 'reconciliation' },
            observed,
          );
          if (!applied.statusChanged) {
            // Still where it was: look again later, less often.
            await tx
              .update(transactions)
              .set({
                nextCheckAt: new Date(at.getTime() + nextCheckDelayMs(attempts)),
                checkAttempts: attempts,
              })
              .where(and(eq(transactions.id, next.id), isNotNull(transactions.nextCheckAt)));
          }
          return applied;
        });
        if (result.statusChanged) changed += 1;
      } catch (error) {
        failed += 1;
        const at = deps.now();
        await deps.db
          .update(transactions)
          .set({ nextCheckAt: new Date(at.getTime() + nextCheckDelayMs(attempts)), checkAttempts: attempts })
          .where(eq(transactions.id, next.id));
        await bumpCounter(deps.db, connection.id, 'lookups_failed', at);
        deps.log.warn(
          {
            connectionId: connection.id,
            transaction: next.id,
            error: isProviderError(error) ? error.kind : String(error),
          },
          'reconciliation look-up failed',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, work));
  return { checked: claimed.length, changed, failed };
}

/** Lists every listable connection from its stored cursor and records what it finds. */
export async function syncListings(deps: LedgerDeps, options: ReconcileOptions = {}): Promise<number> {
  const listable = await deps.db.select().from(connections).where(eq(connections.enabled, true));
  let listed = 0;
  for (const connection of listable) {
    if (!providerCapabilities[connection.provider].listChangedSince) continue;
    const adapter = connectionAdapter(deps, connection);
    let cursor = connection.syncCursor;
    for (let page = 0; page < (options.maxPages ?? 20); page += 1) {
      let answer;
      try {
        answer = await adapter.listChangedSince(cursor);
      } catch (error) {
        deps.log.warn(
          { connectionId: connection.id, error: isProviderError(error) ? error.kind : String(error) },
          'listing failed',
        );
        break;
      }
      const at = deps.now();
      await deps.db.transaction(async (tx) => {
        for (const observed of answer.transactions) {
          await recordObservation(tx, { connectionId: connection.id, now: at, source: 'listing' }, observed);
        }
        // The cursor moves with what was recorded: a crash repeats a page, never skips one.
        await tx
          .update(connections)
          .set({ syncCursor: answer.cursor, lastSyncAt: at })
          .where(eq(connections.id, connection.id));
      });
      listed += answer.transactions.length;
      cursor = answer.cursor;
      if (answer.caughtUp) break;
    }
  }
  return listed;
}

/**
 * Hint deliveries still pending a while after they came (their look-up job lost or out of retries) are
 * queued again. Authoritative ones need nothing: the inbox drain takes every pending one.
 */
export async function requeueStuckDeliveries(
  deps: LedgerDeps & { jobs: JobQueue },
  olderThanMs = 2 * 60_000,
) {
  const cutoff = new Date(deps.now().getTime() - olderThanMs);
  const stuck = await deps.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.state, 'pending'),
        isNull(webhookDeliveries.observation),
        lt(webhookDeliveries.receivedAt, cutoff),
      ),
    )
    .orderBy(asc(webhookDeliveries.id))
    .limit(1_000);
  for (const { id } of stuck) {
    await deps.jobs.send(jobNames.applyDelivery, { deliveryId: id }, { singletonKey: `delivery:${id}` });
  }
  return stuck.length;
}

export async function reconcile(
  deps: LedgerDeps & { jobs: JobQueue },
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const requeued = await requeueStuckDeliveries(deps);
  const listed = await syncListings(deps, options);
  const due = await reconcileDue(deps, options);
  return { ...due, listed, requeued };
}
