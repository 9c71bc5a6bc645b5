/**
 * The contract between the sandbox core (servers, clock, faults, webhooks, traffic generator) and the
 * three provider simulators. Each provider lives in `src/<provider>/` and exports a `ProviderModule`.
 * The core creates one fastify instance per provider on its own port, installs the fault-injection
 * hooks on it, then calls `register`. Providers never touch faults: they answer as the real API would.
 */
import type { FastifyInstance } from 'fastify';

export type ProviderName = 'gate' | 'payment-book' | 'paytone';

/** Sandbox time. Timestamps and lifecycle deadlines read it, so tests can move time forward. */
export interface Clock {
  now(): number;
}

/** Runs a task after `delayMs` of sandbox time (a status change, a subscription cycle, a callback). */
export interface Scheduler {
  after(delayMs: number, task: () => void | Promise<void>): void;
}

export interface WebhookDelivery {
  provider: ProviderName;
  url: string;
  /** The exact bytes to POST. */
  body: string;
  headers: Record<string, string>;
  /**
   * How this provider retries: Payment Book and Gate until a 2xx, Paytone until exactly 200
   * (every few minutes, up to 100 attempts). The core scales intervals by its config.
   */
  retry: { maxAttempts: number; intervalMs: number; delivered: 'any-2xx' | 'only-200' };
  /** Identity of the object the event is about, so mischief can reorder or duplicate per object. */
  objectKey: string;
  /**
   * Produces a body with a broken signature for the "bad signature" mischief: for providers that sign
   * in a header, return the headers to send instead; for Payment Book, a body with a wrong meta.signature.
   * Absent for Gate (unsigned).
   */
  corrupt?: () => { body: string; headers: Record<string, string> };
}

export interface WebhookDispatcher {
  send(delivery: WebhookDelivery): void;
}

export interface ProviderCredentials {
  gate: { bearerKeys: string[] };
  'payment-book': { tokens: { name: string; secret: string; serviceId: number }[] };
  paytone: {
    publicKey: string;
    commerceAccountId: string;
    apiKey: string;
    testSecretKey: string;
    liveSecretKey: string;
  };
}

export interface LifecycleConfig {
  /** created → processing after this long. */
  processingAfterMs: number;
  /** processing → a final status after this long. */
  settleAfterMs: number;
  /** An unpaid hosted page / invoice expires after this long. */
  expireAfterMs: number;
  /** Length of one subscription cycle. */
  subscriptionCycleMs: number;
}

export interface SandboxContext {
  clock: Clock;
  scheduler: Scheduler;
  webhooks: WebhookDispatcher;
  /** Seeded random number in [0, 1); use it for every random choice so a seed reproduces a run. */
  random: () => number;
  credentials: ProviderCredentials;
  lifecycle: LifecycleConfig;
  /** Public base URL of this provider's server (for hosted-page links and receipt links). */
  baseUrl: (provider: ProviderName) => string;
}

export type SimulatedOutcome = 'success' | 'declined' | 'failed' | 'expired' | 'pending' | 'action_required';

/** What the traffic generator asks a provider to create, as if the merchant's shop had done it. */
export interface SimulatedTransaction {
  kind: 'payment' | 'payout' | 'subscription';
  /** Merchant reference; unique. */
  reference: string;
  /** When it happened (historical traffic is backdated; live traffic is `clock.now()`). */
  at: number;
  amountMinor: bigint;
  currency: string;
  customer: { email: string; name: string; country: string };
  method: 'card' | 'bank_transfer' | 'wallet';
  /** Card holder data for card payments; simulators keep BIN and last four only in what they expose. */
  card?: { number: string; brand: 'visa' | 'mastercard' | 'amex' };
  outcome: SimulatedOutcome;
  /** Refunds to apply after success, in minor units (a provider with full refunds only gets one). */
  refunds: bigint[];
  /** For subscriptions: cycles charged before the merchant cancels (undefined: never cancelled). */
  cancelAfterCycles?: number;
  /** Where the provider sends its webhooks/callbacks (Paydesk's inbound URL). */
  webhookUrl?: string;
}

/** A provider's own view of one object, as its API would report it now (for equality checks). */
export interface SandboxRecord {
  provider: ProviderName;
  /** The provider's id (Gate: referenceId, Payment Book: ulid, Paytone: cpi_/cpoi_ id). */
  providerId: string;
  reference: string;
  kind: 'payment' | 'payout' | 'subscription';
  /** The provider's raw status string. */
  status: string;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
  customerEmail?: string;
  createdAt: number;
  updatedAt: number;
}

export interface ProviderSimulator {
  simulate(input: SimulatedTransaction): Promise<{ providerId: string }>;
  records(): SandboxRecord[];
  /** Test hook: set an object's status as if the provider changed it (without or with a webhook). */
  forceStatus(providerId: string, status: string, options: { notify: boolean }): boolean;
}

export interface ProviderModule {
  name: ProviderName;
  register(app: FastifyInstance, ctx: SandboxContext): ProviderSimulator;
}
