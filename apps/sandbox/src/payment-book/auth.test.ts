import { signBody } from '@paydesk/providers/payment-book/signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  at,
  meta,
  otherToken,
  purchaseBody,
  shopToken,
  startPaymentBook,
  type TestSandbox,
} from './test-context.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startPaymentBook();
});
afterAll(() => sandbox.close());

const unauthorized = {
  meta: {
    code: 401,
    success: false,
    message: 'Unauthorized.',
    response_time: expect.stringMatching(/^\d[\d.e-]* s$/) as unknown,
  },
  errors: null,
};

describe('authentication', () => {
  it('answers 401 without the X-REQUEST-TOKEN-NAME header or with an unknown token name', async () => {
    const body = purchaseBody('auth-1');
    for (const token of [null, 'no-such-token']) {
      const response = await sandbox.call('/api/transaction/purchase/create', body, { token });
      expect(response.status).toBe(401);
      expect(response.json).toEqual(unauthorized);
    }
  });

  it('answers 401 when the body is signed with another secret', async () => {
    const response = await sandbox.call('/api/transaction/purchase/create', purchaseBody('auth-2'), {
      secret: 'wrong',
    });
    expect(response.status).toBe(401);
    expect(response.json).toEqual(unauthorized);
  });

  it('answers 401 when a signed body is changed, even only 100 into 100.0', async () => {
    const signed = signBody(
      '{"meta":{"reference_id":"auth-3","service_id":9},"payment":{"amount":100,"currency":"EUR"}}',
      shopToken.secret,
    );
    const changed = await sandbox.call(
      '/api/transaction/purchase/create',
      signed.replace('"amount":100', '"amount":100.0'),
      { unsigned: true },
    );
    expect(changed.status).toBe(401);
    const intact = await sandbox.call('/api/transaction/purchase/create', signed, { unsigned: true });
    expect(intact.status).toBe(200);
  });

  it('answers 401 when the token belongs to another service than meta.service_id', async () => {
    const response = await sandbox.call(
      '/api/transaction/purchase/create',
      purchaseBody('auth-4', { webhook: undefined }),
      {
        token: otherToken.name,
        secret: otherToken.secret,
      },
    );
    expect(response.status).toBe(401);
  });

  it.each([
    ['/api/transaction/purchase/create', purchaseBody('auth-5')],
    ['/api/transaction/recurring/create', purchaseBody('auth-6')],
    ['/api/transaction/recurring/cancel', meta('auth-7')],
    [
      '/api/transaction/withdrawal/create',
      { ...meta('auth-8'), withdrawal: { amount: '1.00', currency: 'EUR', balance_id: 1 } },
    ],
    ['/api/transaction/refund', { ...meta('auth-9'), refund: { amount: '1.00', currency: 'EUR' } }],
    ['/api/transaction/status', meta('auth-10')],
    ['/api/operation/receipt', { meta: { ulid: '01KS8KBXCYQ25ZB8CNCD0D3C23' } }],
    ['/api/payment-methods', { meta: { service_id: 9 } }],
  ])('guards %s with the token and the signature', async (path, body) => {
    expect((await sandbox.call(path, body, { token: null })).status).toBe(401);
    expect((await sandbox.call(path, body, { token: 'unknown' })).status).toBe(401);
    const forged = await sandbox.call(path, body, { secret: 'forged' });
    expect(forged.status).toBe(401);
    expect(forged.json).toEqual(unauthorized);
  });

  it('checks the signature before validation, so a wrong signature never sees a 422', async () => {
    const response = await sandbox.call(
      '/api/transaction/purchase/create',
      { meta: { reference_id: 'x' } },
      { secret: 'wrong' },
    );
    expect(response.status).toBe(401);
  });
});

