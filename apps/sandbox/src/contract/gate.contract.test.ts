/**
 * Contract tests: Paydesk's Gate adapter against the sandbox over real HTTP. Every adapter operation,
 * and each fault class the sandbox injects, with the ProviderError kind the adapter must give and
 * proof that a call that is not safe to repeat is sent once (counted through `onExchange`, and through
 * the sandbox's own records where Gate acted).
 */
import type {
  ConnectionConfig,
  GateCredentials,
  ProviderAdapter,
  ProviderError,
  ProviderExchange,
} from '@paydesk/providers';
import { isProviderError } from '@paydesk/providers';
import { createGateAdapter } from '@paydesk/providers/gate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '../core/faults.ts';
import { startReceiver, type Receiver } from '../core/testing.ts';
import { createSandbox, type Sandbox } from '../index.ts';

// Long timings so real time never moves a lifecycle during a test: only clock advances do.
const step = 60_000;
const usd = (amountMinor: bigint) => ({ amountMinor, currency: 'USD' as const });
const payments = '/api/v1/api/payments';

let sandbox: Sandbox;
let receiver: Receiver;
let exchanges: ProviderExchange[] = [];
let sequence = 0;

beforeAll(async () => {
  sandbox = await createSandbox({
    lifecycle: { processingAfterMs: step, settleAfterMs: step, expireAfterMs: 10 * step },
    webhooks: { retryScale: 0.001, timeoutMs: 1_000 },
  });
  receiver = await startReceiver();
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

afterEach(() => {
  sandbox.resetFaults();
  exchanges = [];
});

function connect(options: Partial<ConnectionConfig<GateCredentials>> = {}): ProviderAdapter {
  const [apiKey = ''] = sandbox.credentials.gate.bearerKeys;
  return createGateAdapter({
    baseUrl: sandbox.urls.gate,
    credentials: { provider: 'gate', apiKey },
    mode: 'test',
    // Short, so the timeout faults keep the suite fast; the sandbox answers in a few ms.
    timeoutMs: 300,
    retries: 2,
    onExchange: (exchange) => exchanges.push(exchange),
    ...options,
  });
}

const reference = (label: string) => `${label}-${++sequence}-${Date.now()}`;

function attempts(operation: string, method?: string): ProviderExchange[] {
  return exchanges.filter(
    (exchange) => exchange.operation === operation && (!method || exchange.method === method),
  );
}

function record(ref: string) {
  return sandbox.records('gate').find((each) => each.reference === ref);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

function faults(...rules: FaultRuleInput[]): void {
  sandbox.setFaults('gate', rules);
}

/** The customer on Gate's hosted page (or 3-D Secure page): pays, or declines. */
async function customer(url: string, action: 'pay' | 'decline'): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `action=${action}`,
    redirect: 'manual',
  });
  await response.arrayBuffer();
  expect(response.status).toBeLessThan(400);
}

/** A successful card payment, as the merchant's shop would have made it. */
async function paidPayment(amount = 10_000n): Promise<string> {
  const ref = reference('paid');
  await sandbox.simulators.gate?.simulate({
    kind: 'payment',
    reference: ref,
    at: sandbox.now() - 100 * step,
    amountMinor: amount,
    currency: 'USD',
    customer: { email: 'ada@example.com', name: 'Ada Lovelace', country: 'GB' },
    method: 'card',
    card: { number: '4111111111111111', brand: 'visa' },
    outcome: 'success',
    refunds: [],
  });
  return ref;
}

function payoutRequest(ref: string, cardNumber = '4111111111111111') {
  return {
    reference: ref,
    amount: usd(5_000n),
    recipient: { email: 'mark@example.com', name: 'Mark Twain', cardNumber },
    webhookUrl: receiver.url,
  };
}

function linkRequest(ref: string, amount = 10_000n) {
  return {
    reference: ref,
    amount: usd(amount),
    customerEmail: 'grace@example.com',
    customerName: 'Grace Hopper',
    description: 'Order from the contract test',
    webhookUrl: receiver.url,
  };
}

