/**
 * Payment Book objects → Paydesk's domain. Pure: no I/O, no clock. Anything the provider sends that
 * cannot be represented exactly (an amount with significant digits beyond its currency, more than 8
 * decimals, an unknown currency) is a ProviderError of kind `schema`, never a rounded number.
 *
 * Timestamps: the provider writes "2024-11-13 11:18:09" in some answers and
 * "2024-10-19T21:24:12.000000Z" in others for the same instants, so the zone-less form is read as UTC.
 */
import {
  decimalToMinor,
  floatToMinor,
  isCurrencyCode,
  MoneyError,
  type CurrencyCode,
  type Money,
  type OperationStatus,
  type RefundStatus,
  type TransactionKind,
  type TransactionStatus,
} from '@paydesk/domain';
import { z } from 'zod';
import type {
  CardSummary,
  NormalizedOperation,
  NormalizedRefund,
  NormalizedTransaction,
} from '../adapter.ts';
import { ProviderError } from '../errors.ts';
import {
  pbRefundAnswerSchema,
  pbTransactionSchema,
  type PbOperation,
  type PbOperationStatus,
  type PbOperationType,
  type PbTransaction,
  type PbTransactionStatus,
  type PbTransactionType,
} from './schemas.ts';
import { luhn } from '../redact.ts';

const PROVIDER = 'payment-book';

/** The provider's answer is not something we can represent: reading it again is harmless. */
export function schemaError(message: string, cause?: unknown): ProviderError {
  return new ProviderError(
    { kind: 'schema', provider: PROVIDER, message: `Payment Book: ${message}`, retrySafe: true },
    { cause },
  );
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw schemaError(`unexpected ${what}: ${z.prettifyError(result.error)}`, result.error);
  return result.data;
}

// ---- small readers ----------------------------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((current, key) => record(current)?.[key], value);
}

/** A non-empty trimmed string, or undefined (the provider writes "" and null for "nothing"). */
function textAt(value: unknown, ...path: string[]): string | undefined {
  const found = at(value, ...path);
  if (typeof found !== 'string') return undefined;
  const trimmed = found.trim();
  return trimmed === '' ? undefined : trimmed;
}

function codeText(code: number | string | null | undefined): string | undefined {
  if (code === null || code === undefined) return undefined;
  const value = String(code).trim();
  return value === '' ? undefined : value;
}