describe('validation', () => {
  it('requires exactly three meta items and names the missing one (the documented 422)', async () => {
    const response = await sandbox.call('/api/transaction/purchase/create', {
      meta: { service_id: 9 },
      payment: { amount: '100.00', currency: 'EUR' },
      order: [{ textual: '<b>Soft desk wipe</b> from cotton' }],
    });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      meta: {
        code: 422,
        success: false,
        message: 'Validation Error.',
        response_time: expect.any(String) as unknown,
      },
      errors: {
        meta: ['The meta must contain 3 items.'],
        'meta.reference_id': ['The meta.reference id field is required.'],
        'order.0.amount': ['The order.0.amount field is required.'],
        'order.0.currency': ['The order.0.currency field is required.'],
      },
    });
  });

  it('requires meta.signature', async () => {
    const response = await sandbox.call('/api/transaction/status', meta('v-1'), { unsigned: true });
    expect(response.status).toBe(422);
    expect(at(response.json, 'errors')).toEqual({
      meta: ['The meta must contain 3 items.'],
      'meta.signature': ['The meta.signature field is required.'],
    });
  });

  it('requires meta.service_id (the documented refund and status 422)', async () => {
    const response = await sandbox.call('/api/transaction/refund', {
      meta: { reference_id: 'v-2' },
      refund: { amount: '1.00', currency: 'EUR' },
    });
    expect(at(response.json, 'errors')).toEqual({
      meta: ['The meta must contain 3 items.'],
      'meta.service_id': ['The meta.service id field is required.'],
    });
  });

  it('refuses a meta with a fourth item', async () => {
    const response = await sandbox.call('/api/transaction/status', {
      meta: { reference_id: 'v-3', service_id: 9, extra: 1 },
    });
    expect(at(response.json, 'errors')).toEqual({ meta: ['The meta must contain 3 items.'] });
  });

  it('refuses an unknown service id', async () => {
    const response = await sandbox.call('/api/transaction/status', {
      meta: { reference_id: 'v-4', service_id: 404 },
    });
    expect(response.status).toBe(422);
    expect(at(response.json, 'errors')).toEqual({
      'meta.service_id': ['The selected meta.service id is invalid.'],
    });
  });

  it('refuses amounts and currencies the provider cannot take', async () => {
    const response = await sandbox.call(
      '/api/transaction/purchase/create',
      purchaseBody('v-5', {
        payment: { amount: '10.005', currency: 'EUR' },
        user: { email: 'not-an-email' },
      }),
    );
    expect(at(response.json, 'errors')).toEqual({
      'payment.amount': ['The payment.amount must have 0-2 decimal places.'],
      'user.email': ['The user.email must be a valid email address.'],
    });
    const currency = await sandbox.call(
      '/api/transaction/purchase/create',
      purchaseBody('v-6', { payment: { amount: -1, currency: 'XXX' } }),
    );
    expect(at(currency.json, 'errors')).toEqual({
      'payment.amount': ['The payment.amount must be greater than 0.'],
      'payment.currency': ['The selected payment.currency is invalid.'],
    });
  });

  it('takes a body that is not JSON as no input at all', async () => {
    const response = await sandbox.call('/api/transaction/status', '{"meta":', { unsigned: true });
    expect(response.status).toBe(422);
    expect(at(response.json, 'errors.meta')).toEqual(['The meta field is required.']);
  });

  it('answers unknown API paths with a 404 envelope', async () => {
    const response = await sandbox.call('/api/transaction/nothing', meta('v-7'));
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      meta: { code: 404, success: false, message: 'Not found', response_time: expect.any(String) as unknown },
      errors: null,
    });
  });
});

describe('duplicate meta.reference_id', () => {
  it('refuses a second transaction with the same reference in the same service, of any type', async () => {
    expect((await sandbox.call('/api/transaction/purchase/create', purchaseBody('dup-1'))).status).toBe(200);
    const again = await sandbox.call('/api/transaction/purchase/create', purchaseBody('dup-1'));
    expect(again.status).toBe(422);
    expect(at(again.json, 'errors')).toEqual({
      'meta.reference_id': ['The meta.reference id has already been taken.'],
    });
    const withdrawal = await sandbox.call('/api/transaction/withdrawal/create', {
      ...meta('dup-1'),
      withdrawal: { amount: '1.00', currency: 'EUR', balance_id: 9 },
    });
    expect(withdrawal.status).toBe(422);
  });

  it('lets another service use the same reference', async () => {
    const body = purchaseBody('dup-1', {
      meta: { reference_id: 'dup-1', service_id: 11 },
      webhook: undefined,
    });
    const response = await sandbox.call('/api/transaction/purchase/create', body, {
      token: otherToken.name,
      secret: otherToken.secret,
    });
    expect(response.status).toBe(200);
  });
});