describe('Gate adapter against the sandbox', () => {
  it('accepts the sandbox terminal key and refuses another', async () => {
    await expect(connect().testCredentials()).resolves.toBeUndefined();
    const error = await failure(
      connect({ credentials: { provider: 'gate', apiKey: 'wrong' } }).testCredentials(),
    );
    expect(error).toMatchObject({ kind: 'auth', providerCode: '1003', httpStatus: 401 });
  });

  it('creates a payment link the customer pays, and follows it to success', async () => {
    const gate = connect();
    const ref = reference('link');
    const link = await gate.createPaymentLink(linkRequest(ref));
    expect(link).toMatchObject({ providerId: ref, reference: ref });
    expect(link.url).toMatch(new RegExp(`^${sandbox.urls.gate}/pay/gs_`));
    expect(await gate.lookup({ reference: ref })).toMatchObject({
      status: 'action_required',
      actionUrl: link.url,
    });

    await customer(link.url, 'pay');
    expect((await gate.lookup({ reference: ref })).status).toBe('processing');
    await sandbox.advance(step);
    const paid = await gate.lookup({ reference: ref });
    expect(paid).toMatchObject({
      status: 'succeeded',
      kind: 'payment',
      amount: usd(10_000n),
      refundedMinor: 0n,
    });
  });

  it('turns a webhook into a hint that a look-up confirms', async () => {
    const gate = connect();
    const ref = reference('hook');
    const link = await gate.createPaymentLink(linkRequest(ref));
    await customer(link.url, 'pay');
    const deadline = Date.now() + 5_000;
    let delivery = receiver.received.find((each) => each.body.includes(`"${ref}"`));
    while (!delivery && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivery = receiver.received.find((each) => each.body.includes(`"${ref}"`));
    }
    if (!delivery) throw new Error('no webhook arrived');
    const headers = Object.fromEntries(
      Object.entries(delivery.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : value,
      ]),
    );
    const hint = gate.parseWebhook(new TextEncoder().encode(delivery.body), headers);
    expect(hint).toMatchObject({ verified: true, reference: ref, lookupRequired: true });
    if (!hint.verified) return;
    expect(hint.transaction).toBeUndefined();
    expect((await gate.lookup({ reference: hint.reference })).status).toBe('processing');
  });

  it('gives back the same link for the same request, and refuses the reference for another amount', async () => {
    const gate = connect();
    const ref = reference('twice');
    const first = await gate.createPaymentLink(linkRequest(ref));
    expect(await gate.createPaymentLink(linkRequest(ref))).toEqual(first);
    const error = await failure(gate.createPaymentLink(linkRequest(ref, 999n)));
    expect(error.kind).toBe('duplicate');
    expect(error.existing).toMatchObject({ reference: ref, amount: usd(10_000n) });
  });

  it('refunds a payment in full, under the payment’s own reference', async () => {
    const gate = connect();
    const ref = await paidPayment();
    const refund = await gate.refund({
      transaction: { reference: ref },
      amount: usd(10_000n),
      reference: 'rf-1',
      reason: 'Returned',
    });
    expect(refund).toMatchObject({
      providerId: `${ref}/refund`,
      reference: ref,
      status: 'succeeded',
      transaction: { status: 'refunded', refundedMinor: 10_000n },
    });
    expect(record(ref)?.refundedMinor).toBe(10_000n);
    expect(await gate.lookup({ reference: ref })).toMatchObject({
      status: 'refunded',
      refundedMinor: 10_000n,
    });

    // A second refund is refused before anything is sent.
    exchanges = [];
    expect(
      (
        await failure(
          gate.refund({
            transaction: { reference: ref },
            amount: usd(10_000n),
            reference: 'rf-2',
            reason: 'x',
          }),
        )
      ).kind,
    ).toBe('invalid_request');
    expect(attempts('refund')).toHaveLength(0);
  });

  it('refuses a partial refund without sending it', async () => {
    const gate = connect();
    const ref = await paidPayment();
    const error = await failure(
      gate.refund({ transaction: { reference: ref }, amount: usd(2_500n), reference: 'rf', reason: 'x' }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(attempts('refund')).toHaveLength(0);
    expect(record(ref)?.refundedMinor).toBe(0n);
  });

  it('pays out to a card and follows the payout to success', async () => {
    const gate = connect();
    const ref = reference('payout');
    const payout = await gate.createPayout(payoutRequest(ref));
    expect(payout).toMatchObject({ kind: 'payout', status: 'created', amount: usd(5_000n) });
    await sandbox.advance(step);
    expect((await gate.lookup({ reference: ref })).status).toBe('processing');
    await sandbox.advance(step);
    // The look-up knows it is a payout from Paydesk's mark, though Gate's object does not say so.
    expect(await gate.lookup({ reference: ref })).toMatchObject({ kind: 'payout', status: 'succeeded' });
    expect(record(ref)?.kind).toBe('payout');
  });

  it('reports a declined payout with the issuer’s code', async () => {
    const gate = connect();
    const ref = reference('declined');
    await gate.createPayout(payoutRequest(ref, '4000000000000002'));
    await sandbox.advance(2 * step);
    expect(await gate.lookup({ reference: ref })).toMatchObject({
      status: 'declined',
      declineCode: '4001',
      declineMessage: 'Declined by issuer',
    });
  });

  it('reports an unknown reference as not_found', async () => {
    const error = await failure(connect().lookup({ reference: reference('nobody') }));
    expect(error).toMatchObject({ kind: 'not_found', providerCode: '1104' });
  });

  it('refuses what Gate cannot do', async () => {
    const gate = connect();
    expect((await failure(gate.cancelSubscription({ reference: 'x' }))).kind).toBe('invalid_request');
    expect((await failure(gate.fetchReceipt('x'))).kind).toBe('invalid_request');
    expect((await failure(gate.listChangedSince(null))).kind).toBe('invalid_request');
  });
});

describe('faults on a look-up (safe: retried)', () => {
  const lookupFault = (rule: FaultRuleInput) => faults({ match: `${payments}/`, method: 'GET', ...rule });

  it.each([
    ['timeout', 'timeout', { kind: 'timeout', holdMs: 5_000 }],
    ['500', 'unavailable', { kind: 'error_500' }],
    ['body-less 502', 'unavailable', { kind: 'error_502' }],
    ['429', 'rate_limited', { kind: 'rate_limit', retryAfterSeconds: 0 }],
    ['malformed JSON', 'schema', { kind: 'malformed_json' }],
  ] as const)('%s that persists → %s after every attempt', async (_label, kind, rule) => {
    const ref = await paidPayment();
    lookupFault(rule);
    const error = await failure(connect().lookup({ reference: ref }));
    expect(error.kind).toBe(kind);
    expect(error.retrySafe).toBe(true);
    expect(attempts('lookup')).toHaveLength(3);
  });

  it.each([
    ['timeout', { kind: 'timeout', holdMs: 5_000 }],
    ['500', { kind: 'error_500' }],
    ['body-less 502', { kind: 'error_502' }],
    ['429 with Retry-After', { kind: 'rate_limit', retryAfterSeconds: 1 }],
    ['malformed JSON', { kind: 'malformed_json' }],
  ] as const)('a single %s is ridden out by a retry', async (_label, rule) => {
    const ref = await paidPayment();
    lookupFault({ ...rule, count: 1 });
    const started = Date.now();
    expect((await connect().lookup({ reference: ref })).status).toBe('succeeded');
    expect(attempts('lookup').map((exchange) => exchange.outcome)).toEqual([
      expect.not.stringMatching(/^ok$/),
      'ok',
    ]);
    if (rule.kind === 'rate_limit') expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps Retry-After on a persisting 429', async () => {
    const ref = await paidPayment();
    lookupFault({ kind: 'rate_limit', retryAfterSeconds: 0 });
    expect(await failure(connect({ retries: 0 }).lookup({ reference: ref }))).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 0,
      httpStatus: 429,
    });
  });
});

