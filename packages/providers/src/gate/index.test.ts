/**
 * The Gate adapter at its HTTP boundary: `fetch` answers with recorded Gate bodies, so every request
 * Paydesk builds and every answer it reads is checked without a network.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderExchange, ProviderAdapter } from '../adapter.ts';
import { isProviderError, type ProviderError } from '../errors.ts';
import { createGateAdapter } from './index.ts';

const base = 'https://gate.example';
const text = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const envelopes = JSON.parse(text('errors.json')) as Record<string, unknown>;

interface Seen {
  method: string;
  path: string;
  body: string;
  headers: Headers;
}

type Handler = (request: Seen) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

function serve(handler: Handler): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const request: Seen = {
      method: input.method,
      path: new URL(input.url).pathname,
      body: await input.text(),
      headers: input.headers,
    };
    seen.push(request);
    return handler(request);
  });
  return seen;
}

function adapter(exchanges: ProviderExchange[] = []): ProviderAdapter {
  return createGateAdapter({
    baseUrl: base,
    credentials: { provider: 'gate', apiKey: 'gate_test_key' },
    mode: 'test',
    timeoutMs: 500,
    retries: 1,
    onExchange: (exchange) => exchanges.push(exchange),
  });
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

const paymentPath = '/api/v1/api/payments';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('lookup', () => {
  it('fetches the payment by reference with the bearer key', async () => {
    const seen = serve(() => json(200, text('payment-success.json')));
    const payment = await adapter().lookup({ reference: '0197c226-4815-799e-8882-390ff54e971d' });
    expect(payment.status).toBe('succeeded');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.path).toBe(`${paymentPath}/0197c226-4815-799e-8882-390ff54e971d`);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer gate_test_key');
  });

  it('keeps a reference inside its path segment', async () => {
    const seen = serve(() => json(400, envelopes['1104']));
    await failure(adapter().lookup({ reference: '../refund?x=1' }));
    expect(seen[0]?.path).toBe(`${paymentPath}/..%2Frefund%3Fx%3D1`);
  });

  it.each([
    ['1104', 400, 'not_found'],
    ['1003', 401, 'auth'],
    ['1002', 400, 'invalid_request'],
  ])('maps error %s to %s without retrying', async (code, status, kind) => {
    const seen = serve(() => json(status, envelopes[code]));
    const error = await failure(adapter().lookup({ reference: 'order-1' }));
    expect(error.kind).toBe(kind);
    expect(error.providerCode).toBe(code);
    expect(error.httpStatus).toBe(status);
    expect(seen).toHaveLength(1);
  });

  it('retries a 500 (1000 processing_error) and reports unavailable when it persists', async () => {
    const exchanges: ProviderExchange[] = [];
    const seen = serve(() => json(500, envelopes['1000'], { 'x-request-id': 'req-500' }));
    const error = await failure(adapter(exchanges).lookup({ reference: 'order-1' }));
    expect(error).toMatchObject({
      kind: 'unavailable',
      providerCode: '1000',
      providerRequestId: 'req-500',
      retrySafe: true,
    });
    expect(seen).toHaveLength(2);
    expect(exchanges.map((exchange) => [exchange.attempt, exchange.outcome])).toEqual([
      [1, 'unavailable'],
      [2, 'unavailable'],
    ]);
  });

  it('honours Retry-After on a 429, then succeeds', async () => {
    let calls = 0;
    serve(() =>
      ++calls === 1
        ? json(429, text('rate-limited.json'), { 'retry-after': '0' })
        : json(200, text('payment-pending.json')),
    );
    expect((await adapter().lookup({ reference: 'order-1' })).status).toBe('processing');
    expect(calls).toBe(2);
  });

  it('reports a body that is not the documented object as schema', async () => {
    serve(() => json(200, { referenceId: 'order-1' }));
    expect((await failure(adapter().lookup({ reference: 'order-1' }))).kind).toBe('schema');
  });

  it('refuses an inexact amount as schema', async () => {
    serve(() => json(200, text('payment-inexact-amount.json')));
    const error = await failure(adapter().lookup({ reference: 'order-bad-1' }));
    expect(error.kind).toBe('schema');
    expect(error.message).toMatch(/not an exact integer/);
  });
});

describe('refund', () => {
  const request = {
    transaction: { reference: '0197c226-4815-799e-8882-390ff54e971d' },
    amount: { amountMinor: 10000n, currency: 'USD' as const },
    reference: 'rf_intent_1',
    reason: 'Customer asked',
  };

  it('sends a full refund under the payment’s own referenceId', async () => {
    const refunded = JSON.parse(text('payment-success.json')) as Record<string, unknown>;
    refunded.actualAmount = 0;
    const seen = serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(200, refunded),
    );
    const refund = await adapter().refund(request);
    expect(seen.map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET ${paymentPath}/0197c226-4815-799e-8882-390ff54e971d`,
      `POST ${paymentPath}/refund`,
    ]);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({
      referenceId: '0197c226-4815-799e-8882-390ff54e971d',
      amount: 10000,
      currencyCode: 'USD',
    });
    expect(refund).toMatchObject({
      providerId: '0197c226-4815-799e-8882-390ff54e971d/refund',
      reference: '0197c226-4815-799e-8882-390ff54e971d',
      status: 'succeeded',
      amount: { amountMinor: 10000n, currency: 'USD' },
      transaction: { status: 'refunded', refundedMinor: 10000n },
    });
  });

  it('refuses a partial amount before sending anything that moves money', async () => {
    const seen = serve(() => json(200, text('payment-success.json')));
    const error = await failure(
      adapter().refund({ ...request, amount: { amountMinor: 2500n, currency: 'USD' } }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(/full amount/);
    expect(seen.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  it.each([
    ['payment-declined.json', /declined/],
    ['payment-refunded.json', /refunded/],
    ['payout-success.json', /payout/],
  ])('refuses to refund %s', async (name, message) => {
    const seen = serve(() => json(200, text(name)));
    const error = await failure(adapter().refund(request));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(message);
    expect(seen.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  it('never retries the refund: a 500 is unknown_outcome after one attempt', async () => {
    const seen = serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(500, envelopes['1000']),
    );
    const error = await failure(adapter().refund(request));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: false, providerCode: '1000' });
    expect(seen.filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('reports a refund answer it cannot read as unknown_outcome', async () => {
    serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(200, '{"ok":true}'),
    );
    expect((await failure(adapter().refund(request))).kind).toBe('unknown_outcome');
  });

  it('maps 1105 invalid_payment_state to invalid_request', async () => {
    serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(400, envelopes['1105']),
    );
    expect(await failure(adapter().refund(request))).toMatchObject({
      kind: 'invalid_request',
      providerCode: '1105',
    });
  });
});

describe('createPaymentLink', () => {
  const request = {
    reference: '0197c226-4815-799e-8882-390ff54e9720',
    amount: { amountMinor: 10000n, currency: 'USD' as const },
    customerEmail: 'mark.twain@example.com',
    customerName: 'Mark Twain',
    description: 'Payment for product ABC',
    webhookUrl: 'https://paydesk.example/webhooks/gate/tok_abc',
    returnUrl: 'https://shop.example/thanks',
  };

  it('initiates a hosted-page session and returns its URL', async () => {
    const seen = serve(() => json(200, text('session-action-required.json')));
    const link = await adapter().createPaymentLink(request);
    expect(link).toEqual({
      url: 'https://pay.gate.example/pay/gs_3f9c2a71b0d84e6a9c1d2e3f',
      providerId: '0197c226-4815-799e-8882-390ff54e9720',
      reference: '0197c226-4815-799e-8882-390ff54e9720',
    });
    expect(seen[0]?.path).toBe(`${paymentPath}/initiate-session`);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      referenceId: request.reference,
      amount: 10000,
      currencyCode: 'USD',
      description: 'Payment for product ABC',
      customer: { email: 'mark.twain@example.com', firstName: 'Mark', lastName: 'Twain' },
      merchantMetadata: { customerEmail: 'mark.twain@example.com', customerName: 'Mark Twain' },
      paymentMethods: ['card_basic'],
      paymentPageSettings: { returnUrls: { default: 'https://shop.example/thanks' } },
      webhookUrl: request.webhookUrl,
    });
  });

  it('settles a lost answer by retrying: 1004 on the retry means the first got through', async () => {
    let posts = 0;
    const seen = serve((call) => {
      if (call.method === 'GET') return json(200, text('session-action-required.json'));
      // The first answer is lost in a proxy (no body); the retry hits Gate's referenceId guard.
      return ++posts === 1 ? new Response(null, { status: 502 }) : json(400, envelopes['1004']);
    });
    const link = await adapter().createPaymentLink(request);
    expect(link.url).toBe('https://pay.gate.example/pay/gs_3f9c2a71b0d84e6a9c1d2e3f');
    expect(seen.map((call) => call.method)).toEqual(['POST', 'POST', 'GET']);
  });

  it('reports unknown_outcome when every attempt is lost', async () => {
    const seen = serve(() => new Response(null, { status: 502 }));
    const error = await failure(adapter().createPaymentLink(request));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: true, httpStatus: 502 });
    expect(seen).toHaveLength(2);
  });

  it('refuses a reference taken by a different payment, handing back the other one', async () => {
    serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(400, envelopes['1004']),
    );
    const error = await failure(
      adapter().createPaymentLink({ ...request, amount: { amountMinor: 999n, currency: 'USD' } }),
    );
    expect(error.kind).toBe('duplicate');
    expect(error.existing).toMatchObject({ provider: 'gate', amount: { amountMinor: 10000n } });
  });
});

describe('createPayout', () => {
  const request = {
    reference: 'payout-2025-09-29-001',
    amount: { amountMinor: 5000n, currency: 'USD' as const },
    recipient: { email: 'mark.twain@example.com', name: 'Mark Twain', cardNumber: '4111111111111111' },
    webhookUrl: 'https://paydesk.example/webhooks/gate/tok_abc',
  };

  it('pays out to a card and marks the payment as a payout', async () => {
    const seen = serve(() => json(200, text('payout-success.json')));
    const payout = await adapter().createPayout(request);
    expect(payout).toMatchObject({ kind: 'payout', status: 'succeeded', amount: { amountMinor: 5000n } });
    expect(seen[0]?.path).toBe(`${paymentPath}/payout`);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      referenceId: 'payout-2025-09-29-001',
      amount: 5000,
      currencyCode: 'USD',
      paymentMethod: 'card_basic',
      paymentMethodData: { cardBasic: { cardNumber: '4111111111111111', cardHolder: 'Mark Twain' } },
      customer: { email: 'mark.twain@example.com', firstName: 'Mark', lastName: 'Twain' },
      merchantMetadata: { paydeskKind: 'payout' },
      webhookUrl: request.webhookUrl,
    });
    expect(JSON.stringify(payout.raw)).not.toContain('4111111111111111');
  });

  it('maps an issuer decline to declined', async () => {
    serve(() => json(400, envelopes['4001']));
    expect(await failure(adapter().createPayout(request))).toMatchObject({
      kind: 'declined',
      providerCode: '4001',
    });
  });

  it('does not take a payment for the payout asked for under the same reference', async () => {
    serve((call) =>
      call.method === 'GET' ? json(200, text('payment-success.json')) : json(400, envelopes['1004']),
    );
    const error = await failure(
      adapter().createPayout({ ...request, amount: { amountMinor: 10000n, currency: 'USD' } }),
    );
    expect(error.kind).toBe('duplicate');
  });

  it.each([[{ email: 'a@example.com' }], [{ iban: 'LV80BANK0000435195001' }], [{ cardToken: 'tok_1' }]])(
    'refuses a recipient Gate cannot pay: %o',
    async (recipient) => {
      const seen = serve(() => json(200, text('payout-success.json')));
      expect((await failure(adapter().createPayout({ ...request, recipient }))).kind).toBe('invalid_request');
      expect(seen).toHaveLength(0);
    },
  );
});

describe('what Gate cannot do', () => {
  it.each([
    ['cancelSubscription', (gate: ProviderAdapter) => gate.cancelSubscription({ reference: 'x' })],
    ['receipt', (gate: ProviderAdapter) => gate.fetchReceipt('x')],
    ['listChangedSince', (gate: ProviderAdapter) => gate.listChangedSince(null)],
  ])('throws invalid_request naming %s', async (capability, call) => {
    const error = await failure(call(adapter()));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain(capability);
  });
});

describe('testCredentials', () => {
  it('accepts a key that reaches "payment not found"', async () => {
    serve(() => json(400, envelopes['1104']));
    await expect(adapter().testCredentials()).resolves.toBeUndefined();
  });

  it('reports a refused key as auth', async () => {
    serve(() => json(401, envelopes['1003']));
    expect((await failure(adapter().testCredentials())).kind).toBe('auth');
  });
});

describe('parseWebhook', () => {
  it('turns a webhook into a hint', () => {
    expect(adapter().parseWebhook(new TextEncoder().encode(text('webhook-hint.json')), {})).toMatchObject({
      verified: true,
      reference: 'order-7781',
      lookupRequired: true,
    });
  });
});
