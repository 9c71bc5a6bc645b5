import { providerCapabilities } from '@paydesk/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderAdapter, ProviderExchange } from '../adapter.ts';
import { createPaymentBookAdapter } from './index.ts';
import { signBody, verifyPayload } from './signature.ts';
import { fixture, jsonFixture, startStubServer, type StubServer } from './test-server.ts';

const secret = 'pb-secret';
/** What the provider must receive in meta.signature: 128 lowercase hex digits. */
const signature: unknown = expect.stringMatching(/^[0-9a-f]{128}$/);
const eur = (amountMinor: bigint) => ({ amountMinor, currency: 'EUR' as const });

let stub: StubServer;
let exchanges: ProviderExchange[];
let adapter: ProviderAdapter;

function sent(index = 0): { meta: Record<string, unknown> } & Record<string, unknown> {
  const request = stub.requests[index];
  if (!request) throw new Error(`no request #${index}`);
  expect(verifyPayload(request.body, secret)).toBe(true);
  return JSON.parse(request.body) as { meta: Record<string, unknown> } & Record<string, unknown>;
}

beforeEach(async () => {
  stub = await startStubServer();
  exchanges = [];
  adapter = createPaymentBookAdapter({
    baseUrl: `${stub.url}/`,
    mode: 'test',
    timeoutMs: 2_000,
    retries: 1,
    credentials: { provider: 'payment-book', tokenName: 'paydesk', tokenSecret: secret, serviceId: 9 },
    onExchange: (exchange) => exchanges.push(exchange),
  });
});
afterEach(() => stub.close());

