/**
 * What the refund services share: their dependencies and timings, where a payment stands (what can
 * still be refunded), the words a person reads for each state, and the intent as the API shows it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import {
  connections,
  openRefundIntentStates,
  operations,
  refundIntents,
  transactions,
  type RefundIntentState,
  type RefundReason,
} from '@paydesk/db/schema';
import { minorToDecimal, providerCapabilities, type ProviderName } from '@paydesk/domain';
import type { ProviderAdapter } from '@paydesk/providers';
import type { Logger } from '../../context.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { SecretBox } from '../../secret-box.ts';
import { adapterFor, type ConnectionRow } from '../connections/adapters.ts';

export type RefundIntentRow = typeof refundIntents.$inferSelect;
export type TransactionRow = typeof transactions.$inferSelect;

export interface RefundTiming {
  /** A `sending` call is presumed alive this long; after it the sweep calls the outcome unknown. */
  leaseMs: number;
  /** First look-up after an unknown outcome or an accepted-but-not-final refund. */
  firstCheckMs: number;
  /** Longest wait between look-ups. */
  maxCheckMs: number;
  /** No trace at the provider this long after the call (and after two look-ups): it was not performed. */
  notPerformedAfterMs: number;
  /** A queued intent its own request did not send is sent by the sweep after this long. */
  queuedGraceMs: number;
  /** Sends that reached nobody (rate limited, unreachable) before the intent is given up as failed. */
  maxSendAttempts: number;
}

export const defaultRefundTiming: RefundTiming = {
  // Gate's refund is a look-up (15 s, retried) and a call (30 s); Paytone's may be retried with
  // Retry-After: five minutes is longer than any of them can take.
  leaseMs: 5 * 60_000,
  firstCheckMs: 5_000,
  maxCheckMs: 6 * 3_600_000,
  notPerformedAfterMs: 3 * 60_000,
  queuedGraceMs: 30_000,
  maxSendAttempts: 5,
};

export interface RefundDeps {
  db: Db;
  secrets: SecretBox;
  jobs: JobQueue;
  log: Logger;
  now(): Date;
  /** Builds a connection's adapter (tests shorten timeouts); defaults to `adapterFor`. */
  adapter?: (row: ConnectionRow) => ProviderAdapter;
  timing?: Partial<RefundTiming>;
}

export function timingOf(deps: RefundDeps): RefundTiming {
  return { ...defaultRefundTiming, ...deps.timing };
}

export function refundAdapter(deps: RefundDeps, row: ConnectionRow): ProviderAdapter {
  return deps.adapter ? deps.adapter(row) : adapterFor(deps.secrets, row);
}

/** Who acts: the signed-in user, and the audit's view of the request. */
export interface RefundUser {
  id: string;
  email: string;
}

export const openStates: readonly RefundIntentState[] = openRefundIntentStates;
export const finalStates: readonly RefundIntentState[] = ['succeeded', 'failed', 'rejected'];

/** Statuses of a payment from which money can go back (`refunded`: none is left, said as such). */
const refundableStatuses = new Set(['succeeded', 'partially_refunded', 'partially_charged_back', 'refunded']);
const openOperationStatuses = ['pending', 'processing', 'unknown'];

export function money(amountMinor: bigint, currency: string): string {
  return `${minorToDecimal(amountMinor, currency)} ${currency}`;
}

export const reasonLabels: Readonly<Record<RefundReason, string>> = {
  duplicate: 'duplicate payment',
  fraudulent: 'fraudulent payment',
  requested_by_customer: 'requested by the customer',
  product_not_delivered: 'product not delivered',
  other: 'other',
};

export interface RefundPosition {
  capturedMinor: bigint;
  /** Known refunded: the ledger's figure or Paydesk's succeeded intents, whichever is more. */
  refundedMinor: bigint;
  /** Open intents (awaiting approval, queued, sending, processing, unknown outcome). */
  openIntentsMinor: bigint;
  /** Refunds in flight at the provider that no intent of Paydesk accounts for. */
  pendingOperationsMinor: bigint;
  remainderMinor: bigint;
  /** Why this payment cannot be refunded at all (its kind, status or provider), when that is so. */
  blocked: string | null;
}

