import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invoiceBody,
  listOf,
  startPaytone,
  testCredentials,
  uniqueReference,
  type PaytoneHarness,
  type Resource,
} from './test-context.ts';

let paytone: PaytoneHarness;
beforeAll(async () => {
  paytone = await startPaytone();
});
afterAll(async () => {
  await paytone.close();
});

const unauthorizedBody = { errors: [{ status: 'Unauthorized', code: '401' }] };
const notFoundBody = { errors: [{ status: 'Not Found', code: '404' }] };

describe('private API authentication', () => {
  const { commerceAccountId, apiKey } = testCredentials;

  it.each([
    ['no Authorization header', {}],
    ['a wrong API key', { auth: { login: commerceAccountId, password: 'wrong' } }],
    ['a wrong commerce account id', { auth: { login: 'coma_OTHER', password: apiKey } }],
    [
      'the public key as password',
      { auth: { login: commerceAccountId, password: testCredentials.publicKey } },
    ],
    ['a bearer token', { headers: { authorization: `Bearer ${apiKey}` } }],
    [
      'Basic without a colon',
      { headers: { authorization: `Basic ${Buffer.from(apiKey).toString('base64')}` } },
    ],
  ])('answers 401 with the documented body for %s', async (_name, options) => {
    for (const path of ['/api/payment-invoices', '/api/payment-services', '/api/payout-invoices/cpoi_X']) {
      const response = await paytone.request('GET', path, options);
      expect(response.status).toBe(401);
      expect(response.json).toEqual(unauthorizedBody);
    }
    const create = await paytone.request('POST', '/api/payment-invoices', {
      ...options,
      body: invoiceBody(),
    });
    expect(create.status).toBe(401);
    expect(create.json).toEqual(unauthorizedBody);
  });

  it('creates nothing on a 401', async () => {
    const reference = uniqueReference('unauthorized');
    await paytone.request('POST', '/api/payment-invoices', {
      body: invoiceBody({ reference_id: reference }),
    });
    const lookup = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    expect(lookup.json.data).toEqual([]);
  });
});

describe('payment services', () => {
  it('lists the services in pages with meta and links', async () => {
    const first = await paytone.api('GET', '/api/payment-services');
    expect(first.status).toBe(200);
    expect(first.json.meta).toMatchObject({ page: 1 });
    expect(listOf(first)).toHaveLength(20);
    const { total, pages } = first.json.meta as { total: number; pages: number };
    expect(pages).toBe(Math.ceil(total / 20));
    expect(first.json.links).toEqual({
      first: '/api/payment-services?page[number]=1&page[size]=20',
      next: '/api/payment-services?page[number]=2&page[size]=20',
      last: `/api/payment-services?page[number]=${pages}&page[size]=20`,
    });
    const [service] = listOf(first);
    expect(service).toMatchObject({
      type: 'payment-services',
      id: expect.stringMatching(/^comcps_[A-Za-z0-9]{16}$/) as unknown,
      attributes: {
        available: true,
        enabled: true,
        test_mode: true,
        amount_min: expect.any(Number) as unknown,
      },
      relationships: { 'payment-method': { data: { type: 'payment-methods' } } },
      links: { self: `/api/payment-services/${service?.id}` },
    });

    const ids = new Set<string>();
    for (let page = 1; page <= Math.ceil(total / 50); page++) {
      const response = await paytone.api('GET', `/api/payment-services?page[number]=${page}&page[size]=50`);
      for (const item of listOf(response)) ids.add(item.id);
    }
    expect(ids.size).toBe(total);
  });

  it('offers the documented card service and gets it by id', async () => {
    const all = await paytone.api('GET', '/api/payment-services?page[size]=100&page[number]=1');
    const pages = all.json.meta.pages as number;
    let card: Resource | undefined;
    for (let page = 1; page <= pages && !card; page++) {
      const response = await paytone.api('GET', `/api/payment-services?page[size]=100&page[number]=${page}`);
      card = listOf(response).find((item) => item.attributes.service === 'payment_card_usd_hpp');
    }
    expect(card).toBeDefined();
    const one = await paytone.api('GET', `/api/payment-services/${card?.id}`);
    expect(one.status).toBe(200);
    expect(one.json.data).toMatchObject({
      id: card?.id,
      attributes: {
        service: 'payment_card_usd_hpp',
        service_method: 'payment_card',
        service_currency: 'USD',
      },
    });
  });

  it('answers 404 for an unknown service and 422 for a bad page size', async () => {
    const missing = await paytone.api('GET', '/api/payment-services/comcps_missing');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(notFoundBody);
    const badSize = await paytone.api('GET', '/api/payment-services?page[size]=0');
    expect(badSize.status).toBe(422);
    expect(badSize.json).toEqual({ errors: { 'page[size]': 'This value should be between 1 and 100.' } });
  });
});

