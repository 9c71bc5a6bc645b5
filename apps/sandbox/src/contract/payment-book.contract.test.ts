/**
 * Contract tests: Paydesk's Payment Book adapter against the sandbox over real HTTP. Every adapter
 * operation, and each fault class the sandbox can inject, with the ProviderError kind the adapter must
 * give and proof that a call that is not safe to repeat is sent exactly once (counted through
 * `onExchange` and, where the provider acted, through the sandbox's own records).
 */
import type {
  ConnectionConfig,
  NormalizedTransaction,
  PaymentBookCredentials,
  ProviderAdapter,
  ProviderExchange,
} from '@paydesk/providers';
import { createPaymentBookAdapter } from '@paydesk/providers/payment-book';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedTransaction } from '../core/contract.ts';
import { startReceiver, type Receiver } from '../core/testing.ts';
import { createSandbox, type Sandbox } from '../index.ts';
import { createPaymentBookModule } from '../payment-book/index.ts';

const lifecycle = {
  processingAfterMs: 1_000,
  settleAfterMs: 2_000,
  expireAfterMs: 30 * 60_000,
  subscriptionCycleMs: 24 * 3_600_000,
};
const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' as const });
const encoder = new TextEncoder();

let sandbox: Sandbox;
let receiver: Receiver;
let exchanges: ProviderExchange[];
let adapter: ProviderAdapter;
let sequence = 0;

function credentials(overrides: Partial<PaymentBookCredentials> = {}): PaymentBookCredentials {
  const token = sandbox.credentials['payment-book'].tokens[0];
  if (!token) throw new Error('the sandbox has no Payment Book token');
  return {
    provider: 'payment-book',
    tokenName: token.name,
    tokenSecret: token.secret,
    serviceId: token.serviceId,
    ...overrides,
  };
}

function connect(options: Partial<ConnectionConfig<PaymentBookCredentials>> = {}): ProviderAdapter {
  return createPaymentBookAdapter({
    baseUrl: sandbox.urls['payment-book'],
    mode: 'test',
    timeoutMs: 5_000,
    retries: 2,
    credentials: credentials(),
    onExchange: (exchange) => exchanges.push(exchange),
    ...options,
  });
}

/** Fast enough to keep timeout tests short, long enough for the sandbox's own answers. */
function fastAdapter(): ProviderAdapter {
  return connect({ timeoutMs: 300 });
}

