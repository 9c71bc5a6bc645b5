import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gateModule } from '../gate/index.ts';
import type { ProviderModule, ProviderName, ProviderSimulator } from './contract.ts';
import { startSandbox, type Sandbox } from './sandbox.ts';

/** A stand-in provider with one route, so envelopes can be checked without the real simulator. */
function echoModule(name: ProviderName): ProviderModule {
  return {
    name,
    register(app): ProviderSimulator {
      let hits = 0;
      app.get('/ping', () => ({ ok: true, hits: ++hits }));
      return {
        simulate: () => Promise.reject(new Error('n/a')),
        records: () => [],
        forceStatus: () => false,
      };
    },
  };
}

let sandbox: Sandbox;
let key: string;
let seq = 0;

beforeAll(async () => {
  sandbox = await startSandbox({
    modules: [gateModule, echoModule('payment-book'), echoModule('paytone')],
    lifecycle: { processingAfterMs: 60_000, settleAfterMs: 60_000 },
  });
  key = sandbox.credentials.gate.bearerKeys[0] ?? '';
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.resetFaults());

const api = '/api/v1/api/payments';
const newPayment = () => ({
  referenceId: `fault-${++seq}`,
  amount: 1_000,
  currencyCode: 'EUR',
  paymentMethod: 'card_basic',
  paymentMethodData: { cardBasic: { cardNumber: '4111111111111111' } },
});

function gate(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (signal) init.signal = signal;
  return fetch(`${sandbox.urls.gate}${path}`, init);
}

const lookup = async (referenceId: string) => (await gate('GET', `${api}/${referenceId}`)).status;

describe('error faults', () => {
  it('500 with the provider envelope, for each provider', async () => {
    sandbox.setFaults('gate', [{ kind: 'error_500' }]);
    sandbox.setFaults('payment-book', [{ kind: 'error_500' }]);
    sandbox.setFaults('paytone', [{ kind: 'error_500' }]);
    const answer = await gate('GET', `${api}/x`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      code: '1000',
      name: 'processing_error',
      description: 'Internal server error.',
    });

    const pb = await fetch(`${sandbox.urls['payment-book']}/ping`);
    expect(pb.status).toBe(500);
    expect(await pb.json()).toMatchObject({ meta: { code: 500, success: false }, errors: null });
    const paytone = await fetch(`${sandbox.urls.paytone}/ping`);
    expect(await paytone.json()).toEqual({
      errors: [
        { status: 'internal_error', code: '500', title: 'internal_error', detail: 'Internal server error.' },
      ],
    });
  });

  it('500 with a generic JSON body or a load balancer HTML page', async () => {
    sandbox.setFaults('paytone', [
      { kind: 'error_500', envelope: 'generic', count: 1 },
      { kind: 'error_500', envelope: 'html' },
    ]);
    const generic = await fetch(`${sandbox.urls.paytone}/ping`);
    expect(await generic.json()).toEqual({ message: 'Internal Server Error' });
    const html = await fetch(`${sandbox.urls.paytone}/ping`);
    expect(html.status).toBe(500);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<h1>500 Internal Server Error</h1>');
  });

  it('502 with no body at all', async () => {
    sandbox.setFaults('gate', [{ kind: 'error_502' }]);
    const answer = await gate('POST', api, newPayment());
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBeNull();
    expect(await answer.text()).toBe('');
  });

  it('429 with and without Retry-After', async () => {
    sandbox.setFaults('paytone', [
      { kind: 'rate_limit', retryAfterSeconds: 7, count: 1 },
      { kind: 'rate_limit', count: 1 },
    ]);
    const first = await fetch(`${sandbox.urls.paytone}/ping`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toEqual({ errors: [{ status: 'Too Many Requests', code: '429' }] });
    const second = await fetch(`${sandbox.urls.paytone}/ping`);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
    expect((await fetch(`${sandbox.urls.paytone}/ping`)).status).toBe(200);
  });

  it('before the provider: nothing is created; after: the operation happens and only the answer is lost', async () => {
    const before = newPayment();
    sandbox.setFaults('gate', [{ kind: 'error_502', count: 1 }]);
    expect((await gate('POST', api, before)).status).toBe(502);
    expect(await lookup(before.referenceId)).toBe(400);

    const after = newPayment();
    sandbox.setFaults('gate', [{ kind: 'error_502', phase: 'after', count: 1 }]);
    const answer = await gate('POST', api, after);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBeNull();
    expect(await answer.text()).toBe('');
    expect(await lookup(after.referenceId)).toBe(200);
  });
});

describe('targeting', () => {
  it('matches by path prefix and method, and spends count', async () => {
    sandbox.setFaults('gate', [{ kind: 'error_502', match: `${api}/refund`, method: 'post', count: 1 }]);
    expect((await gate('GET', `${api}/refund`)).status).toBe(400);
    expect((await gate('POST', api, newPayment())).status).toBe(200);
    const refund = { referenceId: 'nope', amount: 1, currencyCode: 'EUR' };
    expect((await gate('POST', `${api}/refund`, refund)).status).toBe(502);
    expect(sandbox.faults('gate')).toEqual([]);
    expect((await gate('POST', `${api}/refund`, refund)).status).toBe(400);
  });

  it('draws the rate from the seeded random', async () => {
    sandbox.setFaults('payment-book', [{ kind: 'error_500', rate: 0 }]);
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${sandbox.urls['payment-book']}/ping`)).status).toBe(200);
    sandbox.setFaults('payment-book', [{ kind: 'error_500', rate: 0.5 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fetch(`${sandbox.urls['payment-book']}/ping`)).status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(500);
  });

  it('rejects rules that make no sense', () => {
    expect(() => sandbox.setFaults('gate', [{ kind: 'error_500', rate: 2 }])).toThrow();
    expect(() => sandbox.setFaults('gate', [{ kind: 'error_500', match: 'no-slash' }])).toThrow();
  });
});

describe('slow and broken answers', () => {
  it('adds latency', async () => {
    sandbox.setFaults('paytone', [{ kind: 'latency', latencyMs: 150 }]);
    const started = performance.now();
    expect((await fetch(`${sandbox.urls.paytone}/ping`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('holds a request past the client timeout', async () => {
    sandbox.setFaults('gate', [{ kind: 'timeout', holdMs: 2_000 }]);
    const attempt = gate('POST', api, newPayment(), AbortSignal.timeout(100));
    await expect(attempt).rejects.toThrow(/aborted due to timeout/);
  });

  it('then drops the socket without an answer', async () => {
    const body = newPayment();
    sandbox.setFaults('gate', [{ kind: 'timeout', holdMs: 100, phase: 'after', count: 1 }]);
    await expect(gate('POST', api, body)).rejects.toThrow(/fetch failed/);
    // Phase "after": the payment exists although the client never heard back.
    expect(await lookup(body.referenceId)).toBe(200);
  });

  it('mangles the JSON of a real answer', async () => {
    const body = newPayment();
    sandbox.setFaults('gate', [{ kind: 'malformed_json', count: 1 }]);
    const answer = await gate('POST', api, body);
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text.startsWith('{"referenceId"')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(await lookup(body.referenceId)).toBe(200);
  });
});

describe('closing', () => {
  it('releases held requests at once', async () => {
    const own = await startSandbox({ modules: [echoModule('paytone')] });
    own.setFaults('paytone', [{ kind: 'timeout' }]);
    const held = fetch(`${own.urls.paytone}/ping`).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    expect(await held).toBe('dropped');
  }, 5_000);
});
