/**
 * Contract tests: Paydesk's Paytone adapter against the sandbox over real HTTP. Every adapter
 * operation, signed callbacks end to end, and each fault class the sandbox injects, with the
 * ProviderError kind the adapter must give and proof that nothing moves money twice (counted through
 * `onExchange`, and through the sandbox's own records where Paytone acted).
 */
import type {
  ConnectionConfig,
  PaytoneCredentials,
  ProviderAdapter,
  ProviderError,
  ProviderExchange,
} from '@paydesk/providers';
import { isProviderError } from '@paydesk/providers';
import { createPaytoneAdapter } from '@paydesk/providers/paytone';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '../core/faults.ts';
import { startReceiver, type Receiver } from '../core/testing.ts';
import { createSandbox, type Sandbox } from '../index.ts';

// Long timings so real time never moves a lifecycle during a test: only clock advances do.
const step = 60_000;
const usd = (amountMinor: bigint) => ({ amountMinor, currency: 'USD' as const });
const encoder = new TextEncoder();

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

function credentials(overrides: Partial<PaytoneCredentials> = {}): PaytoneCredentials {
  return { provider: 'paytone', ...sandbox.credentials.paytone, ...overrides };
}

function connect(
  options: Partial<ConnectionConfig<PaytoneCredentials>> = {},
  listPageSize?: number,
): ProviderAdapter {
  return createPaytoneAdapter(
    {
      baseUrl: sandbox.urls.paytone,
      credentials: credentials(),
      mode: 'test',
      // Short, so the timeout faults keep the suite fast; the sandbox answers in a few ms.
      timeoutMs: 300,
      retries: 2,
      onExchange: (exchange) => exchanges.push(exchange),
      ...options,
    },
    listPageSize ? { listPageSize } : {},
  );
}

const reference = (label: string) => `${label}-${++sequence}-${Date.now()}`;

function attempts(operation: string): ProviderExchange[] {
  return exchanges.filter((exchange) => exchange.operation === operation);
}

function record(ref: string) {
  return sandbox.records('paytone').find((each) => each.reference === ref);
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
  sandbox.setFaults('paytone', rules);
}

