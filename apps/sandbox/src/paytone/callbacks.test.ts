import { verifyCallback } from '@paydesk/providers/paytone/signature';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../core/contract.ts';
import {
  invoiceBody,
  startPaytone,
  testCredentials,
  testLifecycle,
  type PaytoneHarness,
} from './test-context.ts';

let paytone: PaytoneHarness;
beforeAll(async () => {
  paytone = await startPaytone();
});
afterAll(async () => {
  await paytone.close();
});

async function create(attributes: Record<string, unknown>): Promise<string> {
  const response = await paytone.api('POST', '/api/payment-invoices', invoiceBody(attributes));
  expect(response.status).toBe(201);
  return response.json.data.id;
}

const deliveriesOf = (id: string): WebhookDelivery[] =>
  paytone.deliveries.filter((delivery) => delivery.objectKey === id);

describe('callbacks', () => {
  it('POSTs the JSON:API document to callback_url, signed with the test secret for test invoices', async () => {
    const id = await create({ test_mode: true, callback_url: 'https://merchant.example/paytone' });
    const [delivery] = deliveriesOf(id);
    expect(delivery).toMatchObject({
      provider: 'paytone',
      url: 'https://merchant.example/paytone',
      objectKey: id,
      retry: { maxAttempts: 100, intervalMs: 300_000, delivered: 'only-200' },
      headers: { 'Content-Type': 'application/json', 'X-Signature': expect.any(String) as unknown },
    });
    if (!delivery) return;
    const signature = delivery.headers['X-Signature'] ?? '';
    expect(verifyCallback(delivery.body, signature, testCredentials.testSecretKey)).toBe(true);
    expect(verifyCallback(delivery.body, signature, testCredentials.liveSecretKey)).toBe(false);
    // The same document as the API returns.
    const current = await paytone.api('GET', `/api/payment-invoices/${id}`);
    expect(JSON.parse(delivery.body)).toEqual(current.json);
    expect(current.json.data.attributes.callback_logs).toEqual({
      [String(Math.floor(paytone.now() / 1000))]: {
        status: 'queued',
        processed: null,
        response_code: null,
        transaction_status: 'process_pending',
      },
    });
  });

  it('signs live invoices with the live secret', async () => {
    const id = await create({ test_mode: false });
    const [delivery] = deliveriesOf(id);
    const signature = delivery?.headers['X-Signature'] ?? '';
    expect(verifyCallback(delivery?.body ?? '', signature, testCredentials.liveSecretKey)).toBe(true);
    expect(verifyCallback(delivery?.body ?? '', signature, testCredentials.testSecretKey)).toBe(false);
  });

  it('offers a corrupted variant whose signature does not verify', async () => {
    const id = await create({});
    const [delivery] = deliveriesOf(id);
    const corrupted = delivery?.corrupt?.();
    expect(corrupted?.body).toBe(delivery?.body);
    expect(
      verifyCallback(
        corrupted?.body ?? '',
        corrupted?.headers['X-Signature'] ?? '',
        testCredentials.testSecretKey,
      ),
    ).toBe(false);
  });

  it('carries attributes.updated, never going back, on every callback of an invoice', async () => {
    const id = await create({});
    await paytone.advance(5_000);
    await paytone.request('POST', `/hpp/${id}/pay`, { form: { card_number: '4242424242424242' } });
    await paytone.advance(testLifecycle.settleAfterMs);
    const updates = deliveriesOf(id).map(
      (delivery) =>
        (JSON.parse(delivery.body) as { data: { attributes: { updated: number; status: string } } }).data
          .attributes,
    );
    expect(updates.map((attributes) => attributes.status)).toEqual([
      'process_pending',
      'processing',
      'processed',
    ]);
    const times = updates.map((attributes) => attributes.updated);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[2]).toBe(Math.floor(paytone.now() / 1000));
  });

  it('sends nothing for an invoice without callback_url', async () => {
    const body = invoiceBody();
    delete (body.data as { attributes: Record<string, unknown> }).attributes.callback_url;
    const created = await paytone.api('POST', '/api/payment-invoices', body);
    expect(deliveriesOf(created.json.data.id)).toEqual([]);
  });

  it('verifies over real HTTP on the exact bytes received', async () => {
    const received: { verified: boolean; status: string }[] = [];
    const merchant = Fastify();
    merchant.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    merchant.post('/paytone', (request, reply) => {
      const raw = request.body as string;
      const signature = request.headers['x-signature'];
      const verified =
        typeof signature === 'string' && verifyCallback(raw, signature, testCredentials.testSecretKey);
      received.push({
        verified,
        status: (JSON.parse(raw) as { data: { attributes: { status: string } } }).data.attributes.status,
      });
      return reply.code(verified ? 200 : 401).send();
    });
    const address = await merchant.listen({ port: 0, host: '127.0.0.1' });
    try {
      const id = await create({ callback_url: `${address}/paytone`, description: 'Rīga € 東京' });
      // The core's dispatcher delivers; here the test plays it, sending body and headers as given.
      const post = (delivery: { body: string; headers: Record<string, string> }, url: string) =>
        fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers });
      const [delivery] = deliveriesOf(id);
      if (!delivery) throw new Error('no callback');
      expect((await post(delivery, delivery.url)).status).toBe(200);
      const forged = delivery.corrupt?.();
      if (!forged) throw new Error('no corrupt variant');
      expect((await post(forged, delivery.url)).status).toBe(401);
      expect(received).toEqual([
        { verified: true, status: 'process_pending' },
        { verified: false, status: 'process_pending' },
      ]);
    } finally {
      await merchant.close();
    }
  });
});