describe('faults on a refund (not safe: sent once)', () => {
  const refundFault = (rule: FaultRuleInput) =>
    faults({ match: `${payments}/refund`, method: 'POST', ...rule });
  const refund = (ref: string) =>
    connect().refund({
      transaction: { reference: ref },
      amount: usd(10_000n),
      reference: `rf-${ref}`,
      reason: 'Returned',
    });

  it.each([
    ['timeout before Gate acts', 'unknown_outcome', { kind: 'timeout', holdMs: 5_000 }, false],
    ['timeout after Gate acted', 'unknown_outcome', { kind: 'timeout', holdMs: 5_000, phase: 'after' }, true],
    ['500 after Gate acted', 'unknown_outcome', { kind: 'error_500', phase: 'after' }, true],
    ['500 (HTML) before Gate acts', 'unknown_outcome', { kind: 'error_500', envelope: 'html' }, false],
    ['body-less 502 after Gate acted', 'unknown_outcome', { kind: 'error_502', phase: 'after' }, true],
    ['malformed JSON (Gate acted)', 'unknown_outcome', { kind: 'malformed_json' }, true],
    ['429 with Retry-After', 'rate_limited', { kind: 'rate_limit', retryAfterSeconds: 1 }, false],
  ] as const)('%s → %s, one attempt', async (_label, kind, rule, refunded) => {
    const ref = await paidPayment();
    refundFault(rule);
    const error = await failure(refund(ref));
    expect(error.kind).toBe(kind);
    expect(attempts('refund', 'POST')).toHaveLength(1);
    // Only a refusal (429) says the refund can be sent again; a lost answer must be looked up first.
    expect(error.retrySafe).toBe(kind === 'rate_limited');
    expect(record(ref)?.refundedMinor).toBe(refunded ? 10_000n : 0n);
    // The look-up that settles the unknown outcome tells what really happened.
    sandbox.resetFaults();
    expect((await connect().lookup({ reference: ref })).status).toBe(refunded ? 'refunded' : 'succeeded');
  });
});

