import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listOf,
  startPaytone,
  testCredentials,
  uniqueReference,
  type PaytoneHarness,
} from './test-context.ts';

let paytone: PaytoneHarness;
beforeAll(async () => {
  paytone = await startPaytone();
});
afterAll(async () => {
  await paytone.close();
});

const publicKey = testCredentials.publicKey;
const unauthorizedBody = { errors: [{ status: 'Unauthorized', code: '401' }] };

function invoice(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    public_key: publicKey,
    reference_id: uniqueReference('public'),
    description: 'Invoice Example',
    service: 'payment_card_usd_hpp',
    currency: 'USD',
    amount: 123.45,
    ...fields,
  };
}

describe('POST /public-api/payment-prerequest', () => {
  it('lists the services and methods for a currency', async () => {
    const response = await paytone.request('POST', '/public-api/payment-prerequest', {
      body: { public_key: publicKey, currency: 'USD' },
    });
    expect(response.status).toBe(200);
    const data = response.json.data as unknown as {
      services: Record<string, { currency: string; fields: unknown[] }>;
      methods: Record<string, unknown>;
    };
    expect(data).toMatchObject({
      currency: 'USD',
      test_mode: true,
      account: { name: expect.any(String) as unknown },
    });
    expect(data.services.payment_card_usd_hpp).toEqual({
      code: 'payment_card_usd_hpp',
      method: 'payment_card',
      flow: 'hpp',
      currency: 'USD',
      fields: [],
      amount_min: 0.01,
      amount_max: 1000000,
    });
    expect(data.services.test_usd_test?.fields[0]).toMatchObject({
      key: 'status',
      regexp: '^[a-zA-Z_]*$',
      required: true,
      position: 0,
    });
    expect(data.methods.payment_card).toMatchObject({
      code: 'payment_card',
      category: 'payment_card',
      name: { en: 'Payment card' },
    });
    expect(Object.values(data.services).every((service) => service.currency === 'USD')).toBe(true);
  });

  it('answers 401 without the public key and 422 without a known currency', async () => {
    for (const body of [
      { currency: 'USD' },
      { public_key: 'pk_test_wrong', currency: 'USD' },
      { public_key: testCredentials.apiKey, currency: 'USD' },
    ]) {
      const response = await paytone.request('POST', '/public-api/payment-prerequest', { body });
      expect(response.status).toBe(401);
      expect(response.json).toEqual(unauthorizedBody);
    }
    const blank = await paytone.request('POST', '/public-api/payment-prerequest', {
      body: { public_key: publicKey },
    });
    expect(blank.status).toBe(422);
    expect(blank.json).toEqual({ errors: { currency: 'This value should not be blank.' } });
    const unknown = await paytone.request('POST', '/public-api/payment-prerequest', {
      body: { public_key: publicKey, currency: 'XXX' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toEqual({ errors: { currency: 'This value is not a valid currency.' } });
  });
});

describe('POST /public-api/payment-invoices', () => {
  it('creates an invoice and answers with the flat public document', async () => {
    const body = invoice();
    const response = await paytone.request('POST', '/public-api/payment-invoices', { body });
    expect(response.status).toBe(201);
    const { data } = response.json;
    expect(data).toMatchObject({
      id: expect.stringMatching(/^cpi_[A-Za-z0-9]{16}$/) as unknown,
      created: Math.floor(paytone.now() / 1000),
      test_mode: true,
      reference_id: body.reference_id,
      currency: 'USD',
      amount: 123.45,
      payment_amount: 123.45,
      processed_amount: null,
      refunded_amount: null,
      description: 'Invoice Example',
      has_return_url: false,
      status: 'process_pending',
      resolution: 'ok',
      service: 'payment_card_usd_hpp',
      service_method: 'payment_card',
      service_flow: 'hpp',
      service_currency: 'USD',
      hpp_url: `${paytone.baseUrl}/redirect/hpp/?cpi=${data.id}`,
      active_payment: {
        payload: { action: `${paytone.baseUrl}/hpp/${data.id}`, method: 'GET' },
        status: 'process_pending',
      },
    });
    expect(data.serial_number).toBe(data.id.slice(4));
    expect(data).not.toHaveProperty('type');
    // The private API sees the same invoice, created through the public API.
    const privateView = await paytone.api('GET', `/api/payment-invoices/${data.id}`);
    expect(privateView.json.data.attributes).toMatchObject({ source: 'public_api', test_mode: true });
  });

  it('answers 401 without the right public key', async () => {
    const reference = uniqueReference('public-401');
    for (const key of [undefined, 'pk_live_other', testCredentials.apiKey]) {
      const response = await paytone.request('POST', '/public-api/payment-invoices', {
        body: invoice({ public_key: key, reference_id: reference }),
      });
      expect(response.status).toBe(401);
      expect(response.json).toEqual(unauthorizedBody);
    }
    const lookup = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    expect(lookup.json.data).toEqual([]);
  });

  it.each([
    ['amount 0', { amount: 0 }, { amount: 'This value should be greater than 0.' }],
    ['no currency', { currency: undefined }, { currency: 'This value should not be blank.' }],
    ['an unknown service', { service: 'nope' }, { service: 'This service is not available.' }],
    [
      'a customer without reference_id',
      { customer: { name: 'Test' } },
      { 'customer.reference_id': 'This value should not be blank.' },
    ],
  ])('answers 422 for %s', async (_name, fields, errors) => {
    const response = await paytone.request('POST', '/public-api/payment-invoices', { body: invoice(fields) });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors });
  });

  it('answers 409 with the earlier invoice for a duplicate reference_id', async () => {
    const body = invoice();
    const first = await paytone.request('POST', '/public-api/payment-invoices', { body });
    const again = await paytone.request('POST', '/public-api/payment-invoices', {
      body: { ...body, amount: 1 },
    });
    expect(again.status).toBe(409);
    expect(again.json).toEqual(first.json);
  });
});

describe('POST /public-api/payment-invoices/process (HTML form)', () => {
  it('creates the invoice from form fields, nested customer included, and sends the browser to the hosted page', async () => {
    const reference = uniqueReference('form');
    const response = await paytone.request('POST', '/public-api/payment-invoices/process', {
      form: {
        public_key: publicKey,
        reference_id: reference,
        currency: 'USD',
        amount: '100',
        service: 'payment_card_usd_hpp',
        'customer[reference_id]': 'customer-42',
        'customer[name]': 'Test Customer',
        'customer[address][full_address]': 'Test Address',
      },
    });
    expect(response.status).toBe(303);
    const lookup = await paytone.api('GET', `/api/payment-invoices?filter[reference_id]=${reference}`);
    const [created] = listOf(lookup);
    expect(created?.attributes).toMatchObject({ amount: 100, source: 'payment_link' });
    expect(created?.relationships.customer).toBeDefined();
    expect(response.headers.get('location')).toBe(`${paytone.baseUrl}/redirect/hpp/?cpi=${created?.id}`);

    // A double submit leads to the same invoice.
    const again = await paytone.request('POST', '/public-api/payment-invoices/process', {
      form: {
        public_key: publicKey,
        reference_id: reference,
        currency: 'USD',
        amount: '100',
        service: 'payment_card_usd_hpp',
      },
    });
    expect(again.headers.get('location')).toBe(response.headers.get('location'));
  });

  it('answers 401 and 422 like the JSON endpoint', async () => {
    const unauthorized = await paytone.request('POST', '/public-api/payment-invoices/process', {
      form: { currency: 'USD', amount: '100', service: 'payment_card_usd_hpp' },
    });
    expect(unauthorized.status).toBe(401);
    const invalid = await paytone.request('POST', '/public-api/payment-invoices/process', {
      form: { public_key: publicKey, currency: 'USD', amount: '1,00', service: 'payment_card_usd_hpp' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toEqual({ errors: { amount: 'This value should be of type float.' } });
  });
});

describe('GET /public-api/payment-invoices/{id}', () => {
  it('returns the public document with the public key in the query string', async () => {
    const created = await paytone.request('POST', '/public-api/payment-invoices', { body: invoice() });
    const id = created.json.data.id;
    const response = await paytone.request(
      'GET',
      `/public-api/payment-invoices/${id}?public_key=${publicKey}`,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual(created.json);
  });

  it('answers 401 without the key and 404 for an unknown invoice', async () => {
    const created = await paytone.request('POST', '/public-api/payment-invoices', { body: invoice() });
    const anonymous = await paytone.request('GET', `/public-api/payment-invoices/${created.json.data.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual(unauthorizedBody);
    const missing = await paytone.request(
      'GET',
      `/public-api/payment-invoices/cpi_missing?public_key=${publicKey}`,
    );
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [{ status: 'Not Found', code: '404' }] });
  });

  it('answers 404 for an unknown public path', async () => {
    const response = await paytone.request('GET', '/public-api/nothing');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ errors: [{ status: 'Not Found', code: '404' }] });
  });
});

describe('live keys', () => {
  it('creates live invoices with a live public key', async () => {
    const live = await startPaytone({ credentials: { publicKey: 'pk_live_SANDBOX' } });
    try {
      const response = await live.request('POST', '/public-api/payment-invoices', {
        body: invoice({ public_key: 'pk_live_SANDBOX' }),
      });
      expect(response.status).toBe(201);
      expect(response.json.data.test_mode).toBe(false);
    } finally {
      await live.close();
    }
  });
});
