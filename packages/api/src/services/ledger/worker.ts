/**
 * The ledger's jobs: apply a stored delivery, look a transaction up. Both idempotent: run twice (a
 * retry after a crash, two processes), they leave the ledger as once.
 */
import { eq } from 'drizzle-orm';
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

export function describe(error: unknown): string {
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
