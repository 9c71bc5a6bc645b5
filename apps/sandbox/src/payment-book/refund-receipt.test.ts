import { verifyPayload } from '@paydesk/providers/payment-book/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  at,
  hookToken,
  lifecycle,
  meta,
  otherToken,
  purchaseBody,
  startPaymentBook,
  textAt,
  type TestSandbox,
} from './test-context.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startPaymentBook();
});
afterEach(() => sandbox.close());

/** A purchase the customer paid, settled. */
async function paid(reference: string): Promise<void> {
  const created = await sandbox.call('/api/transaction/purchase/create', purchaseBody(reference));
  const ulid = textAt(created.json, 'data.ulid');
  await fetch(`${sandbox.base}/payment/${ulid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay&payment_method_id=1',
    redirect: 'manual',
  });
  await sandbox.scheduler.advance(lifecycle.settleAfterMs);
}

function refund(reference: string, amount: unknown, currency = 'EUR') {
  return sandbox.call('/api/transaction/refund', {
    ...meta(reference),
    refund: { amount, currency, comment: 'Package with defect' },
  });
}

async function statusOf(reference: string): Promise<unknown> {
  return (await sandbox.call('/api/transaction/status', meta(reference))).json;
}

function receipt(ulid: string, options: { token?: string; secret?: string } = {}) {
  return sandbox.call('/api/operation/receipt', { meta: { ulid } }, options);
}

describe('POST api/transaction/refund', () => {
  it('refunds in full by the original reference and answers with the refund operation', async () => {
    await paid('r-1');
    const response = await refund('r-1', '100.00');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      meta: { code: 200, success: true, message: 'OK' },
      data: {
        message: 'Status: success',
        operation: {
          type: 'refund',
          status: 'success',
          amount: '100.00',
          fee: '0.00000000',
          direction: 'out',
          metadata: { comment: 'Package with defect' },
          transaction: { reference_id: 'r-1', status: 'refunded', refunded_amount: '100.00' },
        },
      },
    });
    expect(await statusOf('r-1')).toMatchObject({
      data: {
        status: 'refunded',
        operations: [{ type: 'payment' }, { type: 'refund', status: 'success', amount: '100.00' }],
      },
    });
    expect(sandbox.webhooks.statuses().at(-1)).toBe('refunded');
    expect(verifyPayload(sandbox.webhooks.deliveries.at(-1)?.body ?? '', hookToken.secret)).toBe(true);
  });

  it('takes partial refunds until nothing is left, never more', async () => {
    await paid('r-2');
    expect((await refund('r-2', '30.5')).status).toBe(200);
    expect(at(await statusOf('r-2'), 'data.status')).toBe('partially_refunded');

    const tooMuch = await refund('r-2', 69.51);
    expect(tooMuch.status).toBe(422);
    expect(at(tooMuch.json, 'errors')).toEqual({
      'refund.amount': ['The refund.amount must be less than or equal to 69.50.'],
    });

    expect((await refund('r-2', 69.5)).status).toBe(200);
    expect(at(await statusOf('r-2'), 'data.status')).toBe('refunded');
    expect((await refund('r-2', '0.01')).status).toBe(400);
  });

  it('answers 404 for an unknown reference and 400 for a transaction that was not paid', async () => {
    const unknown = await refund('r-nope', '1.00');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      meta: { code: 404, success: false, message: 'Not found', response_time: expect.any(String) as unknown },
      errors: null,
    });

    await sandbox.call('/api/transaction/purchase/create', purchaseBody('r-3'));
    const unpaid = await refund('r-3', '1.00');
    expect(unpaid.status).toBe(400);
    expect(at(unpaid.json, 'meta.message')).toBe('Transaction cannot be refunded.');
  });

  it('refuses another currency and a missing amount', async () => {
    await paid('r-4');
    const currency = await refund('r-4', '1.00', 'USD');
    expect(currency.status).toBe(422);
    expect(at(currency.json, 'errors')).toEqual({
      'refund.currency': ['The selected refund.currency is invalid.'],
    });
    const missing = await sandbox.call('/api/transaction/refund', {
      ...meta('r-4'),
      refund: { currency: 'EUR' },
    });
    expect(at(missing.json, 'errors')).toEqual({ 'refund.amount': ['The refund.amount field is required.'] });
  });
});

describe('POST api/operation/receipt', () => {
  it('returns a PDF for a successful operation, payments and refunds alike', async () => {
    await paid('rc-1');
    await refund('rc-1', '10.00');
    const operations = at(await statusOf('rc-1'), 'data.operations') as { ulid: string }[];
    for (const operation of operations) {
      const response = await receipt(operation.ulid);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="receipt-${operation.ulid}.pdf"`,
      );
      expect(response.text.startsWith('%PDF-')).toBe(true);
      expect(response.text.trimEnd().endsWith('%%EOF')).toBe(true);
    }
  });

  it('answers JSON 400 for an operation that did not succeed', async () => {
    const created = await sandbox.call('/api/transaction/purchase/create', purchaseBody('rc-2'));
    await fetch(`${sandbox.base}/payment/${textAt(created.json, 'data.ulid')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
      redirect: 'manual',
    });
    const processing = textAt(await statusOf('rc-2'), 'data.operations.0.ulid');
    const response = await receipt(processing);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.json).toEqual({
      meta: {
        code: 400,
        success: false,
        message: 'Cannot get receipt for this operation.',
        response_time: expect.any(String) as unknown,
      },
      errors: null,
    });
  });

  it('answers 404 for an unknown operation or one of another service', async () => {
    expect((await receipt('01KS8KBXCYQ25ZB8CNCD0D3C23')).status).toBe(404);
    await paid('rc-3');
    const ulid = textAt(await statusOf('rc-3'), 'data.operations.0.ulid');
    expect((await receipt(ulid, { token: otherToken.name, secret: otherToken.secret })).status).toBe(404);
  });

  it('wants a meta of exactly the signature and the ulid', async () => {
    const three = await sandbox.call('/api/operation/receipt', { meta: { ulid: 'x', service_id: 9 } });
    expect(three.status).toBe(422);
    expect(at(three.json, 'errors')).toEqual({ meta: ['The meta must contain 2 items.'] });
    const unsigned = await sandbox.call(
      '/api/operation/receipt',
      { meta: { ulid: 'x' } },
      { unsigned: true },
    );
    expect(at(unsigned.json, 'errors')).toEqual({
      meta: ['The meta must contain 2 items.'],
      'meta.signature': ['The meta.signature field is required.'],
    });
    expect((await receipt('x', { secret: 'wrong' })).status).toBe(401);
  });
});
