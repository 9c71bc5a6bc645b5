import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateModule } from '../gate/index.ts';
import { startSandbox, type Sandbox } from './sandbox.ts';
import { startReceiver, type Receiver } from './testing.ts';

let sandbox: Sandbox;
let receiver: Receiver;

beforeAll(async () => {
  sandbox = await startSandbox({
    modules: [gateModule],
    seed: 'control',
    lifecycle: { processingAfterMs: 60_000, settleAfterMs: 60_000 },
    webhooks: { retryScale: 0.001 },
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

/** The control API's answers, loosely typed: the tests assert their shape. */
interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function control(method: string, path: string, body?: unknown): Promise<Answer> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${sandbox.urls.control}${path}`, init);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const gatePost = (path: string, body: unknown) =>
  fetch(`${sandbox.urls.gate}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sandbox.credentials.gate.bearerKeys[0] ?? ''}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });

describe('control API', () => {
  it('reports health, URLs and the clock', async () => {
    expect((await control('GET', '/health')).json).toEqual({ ok: true });
    expect((await control('GET', '/')).json).toMatchObject({
      urls: { gate: sandbox.urls.gate },
      providers: ['gate'],
    });
    const clock = await control('GET', '/clock');
    const advanced = await control('POST', '/clock/advance', { ms: 3_600_000 });
    expect(Number(advanced.json.now) - Number(clock.json.now)).toBeGreaterThanOrEqual(3_600_000);
    expect(advanced.json.iso).toBe(new Date(Number(advanced.json.now)).toISOString());
  });

  it('gets, replaces, appends and resets faults', async () => {
    const put = await control('PUT', '/faults/gate', {
      rules: [{ kind: 'error_502', match: '/api/v1/api/payments/refund', count: 1 }],
    });
    expect(put.status).toBe(200);
    expect(put.json.rules).toEqual([
      { kind: 'error_502', rate: 1, match: '/api/v1/api/payments/refund', count: 1 },
    ]);
    await control('POST', '/faults/gate', { kind: 'rate_limit', retryAfterSeconds: 2 });
    expect((await control('GET', '/faults/gate')).json.rules).toHaveLength(2);
    expect((await control('GET', '/faults')).json).toMatchObject({
      gate: [{ kind: 'error_502' }, { kind: 'rate_limit' }],
    });

    const refund = await gatePost('/api/v1/api/payments/refund', {
      referenceId: 'x',
      amount: 1,
      currencyCode: 'EUR',
    });
    expect(refund.status).toBe(502);
    expect((await gatePost('/api/v1/api/payments/refund', {})).status).toBe(429);

    expect((await control('POST', '/faults/reset', {})).json).toEqual({ ok: true });
    expect((await control('GET', '/faults/gate')).json.rules).toEqual([]);
  });

  it('refuses invalid bodies and unknown providers with 400', async () => {
    expect((await control('PUT', '/faults/gate', { rules: [{ kind: 'explode' }] })).status).toBe(400);
    expect((await control('PUT', '/faults/nope', { rules: [] })).status).toBe(400);
    expect((await control('PUT', '/faults/paytone', { rules: [] })).status).toBe(400);
    expect((await control('POST', '/clock/advance', { ms: -1 })).status).toBe(400);
    expect((await control('PUT', '/mischief', { drop: 3 })).status).toBe(400);
  });

  it('sets and resets webhook mischief', async () => {
    const put = await control('PUT', '/mischief', { provider: 'gate', duplicate: 1, count: 2 });
    expect(put.json).toMatchObject({ gate: { duplicate: 1, count: 2, drop: 0 } });
    expect((await control('GET', '/mischief')).json).toMatchObject({ gate: { duplicate: 1 } });
    await control('POST', '/mischief/reset');
    expect((await control('GET', '/mischief')).json).toMatchObject({ gate: { duplicate: 0 } });
  });

  it('forces a status with a webhook, and lists records and deliveries', async () => {
    await sandbox.simulators.gate?.simulate({
      kind: 'payment',
      reference: 'ctl-1',
      at: sandbox.clock.now() - 86_400_000,
      amountMinor: 123_456_789_012_345_678n,
      currency: 'KWD',
      customer: { email: 'c@example.com', name: 'C', country: 'KW' },
      method: 'card',
      outcome: 'success',
      refunds: [],
      webhookUrl: receiver.url,
    });
    await receiver.waitFor(1);

    const forced = await control('POST', '/status', {
      provider: 'gate',
      providerId: 'ctl-1',
      status: 'declined',
      notify: true,
    });
    expect(forced.json).toEqual({ ok: true });
    const [, webhook] = await receiver.waitFor(2);
    expect(JSON.parse(webhook?.body ?? '{}')).toMatchObject({ referenceId: 'ctl-1', status: 'declined' });
    await control('POST', '/status', {
      provider: 'gate',
      providerId: 'ctl-1',
      status: 'success',
      notify: false,
    });
    expect(
      (await control('POST', '/status', { provider: 'gate', providerId: 'missing', status: 'success' }))
        .status,
    ).toBe(404);

    const records = (await control('GET', '/records?provider=gate')).json.records as { reference: string }[];
    const record = records.find((r) => r.reference === 'ctl-1');
    // bigint minor units travel as strings.
    expect(record).toMatchObject({
      provider: 'gate',
      status: 'success',
      amountMinor: '123456789012345678',
      refundedMinor: '0',
      currency: 'KWD',
    });

    await sandbox.webhooksIdle();
    const deliveries = await control('GET', '/deliveries?provider=gate&objectKey=gate:0:ctl-1');
    expect(deliveries.json).toMatchObject({ deliveries: [{ state: 'delivered' }, { state: 'delivered' }] });
    await control('DELETE', '/deliveries');
    expect((await control('GET', '/deliveries')).json.deliveries).toEqual([]);
  });

  it('starts and stops the generator', async () => {
    const started = await control('POST', '/generator/start', {
      seed: 'ctl',
      count: 12,
      days: 10,
      trickleMs: 20,
    });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({
      generated: { created: 12, failed: [] },
      status: { trickling: true, everyMs: 20 },
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const stopped = await control('POST', '/generator/stop');
    expect(stopped.json.trickling).toBe(false);
    expect(stopped.json.liveCreated).toBeGreaterThan(0);
    expect((await control('GET', '/generator')).json.trickling).toBe(false);
  });
});
