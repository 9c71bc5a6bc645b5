/**
 * Paytone's invoices and refunds → Paydesk's normalized types. Paytone sends JSON floats in major
 * units; each is read through its shortest decimal form (`floatToMinor`), so an amount the currency
 * cannot hold exactly is refused as `schema`, never rounded.
 */
import { customerFromMetadata } from '../customer-metadata.ts';
import {
  floatToMinor,
  isCurrencyCode,
  MoneyError,
  type Money,
  type OperationStatus,
  type RefundStatus,
  type TransactionStatus,
} from '@paydesk/domain';
import type {
  CardSummary,
  NormalizedOperation,
  NormalizedRefund,
  NormalizedTransaction,
} from '../adapter.ts';
import { ProviderError } from '../errors.ts';
import {
  documentSchema,
  paymentInvoiceResourceSchema,
  payoutInvoiceResourceSchema,
  refundResourceSchema,
  type Included,
  type KnownPaymentInvoiceStatus,
  type KnownPayoutInvoiceStatus,
  type KnownRefundStatus,
  type PaymentInvoiceResource,
  type PayoutInvoiceResource,
  type RefundResource,
} from './schemas.ts';
import { redactWith } from '../redact.ts';

function schemaError(message: string, cause?: unknown): ProviderError {
  return new ProviderError({ kind: 'schema', provider: 'paytone', message, retrySafe: true }, { cause });
}

export function paytoneMoney(value: number, currency: string, field: string): Money {
  if (!isCurrencyCode(currency)) throw schemaError(`Paytone sent an unsupported currency in ${field}`);
  try {
    return { amountMinor: floatToMinor(value, currency), currency };
  } catch (error) {
    if (error instanceof MoneyError) {
      throw schemaError(`Paytone sent ${field} that is not an exact amount in ${currency}`, error);
    }
    throw error;
  }
}

/** `resolution` is free-form and its case varies (`ok`, `OK`). */
function resolutionOf(resolution: string | null | undefined): string | undefined {
  const value = resolution?.trim();
  return value ? value : undefined;
}

function isOk(resolution: string | undefined): boolean {
  return resolution === undefined || resolution.toLowerCase() === 'ok';
}

/**
 * Reasons that name a failure of the machinery rather than a refusal by the payer's bank. The list
 * is ours (resolution is free-form); anything else that fails is taken to be a decline.
 */
const technicalResolutions = new Set([
  'provider_error',
  'processing_error',
  'internal_error',
  'system_error',
  'gateway_error',
  'timeout',
  'acquirer_unavailable',
  'provider_unavailable',
]);

function failure(resolution: string | undefined): TransactionStatus {
  const reason = resolution?.toLowerCase();
  if (reason === 'expired') return 'expired';
  return reason !== undefined && technicalResolutions.has(reason) ? 'failed' : 'declined';
}

interface StatusFacts {
  status: string;
  resolution?: string | null | undefined;
  processed_amount?: number | null | undefined;
  refunded_amount?: number | null | undefined;
  hpp_url?: string | null | undefined;
  flow_data?: { action?: string | null | undefined } | null | undefined;
}

const paymentStatusTable: Readonly<
  Record<KnownPaymentInvoiceStatus, (facts: StatusFacts) => TransactionStatus>
> = {
  created: () => 'created',
  expired: () => 'expired',
  terminated: () => 'cancelled',
  processing: () => 'processing',
  // Born so on a hosted-page invoice: the customer has a page to go to. Without one, it is in flight.
  process_pending: (facts) => (facts.hpp_url || facts.flow_data?.action ? 'action_required' : 'processing'),
  // Not final: the platform is still trying.
  process_error: () => 'processing',
  processed: () => 'succeeded',
  // The money that arrived is less than asked; the amount normalized is what arrived.
  partially_processed: () => 'succeeded',
  process_failed: (facts) => failure(resolutionOf(facts.resolution)),
  verified: () => 'succeeded',
  verify_failed: (facts) => failure(resolutionOf(facts.resolution)),
  // A refund in flight changes nothing yet: the payment stands, minus what earlier refunds returned.
  refunding: (facts) => (facts.refunded_amount ? 'partially_refunded' : 'succeeded'),
  refund_pending: (facts) => (facts.refunded_amount ? 'partially_refunded' : 'succeeded'),
  refund_error: (facts) => (facts.refunded_amount ? 'partially_refunded' : 'succeeded'),
  partially_refunded: () => 'partially_refunded',
  refunded: () => 'refunded',
  refund_failed: (facts) => (facts.refunded_amount ? 'partially_refunded' : 'succeeded'),
  charged_back: () => 'charged_back',
  partially_charged_back: () => 'partially_charged_back',
  rejected: () => 'declined',
};

const payoutStatusTable: Readonly<
  Record<KnownPayoutInvoiceStatus, (facts: StatusFacts) => TransactionStatus>