/**
 * Where a payment stands: captured − refunded − what is in flight. `exclude` leaves one intent out
 * (an approval checks the rest against its own amount).
 */
export async function refundPosition(
  db: Db | Tx,
  transaction: TransactionRow,
  exclude?: string,
): Promise<RefundPosition> {
  const [intents, refundOperations] = await Promise.all([
    db
      .select({
        id: refundIntents.id,
        state: refundIntents.state,
        amountMinor: refundIntents.amountMinor,
        providerRefundId: refundIntents.providerRefundId,
      })
      .from(refundIntents)
      .where(eq(refundIntents.transactionId, transaction.id)),
    db
      .select({ providerId: operations.providerId, amountMinor: operations.amountMinor })
      .from(operations)
      .where(
        and(
          eq(operations.transactionId, transaction.id),
          eq(operations.type, 'refund'),
          inArray(operations.status, openOperationStatuses),
        ),
      ),
  ]);
  const claimed = new Set(
    intents.flatMap((intent) => (intent.providerRefundId ? [intent.providerRefundId] : [])),
  );
  const counted = intents.filter((intent) => intent.id !== exclude);
  const succeeded = counted
    .filter((intent) => intent.state === 'succeeded')
    .reduce((sum, intent) => sum + intent.amountMinor, 0n);
  const openIntentsMinor = counted
    .filter((intent) => openStates.includes(intent.state))
    .reduce((sum, intent) => sum + intent.amountMinor, 0n);
  const pendingOperationsMinor = refundOperations
    .filter((op) => !claimed.has(op.providerId))
    .reduce((sum, op) => sum + op.amountMinor, 0n);
  // A refunded payment is refunded in full, whatever amount the provider reported beside the status.
  const ledgerRefunded =
    transaction.status === 'refunded' ? transaction.amountMinor : transaction.refundedMinor;
  const refundedMinor = ledgerRefunded > succeeded ? ledgerRefunded : succeeded;
  const capability = providerCapabilities[transaction.provider as ProviderName]?.refund ?? false;
  let blocked: string | null = null;
  if (transaction.kind !== 'payment')
    blocked = `This is a ${transaction.kind}: only payments can be refunded.`;
  else if (!capability) blocked = 'This provider does not offer refunds through its API.';
  else if (!refundableStatuses.has(transaction.status))
    blocked = `The payment is ${transaction.status.replace(/_/g, ' ')}: only a successful payment can be refunded.`;
  const left = transaction.amountMinor - refundedMinor - openIntentsMinor - pendingOperationsMinor;
  const remainderMinor = blocked || left < 0n ? 0n : left;
  return {
    capturedMinor: transaction.amountMinor,
    refundedMinor,
    openIntentsMinor,
    pendingOperationsMinor,
    remainderMinor,
    blocked,
  };
}

/** "at most 12.50 EUR can still be refunded" — the sentence every over-refund refusal carries. */
export function remainderSentence(position: RefundPosition, currency: string): string {
  const inFlight = position.openIntentsMinor + position.pendingOperationsMinor;
  const detail = [
    position.refundedMinor > 0n ? `${money(position.refundedMinor, currency)} already refunded` : null,
    inFlight > 0n ? `${money(inFlight, currency)} being refunded` : null,
  ].filter(Boolean);
  const known = detail.length ? ` (${detail.join(', ')})` : '';
  if (position.remainderMinor === 0n) return `nothing more can be refunded${known}`;
  return `at most ${money(position.remainderMinor, currency)} can still be refunded${known}`;
}

