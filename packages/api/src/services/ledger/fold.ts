/**
 * The ledger's rules, applied in memory: what one observation of a transaction does to the state
 * Paydesk holds for it. Statuses move only forward (`canAdvance`); an observation older than the
 * stored provider time (Paytone's `attributes.updated`) is ignored whole; operations are added or
 * advanced; each step leaves its timeline event and, where the health board counts it, a counter.
 * `apply.ts` loads the state, folds a batch of observations into it here and writes the result.
 */
import type { operations, timelineEvents, transactions } from '@paydesk/db/schema';
import {
  canAdvance,
  finalTransactionStatuses,
  operationAdvances,
  type OperationStatus,
  type TransactionStatus,
} from '@paydesk/domain';
import type { NormalizedOperation, NormalizedTransaction } from '@paydesk/providers';
import type { LedgerCounter } from './counters.ts';

export type ObservationSource = 'webhook' | 'reconciliation' | 'listing' | 'lookup';
export type TransactionRow = typeof transactions.$inferSelect;
/** An operation as it will be written (its row id, when it has one, is not needed to upsert it). */
export type OperationDraft = Omit<typeof operations.$inferInsert, 'id'>;
export type TimelineEventRow = typeof timelineEvents.$inferInsert;

/** One transaction while a batch is folded into it, and what must be written back. */
export interface LedgerEntry {
  row: TransactionRow;
  /** By the provider's operation id. */
  operations: Map<string, OperationDraft>;
  rowChanged: boolean;
  changedOperations: Set<string>;
}

/** Where a fold's side effects go: written once for the whole batch. */
export interface FoldOutput {
  events: TimelineEventRow[];
  counters: { connectionId: string; name: LedgerCounter }[];
}

export interface FoldContext {
  now: Date;
  source: ObservationSource;
  deliveryId?: number;
}

export interface FoldResult {
  statusChanged: boolean;
  stale: boolean;
}

