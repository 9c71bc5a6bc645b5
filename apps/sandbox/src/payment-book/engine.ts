/**
 * Payment Book's state and behaviour behind the HTTP layer: transactions with their operations, the
 * hosted-page and 3-D Secure flows, subscriptions charging each cycle, refunds, withdrawals from a
 * balance, and `transaction.status` webhooks signed with the service token's secret. Every timed change
 * goes through a timeline that applies past steps at once (backdated traffic) and schedules the rest on
 * the sandbox scheduler, each step guarded by the transaction's version so a manual change stops it.
 */
import { currencyExponent, minorToDecimal } from '@paydesk/domain';
import { signBody } from '@paydesk/providers/payment-book/signature';
import { ulid } from 'ulid';
import type {
  ProviderSimulator,
  SandboxContext,
  SandboxRecord,
  SimulatedOutcome,
  SimulatedTransaction,
  WebhookDelivery,
} from '../core/contract.ts';
import { cardDeclines, methodById, methodFor, unified, type MethodKind } from './catalog.ts';
import { phpJsonEncode } from './php-json.ts';
import { presentWebhookData } from './presenters.ts';

export const transactionStatuses = [
  'created',
  'processing',
  'success',
  'refunded',
  'partially_refunded',
  'failed',
  'expired',
  'active',
  'canceled',
] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];
export type TransactionType = 'purchase' | 'withdrawal' | 'recurring';
export type OperationType = 'payment' | 'payout' | 'subscription' | 'refund';
export type OperationStatus =
  | 'created'
  | 'awaiting_confirmation'
  | 'processing'
  | 'external_processing'
  | 'success'
  | 'partial_success'
  | 'expired'
  | 'failed'
  | 'cancelled';

const finalOperationStatuses: readonly string[] = [
  'success',
  'partial_success',
  'expired',
  'failed',
  'cancelled',
];

export interface PbToken {
  name: string;
  secret: string;
  serviceId: number;
}

export interface PbCustomer {
  id: number;
  serviceId: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  dayOfBirth: string | null;
  country: string | null;
  address: string | null;
  city: string | null;
  zip: string | null;
  language: string | null;
  createdAt: number;
}

export interface PbOperation {
  id: number;
  ulid: string;
  type: OperationType;
  /** Raw status; forceStatus may leave values outside OperationStatus. */
  status: string;
  direction: 'in' | 'out';
  /** What moves: for a payment the amount plus the customer's cost. */
  amountMinor: bigint;
  /** The provider's processing fee, charged to the merchant. */
  feeMinor: bigint;
  code: number;
  message: string;
  errors: { code: string; name: string; message: string }[];
  paymentMethodId: number;
  paymentMethodReferenceId: string;
  request: unknown;
  metadata: Record<string, unknown> | null;
  confirmedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface PbTransaction {
  id: number;
  ulid: string;
  referenceId: string;
  serviceId: number;
  customerId: number | null;
  type: TransactionType;
  /** Raw status; forceStatus may set any documented value. */
  status: string;
  amountMinor: bigint;
  /** The service's fee on top of the amount, paid by the customer ("cost"). */
  costMinor: bigint;
  currency: string;
  unifiedCode: number | null;
  unifiedMessage: string | null;
  /** The request as received, signature included (the provider echoes it back). */
  request: unknown;
  metadata: Record<string, unknown> | null;
  operations: PbOperation[];
  refundedMinor: bigint;
  webhook?: { url: string; secret: string };
  redirect: { success: string; fail: string; return: string };
  method: MethodKind;
  /** The payment method the customer picked on the hosted page. */
  methodId?: number;
  card?: { mask: string; brand: string; holder: string };
  recurring?: { cycleDays: number; trialDays: number; startDate: string; cancelling: boolean };
  /** A withdrawal's amount held on the balance until it settles. */
  heldMinor: bigint;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every change; a scheduled step runs only if nothing changed since it was planned. */
  version: number;
}

export interface CustomerInput {
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  day_of_birth?: string;
  country?: string;
  address?: string;
  city?: string;
  zip?: string;
  language?: string;
}

export interface CreateInput {
  token: PbToken;
  type: TransactionType;
  referenceId: string;
  amountMinor: bigint;
  currency: string;
  request: unknown;
  user?: CustomerInput | undefined;
  webhook?: { url: string; tokenName?: string | undefined } | undefined;
  redirect?:
    { success?: string | undefined; fail?: string | undefined; return?: string | undefined } | undefined;
  recurring?: { cycleDays: number; trialDays: number; startDate: string } | undefined;
  at: number;
}

/** What the customer does on the hosted page. */
export type CustomerChoice = 'pay' | 'pay_3ds' | 'decline' | 'cancel';

export type WebhookShape = 'data' | 'transaction' | 'alternate';

export interface PaymentBookOptions {
  /**
   * Where the webhook puts the transaction: the documented `data`, the provider plugin's `transaction`,
   * or either at random per delivery (receivers must accept both).
   */
  webhookShape?: WebhookShape;
  /** Balance each service starts with, per currency, in major units. */
  openingBalance?: number;
}

interface Step {
  at: number;
  run: (at: number) => void;
}

/** How far back a backdated subscription materialises its charges when its cycles are very short. */
const maxBackfilledCycles = 24;
/** The service's fixed fee per transaction in major units ("fee_cost": "0.30"). */
const serviceFee = 0.3;
/** The processing fee on a payment operation, in tenths of a percent (2.1 %). */
const processingFeePermille = 21n;

const webhookRetry: WebhookDelivery['retry'] = { maxAttempts: 10, intervalMs: 60_000, delivered: 'any-2xx' };

export class PaymentBookError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly errors: Record<string, string[]> | null = null,
  ) {
    super(message);
  }
}

