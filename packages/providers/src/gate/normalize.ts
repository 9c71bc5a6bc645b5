/**
 * Gate's payment object → Paydesk's normalized transaction. Gate reports amounts as integer minor
 * units, so conversion is a check (a safe integer in a known currency), never arithmetic.
 */
import { customerFromMetadata } from '../customer-metadata.ts';
import {
  isCurrencyCode,
  type Money,
  type OperationStatus,
  type TransactionKind,
  type TransactionStatus,
} from '@paydesk/domain';
import type { NormalizedOperation, NormalizedTransaction } from '../adapter.ts';
import { ProviderError } from '../errors.ts';
import type { GatePayment, KnownGateStatus } from './schemas.ts';
import { redactWith } from '../redact.ts';

/**
 * Gate's object does not say whether it is a payment or a payout, so Paydesk marks the payouts it
 * creates in `merchantMetadata` (which Gate echoes) and reads the mark back on every look-up.
 */
export const gateKindKey = 'paydeskKind';

/** Decline code of a processing error: a technical failure rather than a refusal. */
const processingErrorCode = '1000';

const transactionStatuses: Readonly<Record<KnownGateStatus, TransactionStatus>> = {
  none: 'created',
  action_required: 'action_required',
  pending: 'processing',
  success: 'succeeded',
  declined: 'declined',
};

const operationStatuses: Readonly<Record<KnownGateStatus, OperationStatus>> = {
  none: 'pending',
  action_required: 'pending',
  pending: 'processing',
  success: 'succeeded',
  declined: 'failed',
};

function isKnown(status: string): status is KnownGateStatus {
  return Object.hasOwn(transactionStatuses, status);
}

function schemaError(message: string): ProviderError {
  return new ProviderError({ kind: 'schema', provider: 'gate', message, retrySafe: true });
}

/** Minor units as Gate sends them → Money, refusing anything that is not exact. */
export function gateMoney(amount: number, currency: string, field: string): Money {
  if (!isCurrencyCode(currency)) throw schemaError(`Gate sent an unsupported currency in ${field}`);
  // Past 2^53 JSON.parse has already rounded the number: refuse it rather than store a wrong amount.
  if (!Number.isSafeInteger(amount)) throw schemaError(`Gate sent ${field} that is not an exact integer`);
  return { amountMinor: BigInt(amount), currency };
}

/**
 * A refunded Gate payment keeps `status: success`; the refund shows as `actualAmount: 0` (refunds are
 * full only, so nothing between 0 and the amount is a refund).
 */
type StatusFields = Pick<GatePayment, 'status' | 'actualAmount' | 'amount' | 'declineReason'>;

function isRefunded(payment: StatusFields): boolean {
  return payment.status === 'success' && payment.actualAmount === 0 && payment.amount > 0;
}

export function gateTransactionStatus(payment: StatusFields): TransactionStatus {
  const { status } = payment;
  // Any other value is not final (README): keep it raw, and let nothing advance on it.
  if (!isKnown(status)) return 'unknown';
  if (status === 'declined' && String(payment.declineReason?.code ?? '') === processingErrorCode)
    return 'failed';
  if (isRefunded(payment)) return 'refunded';
  return transactionStatuses[status];
}

export function gateOperationStatus(status: string): OperationStatus {
  return isKnown(status) ? operationStatuses[status] : 'unknown';
}

function date(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function actionUrl(payment: GatePayment): string | undefined {
  const action = payment.customerAction;
  if (!action || !action.type || action.type === 'none') return undefined;
  const data = action.data;
  return data?.redirectionUrl ?? data?.threeDsSessionUrl ?? data?.targetUrl ?? undefined;
}

const secretKey =
  /^(card_?number|pan|cvv|cvc|cvv2|security_?code|token|secret|password|api_?key|authorization|webhook_?url)$/i;

/**
 * The object as received, minus what must never be stored: credentials, card numbers and security
 * codes. `merchantMetadata` is free-form and filled by the shop, so it is scanned too.
 */
export const redactGate = redactWith(secretKey);

export function gateKindOf(payment: GatePayment): TransactionKind {
  return payment.merchantMetadata?.[gateKindKey] === 'payout' ? 'payout' : 'payment';
}

export function normalizeGatePayment(
  payment: GatePayment,
  options: { kind?: TransactionKind } = {},
): NormalizedTransaction {
  const kind = options.kind ?? gateKindOf(payment);
  const amount = gateMoney(payment.amount, payment.currencyCode, 'amount');
  if (payment.actualAmount !== null && payment.actualAmount !== undefined) {
    gateMoney(payment.actualAmount, payment.currencyCode, 'actualAmount');
  }
  const status = gateTransactionStatus(payment);
  const refunded = status === 'refunded';
  const decline = payment.declineReason;
  const declineCode =
    decline?.code !== null && decline?.code !== undefined ? String(decline.code) : undefined;
  const declineMessage = decline?.description ?? undefined;
  const createdAt = date(payment.createdAt);

  const operation: NormalizedOperation = {
    providerId: payment.referenceId,
    type: kind === 'payout' ? 'payout' : 'payment',
    status: gateOperationStatus(payment.status),
    rawStatus: payment.status,
    amount,
    ...(declineCode ? { declineCode } : {}),
    ...(declineMessage ? { declineMessage } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
  const operations: NormalizedOperation[] = [operation];
  if (refunded) {
    // Gate has no refund object: the refund is known only from the payment, and has no id of its own.
    operations.push({
      providerId: `${payment.referenceId}/refund`,
      type: 'refund',
      status: 'succeeded',
      rawStatus: 'refunded',
      amount,
    });
  }

  const url = actionUrl(payment);
  const { [gateKindKey]: _kind, ...metadata } = payment.merchantMetadata ?? {};
  return {
    provider: 'gate',
    providerId: payment.referenceId,
    reference: payment.referenceId,
    kind,
    status,
    rawStatus: payment.status,
    amount,
    refundedMinor: refunded ? amount.amountMinor : 0n,
    // Gate's object carries neither the customer nor the card; shops put the customer in metadata.
    customer: customerFromMetadata(metadata),
    ...(declineCode && (status === 'declined' || status === 'failed') ? { declineCode } : {}),
    ...(declineMessage && (status === 'declined' || status === 'failed') ? { declineMessage } : {}),
    ...(url && status === 'action_required' ? { actionUrl: url } : {}),
    ...(createdAt ? { createdAt } : {}),
    operations,
    ...(Object.keys(metadata).length > 0
      ? { metadata: redactGate(metadata) as Record<string, unknown> }
      : {}),
    raw: redactGate(payment),
  };
}
