/**
 * Lifecycles of payment invoices, refunds and payout invoices, and the callbacks they send. The HTTP
 * routes and the traffic simulator both drive objects through here, so an invoice created by the
 * generator moves and reports exactly like one created over the API.
 */
import { minorToFloat } from '@paydesk/domain';
import { signCallback } from '@paydesk/providers/paytone/signature';
import type { SandboxContext, WebhookDelivery } from '../core/contract.ts';
import { paymentInvoiceResource, payoutInvoiceResource, unixSeconds, type FieldErrors } from './documents.ts';
import { digits, uuid } from './ids.ts';
import type {
  CardSummary,
  Invoice,
  Outcome,
  PaymentInvoice,
  PayoutInvoice,
  Refund,
  Tracked,
} from './model.ts';
import { feeFor } from './services.ts';
import type { PaytoneStore } from './store.ts';
import type { PaymentDraft, PayoutDraft } from './validation.ts';

/** One planned change: `afterMs` after the previous step, `apply` returns whether anything changed. */
export interface Step {
  afterMs: number;
  apply: (atMs: number) => boolean;
}

/** "Retries every few minutes, up to 100 attempts; only HTTP 200 counts as delivered." */
export const callbackRetry: WebhookDelivery['retry'] = {
  maxAttempts: 100,
  intervalMs: 5 * 60_000,
  delivered: 'only-200',
};

export const ok: Outcome = { status: 'processed', resolution: 'ok' };

/** The hosted page's 3-D Secure test card (documented in the sandbox README). */
export const threeDsCard = '4000000000003220';

const successStatuses = new Set(['processed', 'partially_processed', 'verified']);

export function cardSummary(number: string): CardSummary {
  const brand = number.startsWith('4')
    ? 'visa'
    : /^(5[1-5]|2[2-7])/.test(number)
      ? 'mastercard'
      : /^3[47]/.test(number)
        ? 'amex'
        : 'unknown';
  return { first: number.slice(0, 6), last: number.slice(-4), brand };
}

export type Created<T> = { created: T } | { duplicate: T };

export class PaytoneEngine {
  constructor(
    private readonly ctx: SandboxContext,
    readonly store: PaytoneStore,
  ) {}

  get baseUrl(): string {
    return this.ctx.baseUrl('paytone');
  }

  now(): number {
    return this.ctx.clock.now();
  }

  // --- payment invoices ------------------------------------------------------------------------

  /**
   * Creates an invoice at `atMs` (now, or in the past for generated traffic). Paytone initiates the
   * transaction with the provider at once, so a hosted-page invoice is born `process_pending`, waiting
   * for the customer, and reports so in a first callback (both as in the provider's samples).
   */
  createPayment(
    draft: PaymentDraft,
    options: { atMs: number; source: PaymentInvoice['source'] },
  ): Created<PaymentInvoice> {
    const lookup = (reference: string) => this.store.paymentByReference(reference);
    const existing = draft.referenceId === null ? undefined : lookup(draft.referenceId);
    if (existing) return { duplicate: existing };
    const invoice: PaymentInvoice = {
      ...this.newInvoice('cpi', draft, lookup, options.atMs),
      kind: 'payment',
      status: 'process_pending',
      card: null,
      source: options.source,
      paymentFlow: draft.paymentFlow,
      sessionId: this.store.newId('cgi').id,
      stage: 'payment_form',
      expiresMs: draft.expiresMs ?? options.atMs + this.ctx.lifecycle.expireAfterMs,
      returnUrl: draft.returnUrl,
      returnUrls: draft.returnUrls,
      serviceFields: draft.serviceFields,
      refunds: [],
      refundedMinor: 0n,
    };
    this.store.addPayment(invoice);
    return { created: invoice };
  }

  /** Plan for a fresh API invoice: `test` services settle on their own, others wait for the customer. */
  startPayment(invoice: PaymentInvoice): void {
    const target = invoice.service.method === 'test' ? invoice.serviceFields?.status : undefined;
    if (target !== undefined) {
      this.run(invoice, invoice.createdMs, this.processingSteps(invoice, this.testOutcome(target)), true);
      return;
    }
    const expiresIn = invoice.expiresMs - invoice.createdMs;
    this.run(
      invoice,
      invoice.createdMs,
      [{ afterMs: expiresIn, apply: (at) => this.expire(invoice, at) }],
      true,
    );
  }