const sourceLabel: Record<ObservationSource, string> = {
  webhook: 'webhook',
  reconciliation: 'reconciliation look-up',
  listing: 'provider listing',
  lookup: 'look-up',
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

function nextCheckAt(status: TransactionStatus, now: Date): Date | null {
  return isFinal(status) ? null : new Date(now.getTime() + nextCheckDelayMs(0));
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

/** The operation columns an observation sets (besides its identity). */
export function observedOperationColumns(op: NormalizedOperation) {
  return {
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
  };
}

/** The row a transaction Paydesk has not seen before starts as. */
export function newTransactionRow(connectionId: string, observed: NormalizedTransaction, now: Date) {
  return {
    connectionId,
    provider: observed.provider,
    providerId: observed.providerId,
    reference: observed.reference,
    kind: observed.kind,
    status: observed.status,
    refundedMinor: observed.refundedMinor,
    ...observedColumns(observed),
    createdAt: now,
    updatedAt: now,
    occurredAt: observed.createdAt ?? now,
    nextCheckAt: nextCheckAt(observed.status, now),
    checkAttempts: 0,
  } satisfies typeof transactions.$inferInsert;
}

function addEvent(
  entry: LedgerEntry,
  ctx: FoldContext,
  out: FoldOutput,
  type: string,
  summary: string,
  details: Record<string, unknown>,
) {
  out.events.push({
    transactionId: entry.row.id,
    at: ctx.now,
    type,
    source: ctx.source,
    summary,
    details,
    deliveryId: ctx.deliveryId ?? null,
  });
}

function countFor(entry: LedgerEntry, out: FoldOutput, name: LedgerCounter) {
  out.counters.push({ connectionId: entry.row.connectionId, name });
}

const fromDiscovery = (ctx: FoldContext) => ctx.source === 'reconciliation' || ctx.source === 'listing';

/** A transaction just inserted from `observed`: its discovery and its operations. */
export function foldDiscovery(
  entry: LedgerEntry,
  ctx: FoldContext,
  out: FoldOutput,
  observed: NormalizedTransaction,
): FoldResult {
  addEvent(
    entry,
    ctx,
    out,
    'discovered',
    `Learned of it from a ${sourceLabel[ctx.source]}: ${observed.status}`,
    {
      status: observed.status,
      rawStatus: observed.rawStatus,
    },
  );
  foldOperations(entry, ctx, out, observed.operations);
  if (fromDiscovery(ctx)) countFor(entry, out, 'discovered_by_reconciliation');
  return { statusChanged: true, stale: false };
}

/** A later observation of a transaction already held. */
export function foldObservation(
  entry: LedgerEntry,
  ctx: FoldContext,
  out: FoldOutput,
  observed: NormalizedTransaction,
): FoldResult {
  const existing = entry.row;
  const storedTime = existing.providerUpdatedAt?.getTime();
  const observedTime = observed.updatedAt?.getTime();
  if (storedTime !== undefined && observedTime !== undefined && observedTime < storedTime) {
    addEvent(
      entry,
      ctx,
      out,
      'stale_ignored',
      `Ignored an older state (${observed.status}) than the one stored`,
      {
        status: observed.status,
        observedUpdatedAt: observed.updatedAt?.toISOString(),
        storedUpdatedAt: existing.providerUpdatedAt?.toISOString(),
      },
    );
    if (ctx.source === 'webhook') countFor(entry, out, 'stale_webhooks');
    return { statusChanged: false, stale: true };
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
    addEvent(entry, ctx, out, 'regression_ignored', `Kept ${from}: ${observed.status} would move it back`, {
      stored: from,
      observed: observed.status,
      rawStatus: observed.rawStatus,
    });
  }
  if (changed) {
    const status = advances ? observed.status : from;
    entry.row = {
      ...existing,
      ...(advances ? { status: observed.status, ...observedColumns(observed) } : {}),
      refundedMinor,
      updatedAt: ctx.now,
      nextCheckAt: nextCheckAt(status, ctx.now),
      checkAttempts: 0,
    };
    entry.rowChanged = true;
  }
  if (statusChanged) {
    addEvent(entry, ctx, out, 'status_changed', `${from} → ${observed.status} (${sourceLabel[ctx.source]})`, {
      from,
      to: observed.status,
      rawStatus: observed.rawStatus,
    });
    if (fromDiscovery(ctx)) {
      // The provider moved on and no webhook told us: the health board counts these.
      addEvent(
        entry,
        ctx,
        out,
        'missed_webhook',
        `The provider changed it to ${observed.status} without a webhook`,
        {
          from,
          to: observed.status,
        },
      );
      countFor(entry, out, 'missed_webhooks');
    }
  }
  if (advances) foldOperations(entry, ctx, out, observed.operations);
  return { statusChanged, stale: false };
}

function foldOperations(
  entry: LedgerEntry,
  ctx: FoldContext,
  out: FoldOutput,
  observed: NormalizedOperation[],
): void {
  // A provider listing an operation twice in one answer: the first one stands.
  const seen = new Set<string>();
  for (const op of observed) {
    if (seen.has(op.providerId)) continue;
    seen.add(op.providerId);
    const existing = entry.operations.get(op.providerId);
    const values = { ...observedOperationColumns(op), updatedAt: ctx.now };
    if (!existing) {
      entry.operations.set(op.providerId, {
        transactionId: entry.row.id,
        providerId: op.providerId,
        createdAt: ctx.now,
        ...values,
      });
      entry.changedOperations.add(op.providerId);
      addEvent(entry, ctx, out, 'operation_added', `${op.type} ${op.status}`, {
        operation: op.providerId,
        status: op.status,
        rawStatus: op.rawStatus,
        amountMinor: op.amount.amountMinor.toString(),
        currency: op.amount.currency,
      });
      continue;
    }
    const from = existing.status as OperationStatus;
    const advances = operationAdvances(from, op.status);
    if (from === op.status ? existing.rawStatus === op.rawStatus : !advances) continue;
    entry.operations.set(op.providerId, { ...existing, ...values });
    entry.changedOperations.add(op.providerId);
    addEvent(entry, ctx, out, 'operation_changed', `${op.type} ${from} → ${op.status}`, {
      operation: op.providerId,
      from,
      to: op.status,
      rawStatus: op.rawStatus,
    });
  }
}
