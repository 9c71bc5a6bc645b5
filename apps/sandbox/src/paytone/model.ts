/**
 * The simulator's own state. Amounts are minor units (bigint) and times are sandbox milliseconds;
 * both are converted to Paytone's floats and unix seconds only when a document is rendered.
 */
import type { ServiceDefinition } from './services.ts';

/** Documented payment invoice statuses (✔ final in the provider's table). */
export const paymentStatuses = [
  'created',
  'expired',
  'terminated',
  'processing',
  'process_pending',
  'process_error',
  'processed',
  'partially_processed',
  'process_failed',
  'verified',
  'verify_failed',
  'refunding',
  'refund_pending',
  'refund_error',
  'partially_refunded',
  'refunded',
  'refund_failed',
  'charged_back',
  'partially_charged_back',
  'rejected',
] as const;

/** Documented payout invoice statuses. */
export const payoutStatuses = [
  'created',
  'expired',
  'terminated',
  'processing',
  'process_error',
  'process_pending',
  'process_failed',
  'processed',
  'partially_processed',
  'canceling',
  'cancel_pending',
  'cancel_error',
  'cancel_failed',
  'partially_canceled',
  'canceled',
] as const;

/** A status change is what callbacks report; `resolution` is the free-form reason beside it. */
export interface Outcome {
  status: string;
  resolution: string;
}

export interface Customer {
  id: string;
  referenceId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
}

/** What the merchant's customer typed on the hosted page; only BIN and last four are kept. */
export interface CardSummary {
  first: string;
  last: string;
  brand: string;
}

export interface CallbackLogEntry {
  status: 'queued';
  processed: null;
  response_code: null;
  transaction_status: string;
}

/** Fields shared by everything that has a lifecycle and sends callbacks. */
export interface Tracked {
  kind: 'payment' | 'payout';
  id: string;
  serial: string;
  /** Insertion order, the tie-break when two objects share a creation time. */
  seq: number;
  referenceId: string;
  testMode: boolean;
  service: ServiceDefinition;
  amountMinor: bigint;
  currency: string;
  feeMinor: bigint;
  status: string;
  resolution: string;
  createdMs: number;
  updatedMs: number;
  processedMs: number | null;
  processedAmountMinor: bigint | null;
  description: string | null;
  metadata: Record<string, unknown> | null;
  callbackUrl: string | null;
  customer: Customer | null;
  card: CardSummary | null;
  rrn: string | null;
  approvalCode: string | null;
  callbackLogs: Record<string, CallbackLogEntry>;
  /**
   * Bumped by `forceStatus`: scheduled transitions remember the generation they were planned in and
   * do nothing once it has changed, so a forced status is never overwritten by the old plan.
   */
  generation: number;
}

export type InvoiceSource = 'merchant_api' | 'public_api' | 'payment_link';

/** Where the customer is on the hosted page while the invoice waits for them. */
export type HostedStage = 'payment_form' | 'three_ds' | null;

export interface PaymentInvoice extends Tracked {
  kind: 'payment';
  source: InvoiceSource;
  paymentFlow: 'charge' | 'verify';
  sessionId: string;
  stage: HostedStage;
  /** When an unpaid invoice expires: its `expires`, else `expireAfterMs` after creation. */
  expiresMs: number;
  returnUrl: string | null;
  returnUrls: { success: string | null; fail: string | null; pending: string } | null;
  serviceFields: Record<string, string> | null;
  refunds: Refund[];
  /** Sum of the refunds that completed. */
  refundedMinor: bigint;
}

export interface Refund {
  id: string;
  referenceId: string;
  invoiceId: string;
  description: string | null;
  status: 'processing' | 'processed';
  amountMinor: bigint;
  feeMinor: bigint;
  currency: string;
  createdMs: number;
}

export interface PayoutInvoice extends Tracked {
  kind: 'payout';
  autoProcess: boolean;
  /** Recipient details as the API shows them (card numbers masked). */
  serviceFields: Record<string, string> | null;
  token: string | null;
}

export type Invoice = PaymentInvoice | PayoutInvoice;