describe('createPaymentBookAdapter', () => {
  it("declares Payment Book's capabilities", () => {
    expect(adapter.provider).toBe('payment-book');
    expect(adapter.capabilities).toBe(providerCapabilities['payment-book']);
  });

  it('looks a transaction up by its merchant reference', async () => {
    stub.on('/api/transaction/status', jsonFixture('status-open-banking-success.json'));
    const transaction = await adapter.lookup({ reference: 'PIx38sKzZTwLqnYI2Z8W' });
    expect(transaction).toMatchObject({ providerId: '01KS8KBXCEXY26RFKA99BQ23A0', status: 'succeeded' });
    const body = sent();
    expect(body).toEqual({ meta: { signature, reference_id: 'PIx38sKzZTwLqnYI2Z8W', service_id: 9 } });
    expect(stub.requests[0]?.headers['x-request-token-name']).toBe('paydesk');
  });

  it('retries a look-up after a server error, but not a refund', async () => {
    stub.on(
      '/api/transaction/status',
      jsonFixture('error-500.json'),
      jsonFixture('status-open-banking-success.json'),
    );
    await expect(adapter.lookup({ reference: 'PIx38sKzZTwLqnYI2Z8W' })).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(exchanges.map((exchange) => exchange.outcome)).toEqual(['unavailable', 'ok']);

    stub.on('/api/transaction/refund', jsonFixture('error-500.json'));
    await expect(
      adapter.refund({
        transaction: { reference: 'order-7781' },
        amount: eur(3000n),
        reference: 'rf-1',
        reason: 'x',
      }),
    ).rejects.toMatchObject({ kind: 'unknown_outcome', retrySafe: false, httpStatus: 500 });
    expect(stub.requests.filter((request) => request.path === '/api/transaction/refund')).toHaveLength(1);
  });

  it('refunds part of a transaction by its reference and reads the parent back', async () => {
    stub.on('/api/transaction/refund', jsonFixture('refund.json'));
    stub.on('/api/transaction/status', jsonFixture('status-card-partially-refunded.json'));
    const refund = await adapter.refund({
      transaction: { reference: 'order-7781' },
      amount: eur(3000n),
      reference: 'refund-intent-1',
      reason: '  Package with defect  ',
    });
    expect(sent()).toEqual({
      meta: { signature, reference_id: 'order-7781', service_id: 9 },
      refund: { amount: '30.00', currency: 'EUR', comment: 'Package with defect' },
    });
    expect(refund).toMatchObject({
      providerId: 'aac00f57-b30b-4acd-9ba9-cc43a3c4e808',
      reference: 'refund-intent-1',
      status: 'succeeded',
      transaction: { status: 'partially_refunded', refundedMinor: 3000n },
    });
    expect(exchanges.map((exchange) => exchange.operation)).toEqual(['refund', 'refund.lookup']);
  });

  it('keeps a refund that succeeded when the follow-up look-up fails', async () => {
    stub.on('/api/transaction/refund', jsonFixture('refund.json'));
    stub.on('/api/transaction/status', jsonFixture('error-401.json'));
    const refund = await adapter.refund({
      transaction: { reference: 'order-7781' },
      amount: eur(10396n),
      reference: 'refund-intent-2',
      reason: 'x',
    });
    expect(refund.status).toBe('succeeded');
    expect(refund.transaction).toBeUndefined();
  });

  it('maps refund refusals: declined, validation, not found', async () => {
    const request = {
      transaction: { reference: 'order-7781' },
      amount: eur(3000n),
      reference: 'r',
      reason: 'x',
    };
    stub.on(
      '/api/transaction/refund',
      jsonFixture('error-declined-operation.json'),
      jsonFixture('error-422-refund-amount.json'),
      jsonFixture('error-404.json'),
    );
    await expect(adapter.refund(request)).rejects.toMatchObject({ kind: 'declined', providerCode: '28102' });
    await expect(adapter.refund(request)).rejects.toMatchObject({ kind: 'invalid_request', httpStatus: 422 });
    await expect(adapter.refund(request)).rejects.toMatchObject({ kind: 'not_found', retrySafe: false });
    await expect(adapter.refund({ ...request, amount: eur(0n) })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    expect(stub.requests).toHaveLength(3);
  });

  it('a refund answer it cannot read is an unknown outcome, not a schema error', async () => {
    stub.on('/api/transaction/refund', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"meta":{"code":200,"success":true,"message":"OK"},"data":{"message":"Status: success"}}',
    });
    await expect(
      adapter.refund({ transaction: { reference: 'o' }, amount: eur(100n), reference: 'r', reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'unknown_outcome', retrySafe: false });
  });

  it('cancels a subscription and reads the older serializer back', async () => {
    stub.on('/api/transaction/recurring/cancel', jsonFixture('recurring-cancel.json'));
    const transaction = await adapter.cancelSubscription({ reference: '1111122222222' });
    expect(sent()).toEqual({ meta: { signature, reference_id: '1111122222222', service_id: 9 } });
    expect(transaction).toMatchObject({
      kind: 'subscription',
      providerId: 'ff6bcd26-9e70-40fd-a3aa-80c8586193d1',
    });
  });

  it('fetches a receipt as PDF bytes by the operation ulid', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');
    stub.on(
      '/api/operation/receipt',
      {
        status: 200,
        body: pdf,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="receipt-01K.pdf"',
        },
      },
      { status: 200, body: pdf.subarray(0, 20), headers: { 'content-type': 'application/pdf' } },
      jsonFixture('error-400-receipt.json'),
    );
    const receipt = await adapter.fetchReceipt('01KS8KBXCYQ25ZB8CNCD0D3C23');
    expect(receipt).toEqual({ pdf, filename: 'receipt-01K.pdf' });
    expect(sent()).toEqual({ meta: { signature, ulid: '01KS8KBXCYQ25ZB8CNCD0D3C23' } });
    await expect(adapter.fetchReceipt('01KS8KBXCYQ25ZB8CNCD0D3C23')).rejects.toMatchObject({
      kind: 'schema',
    });
    await expect(adapter.fetchReceipt('01KS8KBXCYQ25ZB8CNCD0D3C23')).rejects.toMatchObject({
      kind: 'invalid_request',
      message: 'fetchReceipt: Cannot get receipt for this operation.',
    });
  });

  it('creates a payment link: purchase create with the customer, webhook and redirects', async () => {
    stub.on('/api/transaction/purchase/create', jsonFixture('purchase-create.json'));
    const link = await adapter.createPaymentLink({
      reference: 'link-1',
      amount: eur(10000n),
      customerEmail: 'someone@example.com',
      customerName: ' Jānis  Ozols ',
      description: 'Invoice 42',
      webhookUrl: 'https://paydesk.example/webhooks/pb/abc',
      returnUrl: 'https://shop.example/back',
    });
    expect(link).toEqual({
      url: 'https://payment-book.com/payment/purchase/0a553d60-8228-422c-b535-b1cabb6d34ea',
      providerId: '0a553d60-8228-422c-b535-b1cabb6d34ea',
      reference: 'ref-123',
    });
    expect(sent()).toEqual({
      meta: { signature, reference_id: 'link-1', service_id: 9 },
      payment: { amount: '100.00', currency: 'EUR' },
      user: { email: 'someone@example.com', first_name: 'Jānis', last_name: 'Ozols' },
      webhook: { url: 'https://paydesk.example/webhooks/pb/abc', token_name: 'paydesk' },
      redirect: {
        success: 'https://shop.example/back',
        fail: 'https://shop.example/back',
        return: 'https://shop.example/back',
      },
      order: [{ amount: '100.00', currency: 'EUR', textual: 'Invoice 42' }],
    });
  });

  it('omits what a payment link request leaves out, and maps a taken reference to duplicate', async () => {
    stub.on('/api/transaction/purchase/create', jsonFixture('error-422-duplicate.json'));
    await expect(
      adapter.createPaymentLink({
        reference: 'link-1',
        amount: eur(10000n),
        customerEmail: 'someone@example.com',
        customerName: '',
        webhookUrl: 'https://paydesk.example/webhooks/pb/abc',
      }),
    ).rejects.toMatchObject({ kind: 'duplicate', retrySafe: false });
    expect(Object.keys(sent())).toEqual(['meta', 'payment', 'user', 'webhook']);
    expect(sent().user).toEqual({ email: 'someone@example.com' });
  });

  it('creates a payout: withdrawal create (data null), then the state by a look-up', async () => {
    stub.on('/api/transaction/withdrawal/create', jsonFixture('withdrawal-create.json'));
    stub.on('/api/transaction/status', jsonFixture('status-withdrawal-declined.json'));
    const payout = await adapter.createPayout({
      reference: 'payout-2026-05-22-01',
      amount: eur(250000n),
      recipient: { name: 'Merchant SIA' },
      webhookUrl: 'https://paydesk.example/webhooks/pb/abc',
    });
    expect(sent()).toEqual({
      meta: { signature, reference_id: 'payout-2026-05-22-01', service_id: 9 },
      withdrawal: { amount: '2500.00', currency: 'EUR', balance_id: 9 },
      webhook: { url: 'https://paydesk.example/webhooks/pb/abc', token_name: 'paydesk' },
    });
    expect(payout).toMatchObject({ kind: 'payout', status: 'declined' });
  });

  it('a payout whose state cannot be read afterwards is an unknown outcome', async () => {
    stub.on('/api/transaction/withdrawal/create', jsonFixture('withdrawal-create.json'));
    stub.on('/api/transaction/status', jsonFixture('error-404.json'));
    await expect(
      adapter.createPayout({
        reference: 'p',
        amount: eur(100n),
        recipient: {},
        webhookUrl: 'https://x.example/w',
      }),
    ).rejects.toMatchObject({ kind: 'unknown_outcome', retrySafe: false });
  });

  it('refuses a payout to a recipient card or IBAN without calling the provider', async () => {
    await expect(
      adapter.createPayout({
        reference: 'p',
        amount: eur(100n),
        recipient: { iban: 'LV80BANK0000435195001' },
        webhookUrl: 'https://x.example/w',
      }),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(stub.requests).toHaveLength(0);
  });

  it('cannot list transactions', async () => {
    await expect(adapter.listChangedSince(null)).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('tests credentials with a signed payment-methods call', async () => {
    stub.on(
      '/api/payment-methods',
      jsonFixture('payment-methods.json'),
      jsonFixture('error-401.json'),
      jsonFixture('error-422-service-id.json'),
    );
    await expect(adapter.testCredentials()).resolves.toBeUndefined();
    expect(sent()).toEqual({ meta: { signature, service_id: 9 } });
    await expect(adapter.testCredentials()).rejects.toMatchObject({ kind: 'auth', httpStatus: 401 });
    await expect(adapter.testCredentials()).rejects.toMatchObject({ kind: 'auth', httpStatus: 422 });
  });

  it('parses webhooks signed with the token secret, never throwing', () => {
    const body = signBody(
      fixture('webhook-shop-plugin.json').replace('"service_id": 11', '"service_id": 9'),
      secret,
    );
    expect(adapter.parseWebhook(new TextEncoder().encode(body), {})).toMatchObject({
      verified: true,
      reference: 'payment-unique-id',
      lookupRequired: false,
    });
    expect(
      adapter.parseWebhook(
        new TextEncoder().encode(signBody(fixture('webhook-shop-plugin.json'), secret)),
        {},
      ),
    ).toMatchObject({ verified: false, reason: 'bad_signature' });
    expect(adapter.parseWebhook(new Uint8Array(), {})).toMatchObject({
      verified: false,
      reason: 'malformed',
    });
  });
});