  /** The customer pays on the hosted page (with a card number for card services). */
  pay(invoice: PaymentInvoice, cardNumber: string | null): void {
    if (cardNumber !== null) invoice.card = cardSummary(cardNumber);
    if (cardNumber === threeDsCard) {
      // Still waiting for the customer: no status change, so no callback; `flow_data` now points to 3-D Secure.
      invoice.stage = 'three_ds';
      invoice.updatedMs = this.now();
      return;
    }
    this.run(invoice, this.now(), this.processingSteps(invoice, this.success(invoice)), false);
  }

  /** The customer's bank declines (the hosted page's Decline button). */
  decline(invoice: PaymentInvoice): void {
    this.run(invoice, this.now(), this.processingSteps(invoice, this.failure(invoice, 'declined')), false);
  }

  completeThreeDs(invoice: PaymentInvoice, confirmed: boolean): void {
    const outcome = confirmed ? this.success(invoice) : this.failure(invoice, '3ds_failed');
    this.run(invoice, this.now(), this.processingSteps(invoice, outcome), false);
  }

  /** processing now, then the outcome after the configured settle time. */
  processingSteps(invoice: Invoice, outcome: Outcome): Step[] {
    return [
      { afterMs: 0, apply: (at) => this.startProcessing(invoice, at) },
      { afterMs: this.ctx.lifecycle.settleAfterMs, apply: (at) => this.settle(invoice, outcome, at) },
    ];
  }

  success(invoice: Invoice): Outcome {
    return invoice.kind === 'payment' && invoice.paymentFlow === 'verify'
      ? { status: 'verified', resolution: 'ok' }
      : ok;
  }

  failure(invoice: Invoice, resolution: string): Outcome {
    return invoice.kind === 'payment' && invoice.paymentFlow === 'verify'
      ? { status: 'verify_failed', resolution }
      : { status: 'process_failed', resolution };
  }

  testOutcome(target: string): Outcome {
    return { status: target, resolution: successStatuses.has(target) ? 'ok' : target };
  }

  startProcessing(tracked: Invoice, atMs: number): boolean {
    if (tracked.kind === 'payment') tracked.stage = null;
    return this.setStatus(tracked, { status: 'processing', resolution: 'ok' }, atMs);
  }

  settle(tracked: Invoice, outcome: Outcome, atMs: number): boolean {
    if (tracked.status !== 'processing') return false;
    if (successStatuses.has(outcome.status)) {
      tracked.processedMs = atMs;
      // Nothing says how much of a partial payment arrives; the sandbox takes half.
      tracked.processedAmountMinor =
        outcome.status === 'partially_processed' ? tracked.amountMinor / 2n : tracked.amountMinor;
      tracked.rrn = digits(this.ctx.random, 12);
      tracked.approvalCode = digits(this.ctx.random, 6);
    }
    return this.setStatus(tracked, outcome, atMs);
  }

  /** The invoice's lifetime ended before anything happened. */
  expire(tracked: Invoice, atMs: number): boolean {
    const waiting = tracked.kind === 'payment' ? 'process_pending' : 'created';
    if (tracked.status !== waiting) return false;
    if (tracked.kind === 'payment') tracked.stage = null;
    return this.setStatus(tracked, { status: 'expired', resolution: 'expired' }, atMs);
  }

  // --- refunds ---------------------------------------------------------------------------------

