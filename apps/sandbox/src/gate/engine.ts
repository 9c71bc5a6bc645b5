/**
 * Gate's state: payments and payouts per terminal (bearer key), their lifecycles on the sandbox
 * clock, and the webhooks they send. The HTTP routes and the traffic generator both act through here.
 */
import { stringify } from 'lossless-json';
import type {
  ProviderSimulator,
  SandboxContext,
  SandboxRecord,
  SimulatedTransaction,
} from '../core/contract.ts';
import { randomFrom, type Random } from '../core/random.ts';
import { cardBrand, gateTestCards, luhnValid, type CardBrand } from './cards.ts';
import { GateError, type GateDeclineCode } from './errors.ts';
import type { CreateRequest, GateReturnUrls, RefundRequest } from './requests.ts';

export type GateStatus = 'none' | 'action_required' | 'pending' | 'success' | 'declined';

export type GateAction =
  { type: 'none' } | { type: 'redirect' | 'three_ds'; sessionId: string; expiresAt: number };

export interface GatePayment {
  terminal: number;
  kind: 'payment' | 'payout';
  referenceId: string;
  amount: bigint;
  currencyCode: string;
  description: string | null;
  /** Raw status; `forceStatus` may set values outside `GateStatus`. */
  status: string;
  action: GateAction;
  merchantMetadata: Record<string, unknown>;
  actualAmount: bigint | null;
  declineReason: { code: number; description: string } | null;
  refunded: boolean;
  createdAt: number;
  updatedAt: number;
  webhookUrl?: string;
  customerEmail?: string;
  card?: { bin: string; last4: string; brand: CardBrand };
  returnUrls: GateReturnUrls;
  /** What the issuer will answer when the payment settles. */
  plan: 'success' | GateDeclineCode;
  /** Bumped on every transition; a scheduled step made for an older version does nothing. */
  version: number;
}

/** Gate's payment object, exactly the documented fields. */
export interface GatePaymentView {
  referenceId: string;
  amount: bigint;
  currencyCode: string;
  status: string;
  customerAction: { type: string; data: Record<string, string> };
  merchantMetadata: Record<string, unknown>;
  actualAmount: bigint | null;
  declineReason: { code: number; description: string } | null;
  createdAt: string;
}

/** Gate does not document its webhook retries; "until a 2xx" is the contract, the pacing our guess. */
const gateRetry = { maxAttempts: 10, intervalMs: 60_000, delivered: 'any-2xx' } as const;

const declineDescriptions: Record<GateDeclineCode, string> = {
  1000: 'Processing error',
  3001: 'Declined by acquirer',
  4001: 'Declined by issuer',
  4002: 'Insufficient funds',
  4003: 'Invalid card number',
  4004: 'Card expired',
  4005: 'Card limits reached',
  4006: 'Card reported stolen',
  4007: 'Invalid security code',
  5001: 'Declined by 3-D Secure',
};

const simulatedDeclines: readonly (readonly [GateDeclineCode, number])[] = [
  [4001, 30],
  [4002, 25],
  [4003, 5],
  [4004, 8],
  [4005, 6],
  [4006, 2],
  [4007, 8],
  [3001, 6],
  [5001, 10],
];

export class GateEngine implements ProviderSimulator {
  readonly #ctx: SandboxContext;
  readonly #random: Random;
  /** terminal index → referenceId → payment. */
  readonly #terminals = new Map<number, Map<string, GatePayment>>();
  readonly #sessions = new Map<string, GatePayment>();

  constructor(ctx: SandboxContext) {
    this.#ctx = ctx;
    this.#random = randomFrom(ctx.random);
  }

  /** The terminal a bearer key belongs to, or undefined (401). */
  terminalOf(bearerKey: string): number | undefined {
    const index = this.#ctx.credentials.gate.bearerKeys.indexOf(bearerKey);
    return index < 0 ? undefined : index;
  }

  find(terminal: number, referenceId: string): GatePayment | undefined {
    return this.#terminals.get(terminal)?.get(referenceId);
  }

  session(sessionId: string): GatePayment | undefined {
    return this.#sessions.get(sessionId);
  }

  view(payment: GatePayment): GatePaymentView {
    const { action } = payment;
    let customerAction: GatePaymentView['customerAction'] = { type: 'none', data: {} };
    if (action.type !== 'none') {
      const url = this.pageUrl(action.sessionId);
      customerAction =
        action.type === 'three_ds'
          ? {
              type: 'three_ds',
              data: {
                threeDsSessionId: action.sessionId,
                threeDsSessionUrl: url,
                redirectionUrl: url,
                httpMethod: 'GET',
                targetUrl: url,
              },
            }
          : { type: 'redirect', data: { redirectionUrl: url, httpMethod: 'GET', targetUrl: url } };
    }
    return {
      referenceId: payment.referenceId,
      amount: payment.amount,
      currencyCode: payment.currencyCode,
      status: payment.status,
      customerAction,
      merchantMetadata: payment.merchantMetadata,
      actualAmount: payment.actualAmount,
      declineReason: payment.declineReason,
      createdAt: new Date(payment.createdAt).toISOString(),
    };
  }

