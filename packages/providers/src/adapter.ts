/**
 * The one interface every provider adapter implements. Everything above packages/providers speaks
 * these types (Paydesk's domain), never a provider's dialect. Methods a provider cannot do (see
 * `providerCapabilities` in @paydesk/domain) throw ProviderError kind `invalid_request`.
 */
import type {
  CurrencyCode,
  Money,
  OperationStatus,
  ProviderCapabilities,
  ProviderName,
  RefundStatus,
  TransactionKind,
  TransactionStatus,
} from '@paydesk/domain';
import type { ProviderErrorKind } from './errors.ts';

export interface GateCredentials {
  provider: 'gate';
  /** The terminal's bearer key. */
  apiKey: string;
}

export interface PaymentBookCredentials {
  provider: 'payment-book';
  /** Sent in X-REQUEST-TOKEN-NAME. */
  tokenName: string;
  /** The token's secret: the HMAC key of meta.signature. */
  tokenSecret: string;
  serviceId: number;
}

export interface PaytoneCredentials {
  provider: 'paytone';
  publicKey: string;
  commerceAccountId: string;
  apiKey: string;
  /** Verifies callbacks of invoices with test_mode true / false. */
  testSecretKey: string;
  liveSecretKey: string;
}

export type ProviderCredentials = GateCredentials | PaymentBookCredentials | PaytoneCredentials;

export interface ConnectionConfig<C extends ProviderCredentials = ProviderCredentials> {
  baseUrl: string;
  credentials: C;
  mode: 'test' | 'live';
  /** Per-request timeout; defaults to 15 s for look-ups and 30 s for mutations. */
  timeoutMs?: number;
  /** Retries of safe calls (look-ups, deduplicated creates); 0 disables. Default 2. */
  retries?: number;
  /** Called after every HTTP exchange: the timeline's "provider call" events. Never given secrets. */
  onExchange?: (exchange: ProviderExchange) => void;
}

export interface ProviderExchange {
  provider: ProviderName;
  operation: string;
  method: string;
  /** Path only, no query string (which may hold references) beyond what is safe. */
  path: string;
  httpStatus: number | null;
  durationMs: number;
  outcome: 'ok' | ProviderErrorKind;
  providerRequestId?: string;
  attempt: number;
}

export interface CardSummary {
  bin?: string;
  last4?: string;
  brand?: string;
}

export interface NormalizedOperation {
  providerId: string;
  type: 'payment' | 'payout' | 'subscription' | 'refund' | 'chargeback' | 'other';
  status: OperationStatus;
  rawStatus: string;
  amount: Money;
  fee?: Money;
  declineCode?: string;
  declineMessage?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface NormalizedTransaction {
  provider: ProviderName;
  /** Gate: referenceId; Payment Book: ulid; Paytone: cpi_/cpoi_ id. */
  providerId: string;
  /** The merchant's reference (Gate referenceId, Payment Book meta.reference_id, Paytone reference_id). */
  reference: string;
  kind: TransactionKind;
  status: TransactionStatus;
  rawStatus: string;
  amount: Money;
  refundedMinor: bigint;
  fee?: Money;
  customer: { email?: string; name?: string };
  card?: CardSummary;
  method?: string;
  declineCode?: string;
  declineMessage?: string;
  /** Where the customer must go next (3-D Secure, hosted page), if anywhere. */
  actionUrl?: string;
  testMode?: boolean;
  createdAt?: Date;
  /** The provider's own last-change time, where it gives one (orders Paytone callbacks). */
  updatedAt?: Date;
  operations: NormalizedOperation[];
  metadata?: Record<string, unknown>;
  /** The provider's object as received, with secrets and card data removed. */
  raw: unknown;
}

export interface NormalizedRefund {
  providerId: string;
  reference: string;
  status: RefundStatus;
  rawStatus: string;
  amount: Money;
  fee?: Money;
  /** The parent transaction as the provider reports it after the refund, when the answer carries it. */
  transaction?: NormalizedTransaction;
}

export interface TransactionRef {
  /** The merchant reference: every provider can look up by it. */
  reference: string;
  /** The provider's id, where the provider addresses objects by it (Paytone). */
  providerId?: string;
}

export interface RefundRequest {
  transaction: TransactionRef;
  amount: Money;
  /** Idempotency: the provider deduplicates by it where it can; Gate refunds by the payment's reference. */
  reference: string;
  reason: string;
}

export interface PaymentLinkRequest {
  reference: string;
  amount: Money;
  customerEmail: string;
  customerName?: string;
  description?: string;
  /** Paydesk's inbound webhook URL for this connection. */
  webhookUrl: string;
  returnUrl?: string;
}

export interface PaymentLink {
  url: string;
  providerId: string;
  reference: string;
  expiresAt?: Date;
}

export interface PayoutRequest {
  reference: string;
  amount: Money;
  recipient: { email?: string; name?: string; cardToken?: string; cardNumber?: string; iban?: string };
  webhookUrl: string;
}

export interface Receipt {
  pdf: Uint8Array;
  filename: string;
}

export interface ChangedPage {
  transactions: NormalizedTransaction[];
  /**
   * Opaque position: store it and give it back. Called again with it, the listing continues where
   * this page ended — through the older objects first, then with objects created since.
   */
  cursor: string;
  /** Everything up to now has been listed: call again later (with `cursor`) for what comes next. */
  caughtUp: boolean;
}

export type WebhookResult =
  | {
      verified: true;
      /** Identity of this event for inbox deduplication (provider, object, status, update time). */
      eventId: string;
      reference: string;
      providerId?: string;
      /** The full new state when the webhook is authoritative (signed); absent for hints (Gate). */
      transaction?: NormalizedTransaction;
      /** True when the webhook is only a hint: look the transaction up before trusting anything. */
      lookupRequired: boolean;
    }
  | {
      verified: false;
      reason: 'bad_signature' | 'missing_signature' | 'malformed' | 'unknown_shape';
      detail: string;
    };

export interface ProviderAdapter {
  readonly provider: ProviderName;
  readonly capabilities: ProviderCapabilities;
  lookup(ref: TransactionRef): Promise<NormalizedTransaction>;
  refund(request: RefundRequest): Promise<NormalizedRefund>;
  cancelSubscription(ref: TransactionRef): Promise<NormalizedTransaction>;
  fetchReceipt(operationProviderId: string): Promise<Receipt>;
  createPaymentLink(request: PaymentLinkRequest): Promise<PaymentLink>;
  createPayout(request: PayoutRequest): Promise<NormalizedTransaction>;
  /** One page of the provider's listing (Paytone only); `null` starts from the beginning. */
  listChangedSince(cursor: string | null): Promise<ChangedPage>;
  /** Raw bytes as received and lower-cased header names. Never throws. */
  parseWebhook(rawBody: Uint8Array, headers: Record<string, string | undefined>): WebhookResult;
  /** Resolves when the credentials are accepted; throws ProviderError kind `auth` otherwise. */
  testCredentials(): Promise<void>;
}

export type { CurrencyCode };
