import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceBody, startPaytone, testLifecycle, type PaytoneHarness } from './test-context.ts';

let paytone: PaytoneHarness;
beforeAll(async () => {
  paytone = await startPaytone();
});
afterAll(async () => {
  await paytone.close();
});

async function createInvoice(attributes: Record<string, unknown> = {}): Promise<string> {
  const response = await paytone.api('POST', '/api/payment-invoices', invoiceBody(attributes));
  expect(response.status).toBe(201);
  return response.json.data.id;
}

const pay = (id: string, cardNumber = '4242 4242 4242 4242') =>
  paytone.request('POST', `/hpp/${id}/pay`, { form: { card_number: cardNumber } });

describe('hosted payment page', () => {
  it('redirects the hpp_url to the page and shows the invoice with Pay and Decline', async () => {
    const id = await createInvoice({ description: '<script>alert(1)</script> & co' });
    const redirect = await paytone.request('GET', `/redirect/hpp/?cpi=${id}`);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(`/hpp/${id}`);

    const page = await paytone.request('GET', `/hpp/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Pay 100.50 USD');
    expect(page.text).toContain('<label for="card_number">Card number</label>');
    expect(page.text).toContain('<button type="submit">Pay</button>');
    expect(page.text).toContain(`formaction="/hpp/${id}/decline"`);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; co');
  });

  it('answers 404 for an unknown invoice', async () => {
    expect((await paytone.request('GET', '/redirect/hpp/?cpi=cpi_missing')).status).toBe(404);
    expect((await paytone.request('GET', '/hpp/cpi_missing')).status).toBe(404);
    expect((await pay('cpi_missing')).status).toBe(404);
  });

  it('pay: process_pending → processing → processed, with a callback for each', async () => {
    const id = await createInvoice();
    const paid = await pay(id);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`/hpp/${id}`);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processing', resolution: 'ok' });

    await paytone.advance(testLifecycle.settleAfterMs);
    const attributes = await paytone.attributesOf(id);
    expect(attributes).toMatchObject({
      status: 'processed',
      resolution: 'ok',
      processed: Math.floor(paytone.now() / 1000),
      processed_amount: 100.5,
      processed_fee: 2.51,
      processed_deposit: 97.99,
      rrn: expect.stringMatching(/^\d{12}$/) as unknown,
      approval_code: expect.stringMatching(/^\d{6}$/) as unknown,
      payload: { payment_card: { first: '424242', last: '4242', mask: '424242******4242', brand: 'visa' } },
    });
    expect(JSON.stringify(attributes)).not.toContain('4242424242424242');
    expect(paytone.callbackStatuses(id)).toEqual(['process_pending', 'processing', 'processed']);

    const page = await paytone.request('GET', `/hpp/${id}`);
    expect(page.text).toContain('This invoice is processed.');
  });

  it('decline: processing → process_failed with resolution declined', async () => {
    const id = await createInvoice();
    const declined = await paytone.request('POST', `/hpp/${id}/decline`, { form: {} });
    expect(declined.status).toBe(303);
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'process_failed',
      resolution: 'declined',
      processed_amount: null,
    });
    expect(paytone.callbackStatuses(id)).toEqual(['process_pending', 'processing', 'process_failed']);
  });

  it('3-D Secure card: stays process_pending pointing at the challenge, then Confirm pays', async () => {
    const id = await createInvoice();
    const paid = await pay(id, '4000000000003220');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`/hpp/${id}/3ds`);
    const pending = await paytone.attributesOf(id);
    expect(pending).toMatchObject({
      status: 'process_pending',
      flow_data: { action: `${paytone.baseUrl}/hpp/${id}/3ds` },
    });
    expect(paytone.callbackStatuses(id)).toEqual(['process_pending']);

    const challenge = await paytone.request('GET', `/hpp/${id}/3ds`);
    expect(challenge.text).toContain('3-D Secure');
    expect(challenge.text).toContain('value="confirm">Confirm</button>');

    const confirmed = await paytone.request('POST', `/hpp/${id}/3ds`, { form: { result: 'confirm' } });
    expect(confirmed.status).toBe(303);
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processed' });
    expect(paytone.callbackStatuses(id)).toEqual(['process_pending', 'processing', 'processed']);
  });

  it('3-D Secure failed: process_failed with resolution 3ds_failed', async () => {
    const id = await createInvoice();
    await pay(id, '4000000000003220');
    await paytone.request('POST', `/hpp/${id}/3ds`, { form: { result: 'fail' } });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'process_failed',
      resolution: '3ds_failed',
    });
  });

  it('refuses a malformed card number with 422 and keeps the invoice payable', async () => {
    const id = await createInvoice();
    const response = await pay(id, '1234');
    expect(response.status).toBe(422);
    expect(response.text).toContain('role="alert"');
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'process_pending' });
    expect((await pay(id)).status).toBe(303);
  });

  it('answers 409 when an invoice can no longer be paid', async () => {
    const id = await createInvoice();
    await pay(id);
    const again = await pay(id);
    expect(again.status).toBe(409);
    expect((await paytone.request('POST', `/hpp/${id}/decline`, { form: {} })).status).toBe(409);
    expect((await paytone.request('POST', `/hpp/${id}/3ds`, { form: { result: 'confirm' } })).status).toBe(
      409,
    );
  });

  it('expires an unpaid invoice after its lifetime', async () => {
    const id = await createInvoice();
    await paytone.advance(testLifecycle.expireAfterMs - 1);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'process_pending' });
    await paytone.advance(1);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'expired', resolution: 'expired' });
    expect(paytone.callbackStatuses(id)).toEqual(['process_pending', 'expired']);
    expect((await pay(id)).status).toBe(409);
  });

  it('honours the invoice `expires` attribute', async () => {
    const expires = new Date(paytone.now() + 20 * 60_000).toISOString();
    const id = await createInvoice({ expires });
    await paytone.advance(20 * 60_000);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'expired' });
  });

  it('does not expire an invoice that was paid', async () => {
    const id = await createInvoice();
    await pay(id);
    await paytone.advance(testLifecycle.expireAfterMs * 2);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processed' });
  });

  it('sends the customer to the merchant return URLs', async () => {
    const returnUrls = {
      success: 'https://shop.example/ok',
      fail: 'https://shop.example/ko',
      pending: 'https://shop.example/wait',
    };
    const paidId = await createInvoice({ return_urls: returnUrls });
    expect((await pay(paidId)).headers.get('location')).toBe('https://shop.example/ok');
    const declinedId = await createInvoice({ return_url: 'https://shop.example/back' });
    const declined = await paytone.request('POST', `/hpp/${declinedId}/decline`, { form: {} });
    expect(declined.headers.get('location')).toBe('https://shop.example/back');
  });

  it('pays a non-card service without asking for a card', async () => {
    const id = await createInvoice({ service: 'bank_transfer_usd_hpp' });
    const page = await paytone.request('GET', `/hpp/${id}`);
    expect(page.text).not.toContain('Card number');
    expect((await paytone.request('POST', `/hpp/${id}/pay`, { form: {} })).status).toBe(303);
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processed', payload: null, fee: 1.01 });
  });

  it('verify flow ends in verified / verify_failed', async () => {
    const verified = await createInvoice({ flow: 'verify' });
    await pay(verified);
    const failed = await createInvoice({ flow: 'verify' });
    await paytone.request('POST', `/hpp/${failed}/decline`, { form: {} });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(verified)).toMatchObject({
      status: 'verified',
      payment_flow: 'verify',
    });
    expect(await paytone.attributesOf(failed)).toMatchObject({
      status: 'verify_failed',
      resolution: 'declined',
    });
  });
});

describe('test services', () => {
  it('settle on their own in the status named by service_fields.status', async () => {
    const body = { service: 'test_usd_test', service_fields: { status: 'process_failed' } };
    const id = await createInvoice(body);
    expect(await paytone.attributesOf(id)).toMatchObject({ status: 'processing', flow: 'test' });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(id)).toMatchObject({
      status: 'process_failed',
      resolution: 'process_failed',
    });
    // Created and processing in the same instant: one callback reports the latest state.
    expect(paytone.callbackStatuses(id)).toEqual(['processing', 'process_failed']);

    const partial = await createInvoice({
      service: 'test_usd_test',
      service_fields: { status: 'partially_processed' },
    });
    await paytone.advance(testLifecycle.settleAfterMs);
    expect(await paytone.attributesOf(partial)).toMatchObject({
      status: 'partially_processed',
      resolution: 'ok',
      processed_amount: 50.25,
    });
  });

  it('refuse a status that is not a payment status', async () => {
    const response = await paytone.api(
      'POST',
      '/api/payment-invoices',
      invoiceBody({ service: 'test_usd_test', service_fields: { status: 'paid' } }),
    );
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      errors: { 'service_fields.status': 'The value you selected is not a valid choice.' },
    });
  });
});