> = {
  created: () => 'created',
  expired: () => 'expired',
  terminated: () => 'cancelled',
  processing: () => 'processing',
  process_error: () => 'processing',
  process_pending: () => 'processing',
  process_failed: (facts) =>
    resolutionOf(facts.resolution)?.toLowerCase() === 'expired' ? 'expired' : 'failed',
  processed: () => 'succeeded',
  partially_processed: () => 'succeeded',
  // Cancelling a payout that was paid is a reversal: until it completes, the payout stands.
  canceling: (facts) => (paid(facts) ? 'succeeded' : 'processing'),
  cancel_pending: (facts) => (paid(facts) ? 'succeeded' : 'processing'),
  cancel_error: (facts) => (paid(facts) ? 'succeeded' : 'processing'),
  cancel_failed: (facts) => (paid(facts) ? 'succeeded' : 'failed'),
  // Money came back: the refund statuses say so, and can follow `succeeded` (a cancel cannot).
  partially_canceled: () => 'partially_refunded',
  canceled: (facts) => (paid(facts) ? 'refunded' : 'cancelled'),
};

function paid(facts: StatusFacts): boolean {
  return facts.processed_amount !== null && facts.processed_amount !== undefined;
}

const paymentOperationTable: Readonly<Record<KnownPaymentInvoiceStatus, OperationStatus>> = {
  created: 'pending',
  expired: 'expired',
  terminated: 'cancelled',
  processing: 'processing',
  process_pending: 'pending',
  process_error: 'processing',
  processed: 'succeeded',
  partially_processed: 'succeeded',
  process_failed: 'failed',
  verified: 'succeeded',
  verify_failed: 'failed',
  // The charge itself went through; what follows is a refund or a chargeback of it.
  refunding: 'succeeded',
  refund_pending: 'succeeded',
  refund_error: 'succeeded',
  partially_refunded: 'succeeded',
  refunded: 'succeeded',
  refund_failed: 'succeeded',
  charged_back: 'succeeded',
  partially_charged_back: 'succeeded',
  rejected: 'failed',
};

const payoutOperationTable: Readonly<Record<KnownPayoutInvoiceStatus, OperationStatus>> = {
  created: 'pending',
  expired: 'expired',
  terminated: 'cancelled',
  processing: 'processing',
  process_error: 'processing',
  process_pending: 'processing',
  process_failed: 'failed',
  processed: 'succeeded',
  partially_processed: 'succeeded',
  canceling: 'succeeded',
  cancel_pending: 'succeeded',
  cancel_error: 'succeeded',
  cancel_failed: 'succeeded',
  partially_canceled: 'succeeded',
  canceled: 'cancelled',
};

const refundStatusTable: Readonly<Record<KnownRefundStatus, RefundStatus>> = {
  created: 'pending',
  processing: 'pending',
  process_pending: 'pending',
  process_error: 'pending',
  processed: 'succeeded',
  process_failed: 'failed',
  rejected: 'failed',
  expired: 'failed',
  terminated: 'failed',
};

function lookUp<T>(table: Readonly<Record<string, T>>, status: string): T | undefined {
  return Object.hasOwn(table, status) ? table[status] : undefined;
}

export function paymentInvoiceStatus(facts: StatusFacts): TransactionStatus {
  return lookUp(paymentStatusTable, facts.status)?.(facts) ?? 'unknown';
}

export function payoutInvoiceStatus(facts: StatusFacts): TransactionStatus {
  return lookUp(payoutStatusTable, facts.status)?.(facts) ?? 'unknown';
}

export function paymentOperationStatus(status: string): OperationStatus {
  return lookUp(paymentOperationTable, status) ?? 'unknown';
}

export function payoutOperationStatus(facts: StatusFacts): OperationStatus {
  const status = lookUp(payoutOperationTable, facts.status);
  if (status === 'succeeded' && facts.status.startsWith('cancel') && !paid(facts)) return 'processing';
  return status ?? 'unknown';
}

export function refundStatus(status: string): RefundStatus {
  return lookUp(refundStatusTable, status) ?? 'unknown';
}

// --- cards, customers, raw ----------------------------------------------------------------------

interface CardFields {
  first?: string | null | undefined;
  last?: string | null | undefined;
  mask?: string | null | undefined;
  brand?: string | null | undefined;
  network?: string | null | undefined;
}

/**
 * BIN (6–8 digits), last four and brand, and nothing else: a longer `first` or `last` (a full number
 * where a part was expected) is cut down, never kept.
 */