/** A processed card payment the shop took earlier (its lifecycle is long over). */
async function paidInvoice(
  amount = 10_000n,
  at = sandbox.now() - 100 * step,
): Promise<{ reference: string; id: string }> {
  const ref = reference('paid');
  const simulator = sandbox.simulators.paytone;
  if (!simulator) throw new Error('no Paytone simulator');
  const { providerId } = await simulator.simulate({
    kind: 'payment',
    reference: ref,
    at,
    amountMinor: amount,
    currency: 'USD',
    customer: { email: 'ada@example.com', name: 'Ada Lovelace', country: 'GB' },
    method: 'card',
    card: { number: '5555555555554444', brand: 'mastercard' },
    outcome: 'success',
    refunds: [],
  });
  return { reference: ref, id: providerId };
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

function payoutRequest(ref: string) {
  return {
    reference: ref,
    amount: usd(5_000n),
    recipient: { email: 'mark@example.com', name: 'Mark Twain', cardNumber: '4111111111111111' },
    webhookUrl: receiver.url,
  };
}

/** The customer on the hosted page: enters a card and pays. */
async function pay(invoiceId: string, cardNumber = '4242424242424242'): Promise<void> {
  const response = await fetch(`${sandbox.urls.paytone}/hpp/${invoiceId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `card_number=${cardNumber}`,
    redirect: 'manual',
  });
  await response.arrayBuffer();
  expect(response.status).toBe(303);
}

/** Callbacks received for one invoice, waiting until `count` have arrived. */
async function callbacks(invoiceId: string, count: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = receiver.received.filter((each) => each.body.includes(`"id":"${invoiceId}"`));
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const headerMap = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
  );

const refundRequest = (id: string, ref: string, amountMinor = 1_000n) => ({
  transaction: { reference: ref, providerId: id },
  amount: usd(amountMinor),
  reference: `rf-${ref}-${amountMinor}`,
  reason: 'Package with defect',
});

describe('Paytone adapter against the sandbox', () => {
  it('accepts the sandbox credentials and refuses a wrong API key or public key', async () => {
    await expect(connect().testCredentials()).resolves.toBeUndefined();
    const badKey = await failure(
      connect({ credentials: credentials({ apiKey: 'wrong' }) }).testCredentials(),
    );
    expect(badKey).toMatchObject({ kind: 'auth', httpStatus: 401, providerCode: '401' });
    const badPublic = await failure(
      connect({ credentials: credentials({ publicKey: 'pk_test_wrong' }) }).testCredentials(),
    );
    expect(badPublic).toMatchObject({ kind: 'auth', httpStatus: 401 });
  });

  it('creates a payment link, the customer pays, and signed callbacks tell every step', async () => {
    const paytone = connect();
    const ref = reference('link');
    const link = await paytone.createPaymentLink(linkRequest(ref));
    expect(link.providerId).toMatch(/^cpi_/);
    expect(link).toMatchObject({
      reference: ref,
      url: `${sandbox.urls.paytone}/redirect/hpp/?cpi=${link.providerId}`,
    });
    expect(await paytone.lookup({ reference: ref, providerId: link.providerId })).toMatchObject({
      status: 'action_required',
      rawStatus: 'process_pending',
      actionUrl: link.url,
      testMode: true,
    });
    expect((await paytone.lookup({ reference: ref })).providerId).toBe(link.providerId);

    await pay(link.providerId);
    expect((await paytone.lookup({ reference: ref, providerId: link.providerId })).status).toBe('processing');
    await sandbox.advance(step);
    const paid = await paytone.lookup({ reference: ref, providerId: link.providerId });
    expect(paid).toMatchObject({
      status: 'succeeded',
      amount: usd(10_000n),
      card: { bin: '424242', last4: '4242', brand: 'visa' },
    });
    expect(JSON.stringify(paid.raw)).not.toContain(receiver.url);

    const received = await callbacks(link.providerId, 3);
    const results = received.map((each) =>
      paytone.parseWebhook(encoder.encode(each.body), headerMap(each.headers)),
    );
    expect(results.map((result) => result.verified && result.transaction?.status)).toEqual([
      'action_required',
      'processing',
      'succeeded',
    ]);
    const ids = results.map((result) => (result.verified ? result.eventId : ''));
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses a callback whose signature does not match', async () => {
    const paytone = connect();
    const link = await paytone.createPaymentLink(linkRequest(reference('forged')));
    const [delivery] = await callbacks(link.providerId, 1);
    if (!delivery) throw new Error('no callback arrived');
    const headers = headerMap(delivery.headers);
    const tampered = delivery.body.replace('"process_pending"', '"processed"');
    expect(paytone.parseWebhook(encoder.encode(tampered), headers)).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
    expect(
      paytone.parseWebhook(encoder.encode(delivery.body), { ...headers, 'x-signature': undefined }),
    ).toMatchObject({
      verified: false,
      reason: 'missing_signature',
    });
    // A connection with other secrets cannot verify it either.
    const other = connect({ credentials: credentials({ testSecretKey: 'sk_test_other' }) });
    expect(other.parseWebhook(encoder.encode(delivery.body), headers)).toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('gives back the same invoice for the same request, and refuses the reference for another amount', async () => {
    const paytone = connect();
    const ref = reference('twice');
    const first = await paytone.createPaymentLink(linkRequest(ref));
    expect(await paytone.createPaymentLink(linkRequest(ref))).toEqual(first);
    const error = await failure(paytone.createPaymentLink(linkRequest(ref, 999n)));
    expect(error).toMatchObject({
      kind: 'duplicate',
      httpStatus: 409,
      existing: { providerId: first.providerId },
    });
  });

  it('refunds partially, twice, and the same refund again is the earlier one', async () => {
    const paytone = connect();
    const invoice = await paidInvoice();
    const first = await paytone.refund(refundRequest(invoice.id, invoice.reference, 1_000n));
    expect(first).toMatchObject({ status: 'pending', amount: usd(1_000n) });
    expect(first.providerId).toMatch(/^ref_/);
    expect(await paytone.refund(refundRequest(invoice.id, invoice.reference, 1_000n))).toEqual(first);
    await sandbox.advance(step);
    expect(await paytone.lookup({ reference: invoice.reference, providerId: invoice.id })).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 1_000n,
    });

    // By reference only: the adapter finds the invoice first.
    await paytone.refund({
      ...refundRequest(invoice.id, invoice.reference, 2_500n),
      transaction: { reference: invoice.reference },
    });
    await sandbox.advance(step);
    expect(record(invoice.reference)?.refundedMinor).toBe(3_500n);
  });

  it('refuses a refund of more than is left, with the field Paytone named', async () => {
    const invoice = await paidInvoice(1_000n);
    const error = await failure(connect().refund(refundRequest(invoice.id, invoice.reference, 5_000n)));
    expect(error).toMatchObject({ kind: 'invalid_request', httpStatus: 422 });
    expect(error.fields?.[0]?.path).toBe('amount');
  });

  it('pays out to a card in one call and follows the payout to success', async () => {
    const paytone = connect();
    const ref = reference('payout');
    const payout = await paytone.createPayout(payoutRequest(ref));
    expect(payout).toMatchObject({
      kind: 'payout',
      status: 'processing',
      amount: usd(5_000n),
      card: { last4: '1111' },
    });
    expect(payout.providerId).toMatch(/^cpoi_/);
    await sandbox.advance(step);
    expect(await paytone.lookup({ reference: ref, providerId: payout.providerId })).toMatchObject({
      kind: 'payout',
      status: 'succeeded',
    });
    expect((await paytone.createPayout(payoutRequest(ref))).providerId).toBe(payout.providerId);
  });

  it('processes an earlier payout of the same request made without auto_process', async () => {
    const ref = reference('manual');
    const authorization = `Basic ${Buffer.from(`${sandbox.credentials.paytone.commerceAccountId}:${sandbox.credentials.paytone.apiKey}`).toString('base64')}`;
    const created = await fetch(`${sandbox.urls.paytone}/api/payout-invoices`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: {
          type: 'payout-invoice',
          attributes: {
            reference_id: ref,
            amount: 50,
            currency: 'USD',
            service: 'payment_card_usd_direct',
            service_fields: { card_number: '4111111111111111' },
            test_mode: true,
          },
        },
      }),
    });
    expect(created.status).toBe(201);
    const payout = await connect().createPayout(payoutRequest(ref));
    expect(payout.status).toBe('processing');
    expect(attempts('createPayout.process')).toHaveLength(1);
  });

  it('lists every invoice across cursor pages', async () => {
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => paidInvoice()));
    const paytone = connect({}, 2);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let caughtUp = false;
    while (!caughtUp && pages < 1_000) {
      const page = await paytone.listChangedSince(cursor);
      expect(page.transactions.length).toBeLessThanOrEqual(2);
      seen.push(...page.transactions.map((each) => each.providerId));
      ({ cursor, caughtUp } = page);
      pages += 1;
    }
    expect(caughtUp).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    for (const invoice of made) expect(seen).toContain(invoice.id);

    // Later calls with the stored cursor list only what was created since, then nothing. (Paytone
    // orders by creation time, so "since" means created after the newest invoice already listed.)
    await sandbox.advance(step);
    const newer = await Promise.all([1, 2, 3].map(() => paidInvoice(10_000n, sandbox.now())));
    const since: string[] = [];
    for (caughtUp = false; !caughtUp;) {
      const page = await paytone.listChangedSince(cursor);
      since.push(...page.transactions.map((each) => each.providerId));
      ({ cursor, caughtUp } = page);
    }
    expect(since.sort()).toEqual(newer.map((invoice) => invoice.id).sort());
    expect((await paytone.listChangedSince(cursor)).transactions).toEqual([]);
  });

  it('reports unknown invoices as not_found', async () => {
    expect(
      (await failure(connect().lookup({ reference: 'x', providerId: 'cpi_Nobody0000000000' }))).kind,
    ).toBe('not_found');
    expect((await failure(connect().lookup({ reference: reference('nobody') }))).kind).toBe('not_found');
  });

  it('refuses what Paytone cannot do', async () => {
    expect((await failure(connect().cancelSubscription({ reference: 'x' }))).kind).toBe('invalid_request');
    expect((await failure(connect().fetchReceipt('x'))).kind).toBe('invalid_request');
  });
});

describe('faults on a look-up (safe: retried)', () => {
  const lookupFault = (rule: FaultRuleInput) =>
    faults({ match: '/api/payment-invoices/', method: 'GET', ...rule });

  it.each([
    ['timeout', 'timeout', { kind: 'timeout', holdMs: 5_000 }],
    ['500', 'unavailable', { kind: 'error_500' }],
    ['body-less 502', 'unavailable', { kind: 'error_502' }],
    ['429', 'rate_limited', { kind: 'rate_limit', retryAfterSeconds: 0 }],
    ['malformed JSON', 'schema', { kind: 'malformed_json' }],
  ] as const)('%s that persists → %s after every attempt', async (_label, kind, rule) => {
    const invoice = await paidInvoice();
    lookupFault(rule);
    const error = await failure(connect().lookup({ reference: invoice.reference, providerId: invoice.id }));
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
    const invoice = await paidInvoice();
    lookupFault({ ...rule, count: 1 });
    const started = Date.now();
    expect((await connect().lookup({ reference: invoice.reference, providerId: invoice.id })).status).toBe(
      'succeeded',
    );
    expect(attempts('lookup').map((exchange) => exchange.outcome)).toEqual([
      expect.not.stringMatching(/^ok$/),
      'ok',
    ]);
    if (rule.kind === 'rate_limit') expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps Retry-After and the provider’s code on a persisting 429', async () => {
    const invoice = await paidInvoice();
    lookupFault({ kind: 'rate_limit', retryAfterSeconds: 7 });
    expect(
      await failure(connect({ retries: 0 }).lookup({ reference: invoice.reference, providerId: invoice.id })),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 7,
      providerCode: '429',
    });
  });
});

describe('faults on a refund (deduplicated by reference_id: retried, never doubled)', () => {
  const refundFault = (id: string, rule: FaultRuleInput) =>
    faults({ match: `/api/payment-invoices/${id}/refund`, method: 'POST', ...rule });

  it.each([
    ['timeout after Paytone acted', { kind: 'timeout', holdMs: 5_000, phase: 'after' }],
    ['timeout before Paytone acts', { kind: 'timeout', holdMs: 5_000 }],
    ['500 after Paytone acted', { kind: 'error_500', phase: 'after' }],
    ['body-less 502 after Paytone acted', { kind: 'error_502', phase: 'after' }],
    ['malformed JSON', { kind: 'malformed_json' }],
    ['429 with Retry-After', { kind: 'rate_limit', retryAfterSeconds: 1 }],
  ] as const)('a single %s: the retry settles it, refunded once', async (_label, rule) => {
    const invoice = await paidInvoice();
    refundFault(invoice.id, { ...rule, count: 1 });
    const refund = await connect().refund(refundRequest(invoice.id, invoice.reference));
    expect(refund).toMatchObject({ amount: usd(1_000n), status: 'pending' });
    expect(attempts('refund')).toHaveLength(2);
    await sandbox.advance(step);
    expect(record(invoice.reference)?.refundedMinor).toBe(1_000n);
  });

  it.each([
    ['timeout', { kind: 'timeout', holdMs: 5_000 }],
    ['500', { kind: 'error_500' }],
    ['body-less 502', { kind: 'error_502' }],
  ] as const)('a %s on every attempt → unknown_outcome, nothing refunded', async (_label, rule) => {
    const invoice = await paidInvoice();
    refundFault(invoice.id, rule);
    const error = await failure(connect().refund(refundRequest(invoice.id, invoice.reference)));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: true });
    expect(attempts('refund')).toHaveLength(3);
    await sandbox.advance(step);
    expect(record(invoice.reference)?.refundedMinor).toBe(0n);
  });

  it('a 500 after Paytone acted on every attempt → unknown_outcome; sending it again settles it once', async () => {
    const invoice = await paidInvoice();
    refundFault(invoice.id, { kind: 'error_500', phase: 'after' });
    expect((await failure(connect().refund(refundRequest(invoice.id, invoice.reference)))).kind).toBe(
      'unknown_outcome',
    );
    sandbox.resetFaults();
    expect((await connect().refund(refundRequest(invoice.id, invoice.reference))).amount).toEqual(
      usd(1_000n),
    );
    await sandbox.advance(step);
    expect(record(invoice.reference)?.refundedMinor).toBe(1_000n);
  });
});

describe('faults on creates (deduplicated: retried, never doubled)', () => {
  it.each([
    ['timeout after Paytone acted', { kind: 'timeout', holdMs: 5_000, phase: 'after' }],
    ['500 after Paytone acted', { kind: 'error_500', phase: 'after' }],
    ['body-less 502 after Paytone acted', { kind: 'error_502', phase: 'after' }],
    ['malformed JSON', { kind: 'malformed_json' }],
  ] as const)('a single %s on a payout: one payout exists', async (_label, rule) => {
    const ref = reference('payout-fault');
    faults({ match: '/api/payout-invoices', method: 'POST', count: 1, ...rule });
    const payout = await connect().createPayout(payoutRequest(ref));
    expect(payout).toMatchObject({ reference: ref, kind: 'payout' });
    expect(attempts('createPayout')).toHaveLength(2);
    expect(sandbox.records('paytone').filter((each) => each.reference === ref)).toHaveLength(1);
  });

  it('a timeout on every attempt of a payment link → unknown_outcome; the look-up finds nothing', async () => {
    const ref = reference('link-lost');
    faults({ match: '/api/payment-invoices', method: 'POST', kind: 'timeout', holdMs: 5_000 });
    const error = await failure(connect().createPaymentLink(linkRequest(ref)));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: true });
    expect(attempts('createPaymentLink')).toHaveLength(3);
    sandbox.resetFaults();
    expect((await failure(connect().lookup({ reference: ref }))).kind).toBe('not_found');
  });

  it('never retries /process (not deduplicated): a lost answer is unknown_outcome after one attempt', async () => {
    const ref = reference('process-lost');
    const authorization = `Basic ${Buffer.from(`${sandbox.credentials.paytone.commerceAccountId}:${sandbox.credentials.paytone.apiKey}`).toString('base64')}`;
    const created = await fetch(`${sandbox.urls.paytone}/api/payout-invoices`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: {
          type: 'payout-invoice',
          attributes: {
            reference_id: ref,
            amount: 50,
            currency: 'USD',
            service: 'payment_card_usd_direct',
            service_fields: { card_number: '4111111111111111' },
            test_mode: true,
          },
        },
      }),
    });
    const { data } = (await created.json()) as { data: { id: string } };
    faults({
      match: `/api/payout-invoices/${data.id}/process`,
      method: 'POST',
      kind: 'timeout',
      holdMs: 5_000,
      phase: 'after',
    });
    const error = await failure(connect().createPayout(payoutRequest(ref)));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: false });
    expect(attempts('createPayout.process')).toHaveLength(1);
    sandbox.resetFaults();
    // The look-up by id settles it: Paytone did process it.
    expect((await connect().lookup({ reference: ref, providerId: data.id })).rawStatus).toBe('processing');
  });
});