export function parseProviderTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const parsed = new Date(`${date}T${time}.${millis}${zone}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

// ---- money ------------------------------------------------------------------------------------------

/** Decimal strings of up to 8 decimals, the most the provider writes ("10.00000000"). */
const decimalAmount = /^-?\d+(?:\.\d{1,8})?$/;

export function currencyOf(code: string): CurrencyCode {
  const upper = code.trim().toUpperCase();
  if (!isCurrencyCode(upper)) throw schemaError(`unsupported currency ${JSON.stringify(code)}`);
  return upper;
}

/** "100.00", "10.00000000" or 12.32 → minor units, exactly; anything inexact is refused. */
export function amountToMinor(value: string | number, currency: CurrencyCode, field: string): bigint {
  try {
    if (typeof value === 'number') return floatToMinor(value, currency);
    const trimmed = value.trim();
    if (!decimalAmount.test(trimmed)) {
      throw new MoneyError(`${JSON.stringify(value)} is not a decimal amount of at most 8 decimals`);
    }
    return decimalToMinor(trimmed, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw schemaError(`${field}: ${error.message}`, error);
    throw error;
  }
}

function money(value: string | number, currency: CurrencyCode, field: string): Money {
  return { amountMinor: amountToMinor(value, currency, field), currency };
}

// ---- statuses ---------------------------------------------------------------------------------------

const transactionStatusMap: Readonly<Record<PbTransactionStatus, TransactionStatus>> = {
  created: 'created',
  processing: 'processing',
  success: 'succeeded',
  refunded: 'refunded',
  partially_refunded: 'partially_refunded',
  failed: 'failed',
  expired: 'expired',
  active: 'active',
  canceled: 'cancelled',
};

const operationStatusMap: Readonly<Record<PbOperationStatus, OperationStatus>> = {
  created: 'pending',
  awaiting_confirmation: 'pending',
  processing: 'processing',
  external_processing: 'processing',
  success: 'succeeded',
  // The document: "The operation was partially successful. Treat this as failed."
  partial_success: 'failed',
  expired: 'expired',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The transaction says `canceled`, the operation `cancelled`; either spelling is read on either. */
const spellings: Readonly<Record<string, string>> = { cancelled: 'canceled', canceled: 'cancelled' };

function lookupStatus<K extends string, V>(map: Readonly<Record<K, V>>, raw: string): V | undefined {
  const key = raw.trim().toLowerCase();
  if (Object.hasOwn(map, key)) return map[key as K];
  const alias = spellings[key];
  return alias !== undefined && Object.hasOwn(map, alias) ? map[alias as K] : undefined;
}

export function operationStatusOf(raw: string): OperationStatus {
  return lookupStatus(operationStatusMap, raw) ?? 'unknown';
}

/**
 * `failed` with unified code 100 ("General decline") is the issuer's or gateway's refusal: `declined`.
 * Code 100 is also used for "Cancelled by user.", which is the customer's choice, not a decline.
 */
export function transactionStatusOf(
  raw: string,
  unifiedCode?: string,
  unifiedMessage?: string,
): TransactionStatus {
  const status = lookupStatus(transactionStatusMap, raw) ?? 'unknown';
  if (status === 'failed' && unifiedCode === '100' && !/^cancel+ed by user/i.test(unifiedMessage ?? '')) {
    return 'declined';
  }
  return status;
}

export function refundStatusOf(rawOperationStatus: string): RefundStatus {
  switch (operationStatusOf(rawOperationStatus)) {
    case 'pending':
    case 'processing':
      return 'pending';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'cancelled':
    case 'expired':
      return 'failed';
    case 'unknown':
      return 'unknown';
  }
}

const kindByType: Readonly<Record<PbTransactionType, TransactionKind>> = {
  purchase: 'payment',
  withdrawal: 'payout',
  recurring: 'subscription',
};

const operationTypes: Readonly<Record<PbOperationType, NormalizedOperation['type']>> = {
  payment: 'payment',
  payout: 'payout',
  subscription: 'subscription',
  refund: 'refund',
};

/**
 * The documented types map directly. Older serializers write other words ("in_by_payment_gateway" in
 * the refund example), so an unknown type is read from its direction and, failing that, its operations.
 */
export function kindOf(rawType: string, operations: readonly { type: string }[] = []): TransactionKind {
  const type = rawType.trim().toLowerCase();
  if (Object.hasOwn(kindByType, type)) return kindByType[type as PbTransactionType];
  if (/withdraw|payout|^out_/.test(type)) return 'payout';
  if (/recurring|subscription/.test(type)) return 'subscription';
  if (operations.some((operation) => operation.type === 'payout')) return 'payout';
  if (operations.some((operation) => operation.type === 'subscription')) return 'subscription';
  return 'payment';
}

function operationTypeOf(raw: string): NormalizedOperation['type'] {
  const type = raw.trim().toLowerCase();
  return Object.hasOwn(operationTypes, type) ? operationTypes[type as PbOperationType] : 'other';
}

// ---- card, customer, method -------------------------------------------------------------------------

/** BIN and last four out of a mask ("411111******1111") or, should one ever come, a whole number. */
export function cardFromMask(mask: string | undefined, brand: string | undefined): CardSummary | undefined {
  const card: CardSummary = {};
  const compact = (mask ?? '').replace(/[\s-]/g, '');
  const bin = /^(\d{6})/.exec(compact)?.[1];
  const last4 = /(\d{4})$/.exec(compact)?.[1];
  // A mask that shows only its last digits has no BIN; one that is too short to hold both has neither.
  if (bin && compact.length >= 12) card.bin = bin;
  if (last4 && compact.length >= 4) card.last4 = last4;
  if (brand) card.brand = brand.toLowerCase();
  return Object.keys(card).length > 0 ? card : undefined;
}

function cardMetaOf(transaction: PbTransaction): Record<string, unknown> | undefined {
  const charges = (transaction.operations ?? []).filter(
    (operation) => operation.type === 'payment' || operation.type === 'subscription',
  );
  for (const operation of charges.toReversed()) {
    const meta = record(at(operation.metadata, 'card_meta'));
    if (meta && (textAt(meta, 'mask') ?? textAt(meta, 'type'))) return meta;
  }
  return record(at(transaction.metadata, 'card_meta'));
}

function cardOf(transaction: PbTransaction): CardSummary | undefined {
  const meta = cardMetaOf(transaction);
  if (!meta) return undefined;
  return cardFromMask(textAt(meta, 'mask'), textAt(meta, 'type') ?? textAt(meta, 'brand'));
}

function methodOf(transaction: PbTransaction): string | undefined {
  const sources = [
    ...(transaction.operations ?? []).map((operation) => operation.metadata).toReversed(),
    transaction.metadata,
  ];
  for (const metadata of sources) {
    if (record(at(metadata, 'card_meta'))) return 'card';
    if (record(at(metadata, 'open_banking'))) return 'open_banking';
    const wallet = record(at(metadata, 'wallet'));
    if (wallet) return textAt(wallet, 'alias') ?? 'wallet';
  }
  return undefined;
}

function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter(Boolean).join(' ');
  return name === '' ? undefined : name;
}

/** The customer record (status), else what the merchant sent (webhook `request.user`), else the bank's. */
function customerOf(transaction: PbTransaction): NormalizedTransaction['customer'] {
  const customer = transaction.customer ?? undefined;
  const user = at(transaction.request, 'user');
  const bank = at(transaction.metadata, 'open_banking');
  const email = textAt(customer, 'email') ?? textAt(user, 'email') ?? textAt(bank, 'sender_email');
  const name =
    fullName(textAt(customer, 'first_name'), textAt(customer, 'last_name')) ??
    fullName(textAt(user, 'first_name'), textAt(user, 'last_name')) ??
    textAt(bank, 'sender_name');
  return { ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

// ---- redaction --------------------------------------------------------------------------------------

/** Keys whose values are credentials or can charge a card: dropped from `raw`. */
const secretKey =
  /signature|secret|password|passwd|token|nonce|cvv|cvc|security_code|api_?key|authorization/i;
/** Keys that hold a card number or its mask. */
const cardKey = /^(mask|pan|card_?number|card_?no|number)$/i;
const panCandidate = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Keeps the first six and the last four digits, stars the rest: what PCI DSS allows to be shown. */
export function maskCardText(value: string): string {
  const total = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (digit) => {
    seen += 1;
    return seen <= 6 || seen > total - 4 ? digit : '*';
  });
}

function looksLikeCard(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return /^[\d*xX•\s-]+$/.test(value) && digits > 10 && digits <= 19;
}

/** Card numbers (13–19 digits, card-network first digit, valid Luhn) anywhere in free text. */
function maskPans(value: string): string {
  return value.replace(panCandidate, (candidate) => {
    const digits = candidate.replace(/\D/g, '');
    return /^[2-6]/.test(digits) && luhn(digits) ? maskCardText(candidate) : candidate;
  });
}

/** The provider's object without secrets, card tokens, nonces or card numbers, for `raw`. */
export function redact(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && cardKey.test(key) && looksLikeCard(value)) return maskCardText(value);
    return maskPans(value);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item));
  const object = record(value);
  if (!object) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(object)) {
    if (secretKey.test(name)) continue;
    out[name] = redact(item, name);
  }
  return out;
}

// ---- objects ----------------------------------------------------------------------------------------

function declineOf(
  code: number | string | null | undefined,
  message: string | null | undefined,
): { declineCode?: string; declineMessage?: string } {
  const text = codeText(code);
  // 0 is success and 1 "pre success" (operation codes); neither is a decline.
  if (text === undefined || text === '0' || text === '1') return {};
  const trimmed = message?.trim();
  return { declineCode: text, ...(trimmed ? { declineMessage: trimmed } : {}) };
}

export function normalizeOperation(
  operation: PbOperation,
  fallbackCurrency: CurrencyCode,
): NormalizedOperation {
  const currency = operation.currency ? currencyOf(operation.currency) : fallbackCurrency;
  const id = operation.ulid ?? (operation.id !== undefined ? String(operation.id) : undefined);
  if (!id) throw schemaError('an operation has neither ulid nor id');
  // `fee` is a decimal string; the older serializer only has `total_fee`, a JSON number.
  const fee = operation.fee ?? operation.total_fee;
  const createdAt = parseProviderTime(operation.created_at);
  const updatedAt = parseProviderTime(operation.updated_at);
  return {
    providerId: id,
    type: operationTypeOf(operation.type),
    status: operationStatusOf(operation.status),
    rawStatus: operation.status,
    amount: money(operation.amount, currency, `operation ${id} amount`),
    ...(fee !== null && fee !== undefined ? { fee: money(fee, currency, `operation ${id} fee`) } : {}),
    ...declineOf(operation.code, operation.message),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

function actionUrlOf(transaction: PbTransaction, awaiting: PbOperation | undefined): string | undefined {
  if (awaiting)
    return textAt(awaiting.metadata, 'redirect_url') ?? textAt(transaction.metadata, 'redirect_url');
  if (transaction.status === 'created') {
    return textAt(transaction, 'redirect_url') ?? textAt(transaction.metadata, 'redirect_url');
  }
  return undefined;
}

/**
 * A transaction from status, a webhook, create or recurring cancel. `reference` is used when the object
 * does not carry its merchant reference (the older serializers may not).
 */
export function normalizeTransaction(
  input: unknown,
  context: { reference?: string } = {},
): NormalizedTransaction {
  const transaction = parse(pbTransactionSchema, input, 'transaction');
  const providerId = transaction.ulid ?? transaction.uuid ?? '';
  const reference =
    transaction.reference_id?.trim() ||
    context.reference ||
    textAt(transaction.request, 'meta', 'reference_id');
  if (!reference) throw schemaError(`transaction ${providerId} has no reference_id`);
  const currency = currencyOf(transaction.currency);
  const operations = (transaction.operations ?? []).map((operation) =>
    normalizeOperation(operation, currency),
  );

  const refundedFromOperations = operations
    .filter((operation) => operation.type === 'refund' && operation.status === 'succeeded')
    .reduce((sum, operation) => sum + operation.amount.amountMinor, 0n);
  const refundedMinor =
    transaction.refunded_amount !== null && transaction.refunded_amount !== undefined
      ? amountToMinor(transaction.refunded_amount, currency, 'refunded_amount')
      : refundedFromOperations;

  const unifiedCode = codeText(transaction.unified_error_code);
  const unifiedMessage = transaction.unified_error_message?.trim() || undefined;
  let status = transactionStatusOf(transaction.status, unifiedCode, unifiedMessage);
  const rawOperations = transaction.operations ?? [];
  const awaiting = rawOperations.findLast(
    (operation) =>
      operation.status === 'awaiting_confirmation' &&
      (operation.type === 'payment' || operation.type === 'subscription' || operation.type === 'payout'),
  );
  // 3-D Secure or a bank's confirmation: the customer has to act before anything else happens.
  if (awaiting && (status === 'created' || status === 'processing')) status = 'action_required';

  // The transaction carries the unified code; when it has none, the last failed operation explains.
  let decline = declineOf(transaction.unified_error_code, unifiedMessage);
  if (!decline.declineCode && (status === 'failed' || status === 'declined' || status === 'expired')) {
    const failed = operations.findLast((operation) => operation.declineCode !== undefined);
    if (failed?.declineCode) {
      decline = {
        declineCode: failed.declineCode,
        ...(failed.declineMessage ? { declineMessage: failed.declineMessage } : {}),
      };
    }
  }

  const cost = transaction.cost;
  const card = cardOf(transaction);
  const method = methodOf(transaction);
  const actionUrl = actionUrlOf(transaction, awaiting);
  const createdAt = parseProviderTime(transaction.created_at);
  const updatedAt = parseProviderTime(transaction.updated_at);
  const metadata = record(redact(transaction.metadata));

  return {
    provider: PROVIDER,
    providerId,
    reference,
    kind: kindOf(transaction.type, rawOperations),
    status,
    rawStatus: transaction.status,
    amount: money(transaction.amount, currency, 'amount'),
    refundedMinor,
    ...(cost !== null && cost !== undefined ? { fee: money(cost, currency, 'cost') } : {}),
    customer: customerOf(transaction),
    ...(card ? { card } : {}),
    ...(method ? { method } : {}),
    ...decline,
    ...(actionUrl ? { actionUrl } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    operations,
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
    raw: redact(input),
  };
}

/**
 * transaction/refund's `data`. The provider has no slot for our refund reference, so it is the
 * caller's; the operation's own id is its ulid (or, in the older serializer, its `reference_id`).
 */
export function normalizeRefund(
  input: unknown,
  request: { reference: string; currency: CurrencyCode },
): NormalizedRefund {
  const { operation } = parse(pbRefundAnswerSchema, input, 'refund answer');
  const currency = operation.currency ? currencyOf(operation.currency) : request.currency;
  const providerId =
    operation.ulid ??
    operation.reference_id ??
    (operation.id !== undefined ? String(operation.id) : undefined);
  if (!providerId) throw schemaError('the refund operation has no id');
  const fee = operation.fee ?? operation.total_fee;
  return {
    providerId,
    reference: request.reference,
    status: refundStatusOf(operation.status),
    rawStatus: operation.status,
    amount: money(operation.amount, currency, 'refund amount'),
    ...(fee !== null && fee !== undefined ? { fee: money(fee, currency, 'refund fee') } : {}),
  };
}
