import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderExchange } from '../adapter.ts';
import { ProviderError } from '../errors.ts';
import { buildSignedBody, cleanPayload, PaymentBookClient, readPaymentBookError } from './client.ts';
import { signingMessage, signPayload, verifyPayload } from './signature.ts';
import { fixture, jsonFixture, startStubServer, type StubServer } from './test-server.ts';

const secret = 'test-secret';

function read(name: string, status?: number) {
  const json: unknown = JSON.parse(fixture(name));
  const code = (json as { meta: { code: number } }).meta.code;
  return readPaymentBookError({ status: status ?? code, json, operation: 'refund' });
}

describe('the request builder', () => {
  it('omits undefined, null, empty and blank strings and empty containers, and trims strings', () => {
    expect(
      cleanPayload({
        a: '  keep me  ',
        b: '',
        c: '   ',
        d: null,
        e: undefined,
        f: {},
        g: [],
        h: { only: null },
        i: [null, '', ' x '],
        zero: 0,
        no: false,
        nested: { inner: 'a\tb', drop: '' },
      }),
    ).toEqual({ a: 'keep me', i: ['x'], zero: 0, no: false, nested: { inner: 'a\tb' } });
    expect(cleanPayload({ a: null })).toBeUndefined();
  });

  it('refuses floats, bigints and class instances rather than guess their JSON type', () => {
    expect(() => cleanPayload({ amount: 100.5 })).toThrow(/safe integers/);
    expect(() => cleanPayload({ amount: 10n })).toThrow(/bigint/);
    expect(() => cleanPayload({ at: new Date() })).toThrow(/plain objects/);
  });

  it('sends meta first with the signature first and exactly reference_id and service_id beside it', () => {
    const body = buildSignedBody(
      secret,
      { reference_id: '  order-1 ', service_id: 9 },
      { refund: { amount: '30.00', currency: 'EUR', comment: '' } },
    );
    const parsed = JSON.parse(body) as { meta: Record<string, unknown>; refund: Record<string, unknown> };
    expect(Object.keys(parsed.meta)).toEqual(['signature', 'reference_id', 'service_id']);
    expect(parsed.meta).toMatchObject({ reference_id: 'order-1', service_id: 9 });
    expect(parsed.refund).toEqual({ amount: '30.00', currency: 'EUR' });
    expect(body.startsWith('{"meta":{"signature":"')).toBe(true);
    expect(verifyPayload(body, secret)).toBe(true);
    expect(verifyPayload(body, 'another-secret')).toBe(false);
  });

  it('signs exactly the JSON types it sends: int service_id, string amounts, booleans', () => {
    const body = buildSignedBody(
      secret,
      { reference_id: 'r', service_id: 9 },
      { payment: { amount: '100.00', currency: 'EUR' }, recurring: { enabled: true, cycle_days: 30 } },
    );
    expect(body).toContain('"service_id":9');
    expect(body).toContain('"amount":"100.00"');
    const message = signingMessage(body);
    expect(message).toContain('s:10:"service_id";i:9;');
    expect(message).toContain('s:6:"amount";s:6:"100.00";');
    expect(message).toContain('s:7:"enabled";b:1;');
    expect(signPayload(body, secret)).toBe(
      (JSON.parse(body) as { meta: { signature: string } }).meta.signature,
    );
  });

  it('reproduces the document signer vectors for the bodies it builds', () => {
    expect(
      signPayload(buildSignedBody(secret, { reference_id: 'external-reference-id', service_id: 9 }), secret),
    ).toBe(
      'f43fa285f5dccd9443e4ce4446d0f286fd0a3aee0cfa6af61716f13ad7c96e2e054985c58d7abf8eba5355fc4d84549213b10adc30b06909b51f762b859ef90d',
    );
    const refund = buildSignedBody(
      secret,
      { reference_id: 'external-id-1780351433', service_id: 9 },
      { refund: { amount: '100.00', currency: 'EUR', comment: 'Package with defect' } },
    );
    expect((JSON.parse(refund) as { meta: { signature: string } }).meta.signature).toBe(
      '8b4a0ddef1a0d3dcdc48228dd5acde559f8fccb9d52ee76d2b8ab3de330ff108fc47d4d0dddcddebb8cae6d96ea5af198ec38967c1dcb2b58551a8cf889759dc',
    );
    const receipt = buildSignedBody(secret, { ulid: '01KS8KBXCYQ25ZB8CNCD0D3C23' });
    expect((JSON.parse(receipt) as { meta: { signature: string } }).meta.signature).toBe(
      '62306c5ed8d596e8b9d880252e00046ce0805cb12c7640abf6db71afee4489d98827a7e19ed0a20ab6ce961305c972ffc1102e58308df352fe7477df7eaaeeef',
    );
  });

  it('verifies bodies with inner whitespace, non-ASCII text and lists', () => {
    const body = buildSignedBody(
      secret,
      { reference_id: 'ref 1', service_id: 9 },
      {
        user: { first_name: 'Jānis', city: 'Rīga €', address: 'Brīvības\n iela 1' },
        order: Array.from({ length: 12 }, (_, index) => ({
          amount: '1.00',
          currency: 'EUR',
          textual: `item ${index}`,
        })),
      },
    );
    expect(verifyPayload(body, secret)).toBe(true);
  });

  it('refuses text that is not valid Unicode as invalid_request', () => {
    expect(() => cleanPayload({ comment: 'broken \uD800 text' })).toThrow(ProviderError);
    expect(cleanPayload({ comment: 'emoji \uD83D\uDE00' })).toEqual({ comment: 'emoji \uD83D\uDE00' });
  });

  it('refuses an empty meta value without sending anything', () => {
    expect(() => buildSignedBody(secret, { reference_id: '   ', service_id: 9 })).toThrow(ProviderError);
    try {
      buildSignedBody(secret, { reference_id: '', service_id: 9 });
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalid_request', retrySafe: true });
    }
  });
});