describe('faults on a payout (a deduplicated create: retried, never doubled)', () => {
  const payoutFault = (rule: FaultRuleInput) =>
    faults({ match: `${payments}/payout`, method: 'POST', ...rule });

  it.each([
    ['timeout after Gate acted', { kind: 'timeout', holdMs: 5_000, phase: 'after' }],
    ['500 after Gate acted', { kind: 'error_500', phase: 'after' }],
    ['body-less 502 after Gate acted', { kind: 'error_502', phase: 'after' }],
    ['malformed JSON', { kind: 'malformed_json' }],
    ['429 with Retry-After', { kind: 'rate_limit', retryAfterSeconds: 0 }],
    ['timeout before Gate acts', { kind: 'timeout', holdMs: 5_000 }],
  ] as const)('a single %s: the retry settles it, one payout exists', async (_label, rule) => {
    const ref = reference('payout-fault');
    payoutFault({ ...rule, count: 1 });
    const payout = await connect().createPayout(payoutRequest(ref));
    expect(payout).toMatchObject({ reference: ref, kind: 'payout', amount: usd(5_000n) });
    expect(attempts('createPayout', 'POST')).toHaveLength(2);
    expect(sandbox.records('gate').filter((each) => each.reference === ref)).toHaveLength(1);
  });

  it.each([
    ['timeout', { kind: 'timeout', holdMs: 5_000 }],
    ['500', { kind: 'error_500' }],
    ['body-less 502', { kind: 'error_502' }],
  ] as const)('a %s on every attempt → unknown_outcome, and nothing was created', async (_label, rule) => {
    const ref = reference('payout-lost');
    payoutFault(rule);
    const error = await failure(connect().createPayout(payoutRequest(ref)));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: true });
    expect(attempts('createPayout', 'POST')).toHaveLength(3);
    expect(record(ref)).toBeUndefined();
  });
});