describe('POST /api/payment-invoices', () => {
  it('creates an invoice waiting on the hosted page (201, JSON:API)', async () => {
    const body = invoiceBody({
      amount: 123.45,
      metadata: { order: 'A-1' },
      customer: { reference_id: 'customer-1', email: 'jane@example.com', name: 'Jane Doe' },
    });
    const response = await paytone.api('POST', '/api/payment-invoices', body);
    expect(response.status).toBe(201);
    const { data } = response.json;
    expect(data).toMatchObject({
      type: 'payment-invoices',
      id: expect.stringMatching(/^cpi_[A-Za-z0-9]{16}$/) as unknown,
      attributes: {
        status: 'process_pending',
        resolution: 'ok',
        amount: 123.45,
        payment_amount: 123.45,
        currency: 'USD',
        service_currency: 'USD',
        reference_id: (body.data as { attributes: { reference_id: string } }).attributes.reference_id,
        test_mode: true,
        fee: 3.09,
        deposit: 120.36,
        processed: null,
        processed_amount: null,
        refunded_amount: null,
        metadata: { order: 'A-1' },
        flow: 'hpp',
        payment_flow: 'charge',
        created: Math.floor(paytone.now() / 1000),
        updated: Math.floor(paytone.now() / 1000),
        payload: null,
        description: 'Invoice Example',
        source: 'merchant_api',
      },
      relationships: {
        'payment-service': { data: { type: 'payment-services', id: 'payment_card_usd_hpp' } },
        'payment-method': { data: { type: 'payment-methods', id: 'payment_card' } },
        customer: {
          data: { type: 'customers', id: expect.stringMatching(/^cus_[A-Za-z0-9]{16}$/) as unknown },
        },
      },
      links: { self: `/api/payment-invoices/${data.id}` },
    });
    expect(data.attributes.serial_number).toBe(data.id.slice(4));
    expect(data.attributes.hpp_url).toBe(`${paytone.baseUrl}/redirect/hpp/?cpi=${data.id}`);
    expect(data.attributes.flow_data).toMatchObject({
      action: `${paytone.baseUrl}/hpp/${data.id}`,
      method: 'GET',
    });
  });

  it('defaults test_mode to false and generates a reference_id when none is sent', async () => {
    const body = invoiceBody();
    const attributes = (body.data as { attributes: Record<string, unknown> }).attributes;
    delete attributes.reference_id;
    delete attributes.test_mode;
    const response = await paytone.api('POST', '/api/payment-invoices', body);
    expect(response.status).toBe(201);
    expect(response.json.data.attributes.test_mode).toBe(false);
    expect(response.json.data.attributes.reference_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('keeps one customer per customer reference_id', async () => {
    const customer = { reference_id: uniqueReference('customer') };
    const first = await paytone.api('POST', '/api/payment-invoices', invoiceBody({ customer }));
    const second = await paytone.api('POST', '/api/payment-invoices', invoiceBody({ customer }));
    expect(second.json.data.relationships.customer).toEqual(first.json.data.relationships.customer);
  });

  it('handles currencies with 0 and 3 decimals exactly', async () => {
    const yen = await paytone.api(
      'POST',
      '/api/payment-invoices',
      invoiceBody({ amount: 1500, currency: 'JPY', service: 'payment_card_jpy_hpp' }),
    );
    expect(yen.status).toBe(201);
    expect(yen.json.data.attributes).toMatchObject({ amount: 1500, fee: 38 });
    const dinar = await paytone.api(
      'POST',
      '/api/payment-invoices',
      invoiceBody({ amount: 10.125, currency: 'KWD', service: 'payment_card_kwd_hpp' }),
    );
    expect(dinar.status).toBe(201);
    expect(dinar.json.data.attributes).toMatchObject({ amount: 10.125, fee: 0.253 });
  });

  it('answers 409 with the earlier invoice for a duplicate reference_id', async () => {
    const body = invoiceBody();
    const first = await paytone.api('POST', '/api/payment-invoices', body);
    const again = await paytone.api(
      'POST',
      '/api/payment-invoices',
      invoiceBody({
        reference_id: first.json.data.attributes.reference_id,
        amount: 999,
      }),
    );
    expect(again.status).toBe(409);
    expect(again.json).toEqual(first.json);
  });

  it.each([
    ['amount 0', { amount: 0 }, { amount: 'This value should be greater than 0.' }],
    ['a negative amount', { amount: -5 }, { amount: 'This value should be greater than 0.' }],
    ['an amount as a string', { amount: '100.50' }, { amount: 'This value should be of type float.' }],
    ['no amount', { amount: undefined }, { amount: 'This value should not be blank.' }],
    ['too many decimals for USD', { amount: 10.005 }, { amount: 'This value is not a valid amount in USD.' }],
    [
      'an amount over the service maximum',
      { amount: 1_000_000.01 },
      { amount: 'This value should be between 0.01 and 1000000.' },
    ],
    ['no service', { service: undefined }, { service: 'This value should not be blank.' }],
    [
      'an unknown service',
      { service: 'payment_card_xxx_hpp' },
      { service: 'This service is not available.' },
    ],
    [
      'a currency other than the service',
      { currency: 'EUR' },
      { currency: 'This value should be equal to "USD".' },
    ],
    ['a malformed currency', { currency: 'usd' }, { currency: 'This value is not a valid currency.' }],
    ['a bad callback_url', { callback_url: 'not a url' }, { callback_url: 'This value is not a valid URL.' }],
    ['an unknown flow', { flow: 'capture' }, { flow: 'The value you selected is not a valid choice.' }],
    ['a test_mode string', { test_mode: 'yes' }, { test_mode: 'This value should be of type boolean.' }],
    [
      'a customer without reference_id',
      { customer: { email: 'a@b.co' } },
      { 'customer.reference_id': 'This value should not be blank.' },
    ],
    [
      'return_urls without pending',
      { return_urls: { success: 'https://shop.example/ok' } },
      { 'return_urls.pending': 'This value should not be blank.' },
    ],
    [
      'expires too soon',
      { expires: '2025-01-15T12:05:00+00:00' },
      { expires: 'This value should be between 14 minutes and 2 days from the invoice creation.' },
    ],
    ['expires not a date', { expires: 'tomorrow' }, { expires: 'This value is not a valid datetime.' }],
    [
      'a test service without status',
      { service: 'test_usd_test' },
      { 'service_fields.status': 'This value should not be blank.' },
    ],
  ])('answers 422 for %s', async (_name, attributes, errors) => {
    const reference = uniqueReference('invalid');
    const response = await paytone.api(
      'POST',
      '/api/payment-invoices',
      invoiceBody({ reference_id: reference, ...attributes }),
    );
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors });
    const lookup = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    expect(lookup.json.data).toEqual([]);
  });

  it('answers 422 for a body that is not a JSON:API document', async () => {
    const noData = await paytone.api('POST', '/api/payment-invoices', { amount: 10 });
    expect(noData.status).toBe(422);
    expect(noData.json).toEqual({ errors: { data: 'This value should not be blank.' } });
    const wrongType = await paytone.api('POST', '/api/payment-invoices', {
      data: { ...(invoiceBody().data as object), type: 'payout-invoices' },
    });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json).toEqual({
      errors: { 'data.type': 'This value should be equal to "payment-invoices".' },
    });
  });

  it('accepts the JSON:API media type', async () => {
    const response = await paytone.request('POST', '/api/payment-invoices', {
      body: invoiceBody(),
      headers: { 'content-type': 'application/vnd.api+json' },
      auth: { login: testCredentials.commerceAccountId, password: testCredentials.apiKey },
    });
    expect(response.status).toBe(201);
  });

  it('answers 400 in the provider envelope for malformed JSON', async () => {
    const response = await paytone.request('POST', '/api/payment-invoices', {
      body: '{"data":',
      auth: { login: testCredentials.commerceAccountId, password: testCredentials.apiKey },
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ errors: [{ status: 'Bad Request', code: '400' }] });
  });

  it('answers 500 in the documented shape when it fails internally, and the invoice can be found by reference', async () => {
    const reference = uniqueReference('internal-error');
    paytone.failDispatcher(true);
    try {
      const response = await paytone.api(
        'POST',
        '/api/payment-invoices',
        invoiceBody({ reference_id: reference }),
      );
      expect(response.status).toBe(500);
      expect(response.json).toEqual({
        errors: [
          {
            status: 'internal_error',
            code: '500',
            title: 'internal_error',
            detail: 'Internal server error.',
          },
        ],
      });
    } finally {
      paytone.failDispatcher(false);
    }
    // As the README says for 5xx: look the invoice up by reference_id before creating it again.
    const lookup = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    expect(lookup.json.data).toHaveLength(1);
  });
});

describe('GET /api/payment-invoices/{id}', () => {
  it('returns the invoice', async () => {
    const created = await paytone.api('POST', '/api/payment-invoices', invoiceBody());
    const response = await paytone.api('GET', `/api/payment-invoices/${created.json.data.id}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual(created.json);
  });

  it('answers 404 for an unknown id', async () => {
    const response = await paytone.api('GET', '/api/payment-invoices/cpi_doesNotExist0000');
    expect(response.status).toBe(404);
    expect(response.json).toEqual(notFoundBody);
  });
});

describe('unknown paths and methods', () => {
  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    const unknown = await paytone.api('GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(notFoundBody);
    const wrongMethod = await paytone.api('DELETE', '/api/payment-invoices/cpi_anything');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toEqual({ errors: [{ status: 'Method Not Allowed', code: '405' }] });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    const putList = await paytone.api('PUT', '/api/payment-invoices');
    expect(putList.status).toBe(405);
    expect(putList.headers.get('allow')).toBe('POST, GET, HEAD');
  });
});
