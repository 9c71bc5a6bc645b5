import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invoiceBody,
  startPaytone,
  testLifecycle,
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

/** A paid (processed) invoice of 100.50 USD. */
async function paidInvoice(attributes: Record<string, unknown> = {}): Promise<string> {
  const created = await paytone.api('POST', '/api/payment-invoices', invoiceBody(attributes));
  const id = created.json.data.id;
  await paytone.request('POST', `/hpp/${id}/pay`, { form: { card_number: '5555555555554444' } });
  await paytone.advance(testLifecycle.settleAfterMs);
  return id;
}

function refundBody(id: string, amount: number | undefined, attributes: Record<string, unknown> = {}) {
  return {
    data: {
      type: 'refund',
      attributes: {
        invoiceId: id,
        amount,
        reference_id: uniqueReference('refund'),
        description: 'Package with defect',
        ...attributes,
      },
    },
  };
}

const refund = (id: string, amount: number | undefined, attributes: Record<string, unknown> = {}) =>
  paytone.api('POST', `/api/payment-invoices/${id}/refund`, refundBody(id, amount, attributes));

describe('POST /api/payment-invoices/{id}/refund', () => {
  it('refunds in several parts until nothing remains', async () => {
    const id = await paidInvoice();

    const first = await refund(id, 30.25);
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      data: {
        type: 'refunds',
        id: expect.stringMatching(/^ref_[A-Za-z0-9]{16}$/) as unknown,
        attributes: {
          reference_id: expect.any(String) as unknown,
          original_id: id,
          description: 'Package with defect',
          status: 'processing',
          amount: 30.25,
          fee: 0,
          currency: 'USD',
          created: Math.floor(paytone.now() / 1000),
        },
      },
    });
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'refunding', refunded_amount: null });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: 30.25,
      processed_amount: 100.5,
    });

    expect((await refund(id, 20)).status).toBe(201);
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: 50.25,
    });

    const tooMuch = await refund(id, 50.26);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json).toEqual({ errors: { amount: 'This value should be less than or equal to 50.25.' } });

    expect((await refund(id, 50.25)).status).toBe(201);
    const nothingLeft = await refund(id, 0.01);
    expect(nothingLeft.status).toBe(422);
    expect(nothingLeft.json).toEqual({ errors: { amount: 'Nothing remains to be refunded.' } });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'refunded', refunded_amount: 100.5 });

    const afterRefunded = await refund(id, 0.01);
    expect(afterRefunded.status).toBe(422);
    expect(afterRefunded.json).toEqual({
      errors: { status: 'An invoice in status refunded cannot be refunded.' },
    });

    expect(paytone.callbackStatuses(id)).toEqual([
      'process_pending',
      'processing',
      'processed',
      'refunding',
      'partially_refunded',
      'refunding',
      'partially_refunded',
      'refunding',
      'refunded',
    ]);
  });

  it('counts refunds still running against what remains', async () => {
    const id = await paidInvoice();
    expect((await refund(id, 60)).status).toBe(201);
    expect((await refund(id, 40)).status).toBe(201);
    const over = await refund(id, 0.51);
    expect(over.status).toBe(422);
    expect(over.json).toEqual({ errors: { amount: 'This value should be less than or equal to 0.5.' } });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: 100,
    });
  });

  it('answers 422 without reference_id, and refunds nothing', async () => {
    const id = await paidInvoice();
    const body = refundBody(id, 10);
    delete (body.data.attributes as Record<string, unknown>).reference_id;
    const response = await paytone.api('POST', `/api/payment-invoices/${id}/refund`, body);
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors: { reference_id: 'This value should not be blank.' } });
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processed' });
  });

  it.each([
    ['amount 0', 0, {}, { amount: 'This value should be greater than 0.' }],
    ['no amount', undefined, {}, { amount: 'This value should not be blank.' }],
    ['too many decimals', 1.005, {}, { amount: 'This value is not a valid amount in USD.' }],
    [
      'another invoice id in the body',
      1,
      { invoiceId: 'cpi_other' },
      { invoiceId: 'This value should be the id of the invoice in the path.' },
    ],
  ])('answers 422 for %s', async (_name, amount, attributes, errors) => {
    const id = await paidInvoice();
    const response = await refund(id, amount, attributes);
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ errors });
  });

  it('answers 422 for an invoice that was not paid', async () => {
    const created = await paytone.api('POST', '/api/payment-invoices', invoiceBody());
    const response = await refund(created.json.data.id, 10);
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      errors: { status: 'An invoice in status process_pending cannot be refunded.' },
    });
  });

  it('answers 409 with the earlier refund for a duplicate reference_id', async () => {
    const id = await paidInvoice();
    const reference = uniqueReference('refund-once');
    const first = await refund(id, 10, { reference_id: reference });
    await paytone.advance(testLifecycle.settleAfterMs);
    const again = await refund(id, 10, { reference_id: reference });
    expect(again.status).toBe(409);
    expect(again.json.data).toEqual({
      ...first.json.data,
      attributes: { ...first.json.data.attributes, status: 'processed' },
    });
    expect(await paytone.attributesOf(id)).toMatchObject({ refunded_amount: 10 });
  });

  it('answers 404 for an unknown invoice and 401 without credentials', async () => {
    const missing = await refund('cpi_missing', 10);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: [{ status: 'Not Found', code: '404' }] });
    const anonymous = await paytone.request('POST', '/api/payment-invoices/cpi_missing/refund', {
      body: refundBody('cpi_missing', 10),
    });
    expect(anonymous.status).toBe(401);
  });
});