export function cardSummary(card: CardFields | null | undefined): CardSummary | undefined {
  if (!card) return undefined;
  const digits = (value: string | null | undefined) => (value ?? '').replace(/\D/g, '');
  const mask = card.mask ?? '';
  const first = digits(card.first) || (/^\d+/.exec(mask)?.[0] ?? '');
  const last = digits(card.last) || (/\d+$/.exec(mask)?.[0] ?? '');
  const summary: CardSummary = {};
  if (first.length >= 6) summary.bin = first.length <= 8 ? first : first.slice(0, 6);
  if (last.length >= 4) summary.last4 = last.slice(-4);
  const brand = card.brand ?? card.network;
  if (brand) summary.brand = brand;
  return Object.keys(summary).length > 0 ? summary : undefined;
}

interface CustomerSources {
  attributes: {
    customer?: { email?: string | null; name?: string | null } | null | undefined;
    metadata?: unknown;
  };
  relationships?:
    Record<string, { data?: { type: string; id: string } | null | undefined }> | null | undefined;
  included?: Included;
  holder?: string | null | undefined;
  fallbackEmail?: unknown;
}

/**
 * The invoice resource names its customer only by id (`relationships.customer`). E-mail and name are
 * read where an account's API gives them: the attributes, a compound document's `included` customer,
 * the shop's `metadata` (`customerEmail`, `customerName`: see customer-metadata.ts), a payout's
 * `service_fields.email`, and the card holder for the name.
 */
