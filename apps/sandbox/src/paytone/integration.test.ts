import { floatToMinor } from '@paydesk/domain';
import { verifyCallback } from '@paydesk/providers/paytone/signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../core/sandbox.ts';
import { startReceiver, type Receiver } from '../core/testing.ts';
import { paytoneModule } from './index.ts';
import { basicAuth, type Doc } from './test-context.ts';

// The module inside the real core: its clock, scheduler, dispatcher, faults and traffic generator.
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(async () => {
  sandbox = await startSandbox({ modules: [paytoneModule], seed: 3, webhooks: { retryScale: 0.001 } });
  receiver = await startReceiver('/inbound/paytone');
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Doc }> {
  const { commerceAccountId, apiKey } = sandbox.credentials.paytone;
  const response = await fetch(`${sandbox.urls.paytone}${path}`, {
    method,
    headers: { authorization: basicAuth(commerceAccountId, apiKey), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Doc };
}

describe('Paytone inside the sandbox core', () => {
  it('serves generated traffic exactly as its records say, and signs what the core delivers', async () => {
    const result = await sandbox.generator.generate({
      count: 200,
      days: 30,
      webhookUrls: { paytone: receiver.url },
    });
    expect(result.failed).toEqual([]);
    const records = sandbox.records('paytone');
    expect(records.length).toBe(result.created.length);
    expect(records.some((record) => record.refundedMinor > 0n)).toBe(true);

    for (const record of records) {
      const path = record.kind === 'payment' ? 'payment-invoices' : 'payout-invoices';
      const { status, json } = await api('GET', `/api/${path}/${record.providerId}`);
      expect(status).toBe(200);
      const attributes = json.data.attributes as {
        status: string;
        amount: number;
        refunded_amount?: number | null;
      };
      expect(attributes.status).toBe(record.status);
      expect(floatToMinor(attributes.amount, record.currency)).toBe(record.amountMinor);
      const refunded = attributes.refunded_amount ?? 0;
      expect(floatToMinor(refunded, record.currency)).toBe(record.refundedMinor);
    }

    await sandbox.webhooksIdle();
    const received = await receiver.waitFor(records.length);
    const { testSecretKey } = sandbox.credentials.paytone;
    for (const request of received) {
      expect(verifyCallback(request.body, String(request.headers['x-signature']), testSecretKey)).toBe(true);
    }
  });

  it('moves a hosted-page payment on sandbox time and delivers its callbacks', async () => {
    const created = await api('POST', '/api/payment-invoices', {
      data: {
        type: 'payment-invoices',
        attributes: {
          reference_id: 'integration-hpp-1',
          amount: 42,
          currency: 'EUR',
          service: 'payment_card_eur_hpp',
          test_mode: true,
          callback_url: receiver.url,
        },
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.data.id;
    const paid = await fetch(`${sandbox.urls.paytone}/hpp/${id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card_number=4242424242424242',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await sandbox.advance(sandbox.lifecycle.settleAfterMs);
    expect((await api('GET', `/api/payment-invoices/${id}`)).json.data.attributes.status).toBe('processed');

    await sandbox.webhooksIdle();
    const mine = receiver.received.filter((request) => request.body.includes(id));
    expect(mine.map((request) => (JSON.parse(request.body) as Doc).data.attributes.status)).toEqual([
      'process_pending',
      'processing',
      'processed',
    ]);
    const { testSecretKey } = sandbox.credentials.paytone;
    for (const request of mine) {
      expect(verifyCallback(request.body, String(request.headers['x-signature']), testSecretKey)).toBe(true);
    }
  });
});