function roundDiv(value: bigint, divisor: bigint): bigint {
  return (value * 2n + divisor) / (divisor * 2n);
}

function* fromArray(steps: Step[]): Iterator<Step> {
  yield* steps;
}

export class PaymentBookEngine implements ProviderSimulator {
  readonly #ctx: SandboxContext;
  readonly #options: Required<PaymentBookOptions>;
  readonly #transactions: PbTransaction[] = [];
  readonly #byUlid = new Map<string, PbTransaction>();
  readonly #byReference = new Map<string, PbTransaction>();
  readonly #operations = new Map<string, { transaction: PbTransaction; operation: PbOperation }>();
  readonly #customers: PbCustomer[] = [];
  readonly #balances = new Map<string, bigint>();
  readonly #countByService = new Map<number, number>();
  #nextTransactionId = 1;
  #nextOperationId = 1;

  constructor(ctx: SandboxContext, options: PaymentBookOptions = {}) {
    this.#ctx = ctx;
    this.#options = {
      webhookShape: options.webhookShape ?? 'data',
      openingBalance: options.openingBalance ?? 100_000,
    };
  }

  get ctx(): SandboxContext {
    return this.#ctx;
  }

  // ---- lookups ---------------------------------------------------------------------------------

  tokens(): PbToken[] {
    return this.#ctx.credentials['payment-book'].tokens;
  }

  token(name: string | undefined): PbToken | undefined {
    return name === undefined ? undefined : this.tokens().find((token) => token.name === name);
  }

  serviceExists(serviceId: number): boolean {
    return this.tokens().some((token) => token.serviceId === serviceId);
  }

  byReference(serviceId: number, referenceId: string): PbTransaction | undefined {
    return this.#byReference.get(`${serviceId}:${referenceId}`);
  }

  byUlid(transactionUlid: string): PbTransaction | undefined {
    return this.#byUlid.get(transactionUlid);
  }

  operation(operationUlid: string): { transaction: PbTransaction; operation: PbOperation } | undefined {
    return this.#operations.get(operationUlid);
  }

  customer(id: number | null): PbCustomer | undefined {
    return id === null ? undefined : this.#customers.find((customer) => customer.id === id);
  }

  transactionsCount(serviceId: number): number {
    return this.#countByService.get(serviceId) ?? 0;
  }

  paymentUrl(transaction: PbTransaction): string {
    return `${this.#ctx.baseUrl('payment-book')}/payment/${transaction.type === 'recurring' ? 'recurring' : 'purchase'}/${transaction.ulid}`;
  }

  /** Where the hosted pages send the customer when the merchant gave no redirect URLs. */
  resultUrl(transactionUlid: string): string {
    return `${this.#ctx.baseUrl('payment-book')}/payment/result/${transactionUlid}`;
  }

  /** "0.30" in the currency's own precision (0 for JPY, 0.300 for KWD). */
  serviceCostMinor(currency: string): bigint {
    return BigInt(Math.round(serviceFee * 10 ** currencyExponent(currency)));
  }

  balanceMinor(serviceId: number, currency: string): bigint {
    const key = `${serviceId}:${currency}`;
    const balance = this.#balances.get(key);
    if (balance !== undefined) return balance;
    const opening = BigInt(this.#options.openingBalance) * 10n ** BigInt(currencyExponent(currency));
    this.#balances.set(key, opening);
    return opening;
  }

  #credit(transaction: PbTransaction, amountMinor: bigint): void {
    const balance = this.balanceMinor(transaction.serviceId, transaction.currency);
    this.#balances.set(`${transaction.serviceId}:${transaction.currency}`, balance + amountMinor);
  }

  // ---- creation --------------------------------------------------------------------------------

  #newUlid(at: number): string {
    return ulid(at, this.#ctx.random);
  }

  #customerFor(serviceId: number, user: CustomerInput | undefined, at: number): PbCustomer | undefined {
    if (!user || Object.keys(user).length === 0) return undefined;
    const existing = user.email
      ? this.#customers.find((customer) => customer.serviceId === serviceId && customer.email === user.email)
      : undefined;
    if (existing) return existing;
    const customer: PbCustomer = {
      id: this.#customers.length + 1,
      serviceId,
      email: user.email ?? null,
      firstName: user.first_name ?? null,
      lastName: user.last_name ?? null,
      phone: user.phone ?? null,
      dayOfBirth: user.day_of_birth ?? null,
      country: user.country ?? null,
      address: user.address ?? null,
      city: user.city ?? null,
      zip: user.zip ?? null,
      language: user.language ?? null,
      createdAt: at,
    };
    this.#customers.push(customer);
    return customer;
  }

  #webhookTarget(input: CreateInput): PbTransaction['webhook'] {
    if (!input.webhook) return undefined;
    // The payload is signed with the secret of the token the merchant names, so one service can route
    // webhooks to a receiver that holds a different token than the shop.
    const named = this.tokens().find(
      (token) => token.name === input.webhook?.tokenName && token.serviceId === input.token.serviceId,
    );
    return { url: input.webhook.url, secret: (named ?? input.token).secret };
  }

  create(input: CreateInput, method: MethodKind = 'card'): PbTransaction {
    const customer = this.#customerFor(input.token.serviceId, input.user, input.at);
    const transactionUlid = this.#newUlid(input.at);
    const result = this.resultUrl(transactionUlid);
    const transaction: PbTransaction = {
      id: this.#nextTransactionId++,
      ulid: transactionUlid,
      referenceId: input.referenceId,
      serviceId: input.token.serviceId,
      customerId: customer?.id ?? null,
      type: input.type,
      status: 'created',
      amountMinor: input.amountMinor,
      costMinor: this.serviceCostMinor(input.currency),
      currency: input.currency,
      unifiedCode: null,
      unifiedMessage: null,
      request: input.request,
      metadata: null,
      operations: [],
      refundedMinor: 0n,
      redirect: {
        success: input.redirect?.success ?? result,
        fail: input.redirect?.fail ?? result,
        return: input.redirect?.return ?? result,
      },
      method,
      heldMinor: 0n,
      createdAt: input.at,
      updatedAt: input.at,
      version: 0,
    };
    const webhook = this.#webhookTarget(input);
    if (webhook) transaction.webhook = webhook;
    if (input.recurring) {
      transaction.recurring = { ...input.recurring, cancelling: false };
      transaction.metadata = {
        end_date: 'Infinite (until cancellation/expiration)',
        days_cycle: input.recurring.cycleDays,
        start_date: input.recurring.startDate,
        trial_days: input.recurring.trialDays,
      };
    }
    this.#transactions.push(transaction);
    this.#countByService.set(transaction.serviceId, this.transactionsCount(transaction.serviceId) + 1);
    this.#byUlid.set(transaction.ulid, transaction);
    this.#byReference.set(`${transaction.serviceId}:${transaction.referenceId}`, transaction);
    return transaction;
  }

  #addOperation(
    transaction: PbTransaction,
    type: OperationType,
    status: OperationStatus,
    at: number,
    amountMinor: bigint,
    extra: Partial<PbOperation> = {},
  ): PbOperation {
    const method =
      (transaction.methodId === undefined ? undefined : methodById(transaction.methodId)) ??
      methodFor(transaction.method, transaction.currency);
    const operationUlid = this.#newUlid(at);
    const operation: PbOperation = {
      id: this.#nextOperationId++,
      ulid: operationUlid,
      type,
      status,
      direction: type === 'payment' || type === 'subscription' ? 'in' : 'out',
      amountMinor,
      feeMinor:
        type === 'payment' || type === 'subscription'
          ? roundDiv(amountMinor * processingFeePermille, 1000n)
          : type === 'payout'
            ? transaction.costMinor
            : 0n,
      code: 0,
      message: type === 'subscription' && status === 'created' ? 'Awaiting first payment.' : '',
      errors: [],
      paymentMethodId: method.id,
      paymentMethodReferenceId: '',
      request: { meta: { ulid: operationUlid }, payment: { payment_method_id: String(method.id) } },
      metadata: this.#operationMetadata(transaction),
      confirmedAt: null,
      createdAt: at,
      updatedAt: at,
      ...extra,
    };
    transaction.operations.push(operation);
    this.#operations.set(operation.ulid, { transaction, operation });
    this.#touch(transaction, at);
    return operation;
  }

  #operationMetadata(transaction: PbTransaction): Record<string, unknown> | null {
    switch (transaction.method) {
      case 'card':
        return {
          card_meta: {
            mask: transaction.card?.mask ?? null,
            type: transaction.card?.brand ?? null,
            token: null,
            holder: transaction.card?.holder ?? null,
            expiration: null,
          },
        };
      case 'bank_transfer':
        return { open_banking: { bank_id: 'revolut', account_currency: transaction.currency } };
      case 'wallet': {
        const chosen = transaction.methodId === undefined ? undefined : methodById(transaction.methodId);
        return { wallet: { alias: (chosen ?? methodFor('wallet', transaction.currency)).alias } };
      }
    }
  }

  #touch(transaction: PbTransaction, at: number): void {
    transaction.updatedAt = Math.max(transaction.updatedAt, at);
    transaction.version += 1;
  }

  #setStatus(
    transaction: PbTransaction,
    status: TransactionStatus,
    at: number,
    error?: readonly [number, string],
  ): void {
    transaction.status = status;
    if (error) [transaction.unifiedCode, transaction.unifiedMessage] = error;
    else if (status !== 'created') [transaction.unifiedCode, transaction.unifiedMessage] = unified.success;
    this.#touch(transaction, at);
  }

  #setOperation(
    transaction: PbTransaction,
    operation: PbOperation,
    status: OperationStatus,
    at: number,
    code = 0,
    message = '',
  ): void {
    operation.status = status;
    operation.code = code;
    operation.message = message;
    if (code !== 0 && code !== 1) operation.errors = [{ code: String(code), name: operation.type, message }];
    if (status === 'success') operation.confirmedAt = at;
    operation.updatedAt = at;
    this.#touch(transaction, at);
  }

  // ---- timelines -------------------------------------------------------------------------------

  /**
   * Runs the steps already due (stamped with their own time), tells the merchant once about the
   * result, and schedules the next step. A step only runs if the transaction has not changed since.
   */
  #play(transaction: PbTransaction, steps: Iterator<Step>, first?: Step): void {
    const now = this.#ctx.clock.now();
    let next = first ?? pull(steps);
    let ran = false;
    while (next && next.at <= now) {
      next.run(next.at);
      ran = true;
      next = pull(steps);
    }
    if (ran) this.notify(transaction);
    if (!next) return;
    const pending = next;
    const version = transaction.version;
    this.#ctx.scheduler.after(pending.at - now, () => {
      if (transaction.version === version) this.#play(transaction, steps, pending);
    });
  }

  /** An unpaid hosted page, or a 3-D Secure challenge nobody answers, expires. */
  #expireStep(transaction: PbTransaction, at: number, operation?: PbOperation): Step {
    return {
      at,
      run: (when) => {
        if (operation) {
          const seconds = Math.round(this.#ctx.lifecycle.expireAfterMs / 1000);
          this.#setOperation(
            transaction,
            operation,
            'expired',
            when,
            28105,
            `Timeout: final status for the operation was not obtained within ${seconds} seconds.`,
          );
        }
        if (transaction.heldMinor > 0n) this.#release(transaction);
        this.#setStatus(transaction, 'expired', when, unified.timeout);
      },
    };
  }

  #fail(transaction: PbTransaction, operation: PbOperation, at: number, kind: 'declined' | 'failed'): void {
    if (kind === 'declined') {
      const [code, message] =
        operation.type === 'payout'
          ? ([28102, "Don't have enough available balance."] as const)
          : (cardDeclines[Math.floor(this.#ctx.random() * cardDeclines.length)] ?? [5, 'Do not honour']);
      this.#setOperation(transaction, operation, 'failed', at, code, message);
      this.#setStatus(transaction, 'failed', at, unified.declined);
    } else if (this.#ctx.random() < 0.5) {
      this.#setOperation(transaction, operation, 'failed', at, 28108, 'Wrong gate status: error.');
      this.#setStatus(transaction, 'failed', at, unified.gateError);
    } else {
      this.#setOperation(
        transaction,
        operation,
        'failed',
        at,
        28107,
        'General network error. [gate.payment-book.com:443]',
      );
      this.#setStatus(transaction, 'failed', at, unified.gateTimeout);
    }
    if (transaction.heldMinor > 0n) this.#release(transaction);
  }

  #succeed(transaction: PbTransaction, operation: PbOperation, at: number): void {
    this.#setOperation(transaction, operation, 'success', at);
    if (operation.direction === 'in') this.#credit(transaction, operation.amountMinor - operation.feeMinor);
    if (transaction.type === 'withdrawal') transaction.heldMinor = 0n;
    this.#setStatus(transaction, transaction.type === 'recurring' ? 'active' : 'success', at);
  }

  #release(transaction: PbTransaction): void {
    this.#credit(transaction, transaction.heldMinor);
    transaction.heldMinor = 0n;
  }

  /** The customer submits the hosted page (or the simulated customer does, `at` a moment after creation). */
  *#paySteps(
    transaction: PbTransaction,
    at: number,
    outcome: SimulatedOutcome,
    then: Iterable<Step> = [],
  ): Generator<Step> {
    const { settleAfterMs, expireAfterMs } = this.#ctx.lifecycle;
    // Filled in when the first step runs; later steps are only pulled after that.
    const started: { operation?: PbOperation } = {};
    yield {
      at,
      run: (when) => {
        started.operation = this.#addOperation(
          transaction,
          transaction.type === 'recurring' ? 'subscription' : 'payment',
          outcome === 'action_required' ? 'awaiting_confirmation' : 'processing',
          when,
          transaction.amountMinor + transaction.costMinor,
        );
        this.#setStatus(transaction, 'processing', when);
      },
    };
    const { operation } = started;
    if (!operation) return;
    switch (outcome) {
      case 'action_required':
        return;
      case 'expired':
        yield this.#expireStep(transaction, at + expireAfterMs, operation);
        return;
      case 'pending':
        yield {
          at: at + settleAfterMs,
          run: (when) =>
            this.#setOperation(
              transaction,
              operation,
              'external_processing',
              when,
              1,
              'Operation is pre-approved and successful, waiting for final confirmation from the provider.',
            ),
        };
        return;
      case 'declined':
      case 'failed':
        yield { at: at + settleAfterMs, run: (when) => this.#fail(transaction, operation, when, outcome) };
        return;
      case 'success':
        yield { at: at + settleAfterMs, run: (when) => this.#succeed(transaction, operation, when) };
        yield* then;
        return;
    }
  }

  /** Charges every cycle after `from` until the subscription stops; cancels after `cancelAfterCycles`. */
  *#cycles(transaction: PbTransaction, from: number, cancelAfterCycles?: number): Generator<Step> {
    const { subscriptionCycleMs, settleAfterMs } = this.#ctx.lifecycle;
    const cycleMs = Math.max(1, subscriptionCycleMs);
    const limit = cancelAfterCycles === undefined ? Infinity : Math.max(1, cancelAfterCycles);
    let cycle = 1;
    // Renewals already in the past (never more than will ever happen) are materialised up to a cap.
    const past = Math.min(Math.floor((this.#ctx.clock.now() - from) / cycleMs), limit - 1);
    if (past > maxBackfilledCycles) cycle = past - maxBackfilledCycles + 1;
    // `cycle` counts charges after the first one, which the hosted page took.
    while (cycle + 1 <= limit) {
      const at = from + cycle * cycleMs;
      yield {
        at,
        run: (when) => {
          if (transaction.status !== 'active' || transaction.recurring?.cancelling) return;
          const operation = this.#addOperation(
            transaction,
            'subscription',
            'processing',
            when,
            transaction.amountMinor + transaction.costMinor,
          );
          this.#succeed(transaction, operation, when);
        },
      };
      if (transaction.status !== 'active' || transaction.recurring?.cancelling) return;
      cycle += 1;
    }
    const cancelAt = from + (limit - 1) * cycleMs + Math.floor(cycleMs / 2);
    yield { at: cancelAt, run: (when) => this.#startCancel(transaction, when) };
    yield { at: cancelAt + settleAfterMs, run: (when) => this.#finishCancel(transaction, when) };
  }

  #startCancel(transaction: PbTransaction, at: number): void {
    if (transaction.recurring) transaction.recurring.cancelling = true;
    this.#touch(transaction, at);
  }

  /** The service stays paid for until the end of the period the last charge covered. */
  #finishCancel(transaction: PbTransaction, at: number): void {
    const lastCharge = transaction.operations.findLast(
      (operation) => operation.type === 'subscription' && operation.confirmedAt !== null,
    );
    const endsAt =
      lastCharge?.confirmedAt == null ? at : lastCharge.confirmedAt + this.#ctx.lifecycle.subscriptionCycleMs;
    if (transaction.metadata) transaction.metadata = { ...transaction.metadata, end_date: sqlDate(endsAt) };
    this.#setStatus(transaction, 'canceled', at);
  }

  // ---- customer and merchant actions -----------------------------------------------------------

  /**
   * Announces the new transaction and schedules the hosted page's expiry; any payment attempt moves the
   * version on and so cancels the expiry.
   */
  openHostedPage(transaction: PbTransaction): void {
    const { createdAt } = transaction;
    const expiry = this.#expireStep(transaction, createdAt + this.#ctx.lifecycle.expireAfterMs);
    this.#play(transaction, fromArray([{ at: createdAt, run: () => undefined }, expiry]));
  }

  /** Returns where the customer's browser goes next. */
  customerChooses(transaction: PbTransaction, choice: CustomerChoice, methodId?: number): string {
    if (transaction.status !== 'created' || transaction.recurring?.cancelling) {
      throw new PaymentBookError(400, 'Transaction cannot be processed.');
    }
    const method = methodId === undefined ? undefined : methodById(methodId);
    if (method) {
      transaction.method = method.kind;
      transaction.methodId = method.id;
    }
    if (transaction.method === 'card' && !transaction.card) {
      // The page takes no card number; a test card stands in so receipts and metadata look real.
      const customer = this.customer(transaction.customerId);
      const holder = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ');
      transaction.card = { mask: '424242******4242', brand: 'visa', holder: holder || 'Card Holder' };
    }
    const now = this.#ctx.clock.now();
    switch (choice) {
      case 'cancel': {
        this.#addOperation(
          transaction,
          transaction.type === 'recurring' ? 'subscription' : 'payment',
          'cancelled',
          now,
          transaction.amountMinor + transaction.costMinor,
          { message: 'Cancelled by user.' },
        );
        this.#setStatus(transaction, 'failed', now, unified.cancelledByUser);
        this.notify(transaction);
        return transaction.redirect.return;
      }
      case 'pay_3ds': {
        this.#play(transaction, this.#paySteps(transaction, now, 'action_required'));
        const operation = transaction.operations.at(-1);
        if (!operation) throw new PaymentBookError(500, 'Server Error');
        this.#play(
          transaction,
          fromArray([this.#expireStep(transaction, now + this.#ctx.lifecycle.expireAfterMs, operation)]),
        );
        return `${this.#ctx.baseUrl('payment-book')}/payment/3ds/${operation.ulid}`;
      }
      case 'decline':
        this.#play(transaction, this.#paySteps(transaction, now, 'declined'));
        return transaction.redirect.fail;
      case 'pay':
        this.#play(
          transaction,
          this.#paySteps(transaction, now, 'success', this.#afterFirstCharge(transaction, now)),
        );
        return transaction.redirect.success;
    }
  }

  #afterFirstCharge(transaction: PbTransaction, paidAt: number, cancelAfterCycles?: number): Iterable<Step> {
    if (transaction.type !== 'recurring') return [];
    return {
      [Symbol.iterator]: () =>
        this.#cycles(transaction, paidAt + this.#ctx.lifecycle.settleAfterMs, cancelAfterCycles),
    };
  }

  /** The customer answers the 3-D Secure challenge. */
  answerChallenge(operationUlid: string, approved: boolean): string {
    const found = this.#operations.get(operationUlid);
    if (found?.operation.status !== 'awaiting_confirmation') {
      throw new PaymentBookError(400, 'Operation cannot be confirmed.');
    }
    const { transaction, operation } = found;
    const now = this.#ctx.clock.now();
    if (!approved) {
      this.#setOperation(transaction, operation, 'failed', now, 28104, 'Operation failed.');
      this.#setStatus(transaction, 'failed', now, unified.declined);
      this.notify(transaction);
      return transaction.redirect.fail;
    }
    this.#setOperation(transaction, operation, 'processing', now);
    const settle: Step = {
      at: now + this.#ctx.lifecycle.settleAfterMs,
      run: (when) => this.#succeed(transaction, operation, when),
    };
    const rest = this.#afterFirstCharge(transaction, now);
    this.#play(
      transaction,
      (function* () {
        yield settle;
        yield* rest;
      })(),
    );
    return transaction.redirect.success;
  }

  /** A withdrawal holds its amount and fee on the balance; too little balance fails it while processing. */
  startWithdrawal(transaction: PbTransaction, outcome?: SimulatedOutcome): void {
    const { processingAfterMs, settleAfterMs, expireAfterMs } = this.#ctx.lifecycle;
    const at = transaction.createdAt;
    const operation = this.#addOperation(transaction, 'payout', 'created', at, transaction.amountMinor);
    const debit = transaction.amountMinor + operation.feeMinor;
    const available = this.balanceMinor(transaction.serviceId, transaction.currency);
    const planned: SimulatedOutcome = outcome ?? (available >= debit ? 'success' : 'declined');
    if (planned !== 'declined' || outcome !== undefined) {
      transaction.heldMinor = debit;
      this.#credit(transaction, -debit);
    }
    const processing: Step = {
      at: at + processingAfterMs,
      run: (when) => {
        this.#setOperation(
          transaction,
          operation,
          planned === 'action_required' ? 'awaiting_confirmation' : 'processing',
          when,
        );
        this.#setStatus(transaction, 'processing', when);
      },
    };
    const settleAt = at + processingAfterMs + settleAfterMs;
    let steps: Step[];
    switch (planned) {
      case 'expired':
        steps = [this.#expireStep(transaction, at + expireAfterMs, operation)];
        break;
      case 'action_required':
        steps = [processing];
        break;
      case 'pending':
        steps = [
          processing,
          {
            at: settleAt,
            run: (when) =>
              this.#setOperation(
                transaction,
                operation,
                'external_processing',
                when,
                1,
                'Operation is pre-approved and successful, waiting for final confirmation from the provider.',
              ),
          },
        ];
        break;
      case 'declined':
      case 'failed':
        steps = [
          processing,
          { at: settleAt, run: (when) => this.#fail(transaction, operation, when, planned) },
        ];
        break;
      case 'success':
        steps = [processing, { at: settleAt, run: (when) => this.#succeed(transaction, operation, when) }];
        break;
    }
    this.#play(transaction, fromArray([{ at, run: () => undefined }, ...steps]));
  }

  refundableMinor(transaction: PbTransaction): bigint {
    return transaction.amountMinor - transaction.refundedMinor;
  }

  /** Refunds settle at once; the parent moves to partially_refunded, then refunded. */
  refund(
    transaction: PbTransaction,
    amountMinor: bigint,
    comment: string | undefined,
    at: number,
  ): PbOperation {
    const operation = this.#addOperation(transaction, 'refund', 'processing', at, amountMinor, {
      metadata: comment === undefined ? null : { comment },
    });
    this.#setOperation(transaction, operation, 'success', at);
    transaction.refundedMinor += amountMinor;
    this.#credit(transaction, -amountMinor);
    this.#setStatus(
      transaction,
      transaction.refundedMinor >= transaction.amountMinor ? 'refunded' : 'partially_refunded',
      at,
    );
    return operation;
  }

  canRefund(transaction: PbTransaction): boolean {
    return (
      transaction.type === 'purchase' &&
      (transaction.status === 'success' || transaction.status === 'partially_refunded')
    );
  }

  /** "Transaction is cancelling": no further charges; canceled after the settle delay. */
  cancelSubscription(transaction: PbTransaction): void {
    if (transaction.type !== 'recurring' || !transaction.recurring) {
      throw new PaymentBookError(400, 'Only recurring transactions can be cancelled.');
    }
    if (transaction.recurring.cancelling || transaction.status === 'canceled') {
      throw new PaymentBookError(400, 'Transaction is already cancelled.');
    }
    if (transaction.status !== 'active' && transaction.status !== 'created') {
      throw new PaymentBookError(400, 'Transaction cannot be cancelled.');
    }
    const now = this.#ctx.clock.now();
    this.#startCancel(transaction, now);
    this.#play(
      transaction,
      fromArray([
        { at: now + this.#ctx.lifecycle.settleAfterMs, run: (when) => this.#finishCancel(transaction, when) },
      ]),
    );
  }

  // ---- webhooks --------------------------------------------------------------------------------

  /** `transaction.status` to the transaction's webhook URL, signed like a request. */
  notify(transaction: PbTransaction): void {
    if (!transaction.webhook) return;
    const { url, secret } = transaction.webhook;
    const shape = this.#options.webhookShape;
    const key = shape === 'alternate' ? (this.#ctx.random() < 0.5 ? 'data' : 'transaction') : shape;
    const unsigned = phpJsonEncode({
      meta: { reference_id: transaction.referenceId, service_id: transaction.serviceId },
      [key]: presentWebhookData(this, transaction),
    });
    const body = signBody(unsigned, secret);
    const headers = { 'content-type': 'application/json', 'user-agent': 'PaymentBook-Webhooks/1.0' };
    this.#ctx.webhooks.send({
      provider: 'payment-book',
      url,
      body,
      headers,
      retry: webhookRetry,
      objectKey: `payment-book:${transaction.ulid}`,
      corrupt: () => ({
        // One hex digit off: well-formed, but not the signature of this body.
        body: body.replace(
          /"signature":"([0-9a-f]*)([0-9a-f])"/,
          (_, head: string, last: string) => `"signature":"${head}${last === '0' ? '1' : '0'}"`,
        ),
        headers,
      }),
    });
  }

  // ---- ProviderSimulator -----------------------------------------------------------------------

  simulate(input: SimulatedTransaction): Promise<{ providerId: string }> {
    const token = this.tokens()[0];
    if (!token) return Promise.reject(new Error('no Payment Book token is configured'));
    if (this.byReference(token.serviceId, input.reference)) {
      return Promise.reject(new Error(`Payment Book reference ${input.reference} already exists`));
    }
    const type: TransactionType =
      input.kind === 'payout' ? 'withdrawal' : input.kind === 'subscription' ? 'recurring' : 'purchase';
    const amount = minorToDecimal(input.amountMinor, input.currency);
    const [firstName = '', ...rest] = input.customer.name.split(' ');
    const user: CustomerInput = {
      email: input.customer.email,
      first_name: firstName,
      last_name: rest.join(' '),
      country: input.customer.country,
    };
    const cycleDays = 30;
    const request: Record<string, unknown> = {
      meta: { reference_id: input.reference, service_id: token.serviceId },
      ...(type === 'withdrawal'
        ? { withdrawal: { amount, currency: input.currency, balance_id: token.serviceId } }
        : { payment: { amount, currency: input.currency }, user }),
      ...(type === 'recurring'
        ? {
            recurring: { enabled: true, start_date: sqlDate(input.at), cycle_days: cycleDays, trial_days: 0 },
          }
        : {}),
      ...(input.webhookUrl ? { webhook: { url: input.webhookUrl, token_name: token.name } } : {}),
    };
    const transaction = this.create(
      {
        token,
        type,
        referenceId: input.reference,
        amountMinor: input.amountMinor,
        currency: input.currency,
        request,
        user: type === 'withdrawal' ? undefined : user,
        webhook: input.webhookUrl ? { url: input.webhookUrl } : undefined,
        recurring:
          type === 'recurring' ? { cycleDays, trialDays: 0, startDate: sqlDate(input.at) } : undefined,
        at: input.at,
      },
      input.method,
    );
    if (input.card) {
      transaction.card = {
        mask: `${input.card.number.slice(0, 6)}******${input.card.number.slice(-4)}`,
        brand: input.card.brand,
        holder: input.customer.name,
      };
    }

    if (type === 'withdrawal') {
      this.startWithdrawal(transaction, input.outcome);
      return Promise.resolve({ providerId: transaction.ulid });
    }

    const { processingAfterMs, settleAfterMs, expireAfterMs } = this.#ctx.lifecycle;
    const paidAt = input.at + processingAfterMs;
    const creation: Step = { at: input.at, run: () => undefined };
    let steps: Iterator<Step>;
    if (input.outcome === 'expired') {
      steps = fromArray([creation, this.#expireStep(transaction, input.at + expireAfterMs)]);
    } else {
      const after: Step[] = input.refunds.map((amountMinor, index) => ({
        at: paidAt + settleAfterMs * (index + 2),
        run: (when) => {
          const refundable = this.refundableMinor(transaction);
          if (this.canRefund(transaction) && amountMinor > 0n && refundable > 0n) {
            this.refund(transaction, amountMinor < refundable ? amountMinor : refundable, undefined, when);
          }
        },
      }));
      const then =
        type === 'recurring' ? this.#afterFirstCharge(transaction, paidAt, input.cancelAfterCycles) : after;
      const pay = this.#paySteps(transaction, paidAt, input.outcome, then);
      steps = (function* () {
        yield creation;
        yield* pay;
      })();
    }
    this.#play(transaction, steps);
    return Promise.resolve({ providerId: transaction.ulid });
  }

  records(): SandboxRecord[] {
    return this.#transactions.map((transaction) => {
      const record: SandboxRecord = {
        provider: 'payment-book',
        providerId: transaction.ulid,
        reference: transaction.referenceId,
        kind:
          transaction.type === 'withdrawal'
            ? 'payout'
            : transaction.type === 'recurring'
              ? 'subscription'
              : 'payment',
        status: transaction.status,
        amountMinor: transaction.amountMinor,
        refundedMinor: transaction.refundedMinor,
        currency: transaction.currency,
        createdAt: transaction.createdAt,
        updatedAt: transaction.updatedAt,
      };
      const email = this.customer(transaction.customerId)?.email;
      if (email) record.customerEmail = email;
      return record;
    });
  }

  forceStatus(providerId: string, status: string, options: { notify: boolean }): boolean {
    const transaction = this.#byUlid.get(providerId);
    if (!transaction || !(transactionStatuses as readonly string[]).includes(status)) return false;
    const now = this.#ctx.clock.now();
    const open = transaction.operations.findLast(
      (operation) => !finalOperationStatuses.includes(operation.status),
    );
    if (open && (status === 'success' || status === 'active'))
      this.#setOperation(transaction, open, 'success', now);
    if (open && (status === 'failed' || status === 'expired')) {
      this.#setOperation(transaction, open, status, now, 28106, 'Operation failed.');
    }
    const error =
      status === 'failed' ? unified.notProvided : status === 'expired' ? unified.timeout : undefined;
    this.#setStatus(transaction, status as TransactionStatus, now, error);
    if (options.notify) this.notify(transaction);
    return true;
  }
}

function pull(steps: Iterator<Step>): Step | undefined {
  const result = steps.next();
  return result.done ? undefined : result.value;
}

function sqlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
