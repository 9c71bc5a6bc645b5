/**
 * One unified status union per object, each with an `unknown` fallback. The provider's raw status is
 * always kept beside the unified one. Statuses only move forward: `canAdvance` says whether a newly
 * learned status may replace the stored one, so a late or repeated webhook never moves anything back.
 */

export const transactionStatuses = [
  'created',
  'action_required',
  'processing',
  'active',
  'succeeded',
  'declined',
  'failed',
  'expired',
  'cancelled',
  'partially_refunded',
  'refunded',
  'partially_charged_back',
  'charged_back',
  'unknown',
] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];

export const operationStatuses = [
  'pending',
  'processing',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
  'unknown',
] as const;
export type OperationStatus = (typeof operationStatuses)[number];

export const refundStatuses = ['pending', 'succeeded', 'failed', 'unknown'] as const;
export type RefundStatus = (typeof refundStatuses)[number];

export const transactionKinds = ['payment', 'payout', 'subscription'] as const;
export type TransactionKind = (typeof transactionKinds)[number];

/** Nothing more will happen to a transaction in one of these (but refunds and chargebacks of a success). */
export const finalTransactionStatuses: ReadonlySet<TransactionStatus> = new Set([
  'declined',
  'failed',
  'expired',
  'cancelled',
  'refunded',
  'charged_back',
]);

/**
 * How far along its life a status is. A status may replace another of a lower rank; among equal ranks
 * only the same status (with newer details such as a larger refunded amount) may be applied again.
 */
const rank: Readonly<Record<TransactionStatus, number>> = {
  unknown: 0,
  created: 1,
  action_required: 2,
  processing: 3,
  active: 4,
  succeeded: 5,
  declined: 5,
  failed: 5,
  expired: 5,
  cancelled: 6,
  partially_refunded: 7,
  partially_charged_back: 8,
  refunded: 9,
  charged_back: 9,
};

export function canAdvance(from: TransactionStatus, to: TransactionStatus): boolean {
  if (to === 'unknown') return false;
  if (from === to) return true;
  if (finalTransactionStatuses.has(from)) return false;
  // A failed outcome cannot follow success, and a subscription is cancelled only while active.
  if (to === 'cancelled') return from !== 'succeeded' && rank[from] < rank.cancelled;
  return rank[to] > rank[from];
}

const operationRank: Record<OperationStatus, number> = {
  unknown: 0,
  pending: 1,
  processing: 2,
  succeeded: 3,
  failed: 3,
  cancelled: 3,
  expired: 3,
};

/** An operation moves only towards an outcome; one outcome never replaces another. */
export function operationAdvances(from: OperationStatus, to: OperationStatus): boolean {
  return operationRank[to] > operationRank[from];
}

export function isFinalTransactionStatus(status: TransactionStatus): boolean {
  return finalTransactionStatuses.has(status);
}