  refundable(invoice: PaymentInvoice): bigint {
    const requested = invoice.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0n);
    return (invoice.processedAmountMinor ?? 0n) - requested;
  }

  /** Validates and records a refund request; the refund settles `settleAfterMs` later. */
  requestRefund(
    invoice: PaymentInvoice,
    request: { referenceId: string; amountMinor: bigint; description: string | null },
    atMs: number,
  ): { refund: Refund } | { duplicate: Refund } | { errors: FieldErrors } {
    const existing = this.store.refundByReference(request.referenceId);
    if (existing) return { duplicate: existing };
    const refundableStatuses = ['processed', 'partially_refunded', 'refunding'];
    if (invoice.paymentFlow === 'verify' || !refundableStatuses.includes(invoice.status)) {
      return { errors: { status: `An invoice in status ${invoice.status} cannot be refunded.` } };
    }
    const remaining = this.refundable(invoice);
    if (remaining <= 0n) return { errors: { amount: 'Nothing remains to be refunded.' } };
    if (request.amountMinor > remaining) {
      const max = minorToFloat(remaining, invoice.currency);
      return { errors: { amount: `This value should be less than or equal to ${max}.` } };
    }
    const refund: Refund = {
      id: this.store.newId('ref').id,
      referenceId: request.referenceId,
      invoiceId: invoice.id,
      description: request.description,
      status: 'processing',
      amountMinor: request.amountMinor,
      feeMinor: 0n,
      currency: invoice.currency,
      createdMs: atMs,
    };
    this.store.addRefund(invoice, refund);
    this.setStatus(invoice, { status: 'refunding', resolution: 'ok' }, atMs);
    return { refund };
  }

  refundSteps(invoice: PaymentInvoice, refund: Refund): Step[] {
    return [
      { afterMs: this.ctx.lifecycle.settleAfterMs, apply: (at) => this.completeRefund(invoice, refund, at) },
    ];
  }

  completeRefund(invoice: PaymentInvoice, refund: Refund, atMs: number): boolean {
    if (refund.status !== 'processing') return false;
    refund.status = 'processed';
    invoice.refundedMinor += refund.amountMinor;
    const stillRunning = invoice.refunds.some((other) => other.status === 'processing');
    const status = stillRunning
      ? 'refunding'
      : invoice.refundedMinor >= (invoice.processedAmountMinor ?? 0n)
        ? 'refunded'
        : 'partially_refunded';
    // A refund that completes while another runs changes the amount but not the status: still report it.
    this.touch(invoice, { status, resolution: 'ok' }, atMs);
    return true;
  }

  // --- payout invoices -------------------------------------------------------------------------

  createPayout(draft: PayoutDraft, atMs: number): Created<PayoutInvoice> {
    const lookup = (reference: string) => this.store.payoutByReference(reference);
    const existing = draft.referenceId === null ? undefined : lookup(draft.referenceId);
    if (existing) return { duplicate: existing };
    const cardNumber = draft.serviceFields?.card_number;
    const payout: PayoutInvoice = {
      ...this.newInvoice('cpoi', draft, lookup, atMs),
      kind: 'payout',
      status: 'created',
      card: cardNumber ? cardSummary(cardNumber) : null,
      autoProcess: draft.autoProcess,
      serviceFields: draft.serviceFields && maskCardNumber(draft.serviceFields),
      token: draft.token,
    };
    this.store.addPayout(payout);
    return { created: payout };
  }

  /** What processing a payout leads to: the `test` service's chosen status, otherwise success. */
  payoutOutcome(payout: PayoutInvoice): Outcome {
    const target = payout.service.method === 'test' ? payout.serviceFields?.status : undefined;
    return target === undefined ? ok : this.testOutcome(target);
  }

  /** Plan for a fresh API payout: processed at once with `auto_process`, else it waits for `/process`. */
  startPayout(payout: PayoutInvoice): void {
    const steps = payout.autoProcess
      ? this.processingSteps(payout, this.payoutOutcome(payout))
      : [{ afterMs: this.ctx.lifecycle.expireAfterMs, apply: (at: number) => this.expire(payout, at) }];
    this.run(payout, payout.createdMs, steps, true);
  }

  processPayout(payout: PayoutInvoice): FieldErrors | null {
    if (payout.status !== 'created') {
      return { status: `A payout invoice in status ${payout.status} cannot be processed.` };
    }
    this.run(payout, this.now(), this.processingSteps(payout, this.payoutOutcome(payout)), false);
    return null;
  }

  // --- lifecycle machinery ---------------------------------------------------------------------

  /**
   * Applies the steps that are already due (backdated traffic) in one go and reports the result in a
   * single callback, as Paytone batches callbacks to the latest state; later steps are scheduled one
   * after another, each reported as it happens. `announce` reports the starting state even when no
   * step is due yet (a new invoice).
   */
  run(tracked: Invoice, fromMs: number, steps: Step[], announce: boolean): void {
    const now = this.now();
    let at = fromMs;
    let changed = announce;
    let index = 0;
    for (const step of steps) {
      if (at + step.afterMs > now) break;
      at += step.afterMs;
      changed = step.apply(at) || changed;
      index++;
    }
    if (changed) this.notify(tracked);
    const rest = steps.slice(index);
    if (rest[0]) this.schedule(tracked, rest, at + rest[0].afterMs - now, tracked.generation);
  }

  private schedule(tracked: Invoice, steps: Step[], delayMs: number, generation: number): void {
    const [step, ...rest] = steps;
    if (!step) return;
    this.ctx.scheduler.after(delayMs, () => {
      if (tracked.generation !== generation) return;
      if (step.apply(this.now())) this.notify(tracked);
      if (rest[0]) this.schedule(tracked, rest, rest[0].afterMs, generation);
    });
  }

  setStatus(tracked: Invoice, outcome: Outcome, atMs: number): boolean {
    if (tracked.status === outcome.status && tracked.resolution === outcome.resolution) return false;
    this.touch(tracked, outcome, atMs);
    return true;
  }

  private touch(tracked: Invoice, outcome: Outcome, atMs: number): void {
    tracked.status = outcome.status;
    tracked.resolution = outcome.resolution;
    tracked.updatedMs = Math.max(tracked.updatedMs, atMs);
  }

  /** Test hook: any status, with or without a callback; plans made before are abandoned. */
  forceStatus(id: string, status: string, options: { notify: boolean }): boolean {
    const tracked: Invoice | undefined = this.store.payments.get(id) ?? this.store.payouts.get(id);
    if (!tracked) return false;
    tracked.generation++;
    if (tracked.kind === 'payment' && status !== 'process_pending') tracked.stage = null;
    tracked.status = status;
    tracked.updatedMs = Math.max(tracked.updatedMs, this.now());
    if (options.notify) this.notify(tracked);
    return true;
  }

  resource(tracked: Invoice): Record<string, unknown> {
    return tracked.kind === 'payment'
      ? paymentInvoiceResource(tracked, this.baseUrl)
      : payoutInvoiceResource(tracked);
  }

  /** POSTs the object's JSON:API document to its `callback_url`, signed for its `test_mode`. */
  notify(tracked: Invoice): void {
    if (tracked.callbackUrl === null) return;
    tracked.callbackLogs[String(unixSeconds(this.now()))] = {
      status: 'queued',
      processed: null,
      response_code: null,
      transaction_status: tracked.status,
    };
    const { testSecretKey, liveSecretKey } = this.ctx.credentials.paytone;
    const secret = tracked.testMode ? testSecretKey : liveSecretKey;
    const body = JSON.stringify({ data: this.resource(tracked) });
    const headers = (signature: string) => ({ 'Content-Type': 'application/json', 'X-Signature': signature });
    this.ctx.webhooks.send({
      provider: 'paytone',
      url: tracked.callbackUrl,
      body,
      headers: headers(signCallback(body, secret)),
      retry: callbackRetry,
      objectKey: tracked.id,
      // Signed with a key that is not the account's: what a forged or corrupted callback looks like.
      corrupt: () => ({ body, headers: headers(signCallback(body, `${secret}-forged`)) }),
    });
  }

  /** What a new payment or payout invoice starts with; `taken` guards a generated `reference_id`. */
  private newInvoice(
    prefix: 'cpi' | 'cpoi',
    draft: PaymentDraft | PayoutDraft,
    taken: (reference: string) => unknown,
    atMs: number,
  ): Omit<Tracked, 'kind' | 'status' | 'card'> {
    const { id, serial } = this.store.newId(prefix);
    return {
      id,
      serial,
      seq: this.store.nextSeq(),
      referenceId: draft.referenceId ?? this.freshReference(taken),
      testMode: draft.testMode,
      service: draft.service,
      amountMinor: draft.amountMinor,
      currency: draft.service.currency,
      feeMinor: feeFor(draft.service, draft.amountMinor),
      resolution: 'ok',
      createdMs: atMs,
      updatedMs: atMs,
      processedMs: null,
      processedAmountMinor: null,
      description: draft.description,
      metadata: draft.metadata,
      callbackUrl: draft.callbackUrl,
      customer: draft.customer ? this.store.upsertCustomer(draft.customer) : null,
      rrn: null,
      approvalCode: null,
      callbackLogs: {},
      generation: 0,
    };
  }

  private freshReference(taken: (reference: string) => unknown): string {
    for (;;) {
      const reference = uuid(this.ctx.random);
      if (!taken(reference)) return reference;
    }
  }
}

/** Recipient details as the API echoes them: never a full card number. */
function maskCardNumber(fields: Record<string, string>): Record<string, string> {
  const number = fields.card_number;
  if (number === undefined) return { ...fields };
  return {
    ...fields,
    card_number: `${number.slice(0, 6)}${'*'.repeat(number.length - 10)}${number.slice(-4)}`,
  };
}