describe('readPaymentBookError', () => {
  it('401 → auth', () => {
    expect(read('error-401.json')).toMatchObject({
      kind: 'auth',
      providerCode: '401',
      message: 'refund: Unauthorized.',
    });
  });

  it('404 → not_found', () => {
    expect(read('error-404.json')).toMatchObject({ kind: 'not_found', providerCode: '404' });
  });

  it('422 → invalid_request with every Laravel field', () => {
    const error = read('error-422-validation.json');
    expect(error).toMatchObject({ kind: 'invalid_request', providerCode: '422' });
    expect(error.fields).toEqual([
      { path: 'meta', message: 'The meta must contain 3 items.' },
      { path: 'meta.reference_id', message: 'The meta.reference id field is required.' },
      { path: 'order.0.amount', message: 'The order.0.amount field is required.' },
      { path: 'order.0.currency', message: 'The order.0.currency field is required.' },
    ]);
    expect(error.message).toBe('refund: Validation Error. The meta must contain 3 items.');
    expect(read('error-422-service-id.json').fields?.map((field) => field.path)).toEqual([
      'meta',
      'meta.service_id',
    ]);
    expect(read('error-422-refund-amount.json')).toMatchObject({
      kind: 'invalid_request',
      fields: [{ path: 'refund.amount', message: 'The refund.amount must be less than or equal to 70.00.' }],
    });
  });

  it('422 on a reference that was taken → duplicate', () => {
    expect(read('error-422-duplicate.json')).toMatchObject({
      kind: 'duplicate',
      providerCode: '422',
      fields: [{ path: 'meta.reference_id', message: 'The meta.reference id has already been taken.' }],
    });
  });

  it('400 → invalid_request with the provider message', () => {
    expect(read('error-400-receipt.json')).toMatchObject({
      kind: 'invalid_request',
      providerCode: '400',
      message: 'refund: Cannot get receipt for this operation.',
    });
    expect(read('error-400-refund-state.json')).toMatchObject({ kind: 'invalid_request' });
  });

  it('429 → rate_limited, 5xx → unavailable (ProviderHttp makes it unknown_outcome for mutations)', () => {
    expect(read('error-429.json')).toMatchObject({ kind: 'rate_limited', providerCode: '429' });
    expect(read('error-500.json')).toMatchObject({ kind: 'unavailable', providerCode: '500' });
  });

  it('unified codes → declined with code and message', () => {
    expect(read('error-declined-unified.json', 400)).toMatchObject({
      kind: 'declined',
      providerCode: '100',
      message: 'refund: General decline.',
    });
    expect(read('error-declined-gate-timeout.json', 400)).toMatchObject({
      kind: 'declined',
      providerCode: '330',
    });
    for (const code of [110, 120, 310, 320, 999]) {
      expect(
        readPaymentBookError({
          status: 400,
          json: { meta: { code, success: false, message: 'Error occured.' }, errors: null },
          operation: 'refund',
        }),
      ).toMatchObject({ kind: 'declined', providerCode: String(code) });
    }
    expect(read('error-declined-data.json', 400)).toMatchObject({
      kind: 'declined',
      providerCode: '320',
      message: 'refund: Gate error.',
    });
  });

  it('operation and processor codes → declined with code and message', () => {
    expect(read('error-declined-operation.json')).toMatchObject({
      kind: 'declined',
      providerCode: '28102',
      message: "refund: Don't have enough available balance.",
    });
    expect(read('error-declined-processor.json')).toMatchObject({ kind: 'declined', providerCode: '93107' });
    expect(
      readPaymentBookError({
        status: 400,
        json: { meta: { code: 28105, success: false, message: 'Internal expire' }, errors: null },
        operation: 'refund',
      }),
    ).toMatchObject({ kind: 'declined', providerCode: '28105' });
  });

  it('a 2xx with success false is read by its meta.code', () => {
    expect(read('error-200-success-false.json', 200)).toMatchObject({
      kind: 'invalid_request',
      providerCode: '400',
    });
  });

  it('anything that is not the envelope is left to the HTTP layer', () => {
    expect(
      readPaymentBookError({ status: 500, json: { message: 'Internal Server Error' }, operation: 'x' }),
    ).toEqual({});
    expect(readPaymentBookError({ status: 500, json: 'oops', operation: 'x' })).toEqual({});
  });
});

