/**
 * The Paytone adapter at its HTTP boundary: `fetch` answers with recorded Paytone documents, so every
 * request Paydesk builds and every answer it reads is checked without a network.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PaytoneCredentials, ProviderAdapter } from '../adapter.ts';
import { isProviderError, type ProviderError } from '../errors.ts';
import { createPaytoneAdapter } from './index.ts';
import { signCallback } from './signature.ts';

const base = 'https://paytone.example';
const text = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

const credentials: PaytoneCredentials = {
  provider: 'paytone',
  publicKey: 'pk_test_public',
  commerceAccountId: 'coma_1',
  apiKey: 'api_key_1',
  testSecretKey: 'sk_test_1',
  liveSecretKey: 'sk_live_1',
};
const basic = `Basic ${Buffer.from('coma_1:api_key_1').toString('base64')}`;

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  headers: Headers;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

function serve(handler: (request: Seen) => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const request: Seen = {
      method: input.method,
      path: url.pathname,
      query: url.searchParams,
      body: await input.text(),
      headers: input.headers,
    };
    seen.push(request);
    return handler(request);
  });
  return seen;
}

function adapter(mode: 'test' | 'live' = 'test', listPageSize?: number): ProviderAdapter {
  return createPaytoneAdapter(
    { baseUrl: base, credentials, mode, timeoutMs: 500, retries: 1 },
    listPageSize ? { listPageSize } : {},
  );
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

const body = (request: Seen | undefined): unknown => JSON.parse(request?.body ?? 'null');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('lookup', () => {
  it('fetches a payment invoice by id over the private API with HTTP Basic', async () => {
    const seen = serve(() => json(200, text('payment-invoice-processed.json')));
    const invoice = await adapter().lookup({ reference: 'ignored', providerId: 'cpi_HeSWMM9LvQonCcQc' });
    expect(invoice.status).toBe('succeeded');
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/payment-invoices/cpi_HeSWMM9LvQonCcQc' });
    expect(seen[0]?.headers.get('authorization')).toBe(basic);
  });

  it('fetches a payout invoice by its cpoi_ id', async () => {
    const seen = serve(() => json(200, text('payout-invoice-processed.json')));
    expect((await adapter().lookup({ reference: 'x', providerId: 'cpoi_Wq8sLp3Nd7XzKf2M' })).kind).toBe(
      'payout',
    );
    expect(seen[0]?.path).toBe('/api/payout-invoices/cpoi_Wq8sLp3Nd7XzKf2M');
  });

  it('finds a payment invoice by reference_id', async () => {
    const seen = serve(() => json(200, text('payment-invoice-list.json')));
    const invoice = await adapter().lookup({ reference: '05233537-7b5c-4cb8-b596-d65ec9671c67' });
    expect(invoice).toMatchObject({ providerId: 'cpi_Qtg8wyWcnSYLksFh', status: 'expired' });
    expect(seen[0]?.path).toBe('/api/payment-invoices');
    expect(seen[0]?.query.get('filter[reference_id]')).toBe('05233537-7b5c-4cb8-b596-d65ec9671c67');
  });

  it('reports a reference nobody has as not_found', async () => {
    serve(() => json(200, text('payment-invoice-list-empty.json')));
    expect((await failure(adapter().lookup({ reference: 'nobody' }))).kind).toBe('not_found');
  });

  it.each([
    ['error-401.json', 401, 'auth', 1],
    ['error-404.json', 404, 'not_found', 1],
    ['error-500.json', 500, 'unavailable', 2],
  ])('maps %s to %s (%i attempts)', async (name, status, kind, attempts) => {
    const seen = serve(() => json(status, text(name)));
    const error = await failure(adapter().lookup({ reference: 'x', providerId: 'cpi_x' }));
    expect(error.kind).toBe(kind);
    expect(error.providerCode).toBe(String(status));
    expect(seen).toHaveLength(attempts);
  });

  it('refuses an inexact amount as schema', async () => {
    serve(() => json(200, text('payment-invoice-inexact-amount.json')));
    expect(
      (await failure(adapter().lookup({ reference: 'x', providerId: 'cpi_Inexact0Amount1' }))).kind,
    ).toBe('schema');
  });
});

describe('refund', () => {
  const request = {
    transaction: { reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276', providerId: 'cpi_HeSWMM9LvQonCcQc' },
    amount: { amountMinor: 1050n, currency: 'USD' as const },
    reference: 'rf_intent_1',
    reason: 'Package with defect',
  };

  it('posts a partial refund with the amount as a float and our reference_id', async () => {
    const seen = serve(() => json(201, text('refund.json')));
    const refund = await adapter().refund(request);
    expect(refund).toMatchObject({
      providerId: 'ref_Lm3Qx9Tz2Kd8Ws1B',
      status: 'pending',
      reference: 'rf_intent_1',
    });
    expect(seen[0]?.path).toBe('/api/payment-invoices/cpi_HeSWMM9LvQonCcQc/refund');
    expect(body(seen[0])).toEqual({
      data: {
        type: 'refund',
        attributes: {
          invoiceId: 'cpi_HeSWMM9LvQonCcQc',
          amount: 10.5,
          reference_id: 'rf_intent_1',
          description: 'Package with defect',
        },
      },
    });
  });

  it('finds the invoice by reference first when the id is not known', async () => {
    const seen = serve((call) =>
      call.method === 'GET' ? json(200, text('payment-invoice-list.json')) : json(201, text('refund.json')),
    );
    await adapter().refund({
      ...request,
      transaction: { reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276' },
    });
    expect(seen.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /api/payment-invoices',
      'POST /api/payment-invoices/cpi_HeSWMM9LvQonCcQc/refund',
    ]);
  });

  it('returns the earlier refund when Paytone answers 409 for the same request', async () => {
    serve(() => json(409, text('conflict-refund.json')));
    expect(await adapter().refund(request)).toMatchObject({
      providerId: 'ref_Lm3Qx9Tz2Kd8Ws1B',
      amount: { amountMinor: 1050n },
    });
  });

  it('refuses a 409 for a different amount: the reference was used for another refund', async () => {
    serve(() => json(409, text('conflict-refund.json')));
    const error = await failure(
      adapter().refund({ ...request, amount: { amountMinor: 500n, currency: 'USD' } }),
    );
    expect(error.kind).toBe('duplicate');
    expect(error.existing).toMatchObject({ providerId: 'ref_Lm3Qx9Tz2Kd8Ws1B' });
  });

  it('retries a lost refund (deduplicated by reference_id) and settles it with the 409', async () => {
    let posts = 0;
    const seen = serve(() =>
      ++posts === 1 ? json(500, text('error-500.json')) : json(409, text('conflict-refund.json')),
    );
    expect((await adapter().refund(request)).providerId).toBe('ref_Lm3Qx9Tz2Kd8Ws1B');
    expect(seen).toHaveLength(2);
  });

  it('reports unknown_outcome when every attempt is lost', async () => {
    const seen = serve(() => json(500, text('error-500.json')));
    expect(await failure(adapter().refund(request))).toMatchObject({
      kind: 'unknown_outcome',
      retrySafe: true,
      providerCode: '500',
    });
    expect(seen).toHaveLength(2);
  });

  it('maps a 422 to invalid_request with fields', async () => {
    serve(() => json(422, text('error-422.json')));
    const error = await failure(adapter().refund(request));
    expect(error).toMatchObject({
      kind: 'invalid_request',
      fields: [{ path: 'amount', message: 'This value should be greater than 0.' }],
    });
  });

  it('refuses to refund a payout or nothing at all', async () => {
    const seen = serve(() => json(201, text('refund.json')));
    expect(
      (await failure(adapter().refund({ ...request, transaction: { reference: 'p', providerId: 'cpoi_1' } })))
        .kind,
    ).toBe('invalid_request');
    expect(
      (await failure(adapter().refund({ ...request, amount: { amountMinor: 0n, currency: 'USD' } }))).kind,
    ).toBe('invalid_request');
    expect(seen).toHaveLength(0);
  });
});

describe('createPaymentLink', () => {
  const request = {
    reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276',
    amount: { amountMinor: 10000n, currency: 'USD' as const },
    customerEmail: 'john.wick@example.com',
    customerName: 'John Wick',
    description: 'Invoice Example',
    webhookUrl: 'https://paydesk.example/webhooks/paytone/whk_1',
    returnUrl: 'https://example.com',
  };

  it('creates a hosted-page invoice and returns its hpp_url', async () => {
    const seen = serve(() => json(201, text('payment-invoice-created.json')));
    expect(await adapter().createPaymentLink(request)).toEqual({
      url: 'https://pay.psp.name/redirect/hpp/?cpi=cpi_HeSWMM9LvQonCcQc',
      providerId: 'cpi_HeSWMM9LvQonCcQc',
      reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276',
    });
    expect(seen[0]?.path).toBe('/api/payment-invoices');
    expect(body(seen[0])).toEqual({
      data: {
        type: 'payment-invoices',
        attributes: {
          reference_id: request.reference,
          amount: 100,
          currency: 'USD',
          service: 'payment_card_usd_hpp',
          flow: 'charge',
          test_mode: true,
          description: 'Invoice Example',
          customer: {
            reference_id: 'john.wick@example.com',
            email: 'john.wick@example.com',
            name: 'John Wick',
          },
          metadata: { customerEmail: 'john.wick@example.com', customerName: 'John Wick' },
          callback_url: request.webhookUrl,
          return_url: 'https://example.com',
        },
      },
    });
  });

  it('sends test_mode false for a live connection', async () => {
    const seen = serve(() => json(201, text('payment-invoice-created.json')));
    await adapter('live').createPaymentLink(request);
    expect(body(seen[0])).toMatchObject({ data: { attributes: { test_mode: false } } });
  });

  it('returns the earlier invoice of a 409 for the same request', async () => {
    serve(() => json(409, text('conflict-payment-invoice.json')));
    expect((await adapter().createPaymentLink(request)).providerId).toBe('cpi_HeSWMM9LvQonCcQc');
  });

  it('refuses a 409 for another amount', async () => {
    serve(() => json(409, text('conflict-payment-invoice.json')));
    const error = await failure(
      adapter().createPaymentLink({ ...request, amount: { amountMinor: 5000n, currency: 'USD' } }),
    );
    expect(error.kind).toBe('duplicate');
  });

  it('reports unknown_outcome after timeouts on every attempt', async () => {
    const seen = serve((call) => new Promise<Response>(() => void call));
    const error = await failure(adapter().createPaymentLink(request));
    expect(error).toMatchObject({ kind: 'unknown_outcome', retrySafe: true });
    expect(seen).toHaveLength(2);
  });

  it('reports a created invoice it cannot read as unknown_outcome', async () => {
    serve(() => json(201, text('payment-invoice-inexact-amount.json')));
    expect((await failure(adapter().createPaymentLink(request))).kind).toBe('unknown_outcome');
  });
});

describe('createPayout', () => {
  const request = {
    reference: 'payout-2025-09-29-001',
    amount: { amountMinor: 5000n, currency: 'USD' as const },
    recipient: { email: 'mark@example.com', name: 'Mark Twain', cardNumber: '4111 1111 1111 1111' },
    webhookUrl: 'https://paydesk.example/webhooks/paytone/whk_1',
  };

  it('creates a card payout that processes itself', async () => {
    const seen = serve(() => json(201, text('payout-invoice-processed.json')));
    expect(await adapter().createPayout(request)).toMatchObject({ kind: 'payout', status: 'succeeded' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/api/payout-invoices');
    expect(body(seen[0])).toEqual({
      data: {
        type: 'payout-invoice',
        attributes: {
          reference_id: 'payout-2025-09-29-001',
          amount: 50,
          currency: 'USD',
          service: 'payment_card_usd_direct',
          service_fields: { card_number: '4111111111111111' },
          customer: { reference_id: 'mark@example.com', email: 'mark@example.com', name: 'Mark Twain' },
          callback_url: request.webhookUrl,
          options: { auto_process: true },
          test_mode: true,
        },
      },
    });
  });

  it.each([
    [{ cardToken: 'tok_1' }, 'payment_card_usd_direct', { token: 'tok_1' }],
    [
      { iban: 'lv80 bank 0000 4351 9500 1' },
      'bank_transfer_usd_direct',
      { service_fields: { account_number: 'LV80BANK0000435195001' } },
    ],
    [{ email: 'pp@example.com' }, 'paypal_usd_direct', { service_fields: { email: 'pp@example.com' } }],
  ])('chooses the service for %o', async (recipient, service, fields) => {
    const seen = serve(() => json(201, text('payout-invoice-processed.json')));
    await adapter().createPayout({ ...request, recipient });
    expect(body(seen[0])).toMatchObject({ data: { attributes: { service, ...fields } } });
  });

  it('processes an earlier payout of the same request that waits for /process, once', async () => {
    const seen = serve((call) =>
      call.path.endsWith('/process')
        ? json(200, text('payout-invoice-processed.json'))
        : json(409, text('payout-invoice-created-manual.json')),
    );
    expect((await adapter().createPayout(request)).status).toBe('succeeded');
    expect(seen.map((call) => call.path)).toEqual([
      '/api/payout-invoices',
      '/api/payout-invoices/cpoi_Wq8sLp3Nd7XzKf2M/process',
    ]);
  });

  it('never retries /process', async () => {
    const seen = serve((call) =>
      call.path.endsWith('/process')
        ? json(500, text('error-500.json'))
        : json(409, text('payout-invoice-created-manual.json')),
    );
    expect((await failure(adapter().createPayout(request))).kind).toBe('unknown_outcome');
    expect(seen.filter((call) => call.path.endsWith('/process'))).toHaveLength(1);
  });

  it('refuses a payout with no way to pay the recipient', async () => {
    expect((await failure(adapter().createPayout({ ...request, recipient: { name: 'x' } }))).kind).toBe(
      'invalid_request',
    );
  });
});

describe('listChangedSince', () => {
  it('walks the invoice list with cursors until its end', async () => {
    const seen = serve((call) =>
      call.query.has('page[after]')
        ? json(200, text('payment-invoice-list.json'))
        : json(200, text('payment-invoice-list-page-1.json')),
    );
    const first = await adapter('test', 2).listChangedSince(null);
    expect(first.transactions.map((item) => item.providerId)).toEqual([
      'cpi_HeSWMM9LvQonCcQc',
      'cpi_Qtg8wyWcnSYLksFh',
    ]);
    expect(first).toMatchObject({
      cursor: 'paytone:b:cpi_HeSWMM9LvQonCcQc:cpi_Qtg8wyWcnSYLksFh',
      caughtUp: false,
    });
    const second = await adapter('test', 2).listChangedSince(first.cursor);
    expect(second).toMatchObject({ cursor: 'paytone:f:cpi_HeSWMM9LvQonCcQc', caughtUp: true });
    const third = await adapter('test', 2).listChangedSince(second.cursor);
    expect(third.caughtUp).toBe(true);
    expect(seen[2]?.query.get('page[before]')).toBe('cpi_HeSWMM9LvQonCcQc');
    expect(seen[0]?.query.get('page[size]')).toBe('2');
    expect(seen[0]?.query.has('page[after]')).toBe(false);
    expect(seen[1]?.query.get('page[after]')).toBe('cpi_Qtg8wyWcnSYLksFh');
  });

  it('ends at an empty list', async () => {
    serve(() => json(200, text('payment-invoice-list-empty.json')));
    expect(await adapter().listChangedSince(null)).toEqual({
      transactions: [],
      cursor: 'paytone:b:-:-',
      caughtUp: true,
    });
  });

  it.each(['garbage', 'paytone:f:../x', 'paytone:f:', 'paytone:b:cpi_A', 'paytone:f:cpi_A:x'])(
    'refuses a cursor it did not give: %s',
    async (cursor) => {
      const seen = serve(() => json(200, text('payment-invoice-list.json')));
      expect((await failure(adapter().listChangedSince(cursor))).kind).toBe('invalid_request');
      expect(seen).toHaveLength(0);
    },
  );
});

describe('testCredentials', () => {
  it('checks the private API with Basic and the public API with the public key', async () => {
    const seen = serve((call) =>
      call.path.startsWith('/public-api/')
        ? json(200, { data: { currency: 'EUR' } })
        : json(200, { data: [] }),
    );
    await adapter().testCredentials();
    expect(seen.map((call) => `${call.method} ${call.path}`)).toEqual([
      'GET /api/payment-services',
      'POST /public-api/payment-prerequest',
    ]);
    expect(seen[0]?.headers.get('authorization')).toBe(basic);
    // The API key never goes to the public API.
    expect(seen[1]?.headers.get('authorization')).toBeNull();
    expect(body(seen[1])).toEqual({ public_key: 'pk_test_public', currency: 'EUR' });
  });

  it('reports a refused API key or public key as auth', async () => {
    serve(() => json(401, text('error-401.json')));
    expect((await failure(adapter().testCredentials())).kind).toBe('auth');
    serve((call) =>
      call.path.startsWith('/public-api/') ? json(401, text('error-401.json')) : json(200, { data: [] }),
    );
    expect((await failure(adapter().testCredentials())).kind).toBe('auth');
  });

  it('accepts a public key whose currency is refused', async () => {
    serve((call) =>
      call.path.startsWith('/public-api/') ? json(422, text('error-422.json')) : json(200, { data: [] }),
    );
    await expect(adapter().testCredentials()).resolves.toBeUndefined();
  });
});

describe('what Paytone cannot do', () => {
  it.each([
    ['cancelSubscription', (paytone: ProviderAdapter) => paytone.cancelSubscription({ reference: 'x' })],
    ['receipt', (paytone: ProviderAdapter) => paytone.fetchReceipt('x')],
  ])('throws invalid_request naming %s', async (capability, call) => {
    const error = await failure(call(adapter()));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain(capability);
  });
});

describe('parseWebhook', () => {
  it('verifies with the connection’s secrets', () => {
    const document = text('payment-invoice-processed.json');
    const result = adapter().parseWebhook(new TextEncoder().encode(document), {
      'x-signature': signCallback(document, credentials.testSecretKey),
    });
    expect(result).toMatchObject({ verified: true, lookupRequired: false });
  });
});