  json(payment: GatePayment): string {
    return stringify(this.view(payment)) ?? '{}';
  }

  pageUrl(sessionId: string): string {
    return `${this.#ctx.baseUrl('gate')}/pay/${sessionId}`;
  }

  // ---- API operations -------------------------------------------------------------------------

  /** Direct card payment: frictionless, or 3-D Secure for the challenge test card. */
  createPayment(terminal: number, request: CreateRequest): GatePayment {
    const card = request.card;
    if (!card) throw new GateError(1002, 'The paymentMethodData.cardBasic field is required.');
    const verdict = this.#issuerVerdict(card.number, card.expMonth, card.expYear);
    const payment = this.#insert(terminal, 'payment', request, verdict === 'three_ds' ? 'success' : verdict);
    if (verdict === 'three_ds') {
      this.#awaitCustomer(payment, 'three_ds', this.#ctx.lifecycle.expireAfterMs);
    } else {
      this.#startProcessing(payment);
    }
    return payment;
  }

  /** Hosted page: the customer chooses on the sandbox page whether to pay. */
  createSession(terminal: number, request: CreateRequest): GatePayment {
    const payment = this.#insert(terminal, 'payment', request, 'success');
    this.#awaitCustomer(payment, 'redirect', request.lifetimeMs ?? this.#ctx.lifecycle.expireAfterMs);
    return payment;
  }

  createPayout(terminal: number, request: CreateRequest): GatePayment {
    const card = request.card;
    if (!card) throw new GateError(1002, 'The paymentMethodData.cardBasic field is required.');
    const verdict = this.#issuerVerdict(card.number, card.expMonth, card.expYear);
    const payment = this.#insert(terminal, 'payout', request, verdict === 'three_ds' ? 'success' : verdict);
    this.#startProcessing(payment);
    return payment;
  }

  /**
   * Full refund of a successful payment, addressed by the payment's referenceId. A card refund is a
   * reversal here: it is done when the call returns, and shows as `actualAmount: 0`.
   */
  refund(terminal: number, request: RefundRequest): GatePayment {
    const payment = this.find(terminal, request.referenceId);
    if (!payment) throw new GateError(1104, `Payment ${request.referenceId} was not found.`);
    if (payment.kind === 'payout') throw new GateError(1009, 'A payout cannot be refunded.');
    if (payment.refunded) throw new GateError(1105, 'The payment has already been refunded.');
    if (payment.status !== 'success') {
      throw new GateError(1105, `A payment in status ${payment.status} cannot be refunded.`);
    }
    if (request.currencyCode !== payment.currencyCode) {
      throw new GateError(1007, `The payment is in ${payment.currencyCode}, not ${request.currencyCode}.`);
    }
    if (request.amount !== payment.amount) {
      throw new GateError(1008, 'Only full refunds are supported: the amount must equal the payment amount.');
    }
    this.#applyRefund(payment, this.#ctx.clock.now());
    this.#notify(payment);
    return payment;
  }

  /** The customer's answer on the hosted or 3-D Secure page. */
  customerAnswer(sessionId: string, approve: boolean): GatePayment | undefined {
    const payment = this.#sessions.get(sessionId);
    if (!payment || payment.status !== 'action_required' || payment.action.type === 'none') return undefined;
    if (!approve) payment.plan = payment.action.type === 'three_ds' ? 5001 : 4001;
    this.#transition(payment, { status: 'pending', action: { type: 'none' } });
    this.#notify(payment);
    this.#after(payment, this.#ctx.lifecycle.settleAfterMs, () => this.#settle(payment));
    return payment;
  }

  // ---- ProviderSimulator ----------------------------------------------------------------------

