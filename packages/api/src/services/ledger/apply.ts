/**
 * Writes what Paydesk learned about one transaction into the ledger: the transaction row, its
 * operations and timeline events. Idempotent, and forward-only: a late, repeated or reordered
 * observation never moves a status back (`canAdvance`), and one older than the stored provider time
 * (Paytone's `attributes.updated`) is ignored whole. Runs inside the caller's transaction, with the
 * transaction row locked, so concurrent appliers of the same object take turns.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@paydesk/db';
import { operations, timelineEvents, transactions } from '@paydesk/db/schema';
import {
  canAdvance,
  finalTransactionStatuses,
  type OperationStatus,
  type TransactionStatus,
} from '@paydesk/domain';
import type { NormalizedOperation, NormalizedTransaction } from '@paydesk/providers';
import { bumpCounter } from './counters.ts';

export type ObservationSource = 'webhook' | 'reconciliation' | 'listing' | 'lookup';

export type TimelineEventRow = typeof timelineEvents.$inferInsert;

export interface ObservationContext {
  connectionId: string;
  now: Date;
  source: ObservationSource;
  deliveryId?: number;
  /**
   * Where timeline events go when the caller writes many observations in one transaction: collected
   * here and inserted together by the caller (`insertEvents`) before it commits. Absent: one insert each.
   */
  events?: TimelineEventRow[];
}

export interface ApplyResult {
  transactionId: string;
  created: boolean;
  statusChanged: boolean;
  stale: boolean;
}

type TransactionRow = typeof transactions.$inferSelect;

const operationRank: Record<OperationStatus, number> = {
  unknown: 0,
  pending: 1,
  processing: 2,
  succeeded: 3,
  failed: 3,
  cancelled: 3,
  expired: 3,
};

/** First check a minute after a non-final status is seen; then 2, 4, 8… minutes, at most 6 hours. */
export function nextCheckDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.min(attempts, 20), 6 * 3_600_000);
}

function isFinal(status: TransactionStatus): boolean {
  // A success can still be refunded or charged back, but nothing will happen without a new event
  // that a webhook reports; reconciliation stops polling it.
  return finalTransactionStatuses.has(status) || status === 'succeeded' || status === 'partially_refunded';
}

/** The transaction columns an observation sets (besides identity, status and refunded amount). */
export function observedColumns(observed: NormalizedTransaction) {
  return {
    rawStatus: observed.rawStatus,
    currency: observed.amount.currency,
    amountMinor: observed.amount.amountMinor,
    feeMinor: observed.fee?.amountMinor ?? null,
    customerEmail: observed.customer.email ?? null,
    customerName: observed.customer.name ?? null,
    cardBin: observed.card?.bin ?? null,
    cardLast4: observed.card?.last4 ?? null,
    cardBrand: observed.card?.brand ?? null,
    method: observed.method ?? null,
    declineCode: observed.declineCode ?? null,
    declineMessage: observed.declineMessage ?? null,
    testMode: observed.testMode === undefined ? null : observed.testMode ? 'test' : 'live',
    providerCreatedAt: observed.createdAt ?? null,
    providerUpdatedAt: observed.updatedAt ?? null,
    metadata: observed.metadata ?? null,
    raw: observed.raw ?? null,
  };
}

const sourceLabel: Record<ObservationSource, string> = {
  webhook: 'webhook',
  reconciliation: 'reconciliation look-up',
  listing: 'provider listing',
  lookup: 'look-up',
};

async function event(
  tx: Tx,
  ctx: ObservationContext,
  transactionId: string,
  type: string,
  summary: string,
  details?: Record<string, unknown>,
) {
  const row: TimelineEventRow = {
    transactionId,
    at: ctx.now,
    type,
    source: ctx.source,
    summary,
    details: details ?? null,
    deliveryId: ctx.deliveryId ?? null,
  };
  if (ctx.events) ctx.events.push(row);
  else await tx.insert(timelineEvents).values(row);
}

/** Inserts the events an `ObservationContext.events` collected, in one statement. */
export async function insertEvents(tx: Tx, events: TimelineEventRow[]): Promise<void> {
  if (events.length > 0) await tx.insert(timelineEvents).values(events);
}

async function applyOperations(
  tx: Tx,
  ctx: ObservationContext,
  transactionId: string,
  observed: NormalizedOperation[],
  options: { newTransaction: boolean },
): Promise<void> {
  if (observed.length === 0) return;
  // A transaction inserted a moment ago has no operations yet: nothing to read.
  const stored = options.newTransaction
    ? []
    : await tx.select().from(operations).where(eq(operations.transactionId, transactionId));
  const byId = new Map(stored.map((row) => [row.providerId, row]));
  const added: (typeof operations.$inferInsert)[] = [];
  for (const op of observed) {
    const existing = byId.get(op.providerId);
    const values = {
      type: op.type,
      status: op.status,
      rawStatus: op.rawStatus,
      currency: op.amount.currency,
      amountMinor: op.amount.amountMinor,
      feeMinor: op.fee?.amountMinor ?? null,
      declineCode: op.declineCode ?? null,
      declineMessage: op.declineMessage ?? null,
      providerCreatedAt: op.createdAt ?? null,
      providerUpdatedAt: op.updatedAt ?? null,
      updatedAt: ctx.now,
    };
    if (!existing) {
      // Twice in one answer (a provider listing an operation twice): the first one stands.
      if (added.some((row) => row.providerId === op.providerId)) continue;
      added.push({ transactionId, providerId: op.providerId, createdAt: ctx.now, ...values });
      await event(tx, ctx, transactionId, 'operation_added', `${op.type} ${op.status}`, {
        operation: op.providerId,
        status: op.status,
        rawStatus: op.rawStatus,
        amountMinor: op.amount.amountMinor.toString(),
        currency: op.amount.currency,
      });
      continue;
    }
    const from = existing.status as OperationStatus;
    const advances = operationRank[op.status] > operationRank[from];
    if (from === op.status ? existing.rawStatus === op.rawStatus : !advances) continue;
    await tx.update(operations).set(values).where(eq(operations.id, existing.id));
    await event(tx, ctx, transactionId, 'operation_changed', `${op.type} ${from} → ${op.status}`, {
      operation: op.providerId,
      from,
      to: op.status,
      rawStatus: op.rawStatus,
    });
  }
  if (added.length > 0) await tx.insert(operations).values(added);
}

