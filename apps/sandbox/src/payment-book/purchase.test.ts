import { verifyPayload } from '@paydesk/providers/payment-book/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  at,
  hookToken,
  lifecycle,
  meta,
  purchaseBody,
  shopToken,
  startPaymentBook,
  textAt,
  type TestSandbox,
} from './test-context.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startPaymentBook();
});
afterEach(() => sandbox.close());

async function create(reference: string, overrides: Record<string, unknown> = {}) {
  const response = await sandbox.call('/api/transaction/purchase/create', purchaseBody(reference, overrides));
  expect(response.status).toBe(200);
  return response;
}

/** Submits the checkout form as the customer's browser does. */
async function choose(redirectUrl: string, action: string, methodId = '1'): Promise<Response> {
  const ulid = redirectUrl.split('/').at(-1) ?? '';
  return fetch(`${sandbox.base}/payment/${ulid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, payment_method_id: methodId }).toString(),
    redirect: 'manual',
  });
}

async function status(reference: string) {
  const response = await sandbox.call('/api/transaction/status', meta(reference));
  expect(response.status).toBe(200);
  return response.json;
}

describe('POST api/transaction/purchase/create', () => {
  it('creates a transaction to pay on the hosted page, as documented', async () => {
    const response = await create('p-1');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    // Laravel escapes slashes in JSON.
    expect(response.text).toContain('"redirect_url":"http:\\/\\/127.0.0.1:');
    expect(response.json).toEqual({
      meta: {
        code: 200,
        success: true,
        message: 'Transaction can be processed!',
        response_time: expect.stringMatching(/ s$/) as unknown,
      },
      data: {
        redirect_url: expect.stringMatching(
          new RegExp(`^${sandbox.base}/payment/purchase/[0-9A-HJKMNP-TV-Z]{26}$`),
        ) as unknown,
        id: 1,
        ulid: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) as unknown,
        reference_id: 'p-1',
        service_id: 9,
        merchant_id: 1,
        customer_id: 1,
        cost: '0.30000000',
        unified_error_message: null,
        unified_error_code: null,
        amount: '100.00000000',
        currency: 'EUR',
        type: 'purchase',
        status: 'created',
        request: [],
        metadata: [],
        updated_at: '2026-05-22 12:00:00',
        created_at: '2026-05-22 12:00:00',
        deleted_at: null,
      },
    });
  });

  it('announces the new transaction with a webhook signed with the named token', async () => {
    await create('p-2');
    const [delivery] = sandbox.webhooks.deliveries;
    expect(delivery).toMatchObject({
      provider: 'payment-book',
      url: 'https://shop.example/hooks/payment-book',
      retry: { delivered: 'any-2xx' },
    });
    expect(verifyPayload(delivery?.body ?? '', hookToken.secret)).toBe(true);
    expect(verifyPayload(delivery?.body ?? '', shopToken.secret)).toBe(false);
    expect(delivery?.body).toMatch(
      /^\{"meta":\{"signature":"[0-9a-f]{128}","reference_id":"p-2","service_id":9\},"data":\{/,
    );
    expect(sandbox.webhooks.last()).toMatchObject({
      data: {
        type: 'purchase',
        status: 'created',
        reference_id: 'p-2',
        amount: '100.00',
        cost: '0.30',
        operations: [],
      },
    });
    const corrupted = delivery?.corrupt?.();
    expect(corrupted?.body).not.toBe(delivery?.body);
    expect(verifyPayload(corrupted?.body ?? '', hookToken.secret)).toBe(false);
  });

  it('falls back to the request token for signing when no token name is given', async () => {
    await create('p-3', { webhook: { url: 'https://shop.example/hook' } });
    expect(verifyPayload(sandbox.webhooks.deliveries[0]?.body ?? '', shopToken.secret)).toBe(true);
  });
});

describe('the hosted page', () => {
  it('shows the amount with the service fee and the payment choices', async () => {
    const created = await create('h-1');
    const page = await fetch(textAt(created.json, 'data.redirect_url'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('100.30 EUR');
    expect(html).toContain('value="pay_3ds"');
    expect(html).toContain('<label for="method-1">Cards</label>');
  });

  it('takes a payment through processing to success, with fees and webhooks', async () => {
    const created = await create('h-2');
    const answer = await choose(textAt(created.json, 'data.redirect_url'), 'pay');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://shop.example/success');
    expect(at(await status('h-2'), 'data.status')).toBe('processing');

    await sandbox.scheduler.advance(lifecycle.settleAfterMs);
    const done = await status('h-2');
    expect(done).toMatchObject({
      meta: { code: 200, success: true, message: 'Transaction status request successful' },
      data: {
        reference_id: 'h-2',
        status: 'success',
        amount: '100.00',
        cost: '0.30',
        unified_error_code: 0,
        unified_error_message: '',
        request: {
          meta: {
            reference_id: 'h-2',
            service_id: 9,
            signature: expect.stringMatching(/^[0-9a-f]{128}$/) as unknown,
          },
        },
        service: { id: 9, fee_cost: '0.30' },
        customer: { email: 'jane@example.com', first_name: 'Jane' },
        operations: [
          {
            type: 'payment',
            status: 'success',
            direction: 'in',
            amount: '100.30',
            fee: '2.11',
            total_fee: 2.11,
            code: 0,
            confirmed_at: '2026-05-22 12:00:05',
          },
        ],
      },
    });
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'processing', 'success']);
    for (const delivery of sandbox.webhooks.deliveries)
      expect(verifyPayload(delivery.body, hookToken.secret)).toBe(true);
  });

  it('fails a declined card with the general decline and the processor code', async () => {
    const created = await create('h-3');
    const answer = await choose(textAt(created.json, 'data.redirect_url'), 'decline');
    expect(answer.headers.get('location')).toBe('https://shop.example/fail');
    await sandbox.scheduler.advance(lifecycle.settleAfterMs);
    const done = await status('h-3');
    expect(done).toMatchObject({
      data: {
        status: 'failed',
        unified_error_code: 100,
        unified_error_message: 'General decline.',
        operations: [{ status: 'failed', errors: [{ name: 'payment' }] }],
      },
    });
    expect(at(done, 'data.operations.0.code')).not.toBe(0);
  });

  it('records a customer who cancels, with the operation spelled "cancelled"', async () => {
    const created = await create('h-4');
    const answer = await choose(textAt(created.json, 'data.redirect_url'), 'cancel');
    expect(answer.headers.get('location')).toBe('https://shop.example/return');
    expect(await status('h-4')).toMatchObject({
      data: {
        status: 'failed',
        unified_error_code: 100,
        unified_error_message: 'Cancelled by user.',
        operations: [{ status: 'cancelled', message: 'Cancelled by user.' }],
      },
    });
  });

  it('asks for 3-D Secure and settles once the customer confirms', async () => {
    const created = await create('h-5');
    const answer = await choose(textAt(created.json, 'data.redirect_url'), 'pay_3ds', '253');
    const challenge = answer.headers.get('location') ?? '';
    expect(challenge).toMatch(new RegExp(`^${sandbox.base}/payment/3ds/`));
    expect(await status('h-5')).toMatchObject({
      data: {
        status: 'processing',
        operations: [{ status: 'awaiting_confirmation', payment_method_id: 253 }],
      },
    });
    expect(await (await fetch(challenge)).text()).toContain('Confirm your payment');

    const confirmed = await fetch(challenge, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=confirm',
      redirect: 'manual',
    });
    expect(confirmed.headers.get('location')).toBe('https://shop.example/success');
    await sandbox.scheduler.advance(lifecycle.expireAfterMs);
    expect(at(await status('h-5'), 'data.status')).toBe('success');
  });

  it('fails a refused 3-D Secure challenge and expires an unanswered one', async () => {
    const refused = await create('h-6');
    const challenge =
      (await choose(textAt(refused.json, 'data.redirect_url'), 'pay_3ds')).headers.get('location') ?? '';
    await fetch(challenge, {
      method: 'POST',
      body: 'action=fail',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(await status('h-6')).toMatchObject({
      data: { status: 'failed', operations: [{ status: 'failed', code: 28104 }] },
    });

    const abandoned = await create('h-7');
    await choose(textAt(abandoned.json, 'data.redirect_url'), 'pay_3ds');
    await sandbox.scheduler.advance(lifecycle.expireAfterMs);
    expect(await status('h-7')).toMatchObject({
      data: {
        status: 'expired',
        unified_error_code: 120,
        operations: [
          {
            status: 'expired',
            code: 28105,
            message: 'Timeout: final status for the operation was not obtained within 900 seconds.',
          },
        ],
      },
    });
  });

  it('expires a page nobody pays', async () => {
    await create('h-8');
    await sandbox.scheduler.advance(lifecycle.expireAfterMs - 1);
    expect(at(await status('h-8'), 'data.status')).toBe('created');
    await sandbox.scheduler.advance(1);
    expect(await status('h-8')).toMatchObject({
      data: {
        status: 'expired',
        unified_error_code: 120,
        unified_error_message: 'Timeout: final status not obtained within the expected time.',
      },
    });
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'expired']);
  });

  it('does not take a second payment and shows the status instead', async () => {
    const created = await create('h-9');
    const url = textAt(created.json, 'data.redirect_url');
    await choose(url, 'pay');
    expect((await choose(url, 'pay')).status).toBe(400);
    expect(await (await fetch(url)).text()).toContain('data-status="processing"');
  });

  it('sends the customer to the sandbox result page when the shop gave no redirects', async () => {
    const created = await create('h-10', { redirect: undefined });
    const location =
      (await choose(textAt(created.json, 'data.redirect_url'), 'pay')).headers.get('location') ?? '';
    expect(location).toBe(`${sandbox.base}/payment/result/${textAt(created.json, 'data.ulid')}`);
    expect(await (await fetch(location)).text()).toContain('data-status="processing"');
  });
});

describe('POST api/transaction/status', () => {
  it('answers 404 for an unknown reference', async () => {
    const response = await sandbox.call('/api/transaction/status', meta('nope'));
    expect(response.status).toBe(404);
    expect(at(response.json, 'meta.message')).toBe('Not found');
  });
});

describe('webhook delivery', () => {
  it('is retried until the receiver answers 2xx', async () => {
    const receiver = await startReceiver([500, 503, 204]);
    const live = await startPaymentBook({ deliverWebhooks: true });
    try {
      await live.call(
        '/api/transaction/purchase/create',
        purchaseBody('w-1', { webhook: { url: receiver.url, token_name: hookToken.name } }),
      );
      await live.webhooks.settle();
      for (let i = 0; i < 2; i++) {
        await live.scheduler.advance(60_000);
        await live.webhooks.settle();
      }
      expect(live.webhooks.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 204]);
      expect(receiver.verified).toEqual([true, true, true]);
    } finally {
      await live.close();
      await receiver.close();
    }
  });
});

/** A webhook receiver that answers with the given statuses in turn and checks each signature. */
async function startReceiver(statuses: number[]) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  const verified: boolean[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/hook', async (request, reply) => {
    verified.push(verifyPayload(String(request.body), hookToken.secret));
    return reply.code(statuses[verified.length - 1] ?? 200).send();
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/hook`, verified, close: () => app.close() };
}

describe('webhook shapes', () => {
  it('can put the transaction under "transaction", as the provider plugin reads it, or alternate', async () => {
    for (const webhookShape of ['transaction', 'alternate'] as const) {
      const other = await startPaymentBook({ webhookShape });
      try {
        for (let i = 0; i < 8; i++)
          await other.call('/api/transaction/purchase/create', purchaseBody(`shape-${i}`));
        const keys = other.webhooks.bodies().map((body) => Object.keys(body as object).join(','));
        if (webhookShape === 'transaction') expect(new Set(keys)).toEqual(new Set(['meta,transaction']));
        else expect(new Set(keys)).toEqual(new Set(['meta,data', 'meta,transaction']));
        for (const delivery of other.webhooks.deliveries)
          expect(verifyPayload(delivery.body, hookToken.secret)).toBe(true);
      } finally {
        await other.close();
      }
    }
  });
});
