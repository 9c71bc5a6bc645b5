import { signPayload } from '@paydesk/providers/payment-book/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, lifecycle, meta, shopToken, startPaymentBook, type TestSandbox } from './test-context.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startPaymentBook({ openingBalance: 1_000 });
});
afterEach(() => sandbox.close());

function withdraw(reference: string, amount: string, extra: Record<string, unknown> = {}) {
  return sandbox.call('/api/transaction/withdrawal/create', {
    ...meta(reference),
    withdrawal: { amount, currency: 'EUR', balance_id: 99 },
    ...extra,
  });
}

async function statusOf(reference: string): Promise<unknown> {
  return (await sandbox.call('/api/transaction/status', meta(reference))).json;
}

describe('POST api/transaction/withdrawal/create', () => {
  it('answers with no data and pays out from the balance: created → processing → success', async () => {
    const response = await withdraw('wd-1', '100.00', { webhook: { url: 'https://shop.example/hook' } });
    expect(response.json).toEqual({
      meta: {
        code: 200,
        success: true,
        message: 'Transaction can be processed!',
        response_time: expect.any(String) as unknown,
      },
      data: null,
    });
    expect(await statusOf('wd-1')).toMatchObject({
      data: {
        type: 'withdrawal',
        status: 'created',
        operations: [{ type: 'payout', status: 'created', direction: 'out' }],
      },
    });
    await sandbox.scheduler.advance(lifecycle.processingAfterMs);
    expect(at(await statusOf('wd-1'), 'data.status')).toBe('processing');
    await sandbox.scheduler.advance(lifecycle.settleAfterMs);
    expect(await statusOf('wd-1')).toMatchObject({
      data: {
        status: 'success',
        operations: [{ type: 'payout', status: 'success', amount: '100.00', fee: '0.30' }],
      },
    });
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'processing', 'success']);
  });

  it('fails a withdrawal larger than the balance with the balance error', async () => {
    await withdraw('wd-2', '999.80');
    await sandbox.scheduler.advance(lifecycle.processingAfterMs + lifecycle.settleAfterMs);
    expect(await statusOf('wd-2')).toMatchObject({
      data: {
        status: 'failed',
        unified_error_code: 100,
        operations: [{ status: 'failed', code: 28102, message: "Don't have enough available balance." }],
      },
    });
  });

  it('validates the withdrawal block', async () => {
    const response = await sandbox.call('/api/transaction/withdrawal/create', {
      ...meta('wd-3'),
      withdrawal: { amount: 'ten', currency: 'EURO' },
    });
    expect(response.status).toBe(422);
    expect(at(response.json, 'errors')).toEqual({
      'withdrawal.amount': [
        'The withdrawal.amount must be a number.',
        'The withdrawal.amount must be greater than 0.',
      ],
      'withdrawal.currency': [
        'The withdrawal.currency must be 3 characters.',
        'The selected withdrawal.currency is invalid.',
      ],
      'withdrawal.balance_id': ['The withdrawal.balance id field is required.'],
    });
    expect((await withdraw('wd-4', '1.00')).status).toBe(200);
    expect((await withdraw('wd-4', '1.00')).status).toBe(422);
  });
});

describe('POST api/payment-methods', () => {
  it('takes the documented query parameters, signed as PHP sees them (strings)', async () => {
    const params = { meta: { service_id: '9' }, currency: 'USD' };
    const signature = signPayload(JSON.stringify(params), shopToken.secret);
    const query = `?meta[signature]=${signature}&meta[service_id]=9&currency=USD`;
    const response = await sandbox.call('/api/payment-methods', '', { unsigned: true, query });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      meta: { code: 200, success: true, message: 'Payment system public data gathered.' },
      data: [
        {
          id: 1,
          alias: 'card',
          currencies: expect.arrayContaining([
            expect.objectContaining({ currency: 'USD', status: 'active' }),
          ]) as unknown,
        },
        {
          id: 251,
          alias: 'skrill',
          currencies: [
            { currency: 'EUR', status: 'active' },
            { currency: 'USD', status: 'disabled' },
          ],
        },
        { id: 253, alias: 'paypal' },
      ],
    });
    expect(at(response.json, 'data')).toHaveLength(3);
  });

  it('takes a JSON body too, and filters by country', async () => {
    const response = await sandbox.call('/api/payment-methods', {
      meta: { service_id: 9 },
      country: 'US',
      currency: 'EUR',
    });
    expect((at(response.json, 'data') as { alias: string }[]).map((method) => method.alias)).toEqual([
      'card',
      'skrill',
      'neteller',
      'paypal',
    ]);
  });

  it('answers 401 for a bad signature and 422 for a bad meta or filter', async () => {
    const query = `?meta[signature]=${'0'.repeat(128)}&meta[service_id]=9`;
    expect((await sandbox.call('/api/payment-methods', '', { unsigned: true, query })).status).toBe(401);
    const invalid = await sandbox.call('/api/payment-methods', {
      meta: { service_id: 9, reference_id: 'x' },
      currency: 'EURO',
    });
    expect(at(invalid.json, 'errors')).toEqual({
      meta: ['The meta must contain 2 items.'],
      currency: ['The currency must be 3 characters.'],
    });
  });
});

describe('GET api/public/countries and currencies', () => {
  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${sandbox.base}${path}`, {
      headers: { accept: 'application/json', ...headers },
    });
    return { status: response.status, headers: response.headers, json: await response.json() };
  }

  it('lists countries and currencies without authentication', async () => {
    expect(await get('/api/public/countries')).toMatchObject({
      status: 200,
      json: {
        meta: {
          code: 200,
          success: true,
          message: 'Countries retrieved.',
          response_time: expect.stringMatching(/^\d+\.\d\ds$/) as unknown,
        },
        data: expect.arrayContaining([
          expect.objectContaining({ iso_alpha2: 'GB', iso_alpha3: 'GBR', dialing_code: '+44' }),
        ]) as unknown,
      },
    });
    expect(await get('/api/public/currencies')).toMatchObject({
      json: {
        meta: { message: 'Currencies retrieved.' },
        data: expect.arrayContaining([
          expect.objectContaining({ code: 'EUR', decimals: 2, fiat: 'yes', params: [] }),
          expect.objectContaining({ code: 'JPY', decimals: 0 }),
        ]) as unknown,
      },
    });
  });

  it('lets an unknown client make 6 requests a minute, then answers 429', async () => {
    for (let i = 0; i < 6; i++) {
      const response = await get(i % 2 === 0 ? '/api/public/countries' : '/api/public/currencies');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-remaining')).toBe(String(5 - i));
    }
    const refused = await get('/api/public/countries');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.json).toEqual({
      meta: {
        code: 429,
        success: false,
        message: 'Too Many Attempts.',
        response_time: expect.any(String) as unknown,
      },
      errors: null,
    });
    expect((await get('/api/public/countries', { 'x-request-token-name': shopToken.name })).status).toBe(200);
    await sandbox.scheduler.advance(60_000);
    expect((await get('/api/public/currencies')).status).toBe(200);
  });
});
