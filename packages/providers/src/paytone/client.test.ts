import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, readPaytoneError } from './client.ts';

const json = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('readPaytoneError', () => {
  it.each([
    ['error-401.json', 401, 'auth', '401'],
    ['error-403.json', 403, 'auth', '403'],
    ['error-404.json', 404, 'not_found', '404'],
    ['error-405.json', 405, 'invalid_request', '405'],
    ['error-429.json', 429, 'rate_limited', '429'],
    ['error-500.json', 500, 'unavailable', '500'],
  ])('%s → %s', (name, status, kind, code) => {
    const read = readPaytoneError({ status, json: json(name), operation: 'lookup' });
    expect(read.kind).toBe(kind);
    expect(read.providerCode).toBe(code);
    expect(read.message).toContain(code);
  });

  it('keeps the title and detail of a 500', () => {
    expect(readPaytoneError({ status: 500, json: json('error-500.json'), operation: 'refund' }).message).toBe(
      'refund: Paytone answered 500 internal_error: Internal server error.',
    );
  });

  it('turns a 422 into field errors', () => {
    expect(readPaytoneError({ status: 422, json: json('error-422.json'), operation: 'refund' })).toEqual({
      kind: 'invalid_request',
      providerCode: '422',
      message: 'refund: Paytone refused the request (amount: This value should be greater than 0.)',
      fields: [{ path: 'amount', message: 'This value should be greater than 0.' }],
    });
    expect(
      readPaytoneError({ status: 422, json: json('error-422-many.json'), operation: 'x' }).fields,
    ).toEqual([
      { path: 'amount', message: 'This value should be less than or equal to 89.5.' },
      { path: 'service_fields.card_number', message: 'This value is not valid.' },
      { path: 'customer.email', message: 'This value is not a valid email address.' },
    ]);
  });

  it('never repeats a card number the provider echoed in a field message', () => {
    const read = readPaytoneError({
      status: 422,
      json: { errors: { 'service_fields.card_number': '4111 1111 1111 1111 is not valid.' } },
      operation: 'createPayout',
    });
    expect(JSON.stringify(read)).not.toContain('4111 1111 1111 1111');
    expect(read.fields).toEqual([
      { path: 'service_fields.card_number', message: '411111******1111 is not valid.' },
    ]);
  });

  it('hands back the earlier invoice of a 409, normalized', () => {
    const read = readPaytoneError({
      status: 409,
      json: json('conflict-payment-invoice.json'),
      operation: 'createPaymentLink',
    });
    expect(read).toMatchObject({
      kind: 'duplicate',
      providerCode: '409',
      existing: {
        provider: 'paytone',
        providerId: 'cpi_HeSWMM9LvQonCcQc',
        reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276',
        amount: { amountMinor: 10000n, currency: 'USD' },
      },
    });
  });

  it('hands back the earlier refund and payout of a 409', () => {
    expect(
      readPaytoneError({ status: 409, json: json('conflict-refund.json'), operation: 'refund' }).existing,
    ).toMatchObject({
      providerId: 'ref_Lm3Qx9Tz2Kd8Ws1B',
      reference: 'rf_intent_1',
      amount: { amountMinor: 1050n, currency: 'USD' },
    });
    expect(
      readPaytoneError({ status: 409, json: json('conflict-payout-invoice.json'), operation: 'createPayout' })
        .existing,
    ).toMatchObject({ kind: 'payout', providerId: 'cpoi_Wq8sLp3Nd7XzKf2M' });
  });

  it('still reports a 409 whose body it cannot read as a duplicate', () => {
    const read = readPaytoneError({ status: 409, json: { data: { id: 'cpi_x' } }, operation: 'x' });
    expect(read.kind).toBe('duplicate');
    expect(read).not.toHaveProperty('existing');
  });

  it('leaves anything else to the HTTP status', () => {
    expect(readPaytoneError({ status: 502, json: { message: 'Bad Gateway' }, operation: 'x' })).toEqual({});
  });
});

describe('basicAuthorization', () => {
  it('is the commerce account id and the API key', () => {
    const header = basicAuthorization({
      provider: 'paytone',
      publicKey: 'pk_test_1',
      commerceAccountId: 'coma_1',
      apiKey: 'key:with:colons',
      testSecretKey: 'sk_test_1',
      liveSecretKey: 'sk_live_1',
    });
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe(
      'coma_1:key:with:colons',
    );
  });
});