/** What a person reads about an intent: what happened, what Paydesk does next, what to do. */
export function messageFor(intent: RefundIntentRow): string {
  const amount = money(intent.amountMinor, intent.currency);
  switch (intent.state) {
    case 'awaiting_approval':
      return `Waiting for approval: ${intent.approvalRule ?? 'this refund needs approval'}. Someone with the right to approve refunds (not ${intent.requestedByEmail}) must approve it; nothing has been sent to the provider yet.`;
    case 'queued':
      return intent.lastError
        ? `Not sent yet: ${intent.lastError} Paydesk will try again by itself; nothing has been refunded so far.`
        : `Queued: Paydesk is sending the refund of ${amount} to the provider.`;
    case 'sending':
      return `Being sent: the refund of ${amount} is with the provider and Paydesk is waiting for its answer.`;
    case 'processing':
      return `Accepted by the provider, which is still processing the refund of ${amount}. Paydesk checks on it and will show the result here; nothing else to do.`;
    case 'unknown_outcome':
      return `Outcome not known yet: ${intent.lastError ?? 'the provider’s answer was lost.'} Paydesk is checking with the provider and will update this refund by itself; the ${amount} stay reserved meanwhile. Do not refund this payment again elsewhere.`;
    case 'succeeded':
      return `Refunded ${amount}${intent.providerRefundId ? ` (provider refund ${intent.providerRefundId})` : ''}.`;
    case 'failed':
      return `Not refunded: ${intent.lastError ?? 'the provider refused it.'} No money moved; you can request the refund again once the cause is fixed.`;
    case 'rejected':
      return `Rejected by ${intent.decidedByEmail ?? 'an approver'}${intent.decisionReason ? `: ${intent.decisionReason}` : ''}. Nothing was sent to the provider.`;
  }
}

export function intentView(intent: RefundIntentRow) {
  return {
    id: intent.id,
    transactionId: intent.transactionId,
    provider: intent.provider,
    amount: minorToDecimal(intent.amountMinor, intent.currency),
    amountMinor: intent.amountMinor.toString(),
    currency: intent.currency,
    reason: intent.reason,
    note: intent.note,
    state: intent.state,
    final: finalStates.includes(intent.state),
    message: messageFor(intent),
    approvalRequired: intent.approvalRequired,
    approvalRule: intent.approvalRule,
    requestedBy: intent.requestedByEmail,
    decidedBy: intent.decidedByEmail,
    decisionReason: intent.decisionReason,
    decidedAt: intent.decidedAt?.toISOString() ?? null,
    providerReference: intent.providerReference,
    providerRefundId: intent.providerRefundId,
    providerStatus: intent.providerStatus,
    lastError: intent.lastError,
    attempts: intent.attempts,
    checks: intent.checks,
    nextAttemptAt: intent.nextAttemptAt?.toISOString() ?? null,
    settledAt: intent.settledAt?.toISOString() ?? null,
    createdAt: intent.createdAt.toISOString(),
    updatedAt: intent.updatedAt.toISOString(),
  };
}
export type RefundIntentView = ReturnType<typeof intentView>;

export async function loadIntent(db: Db | Tx, id: string): Promise<RefundIntentRow | undefined> {
  const [row] = await db.select().from(refundIntents).where(eq(refundIntents.id, id));
  return row;
}

/** The intent with its transaction and connection, as sending and settling need them. */
export async function loadIntentContext(db: Db, id: string) {
  const [row] = await db
    .select({ intent: refundIntents, transaction: transactions, connection: connections })
    .from(refundIntents)
    .innerJoin(transactions, eq(transactions.id, refundIntents.transactionId))
    .innerJoin(connections, eq(connections.id, refundIntents.connectionId))
    .where(eq(refundIntents.id, id));
  return row;
}

/** The PostgreSQL error under drizzle's wrapper (both drivers expose `code` and `constraint`). */
export function databaseError(error: unknown): { code?: string; constraint?: string } | null {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
      };
    }
    current = candidate.cause;
  }
  return null;
}