function customerOf(sources: CustomerSources): { email?: string; name?: string } {
  const id = sources.relationships?.customer?.data?.id;
  const included = id
    ? sources.included?.find((item) => item.type === 'customers' && item.id === id)
    : undefined;
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const fromMetadata = customerFromMetadata(sources.attributes.metadata);
  const email =
    text(sources.attributes.customer?.email) ??
    text(included?.attributes?.email) ??
    fromMetadata.email ??
    text(sources.fallbackEmail);
  const name =
    text(sources.attributes.customer?.name) ??
    text(included?.attributes?.name) ??
    fromMetadata.name ??
    text(sources.holder);
  return { ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

/**
 * Never stored: session and card tokens, credentials, card numbers and security codes, and the
 * `callback_url`, which is Paydesk's own inbound URL with its secret per-connection token in it.
 */
const secretKey =
  /^(token|card_?number|pan|cvv|cvc|cvv2|security_?code|secret|password|api_?key|public_key|authorization|callback_url)$/i;

export const redactPaytone = redactWith(secretKey);

// --- invoices -----------------------------------------------------------------------------------

function fromUnix(seconds: number | null | undefined): Date | undefined {
  return seconds === null || seconds === undefined || !Number.isFinite(seconds)
    ? undefined
    : new Date(seconds * 1000);
}

function optionalMoney(value: number | null | undefined, currency: string, field: string): Money | undefined {
  return value === null || value === undefined ? undefined : paytoneMoney(value, currency, field);
}

const failedStatuses: ReadonlySet<TransactionStatus> = new Set([
  'declined',
  'failed',
  'expired',
  'cancelled',
]);

function relatedId(
  resource: { relationships?: CustomerSources['relationships'] },
  name: string,
): string | undefined {
  return resource.relationships?.[name]?.data?.id ?? undefined;
}

export function normalizePaymentInvoice(
  resource: PaymentInvoiceResource,
  included?: Included,
): NormalizedTransaction {
  const attributes = resource.attributes;
  const { currency } = attributes;
  const requested = paytoneMoney(attributes.amount, currency, 'amount');
  const processed = optionalMoney(attributes.processed_amount, currency, 'processed_amount');
  const refunded = optionalMoney(attributes.refunded_amount, currency, 'refunded_amount');
  const fee = optionalMoney(attributes.processed_fee ?? attributes.fee, currency, 'fee');
  const status = paymentInvoiceStatus(attributes);
  const amount = attributes.status === 'partially_processed' && processed ? processed : requested;
  const resolution = resolutionOf(attributes.resolution);
  const declineCode = failedStatuses.has(status) && !isOk(resolution) ? resolution : undefined;
  const card = cardSummary(attributes.payload?.payment_card);
  const createdAt = fromUnix(attributes.created);
  const updatedAt = fromUnix(attributes.updated);
  // The payment page matters only while nobody has paid on it yet.
  const actionUrl =
    status === 'action_required' || status === 'created'
      ? (attributes.hpp_url ?? attributes.flow_data?.action ?? undefined)
      : undefined;
  const method = attributes.service_method ?? relatedId(resource, 'payment-method') ?? attributes.service;

  const operation: NormalizedOperation = {
    providerId: resource.id,
    type: 'payment',
    status: paymentOperationStatus(attributes.status),
    rawStatus: attributes.status,
    amount,
    ...(fee ? { fee } : {}),
    ...(declineCode ? { declineCode } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
  return {
    provider: 'paytone',
    providerId: resource.id,
    reference: attributes.reference_id,
    kind: 'payment',
    status,
    rawStatus: attributes.status,
    amount,
    refundedMinor: refunded?.amountMinor ?? 0n,
    ...(fee ? { fee } : {}),
    customer: customerOf({
      attributes,
      relationships: resource.relationships,
      included,
      holder: attributes.payload?.payment_card?.holder,
    }),
    ...(card ? { card } : {}),
    ...(method ? { method } : {}),
    ...(declineCode ? { declineCode } : {}),
    ...(actionUrl ? { actionUrl } : {}),
    ...(typeof attributes.test_mode === 'boolean' ? { testMode: attributes.test_mode } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    operations: [operation],
    ...(attributes.metadata
      ? { metadata: redactPaytone(attributes.metadata) as Record<string, unknown> }
      : {}),
    raw: redactPaytone(resource),
  };
}

export function normalizePayoutInvoice(
  resource: PayoutInvoiceResource,
  included?: Included,
): NormalizedTransaction {
  const attributes = resource.attributes;
  const { currency } = attributes;
  const requested = paytoneMoney(attributes.amount, currency, 'amount');
  const processed = optionalMoney(attributes.processed_amount, currency, 'processed_amount');
  const fee = optionalMoney(attributes.processed_fee ?? attributes.fee, currency, 'fee');
  const status = payoutInvoiceStatus(attributes);
  const amount = attributes.status === 'partially_processed' && processed ? processed : requested;
  // A cancelled paid payout came back whole; how much of a partial cancel did is not reported.
  const refundedMinor = status === 'refunded' ? amount.amountMinor : 0n;
  const resolution = resolutionOf(attributes.resolution);
  const declineCode = failedStatuses.has(status) && !isOk(resolution) ? resolution : undefined;
  const card = cardSummary(attributes.payload?.payment_card);
  const createdAt = fromUnix(attributes.created);
  const updatedAt = fromUnix(attributes.updated);
  const method = attributes.service_method ?? relatedId(resource, 'payment-method') ?? attributes.service;

  const operation: NormalizedOperation = {
    providerId: resource.id,
    type: 'payout',
    status: payoutOperationStatus(attributes),
    rawStatus: attributes.status,
    amount,
    ...(fee ? { fee } : {}),
    ...(declineCode ? { declineCode } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
  return {
    provider: 'paytone',
    providerId: resource.id,
    reference: attributes.reference_id,
    kind: 'payout',
    status,
    rawStatus: attributes.status,
    amount,
    refundedMinor,
    ...(fee ? { fee } : {}),
    customer: customerOf({
      attributes,
      relationships: resource.relationships,
      included,
      holder: attributes.payload?.payment_card?.holder,
      fallbackEmail: attributes.service_fields?.email,
    }),
    ...(card ? { card } : {}),
    ...(method ? { method } : {}),
    ...(declineCode ? { declineCode } : {}),
    ...(typeof attributes.test_mode === 'boolean' ? { testMode: attributes.test_mode } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    operations: [operation],
    ...(attributes.metadata
      ? { metadata: redactPaytone(attributes.metadata) as Record<string, unknown> }
      : {}),
    raw: redactPaytone(resource),
  };
}

export function normalizeRefund(resource: RefundResource): NormalizedRefund {
  const attributes = resource.attributes;
  const fee = optionalMoney(attributes.fee, attributes.currency, 'fee');
  return {
    providerId: resource.id,
    reference: attributes.reference_id,
    status: refundStatus(attributes.status),
    rawStatus: attributes.status,
    amount: paytoneMoney(attributes.amount, attributes.currency, 'amount'),
    ...(fee ? { fee } : {}),
  };
}

export type NormalizedDocument =
  { type: 'transaction'; transaction: NormalizedTransaction } | { type: 'refund'; refund: NormalizedRefund };

/**
 * Any single-resource document Paytone sends (an answer, a 409's earlier object, a callback), read
 * by its JSON:API `type`, or by its id's prefix where the type is spelled otherwise.
 */
export function normalizeDocument(json: unknown): NormalizedDocument {
  const document = documentSchema.parse(json);
  const { type, id } = document.data;
  if (type === 'payment-invoices' || (type !== 'payout-invoices' && id.startsWith('cpi_'))) {
    const resource = paymentInvoiceResourceSchema.parse(document.data);
    return { type: 'transaction', transaction: normalizePaymentInvoice(resource, document.included) };
  }
  if (type === 'payout-invoices' || id.startsWith('cpoi_')) {
    const resource = payoutInvoiceResourceSchema.parse(document.data);
    return { type: 'transaction', transaction: normalizePayoutInvoice(resource, document.included) };
  }
  if (type === 'refunds' || type === 'refund' || id.startsWith('ref_')) {
    return { type: 'refund', refund: normalizeRefund(refundResourceSchema.parse(document.data)) };
  }
  throw schemaError(`Paytone sent a document of an unknown type`);
}