  simulate(input: SimulatedTransaction): Promise<{ providerId: string }> {
    if (input.kind === 'subscription') return Promise.reject(new Error('Gate has no subscriptions'));
    const terminal = 0;
    if (this.find(terminal, input.reference)) {
      return Promise.reject(new Error(`Gate reference ${input.reference} already exists`));
    }
    const request: CreateRequest = {
      referenceId: input.reference,
      amount: input.amountMinor,
      currencyCode: input.currency,
      description: input.kind === 'payout' ? `Payout to ${input.customer.name}` : `Order ${input.reference}`,
      // What a shop integrating Gate keeps there: its order, and who the customer is (Gate returns neither).
      merchantMetadata: {
        orderId: input.reference,
        customerEmail: input.customer.email,
        ...(input.customer.name ? { customerName: input.customer.name } : {}),
      },
      customerEmail: input.customer.email,
      returnUrls: {},
    };
    if (input.webhookUrl) request.webhookUrl = input.webhookUrl;
    const number = input.card?.number;
    if (number) request.card = { number, brand: cardBrand(number) ?? 'visa' };

    const { lifecycle, clock } = this.#ctx;
    const plan: GatePayment['plan'] =
      input.outcome === 'declined'
        ? this.#random.weighted(simulatedDeclines)
        : input.outcome === 'failed' || input.outcome === 'expired'
          ? 1000
          : 'success';
    const payment = this.#insert(terminal, input.kind, request, plan, input.at);
    const hosted = input.kind === 'payment' && input.method !== 'card';
    const now = clock.now();
    const live = now - input.at < lifecycle.processingAfterMs + lifecycle.settleAfterMs;

    if (live) {
      if (input.outcome === 'action_required' || input.outcome === 'expired') {
        // Nobody will act: a demo can still pay it on the sandbox page before it expires.
        this.#awaitCustomer(payment, hosted ? 'redirect' : 'three_ds', lifecycle.expireAfterMs);
      } else if (hosted && input.outcome !== 'pending') {
        // The simulated customer pays on the hosted page a moment later; the plan decides the result.
        const sessionId = this.#awaitCustomer(payment, 'redirect', lifecycle.expireAfterMs);
        this.#ctx.scheduler.after(
          lifecycle.processingAfterMs,
          () => void this.customerAnswer(sessionId, true),
        );
      } else {
        this.#startProcessing(payment, input.outcome !== 'pending');
      }
      if (input.refunds.length > 0 && plan === 'success') {
        this.#ctx.scheduler.after(
          lifecycle.processingAfterMs + lifecycle.settleAfterMs + lifecycle.processingAfterMs,
          () => {
            if (payment.status === 'success' && !payment.refunded) {
              this.#applyRefund(payment, clock.now());
              this.#notify(payment);
            }
          },
        );
      }
      return Promise.resolve({ providerId: payment.referenceId });
    }

    // Historical: the lifecycle is long over; write its end state and tell Paydesk once.
    const settledAt = Math.min(now, input.at + lifecycle.processingAfterMs + lifecycle.settleAfterMs);
    switch (input.outcome) {
      case 'action_required':
        payment.status = 'action_required';
        payment.action = {
          type: hosted ? 'redirect' : 'three_ds',
          sessionId: this.#newSession(payment),
          expiresAt: input.at + lifecycle.expireAfterMs,
        };
        break;
      case 'pending':
        payment.status = 'pending';
        break;
      case 'success':
      case 'declined':
      case 'failed':
      case 'expired':
        this.#finalState(payment);
        break;
    }
    payment.updatedAt = settledAt;
    if (payment.status === 'success' && input.refunds.length > 0) {
      this.#applyRefund(payment, Math.min(now, settledAt + lifecycle.settleAfterMs));
    }
    this.#notify(payment);
    return Promise.resolve({ providerId: payment.referenceId });
  }

  records(): SandboxRecord[] {
    const records: SandboxRecord[] = [];
    for (const payments of this.#terminals.values()) {
      for (const payment of payments.values()) {
        const record: SandboxRecord = {
          provider: 'gate',
          providerId: payment.referenceId,
          reference: payment.referenceId,
          kind: payment.kind,
          status: payment.status,
          amountMinor: payment.amount,
          refundedMinor: payment.refunded ? payment.amount : 0n,
          currency: payment.currencyCode,
          createdAt: payment.createdAt,
          updatedAt: payment.updatedAt,
        };
        if (payment.customerEmail) record.customerEmail = payment.customerEmail;
        records.push(record);
      }
    }
    return records.sort((a, b) => a.createdAt - b.createdAt || a.reference.localeCompare(b.reference));
  }

  forceStatus(providerId: string, status: string, options: { notify: boolean }): boolean {
    let payment: GatePayment | undefined;
    for (const payments of this.#terminals.values()) payment ??= payments.get(providerId);
    if (!payment || status === '') return false;
    const patch: Partial<GatePayment> = { status };
    if (status !== 'action_required') patch.action = { type: 'none' };
    if (status === 'success') patch.actualAmount = payment.refunded ? 0n : payment.amount;
    if (status === 'declined' && !payment.declineReason) {
      patch.declineReason = { code: 4001, description: declineDescriptions[4001] };
    }
    // The transition bumps the version, so lifecycle steps already scheduled no longer apply.
    this.#transition(payment, patch);
    if (options.notify) this.#notify(payment);
    return true;
  }

  // ---- internals ------------------------------------------------------------------------------

  #insert(
    terminal: number,
    kind: GatePayment['kind'],
    request: CreateRequest,
    plan: GatePayment['plan'],
    at = this.#ctx.clock.now(),
  ): GatePayment {
    let payments = this.#terminals.get(terminal);
    if (!payments) {
      payments = new Map();
      this.#terminals.set(terminal, payments);
    }
    if (payments.has(request.referenceId)) {
      throw new GateError(1004, `A payment with referenceId ${request.referenceId} already exists.`);
    }
    const payment: GatePayment = {
      terminal,
      kind,
      referenceId: request.referenceId,
      amount: request.amount,
      currencyCode: request.currencyCode,
      description: request.description,
      status: 'none',
      action: { type: 'none' },
      merchantMetadata: request.merchantMetadata,
      actualAmount: null,
      declineReason: null,
      refunded: false,
      createdAt: at,
      updatedAt: at,
      returnUrls: request.returnUrls,
      plan,
      version: 0,
    };
    if (request.webhookUrl) payment.webhookUrl = request.webhookUrl;
    if (request.customerEmail) payment.customerEmail = request.customerEmail;
    if (request.card) {
      payment.card = {
        bin: request.card.number.slice(0, 6),
        last4: request.card.number.slice(-4),
        brand: request.card.brand,
      };
    }
    payments.set(payment.referenceId, payment);
    return payment;
  }

  #issuerVerdict(
    number: string,
    expMonth?: number,
    expYear?: number,
  ): 'success' | 'three_ds' | GateDeclineCode {
    if (!luhnValid(number)) return 4003;
    if (expMonth !== undefined && expYear !== undefined) {
      const now = new Date(this.#ctx.clock.now());
      const current = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
      if (expYear * 12 + expMonth < current) return 4004;
    }
    return gateTestCards[number]?.outcome ?? 'success';
  }

  #newSession(payment: GatePayment): string {
    const id = `gs_${this.#random.hex(24)}`;
    this.#sessions.set(id, payment);
    return id;
  }

  #awaitCustomer(payment: GatePayment, type: 'redirect' | 'three_ds', lifetimeMs: number): string {
    const sessionId = this.#newSession(payment);
    this.#transition(payment, {
      status: 'action_required',
      action: { type, sessionId, expiresAt: this.#ctx.clock.now() + lifetimeMs },
    });
    this.#after(payment, lifetimeMs, () => {
      // Nobody paid: a hosted page expires as a processing error, an abandoned 3-D Secure as 5001.
      const code: GateDeclineCode = type === 'three_ds' ? 5001 : 1000;
      this.#transition(payment, {
        status: 'declined',
        action: { type: 'none' },
        declineReason: {
          code,
          description: type === 'three_ds' ? '3-D Secure was not completed' : 'The payment page expired',
        },
      });
      this.#notify(payment);
    });
    return sessionId;
  }

  /** none → pending after `processingAfterMs`, → final after `settleAfterMs` (unless `settle` is false). */
  #startProcessing(payment: GatePayment, settle = true): void {
    this.#after(payment, this.#ctx.lifecycle.processingAfterMs, () => {
      this.#transition(payment, { status: 'pending' });
      this.#notify(payment);
      if (settle) this.#after(payment, this.#ctx.lifecycle.settleAfterMs, () => this.#settle(payment));
    });
  }

  #settle(payment: GatePayment): void {
    this.#finalState(payment);
    this.#transition(payment, {});
    this.#notify(payment);
  }

  #finalState(payment: GatePayment): void {
    payment.action = { type: 'none' };
    if (payment.plan === 'success') {
      payment.status = 'success';
      payment.actualAmount = payment.amount;
      payment.declineReason = null;
    } else {
      payment.status = 'declined';
      payment.declineReason = { code: payment.plan, description: declineDescriptions[payment.plan] };
    }
  }

  #applyRefund(payment: GatePayment, at: number): void {
    payment.refunded = true;
    payment.actualAmount = 0n;
    payment.updatedAt = at;
    payment.version += 1;
  }

  #transition(payment: GatePayment, patch: Partial<GatePayment>): void {
    Object.assign(payment, patch);
    payment.updatedAt = this.#ctx.clock.now();
    payment.version += 1;
  }

  /** Runs `step` after `delayMs` unless the payment has moved on in the meantime. */
  #after(payment: GatePayment, delayMs: number, step: () => void): void {
    const version = payment.version;
    this.#ctx.scheduler.after(delayMs, () => {
      if (payment.version === version) step();
    });
  }

  #notify(payment: GatePayment): void {
    if (!payment.webhookUrl) return;
    this.#ctx.webhooks.send({
      provider: 'gate',
      url: payment.webhookUrl,
      body: this.json(payment),
      headers: { 'content-type': 'application/json' },
      retry: gateRetry,
      objectKey: `gate:${payment.terminal}:${payment.referenceId}`,
    });
  }
}
