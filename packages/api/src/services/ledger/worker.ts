/**
 * The ledger's jobs: apply a stored delivery, look a transaction up. Both idempotent: run twice (a
 * retry after a crash, two processes), they leave the ledger as once.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '@paydesk/db';
import { connections, webhookDeliveries } from '@paydesk/db/schema';
import { isProviderError, type NormalizedTransaction, type ProviderAdapter } from '@paydesk/providers';
import type { Logger } from '../../context.ts';
import type { SecretBox } from '../../secret-box.ts';
import { adapterFor, type ConnectionRow } from '../connections/adapters.ts';
import { recordObservation, type ObservationSource } from './apply.ts';
import { bumpCounter } from './counters.ts';
import { fromObservationJson } from './observation.ts';

export interface LedgerDeps {
  db: Db;
  secrets: SecretBox;
  log: Logger;
  now(): Date;
  /** Builds the adapter of a connection (tests may shorten timeouts); defaults to `adapterFor`. */
  adapter?: (row: ConnectionRow) => ProviderAdapter;
}

export function connectionAdapter(deps: LedgerDeps, row: ConnectionRow): ProviderAdapter {
  return deps.adapter ? deps.adapter(row) : adapterFor(deps.secrets, row);
}

async function loadConnection(db: Db, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(connections).where(eq(connections.id, id));
  return row;
}

export async function applyDelivery(
  deps: LedgerDeps,
  deliveryId: number,
): Promise<'applied' | 'skipped' | 'rejected'> {
  const [delivery] = await deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!delivery || delivery.state !== 'pending') return 'skipped';
  const connection = await loadConnection(deps.db, delivery.connectionId);
  if (!connection) return 'skipped';

  let observed: NormalizedTransaction;
  if (delivery.observation) {
    observed = fromObservationJson(delivery.observation);
  } else {
    // A hint (Gate, or Payment Book's operation event): the provider's answer is what counts.
    try {
      observed = await connectionAdapter(deps, connection).lookup({
        reference: delivery.reference ?? '',
        ...(delivery.providerObjectId ? { providerId: delivery.providerObjectId } : {}),
      });
    } catch (error) {
      if (isProviderError(error) && error.kind === 'not_found') {
        await deps.db.transaction(async (tx) => {
          await tx
            .update(webhookDeliveries)
            .set({
              state: 'rejected',
              rejectReason: 'not_found_at_provider',
              rejectDetail: 'the provider has no transaction with this reference',
              attempts: delivery.attempts + 1,
            })
            .where(eq(webhookDeliveries.id, deliveryId));
          await bumpCounter(tx, connection.id, 'webhooks_rejected', deps.now());
        });
        return 'rejected';
      }
      await deps.db
        .update(webhookDeliveries)
        .set({ attempts: delivery.attempts + 1, lastError: describe(error) })
        .where(eq(webhookDeliveries.id, deliveryId));
      throw error;
    }
  }

  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ state: webhookDeliveries.state })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryId))
      .for('update');
    if (locked?.state !== 'pending') return 'skipped';
    const result = await recordObservation(
      tx,
      { connectionId: connection.id, now, source: 'webhook', deliveryId },
      observed,
    );
    await tx
      .update(webhookDeliveries)
      .set({
        state: 'applied',
        appliedAt: now,
        attempts: delivery.attempts + 1,
        transactionId: result.transactionId,
        lastError: null,
      })
      .where(eq(webhookDeliveries.id, deliveryId));
    return 'applied';
  });
}

/**
 * Applies the authoritative deliveries among `ids` (those carrying their observation) in one database
 * transaction: one commit for the lot instead of one each, which is what lets the inbox drain faster
 * than providers fill it. Transaction rows are written in a fixed order (connection, provider id,
 * delivery), so two batches touching the same transactions wait for each other instead of
 * deadlocking. Answers which ids are done; the rest (hints that need a look-up, rows another process
 * holds) are for `applyDelivery`, one at a time. A throw leaves nothing half-applied.
 */
export async function applyDeliveryBatch(deps: LedgerDeps, ids: number[]): Promise<Set<number>> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: webhookDeliveries.id,
        connectionId: webhookDeliveries.connectionId,
        observation: webhookDeliveries.observation,
      })
      .from(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.id, ids),
          eq(webhookDeliveries.state, 'pending'),
          isNotNull(webhookDeliveries.observation),
        ),
      )
      .for('update', { skipLocked: true });
    const pending = rows
      .map((row) => ({ ...row, observed: fromObservationJson(row.observation) }))
      .sort(
        (a, b) =>
          a.connectionId.localeCompare(b.connectionId) ||
          a.observed.providerId.localeCompare(b.observed.providerId) ||
          a.id - b.id,
      );
    const applied: { id: number; transactionId: string }[] = [];
    for (const delivery of pending) {
      const result = await recordObservation(
        tx,
        { connectionId: delivery.connectionId, now, source: 'webhook', deliveryId: delivery.id },
        delivery.observed,
      );
      applied.push({ id: delivery.id, transactionId: result.transactionId });
    }
    if (applied.length > 0) {
      const pairs = sql.join(
        applied.map((entry) => sql`(${entry.id}::bigint, ${entry.transactionId}::uuid)`),
        sql`, `,
      );
      await tx.execute(sql`
        UPDATE webhook_deliveries AS delivery
           SET state = 'applied', applied_at = ${now.toISOString()}::timestamptz, attempts = delivery.attempts + 1,
               transaction_id = applied.transaction_id, last_error = NULL
          FROM (VALUES ${pairs}) AS applied (id, transaction_id)
         WHERE delivery.id = applied.id`);
    }
    // Those just applied, and those a retried job finds already applied or rejected.
    const settled = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(inArray(webhookDeliveries.id, ids), sql`${webhookDeliveries.state} <> 'pending'`));
    return new Set(settled.map((row) => row.id));
  });
}

function describe(error: unknown): string {
  if (isProviderError(error)) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Looks one transaction up and records what the provider says. Unknown at the provider: nothing to do. */
export async function lookupTransaction(
  deps: LedgerDeps,
  input: { connectionId: string; reference: string; providerId?: string | null },
  source: ObservationSource = 'lookup',
): Promise<'recorded' | 'not_found' | 'skipped'> {
  const connection = await loadConnection(deps.db, input.connectionId);
  if (!connection?.enabled) return 'skipped';
  let observed: NormalizedTransaction;
  try {
    observed = await connectionAdapter(deps, connection).lookup({
      reference: input.reference,
      ...(input.providerId ? { providerId: input.providerId } : {}),
    });
  } catch (error) {
    if (isProviderError(error) && error.kind === 'not_found') return 'not_found';
    throw error;
  }
  const now = deps.now();
  await deps.db.transaction((tx) =>
    recordObservation(tx, { connectionId: connection.id, now, source }, observed),
  );
  return 'recorded';
}