export async function recordObservation(
  tx: Tx,
  ctx: ObservationContext,
  observed: NormalizedTransaction,
): Promise<ApplyResult> {
  const nextCheckAt = isFinal(observed.status) ? null : new Date(ctx.now.getTime() + nextCheckDelayMs(0));
  const inserted = await tx
    .insert(transactions)
    .values({
      connectionId: ctx.connectionId,
      provider: observed.provider,
      providerId: observed.providerId,
      reference: observed.reference,
      kind: observed.kind,
      status: observed.status,
      refundedMinor: observed.refundedMinor,
      ...observedColumns(observed),
      createdAt: ctx.now,
      updatedAt: ctx.now,
      occurredAt: observed.createdAt ?? ctx.now,
      nextCheckAt,
      checkAttempts: 0,
    })
    .onConflictDoNothing({ target: [transactions.connectionId, transactions.providerId] })
    .returning({ id: transactions.id });

  if (inserted[0]) {
    const id = inserted[0].id;
    await event(
      tx,
      ctx,
      id,
      'discovered',
      `Learned of it from a ${sourceLabel[ctx.source]}: ${observed.status}`,
      {
        status: observed.status,
        rawStatus: observed.rawStatus,
      },
    );
    await applyOperations(tx, ctx, id, observed.operations, { newTransaction: true });
    if (ctx.source === 'reconciliation' || ctx.source === 'listing') {
      await bumpCounter(tx, ctx.connectionId, 'discovered_by_reconciliation', ctx.now);
    }
    return { transactionId: id, created: true, statusChanged: true, stale: false };
  }

  const [existing] = (await tx
    .select()
    .from(transactions)
    .where(
      and(eq(transactions.connectionId, ctx.connectionId), eq(transactions.providerId, observed.providerId)),
    )
    .for('update')) as TransactionRow[];
  if (!existing) throw new Error('the transaction vanished between insert and select');

  const storedTime = existing.providerUpdatedAt?.getTime();
  const observedTime = observed.updatedAt?.getTime();
  if (storedTime !== undefined && observedTime !== undefined && observedTime < storedTime) {
    await event(
      tx,
      ctx,
      existing.id,
      'stale_ignored',
      `Ignored an older state (${observed.status}) than the one stored`,
      {
        status: observed.status,
        observedUpdatedAt: observed.updatedAt?.toISOString(),
        storedUpdatedAt: existing.providerUpdatedAt?.toISOString(),
      },
    );
    if (ctx.source === 'webhook') await bumpCounter(tx, ctx.connectionId, 'stale_webhooks', ctx.now);
    return { transactionId: existing.id, created: false, statusChanged: false, stale: true };
  }

  const from = existing.status as TransactionStatus;
  const advances = canAdvance(from, observed.status);
  const statusChanged = advances && from !== observed.status;
  const refundedMinor =
    observed.refundedMinor > existing.refundedMinor ? observed.refundedMinor : existing.refundedMinor;
  const changed =
    statusChanged ||
    refundedMinor !== existing.refundedMinor ||
    (advances && existing.rawStatus !== observed.rawStatus);

  if (!advances && from !== observed.status) {
    await event(
      tx,
      ctx,
      existing.id,
      'regression_ignored',
      `Kept ${from}: ${observed.status} would move it back`,
      {
        stored: from,
        observed: observed.status,
        rawStatus: observed.rawStatus,
      },
    );
  }

  if (changed) {
    const status = advances ? observed.status : from;
    await tx
      .update(transactions)
      .set({
        ...(advances ? { status: observed.status, ...observedColumns(observed) } : {}),
        refundedMinor,
        updatedAt: ctx.now,
        nextCheckAt: isFinal(status) ? null : new Date(ctx.now.getTime() + nextCheckDelayMs(0)),
        checkAttempts: 0,
      })
      .where(eq(transactions.id, existing.id));
  }
  if (statusChanged) {
    await event(
      tx,
      ctx,
      existing.id,
      'status_changed',
      `${from} → ${observed.status} (${sourceLabel[ctx.source]})`,
      {
        from,
        to: observed.status,
        rawStatus: observed.rawStatus,
      },
    );
    if (ctx.source === 'reconciliation' || ctx.source === 'listing') {
      // The provider moved on and no webhook told us: the health board counts these.
      await event(
        tx,
        ctx,
        existing.id,
        'missed_webhook',
        `The provider changed it to ${observed.status} without a webhook`,
        {
          from,
          to: observed.status,
        },
      );
      await bumpCounter(tx, ctx.connectionId, 'missed_webhooks', ctx.now);
    }
  }
  if (advances) {
    await applyOperations(tx, ctx, existing.id, observed.operations, { newTransaction: false });
  }
  return { transactionId: existing.id, created: false, statusChanged, stale: false };
}
