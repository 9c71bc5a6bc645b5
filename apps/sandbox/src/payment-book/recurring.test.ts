import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  at,
  lifecycle,
  meta,
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

const recurring = { enabled: true, start_date: '2026-05-22', cycle_days: 30, trial_days: 0 };

async function subscribe(reference: string): Promise<string> {
  const response = await sandbox.call(
    '/api/transaction/recurring/create',
    purchaseBody(reference, { recurring }),
  );
  expect(response.status).toBe(200);
  return textAt(response.json, 'data.redirect_url');
}

async function pay(redirectUrl: string): Promise<void> {
  const ulid = redirectUrl.split('/').at(-1) ?? '';
  const answer = await fetch(`${sandbox.base}/payment/${ulid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=pay',
    redirect: 'manual',
  });
  expect(answer.status).toBe(303);
  await sandbox.scheduler.advance(lifecycle.settleAfterMs);
}

async function statusOf(reference: string): Promise<unknown> {
  return (await sandbox.call('/api/transaction/status', meta(reference))).json;
}

describe('POST api/transaction/recurring/create', () => {
  it('creates a recurring transaction with its own hosted page', async () => {
    const response = await sandbox.call(
      '/api/transaction/recurring/create',
      purchaseBody('s-1', { recurring }),
    );
    expect(response.json).toMatchObject({
      meta: { code: 200, success: true, message: 'Transaction can be processed!' },
      data: {
        redirect_url: expect.stringContaining('/payment/recurring/') as unknown,
        type: 'recurring',
        status: 'created',
        amount: '100.00000000',
      },
    });
    const page = await (await fetch(textAt(response.json, 'data.redirect_url'))).text();
    expect(page).toContain('every 30 days');
  });

  it('requires the recurring block', async () => {
    const response = await sandbox.call(
      '/api/transaction/recurring/create',
      purchaseBody('s-2', { recurring: { enabled: false, cycle_days: 0 } }),
    );
    expect(response.status).toBe(422);
    expect(at(response.json, 'errors')).toEqual({
      'recurring.enabled': ['The recurring.enabled must be accepted.'],
      'recurring.start_date': ['The recurring.start date field is required.'],
      'recurring.cycle_days': ['The recurring.cycle days must be at least 1.'],
    });
  });

  it('becomes active after the first payment and charges every cycle', async () => {
    await pay(await subscribe('s-3'));
    expect(await statusOf('s-3')).toMatchObject({
      data: {
        status: 'active',
        metadata: { days_cycle: 30, end_date: 'Infinite (until cancellation/expiration)' },
        operations: [{ type: 'subscription', status: 'success', amount: '100.30' }],
      },
    });
    await sandbox.scheduler.advance(2 * lifecycle.subscriptionCycleMs);
    const operations = at(await statusOf('s-3'), 'data.operations') as { type: string; status: string }[];
    expect(operations.map((operation) => `${operation.type}:${operation.status}`)).toEqual([
      'subscription:success',
      'subscription:success',
      'subscription:success',
    ]);
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'processing', 'active', 'active', 'active']);
  });
});

describe('POST api/transaction/recurring/cancel', () => {
  it('answers "Transaction is cancelling", stops charging and cancels after the settle delay', async () => {
    await pay(await subscribe('c-1'));
    const response = await sandbox.call('/api/transaction/recurring/cancel', meta('c-1'));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      meta: { code: 200, success: true, message: 'Transaction is cancelling' },
      data: {
        reference_id: 'c-1',
        uuid: expect.any(String) as unknown,
        cost_type: 'in',
        amount: 100,
        type: 'recurring',
        status: 'active',
        created_at: expect.stringMatching(/\.000000Z$/) as unknown,
        operations: [
          { type: 'subscription', amount: 100.3, total_fee: 2.11, metadata: { subscription_data: [] } },
        ],
        service: { merchant: { id: 1 }, payment_system: {} },
      },
    });
    await sandbox.scheduler.advance(lifecycle.settleAfterMs);
    expect(await statusOf('c-1')).toMatchObject({
      data: { status: 'canceled', metadata: { end_date: '2026-06-21' } },
    });
    await sandbox.scheduler.advance(3 * lifecycle.subscriptionCycleMs);
    expect(at(await statusOf('c-1'), 'data.operations')).toHaveLength(1);
    expect(sandbox.webhooks.statuses().at(-1)).toBe('canceled');

    const again = await sandbox.call('/api/transaction/recurring/cancel', meta('c-1'));
    expect(again.status).toBe(400);
    expect(at(again.json, 'meta.message')).toBe('Transaction is already cancelled.');
  });

  it('answers 404 for an unknown reference and 400 for a purchase', async () => {
    expect((await sandbox.call('/api/transaction/recurring/cancel', meta('c-nope'))).status).toBe(404);
    await sandbox.call('/api/transaction/purchase/create', purchaseBody('c-2'));
    const purchase = await sandbox.call('/api/transaction/recurring/cancel', meta('c-2'));
    expect(purchase.status).toBe(400);
    expect(at(purchase.json, 'meta.message')).toBe('Only recurring transactions can be cancelled.');
  });

  it('answers 401 and 422 like every signed endpoint', async () => {
    expect(
      (await sandbox.call('/api/transaction/recurring/cancel', meta('c-3'), { secret: 'wrong' })).status,
    ).toBe(401);
    const invalid = await sandbox.call('/api/transaction/recurring/cancel', { meta: { service_id: 9 } });
    expect(at(invalid.json, 'errors')).toEqual({
      meta: ['The meta must contain 3 items.'],
      'meta.reference_id': ['The meta.reference id field is required.'],
    });
  });
});