describe('PaymentBookClient over HTTP', () => {
  let stub: StubServer;
  let exchanges: ProviderExchange[];
  let client: PaymentBookClient;

  beforeEach(async () => {
    stub = await startStubServer();
    exchanges = [];
    client = new PaymentBookClient({
      baseUrl: stub.url,
      mode: 'test',
      timeoutMs: 2_000,
      retries: 1,
      credentials: { provider: 'payment-book', tokenName: 'token-name', tokenSecret: secret, serviceId: 9 },
      onExchange: (exchange) => exchanges.push(exchange),
    });
  });
  afterEach(() => stub.close());

  it('sends the token name in the header and a body that verifies', async () => {
    stub.on('/api/transaction/status', jsonFixture('status-open-banking-success.json'));
    const answer = await client.json({
      operation: 'lookup',
      path: '/api/transaction/status',
      meta: { reference_id: 'PIx38sKzZTwLqnYI2Z8W', service_id: 9 },
      retrySafe: true,
    });
    expect(answer.message).toBe('Transaction status request successful');
    const [request] = stub.requests;
    expect(request?.headers['x-request-token-name']).toBe('token-name');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(verifyPayload(request?.body ?? '', secret)).toBe(true);
    expect(exchanges).toEqual([
      expect.objectContaining({
        provider: 'payment-book',
        operation: 'lookup',
        httpStatus: 200,
        outcome: 'ok',
      }),
    ]);
  });

  it('turns a 200 with success false into a ProviderError', async () => {
    stub.on('/api/transaction/refund', jsonFixture('error-200-success-false.json', 200));
    await expect(
      client.json({
        operation: 'refund',
        path: '/api/transaction/refund',
        meta: { reference_id: 'r', service_id: 9 },
        retrySafe: false,
      }),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 200,
      message: 'refund: Transaction cannot be refunded.',
    });
  });

  it('a 200 without the envelope is schema for a look-up and unknown_outcome for a mutation', async () => {
    stub.on('/x', { status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
    const call = { operation: 'x', path: '/x', meta: { reference_id: 'r', service_id: 9 } } as const;
    await expect(client.json({ ...call, retrySafe: true })).rejects.toMatchObject({
      kind: 'schema',
      retrySafe: true,
    });
    await expect(client.json({ ...call, retrySafe: false })).rejects.toMatchObject({
      kind: 'unknown_outcome',
      retrySafe: false,
    });
  });

  it('returns file bytes, and reads a JSON answer to a file request as an error envelope', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n...\n%%EOF\n');
    stub.on(
      '/api/operation/receipt',
      { status: 200, body: pdf, headers: { 'content-type': 'application/pdf' } },
      jsonFixture('error-400-receipt.json'),
      jsonFixture('error-200-success-false.json', 200),
    );
    const call = {
      operation: 'fetchReceipt',
      path: '/api/operation/receipt',
      meta: { ulid: 'u' },
      retrySafe: true,
    };
    const file = await client.bytes(call);
    expect(new TextDecoder().decode(file.bytes)).toBe('%PDF-1.7\n...\n%%EOF\n');
    expect(file.contentType).toBe('application/pdf');
    await expect(client.bytes(call)).rejects.toMatchObject({ kind: 'invalid_request', httpStatus: 400 });
    await expect(client.bytes(call)).rejects.toMatchObject({ kind: 'invalid_request', httpStatus: 200 });
    const receipt = JSON.parse(stub.requests[0]?.body ?? '{}') as { meta: Record<string, unknown> };
    expect(Object.keys(receipt.meta)).toEqual(['signature', 'ulid']);
  });
});