function reference(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

function calls(operation: string): ProviderExchange[] {
  return exchanges.filter((exchange) => exchange.operation === operation);
}

function record(ref: string) {
  return sandbox.records('payment-book').find((each) => each.reference === ref);
}

/** A transaction the shop created an hour ago and that has settled. */
async function settled(
  input: Partial<SimulatedTransaction> = {},
): Promise<{ reference: string; ulid: string }> {
  const simulator = sandbox.simulators['payment-book'];
  if (!simulator) throw new Error('no Payment Book simulator');
  const ref = input.reference ?? reference('shop');
  const { providerId } = await simulator.simulate({
    kind: 'payment',
    reference: ref,
    at: sandbox.now() - 3_600_000,
    amountMinor: 10000n,
    currency: 'EUR',
    customer: { email: 'anna.berzina@example.lv', name: 'Anna Bērziņa', country: 'LV' },
    method: 'card',
    card: { number: '4111111111111111', brand: 'visa' },
    outcome: 'success',
    refunds: [],
    ...input,
  });
  return { reference: ref, ulid: providerId };
}

/** The customer pays on the hosted page, and the sandbox lets the payment settle. */
async function pay(url: string, ulid: string): Promise<void> {
  const response = await fetch(`${new URL(url).origin}/payment/${ulid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay&payment_method_id=1',
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  await sandbox.advance(lifecycle.settleAfterMs);
}

function paymentOperation(transaction: NormalizedTransaction) {
  const operation = transaction.operations.find((each) => each.type === 'payment');
  if (!operation) throw new Error('no payment operation');
  return operation;
}

beforeAll(async () => {
  sandbox = await createSandbox({
    seed: 'payment-book-contract',
    lifecycle,
    webhooks: { retryScale: 0.001 },
  });
  receiver = await startReceiver('/webhooks/payment-book');
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(() => {
  exchanges = [];
  adapter = connect();
});
afterEach(() => {
  sandbox.resetFaults('payment-book');
  sandbox.resetMischief();
});

describe('Payment Book adapter against the sandbox', () => {
  it('accepts the sandbox credentials and refuses wrong ones as auth', async () => {
    await expect(adapter.testCredentials()).resolves.toBeUndefined();
    for (const wrong of [{ tokenSecret: 'not-the-secret' }, { tokenName: 'nobody' }, { serviceId: 11 }]) {
      await expect(connect({ credentials: credentials(wrong) }).testCredentials()).rejects.toMatchObject({
        kind: 'auth',
      });
    }
  });

  it('creates a payment link, follows the payment to success and hears it by signed webhooks', async () => {
    const ref = reference('link');
    const link = await adapter.createPaymentLink({
      reference: ref,
      amount: eur(4999n),
      customerEmail: 'janis.ozols@example.lv',
      customerName: 'Jānis Ozols',
      description: 'Invoice 42',
      webhookUrl: receiver.url,
    });
    expect(link.url).toBe(`${sandbox.urls['payment-book']}/payment/purchase/${link.providerId}`);
    expect(link.reference).toBe(ref);
    expect(await adapter.lookup({ reference: ref })).toMatchObject({
      providerId: link.providerId,
      status: 'created',
      amount: eur(4999n),
      fee: eur(30n),
      customer: { email: 'janis.ozols@example.lv', name: 'Jānis Ozols' },
      operations: [],
    });

    const before = receiver.received.length;
    await pay(link.url, link.providerId);
    const paid = await adapter.lookup({ reference: ref });
    expect(paid).toMatchObject({
      kind: 'payment',
      status: 'succeeded',
      rawStatus: 'success',
      refundedMinor: 0n,
    });
    expect(paymentOperation(paid)).toMatchObject({ status: 'succeeded', amount: eur(5029n) });

    await sandbox.webhooksIdle();
    const deliveries = await receiver.waitFor(before + 1);
    const results = deliveries
      .slice(before)
      .map((delivery) => adapter.parseWebhook(encoder.encode(delivery.body), {}));
    for (const result of results) expect(result).toMatchObject({ verified: true, reference: ref });
    const last = results.at(-1);
    expect(last).toMatchObject({ lookupRequired: false, transaction: { status: 'succeeded' } });
  });

  it('refuses a second payment link with the same reference as duplicate', async () => {
    const ref = reference('dup');
    const request = {
      reference: ref,
      amount: eur(100n),
      customerEmail: 'a@example.com',
      webhookUrl: receiver.url,
    };
    await adapter.createPaymentLink(request);
    await expect(adapter.createPaymentLink(request)).rejects.toMatchObject({
      kind: 'duplicate',
      httpStatus: 422,
      retrySafe: false,
    });
  });

  it('converts amounts of 0, 2 and 3 decimal currencies exactly', async () => {
    for (const [currency, amountMinor] of [
      ['JPY', 1200n],
      ['KWD', 1500n],
      ['EUR', 1n],
    ] as const) {
      const ref = reference(`amount-${currency}`);
      await adapter.createPaymentLink({
        reference: ref,
        amount: { amountMinor, currency },
        customerEmail: 'a@example.com',
        webhookUrl: receiver.url,
      });
      expect((await adapter.lookup({ reference: ref })).amount).toEqual({ amountMinor, currency });
    }
  });

  it('reads a card payment: BIN, last four and brand, never the number', async () => {
    const { reference: ref, ulid } = await settled();
    const transaction = await adapter.lookup({ reference: ref });
    expect(transaction).toMatchObject({
      providerId: ulid,
      status: 'succeeded',
      card: { bin: '411111', last4: '1111', brand: 'visa' },
      method: 'card',
      customer: { email: 'anna.berzina@example.lv', name: 'Anna Bērziņa' },
    });
    expect(JSON.stringify(transaction.raw)).not.toContain('4111111111111111');
  });

  it('refunds in parts, then refuses more than what is left', async () => {
    const { reference: ref } = await settled();
    const first = await adapter.refund({
      transaction: { reference: ref },
      amount: eur(3000n),
      reference: 'refund-a',
      reason: 'Package with defect',
    });
    expect(first).toMatchObject({
      reference: 'refund-a',
      status: 'succeeded',
      amount: eur(3000n),
      transaction: { status: 'partially_refunded', refundedMinor: 3000n },
    });
    await expect(
      adapter.refund({
        transaction: { reference: ref },
        amount: eur(7001n),
        reference: 'refund-b',
        reason: 'x',
      }),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 422,
      fields: [{ path: 'refund.amount', message: 'The refund.amount must be less than or equal to 70.00.' }],
    });
    const rest = await adapter.refund({
      transaction: { reference: ref },
      amount: eur(7000n),
      reference: 'refund-c',
      reason: 'x',
    });
    expect(rest.transaction).toMatchObject({ status: 'refunded', refundedMinor: 10000n });
    expect(record(ref)).toMatchObject({ status: 'refunded', refundedMinor: 10000n });
    await expect(
      adapter.refund({ transaction: { reference: 'nope' }, amount: eur(1n), reference: 'r', reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('fetches receipts of successful operations as whole PDFs', async () => {
    const { reference: ref } = await settled();
    const operation = paymentOperation(await adapter.lookup({ reference: ref }));
    const receipt = await adapter.fetchReceipt(operation.providerId);
    expect(new TextDecoder('latin1').decode(receipt.pdf.subarray(0, 5))).toBe('%PDF-');
    expect(receipt.filename).toBe(`receipt-${operation.providerId}.pdf`);
    await expect(adapter.fetchReceipt('01KS00000000000000000000XX')).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('refuses a receipt for an operation that did not succeed', async () => {
    const { reference: ref } = await settled({ outcome: 'declined' });
    const transaction = await adapter.lookup({ reference: ref });
    expect(transaction).toMatchObject({ status: 'declined', declineCode: '100' });
    expect(paymentOperation(transaction).declineCode).toBeDefined();
    await expect(adapter.fetchReceipt(paymentOperation(transaction).providerId)).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 400,
    });
  });

  it('creates a payout from the balance and follows it to success', async () => {
    const ref = reference('payout');
    const payout = await adapter.createPayout({
      reference: ref,
      amount: eur(2500n),
      recipient: { name: 'Merchant SIA' },
      webhookUrl: receiver.url,
    });
    expect(payout).toMatchObject({ kind: 'payout', reference: ref, status: 'created', amount: eur(2500n) });
    expect(payout.operations).toEqual([expect.objectContaining({ type: 'payout', status: 'pending' })]);
    await sandbox.advance(lifecycle.processingAfterMs + lifecycle.settleAfterMs);
    expect(await adapter.lookup({ reference: ref })).toMatchObject({ status: 'succeeded' });
  });

  it('cancels an active subscription', async () => {
    const { reference: ref } = await settled({ kind: 'subscription', card: undefined });
    expect(await adapter.lookup({ reference: ref })).toMatchObject({
      kind: 'subscription',
      status: 'active',
    });
    const cancelling = await adapter.cancelSubscription({ reference: ref });
    expect(cancelling).toMatchObject({ kind: 'subscription', reference: ref });
    await sandbox.advance(lifecycle.settleAfterMs);
    expect(await adapter.lookup({ reference: ref })).toMatchObject({
      status: 'cancelled',
      rawStatus: 'canceled',
    });
    await expect(adapter.cancelSubscription({ reference: ref })).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 400,
    });
  });

  it('answers not_found for an unknown reference and cannot list', async () => {
    await expect(adapter.lookup({ reference: 'never-created' })).rejects.toMatchObject({
      kind: 'not_found',
      httpStatus: 404,
    });
    await expect(adapter.listChangedSince(null)).rejects.toMatchObject({ kind: 'invalid_request' });
  });
});

describe('webhooks', () => {
  it('refuses a delivery whose signature the sandbox broke', async () => {
    const before = receiver.received.length;
    sandbox.setMischief({ badSignature: 1, count: 1 }, 'payment-book');
    await settled({ webhookUrl: receiver.url });
    await sandbox.webhooksIdle();
    const [delivery] = (await receiver.waitFor(before + 1)).slice(before);
    expect(adapter.parseWebhook(encoder.encode(delivery?.body ?? ''), {})).toMatchObject({
      verified: false,
      reason: 'bad_signature',
    });
  });

  it("accepts the shop plugin's shape (transaction under `transaction`)", async () => {
    const plugin = await createSandbox({
      seed: 'payment-book-plugin-shape',
      lifecycle,
      modules: [createPaymentBookModule({ webhookShape: 'transaction' })],
    });
    try {
      const simulator = plugin.simulators['payment-book'];
      const before = receiver.received.length;
      await simulator?.simulate({
        kind: 'payment',
        reference: 'plugin-1',
        at: plugin.now() - 3_600_000,
        amountMinor: 2000n,
        currency: 'EUR',
        customer: { email: 'a@example.com', name: 'A B', country: 'LV' },
        method: 'wallet',
        outcome: 'success',
        refunds: [],
        webhookUrl: receiver.url,
      });
      await plugin.webhooksIdle();
      const [delivery] = (await receiver.waitFor(before + 1)).slice(before);
      expect(JSON.parse(delivery?.body ?? '{}')).toHaveProperty('transaction');
      expect(adapter.parseWebhook(encoder.encode(delivery?.body ?? ''), {})).toMatchObject({
        verified: true,
        reference: 'plugin-1',
        transaction: { status: 'succeeded', amount: eur(2000n) },
      });
    } finally {
      await plugin.close();
    }
  });
});

describe('faults', () => {
  const status = '/api/transaction/status';
  const refundPath = '/api/transaction/refund';

  async function refundOnce(client: ProviderAdapter, ref: string) {
    return client.refund({
      transaction: { reference: ref },
      amount: eur(1000n),
      reference: 'rf',
      reason: 'x',
    });
  }

  describe('timeout', () => {
    it('retries a look-up that timed out, and gives up as timeout', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'timeout', match: status, count: 1 }]);
      await expect(fastAdapter().lookup({ reference: ref })).resolves.toMatchObject({ status: 'succeeded' });
      expect(calls('lookup').map((exchange) => exchange.outcome)).toEqual(['timeout', 'ok']);

      exchanges = [];
      sandbox.setFaults('payment-book', [{ kind: 'timeout', match: status }]);
      await expect(fastAdapter().lookup({ reference: ref })).rejects.toMatchObject({
        kind: 'timeout',
        retrySafe: true,
      });
      expect(calls('lookup')).toHaveLength(3);
    });

    it('sends a refund once: a timeout is unknown_outcome, and the provider may have acted', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'timeout', match: refundPath, phase: 'after' }]);
      await expect(refundOnce(fastAdapter(), ref)).rejects.toMatchObject({
        kind: 'unknown_outcome',
        retrySafe: false,
      });
      expect(calls('refund')).toHaveLength(1);
      // The answer was lost after the refund happened: a look-up settles it.
      sandbox.resetFaults('payment-book');
      expect(await adapter.lookup({ reference: ref })).toMatchObject({
        status: 'partially_refunded',
        refundedMinor: 1000n,
      });
    });

    it('a refund that timed out before reaching the provider is unknown too, and did not happen', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'timeout', match: refundPath }]);
      await expect(refundOnce(fastAdapter(), ref)).rejects.toMatchObject({ kind: 'unknown_outcome' });
      expect(calls('refund')).toHaveLength(1);
      expect(record(ref)?.refundedMinor).toBe(0n);
    });
  });

  describe('500', () => {
    it('retries a look-up through a 500 and gives up as unavailable', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'error_500', match: status, count: 1 }]);
      await expect(adapter.lookup({ reference: ref })).resolves.toMatchObject({ status: 'succeeded' });
      expect(calls('lookup').map((exchange) => [exchange.httpStatus, exchange.outcome])).toEqual([
        [500, 'unavailable'],
        [200, 'ok'],
      ]);

      exchanges = [];
      sandbox.setFaults('payment-book', [{ kind: 'error_500', match: status, envelope: 'html' }]);
      await expect(adapter.lookup({ reference: ref })).rejects.toMatchObject({
        kind: 'unavailable',
        httpStatus: 500,
      });
      expect(calls('lookup')).toHaveLength(3);
    });

    it('a 500 on a refund is unknown_outcome, sent once', async () => {
      const { reference: ref } = await settled();
      for (const envelope of ['provider', 'generic', 'html'] as const) {
        exchanges = [];
        sandbox.setFaults('payment-book', [{ kind: 'error_500', match: refundPath, envelope }]);
        await expect(refundOnce(adapter, ref)).rejects.toMatchObject({
          kind: 'unknown_outcome',
          httpStatus: 500,
          retrySafe: false,
        });
        expect(calls('refund')).toHaveLength(1);
      }
    });
  });

  describe('body-less 502', () => {
    it('retries a look-up through it', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'error_502', match: status, count: 2 }]);
      await expect(adapter.lookup({ reference: ref })).resolves.toMatchObject({ status: 'succeeded' });
      expect(calls('lookup').map((exchange) => exchange.httpStatus)).toEqual([502, 502, 200]);
    });

    it('a payout answered by a body-less 502 is unknown_outcome, sent once; a look-up finds it', async () => {
      const ref = reference('payout-502');
      sandbox.setFaults('payment-book', [
        { kind: 'error_502', match: '/api/transaction/withdrawal/create', phase: 'after' },
      ]);
      await expect(
        adapter.createPayout({ reference: ref, amount: eur(500n), recipient: {}, webhookUrl: receiver.url }),
      ).rejects.toMatchObject({ kind: 'unknown_outcome', httpStatus: 502, retrySafe: false });
      expect(calls('createPayout')).toHaveLength(1);
      expect(calls('createPayout.lookup')).toHaveLength(0);
      expect(record(ref)).toMatchObject({ kind: 'payout' });
      expect(await adapter.lookup({ reference: ref })).toMatchObject({ kind: 'payout' });
    });
  });

  describe('429 with Retry-After', () => {
    it('waits as long as Retry-After says before repeating a look-up', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [
        { kind: 'rate_limit', match: status, count: 1, retryAfterSeconds: 1 },
      ]);
      const started = performance.now();
      await expect(adapter.lookup({ reference: ref })).resolves.toMatchObject({ status: 'succeeded' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(calls('lookup').map((exchange) => exchange.outcome)).toEqual(['rate_limited', 'ok']);
    });

    it('does not wait a Retry-After beyond its limit, and reports rate_limited', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'rate_limit', match: status, retryAfterSeconds: 120 }]);
      await expect(adapter.lookup({ reference: ref })).rejects.toMatchObject({
        kind: 'rate_limited',
        httpStatus: 429,
        retryAfterSeconds: 120,
      });
      expect(calls('lookup')).toHaveLength(1);
    });

    it('a refused refund is rate_limited and safe to send later; it is not repeated now', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'rate_limit', match: refundPath, retryAfterSeconds: 1 }]);
      await expect(refundOnce(adapter, ref)).rejects.toMatchObject({
        kind: 'rate_limited',
        retrySafe: true,
        retryAfterSeconds: 1,
        message: 'refund: Too Many Attempts.',
      });
      expect(calls('refund')).toHaveLength(1);
      expect(record(ref)?.refundedMinor).toBe(0n);
    });
  });

  describe('malformed JSON', () => {
    it('retries a look-up whose answer was cut', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'malformed_json', match: status, count: 1 }]);
      await expect(adapter.lookup({ reference: ref })).resolves.toMatchObject({ status: 'succeeded' });
      expect(calls('lookup').map((exchange) => exchange.outcome)).toEqual(['schema', 'ok']);
    });

    it('a refund whose answer was cut is unknown_outcome, sent once, and happened', async () => {
      const { reference: ref } = await settled();
      sandbox.setFaults('payment-book', [{ kind: 'malformed_json', match: refundPath }]);
      await expect(refundOnce(adapter, ref)).rejects.toMatchObject({
        kind: 'unknown_outcome',
        retrySafe: false,
      });
      expect(calls('refund')).toHaveLength(1);
      expect(record(ref)?.refundedMinor).toBe(1000n);
    });

    it('a receipt cut in the middle is a schema error, not a broken file', async () => {
      const { reference: ref } = await settled();
      const operation = paymentOperation(await adapter.lookup({ reference: ref }));
      sandbox.setFaults('payment-book', [{ kind: 'malformed_json', match: '/api/operation/receipt' }]);
      await expect(adapter.fetchReceipt(operation.providerId)).rejects.toMatchObject({ kind: 'schema' });
    });
  });
});
