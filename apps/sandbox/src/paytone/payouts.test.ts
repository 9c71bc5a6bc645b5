import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutBody, startPaytone, testLifecycle, type PaytoneHarness } from './test-context.ts';

let paytone: PaytoneHarness;
beforeAll(async () => {
  paytone = await startPaytone();
});
afterAll(async () => {
  await paytone.close();
});

describe('payout invoices', () => {
  it('create → created; process → processing → processed', async () => {
    const body = payoutBody();
    const created = await paytone.api('POST', '/api/payout-invoices', body);
    expect(created.status).toBe(201);
    const { data } = created.json;
    expect(data).toMatchObject({
      type: 'payout-invoices',
      id: expect.stringMatching(/^cpoi_[A-Za-z0-9]{16}$/) as unknown,
      attributes: {
        status: 'created',
        resolution: 'ok',
        amount: 250,
        currency: 'EUR',
        service: 'bank_transfer_eur_direct',
        test_mode: true,
        fee: 1.25,
        options: { auto_process: false },
        service_fields: { account_number: 'LV80BANK0000435195001' },
        created: Math.floor(paytone.now() / 1000),
        updated: Math.floor(paytone.now() / 1000),
        processed: null,
      },
      relationships: {
        'payout-service': { data: { type: 'payout-services', id: 'bank_transfer_eur_direct' } },
      },
      links: { self: `/api/payout-invoices/${data.id}` },
    });

    const processed = await paytone.api('POST', `/api/payout-invoices/${data.id}/process`);
    expect(processed.status).toBe(200);
    expect(processed.json.data.attributes.status).toBe('processing');
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(data.id)).toMatchObject({
      status: 'processed',
      processed_amount: 250,
      processed_fee: 1.25,
    });

    const statuses = paytone.deliveries
      .filter((delivery) => delivery.objectKey === data.id)
      .map(
        (delivery) =>
          (JSON.parse(delivery.body) as { data: { attributes: { status: string } } }).data.attributes.status,
      );
    expect(statuses).toEqual(['created', 'processing', 'processed']);
  });

  it('processes at once with options.auto_process', async () => {
    const created = await paytone.api(
      'POST',
      '/api/payout-invoices',
      payoutBody({ options: { auto_process: true } }),
    );
    expect(created.status).toBe(201);
    expect(created.json.data.attributes).toMatchObject({
      status: 'processing',
      options: { auto_process: true },
    });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(created.json.data.id)).toMatchObject({ status: 'processed' });
  });

  it('masks a payout card number, and accepts a token instead of one', async () => {
    const card = await paytone.api(
      'POST',
      '/api/payout-invoices',
      payoutBody({ service: 'payment_card_eur_direct', service_fields: { card_number: '4111111111111111' } }),
    );
    expect(card.status).toBe(201);
    expect(card.json.data.attributes.service_fields).toEqual({ card_number: '411111******1111' });
    expect(card.json.data.attributes.payload).toMatchObject({
      payment_card: { first: '411111', last: '1111' },
    });
    expect(card.text).not.toContain('4111111111111111');
    const token = await paytone.api(
      'POST',
      '/api/payout-invoices',
      payoutBody({ service: 'payment_card_eur_direct', service_fields: undefined, token: 'tok_card_1' }),
    );
    expect(token.status).toBe(201);
    expect(token.json.data.attributes).toMatchObject({ token: 'tok_card_1', service_fields: null });
  });

  it('fails through the test service', async () => {
    const created = await paytone.api(
      'POST',
      '/api/payout-invoices',
      payoutBody({
        service: 'test_eur_test',
        service_fields: { status: 'process_failed' },
        options: { auto_process: true },
      }),
    );
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(created.json.data.id)).toMatchObject({
      status: 'process_failed',
      resolution: 'process_failed',
    });
  });

  it('expires a payout that is never processed', async () => {
    const created = await paytone.api('POST', '/api/payout-invoices', payoutBody());
    await paytone.advance(testLifecycle.expireAfterMs);
    expect(await paytone.attributesOf(created.json.data.id)).toMatchObject({
      status: 'expired',
      resolution: 'expired',
    });
    const late = await paytone.api('POST', `/api/payout-invoices/${created.json.data.id}/process`);
    expect(late.status).toBe(422);
    expect(late.json).toEqual({
      errors: { status: 'A payout invoice in status expired cannot be processed.' },
    });
  });

  it('answers 422 when processing twice', async () => {
    const created = await paytone.api('POST', '/api/payout-invoices', payoutBody());
    const id = created.json.data.id;
    expect((await paytone.api('POST', `/api/payout-invoices/${id}/process`)).status).toBe(200);
    const again = await paytone.api('POST', `/api/payout-invoices/${id}/process`);
    expect(again.status).toBe(422);
    expect(again.json).toEqual({
      errors: { status: 'A payout invoice in status processing cannot be processed.' },
    });
  });

  it('answers 409 with the earlier payout for a duplicate reference_id', async () => {
    const body = payoutBody();
    const first = await paytone.api('POST', '/api/payout-invoices', body);
    const again = await paytone.api('POST', '/api/payout-invoices', body);
    expect(again.status).toBe(409);
    expect(again.json).toEqual(first.json);
  });

  it.each([
    [
      'a missing account number',
      { service_fields: undefined },
      { 'service_fields.account_number': 'This value should not be blank.' },
    ],
    [
      'a malformed account number',
      { service_fields: { account_number: '12' } },
      { 'service_fields.account_number': 'This value is not valid.' },
    ],
    [
      'a card payout without number or token',
      { service: 'payment_card_eur_direct', service_fields: {} },
      { 'service_fields.card_number': 'This value should not be blank.' },
    ],
    ['amount 0', { amount: 0 }, { amount: 'This value should be greater than 0.' }],
    [
      'an unknown service',
      { service: 'bank_transfer_eur_hpp' },
      { service: 'This service is not available.' },
    ],
    [
      'a currency other than the service',
      { currency: 'USD' },
      { currency: 'This value should be equal to "EUR".' },
    ],
    [
      'auto_process as a string',
      { options: { auto_process: 'yes' } },
      { 'options.auto_process': 'This value should be of type boolean.' },
    ],
  ])('answers 422 for %s', async (_name, attributes, errors) => {
    const response = await paytone.api('POST', '/api/payout-invoices', payoutBody(attributes));
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors });
  });

  it('answers 404 for an unknown payout and 401 without credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/payout-invoices/cpoi_missing'],
      ['POST', '/api/payout-invoices/cpoi_missing/process'],
    ] as const) {
      const response = await paytone.api(method, path);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ errors: [{ status: 'Not Found', code: '404' }] });
    }
    const anonymous = await paytone.request('POST', '/api/payout-invoices', { body: payoutBody() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual({ errors: [{ status: 'Unauthorized', code: '401' }] });
  });
});
