import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../core/sandbox.ts';
import { startReceiver, type Receiver } from '../core/testing.ts';
import { gateModule } from './index.ts';

// Long timings so real time never moves a lifecycle during a test: only clock advances do.
const step = 60_000;
let sandbox: Sandbox;
let receiver: Receiver;
let key: string;
let otherKey: string;
let seq = 0;

beforeAll(async () => {
  sandbox = await startSandbox({
    modules: [gateModule],
    lifecycle: { processingAfterMs: step, settleAfterMs: step, expireAfterMs: 10 * step },
    webhooks: { retryScale: 0.001, timeoutMs: 1_000 },
  });
  receiver = await startReceiver();
  [key = '', otherKey = ''] = sandbox.credentials.gate.bearerKeys;
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

afterEach(() => {
  receiver.respond = () => 200;
});

const ref = (label: string) => `${label}-${++seq}`;

interface Answer {
  status: number;
  json: Record<string, unknown>;
  text: string;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  bearer: string | null = key,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${sandbox.urls.gate}${path}`, {
    method,
    headers,
    body: payload,
    redirect: 'manual',
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // HTML pages and empty bodies are checked through `text`.
  }
  return { status: response.status, json, text, headers: response.headers };
}

const api = '/api/v1/api/payments';
const card = (cardNumber = '4111111111111111') => ({
  paymentMethod: 'card_basic',
  paymentMethodData: {
    cardBasic: { cardNumber, cardHolder: 'MARK TWAIN', expMonth: '12', expYear: '2099', cvv: '123' },
  },
});
const payment = (referenceId: string, extra: Record<string, unknown> = {}) => ({
  referenceId,
  amount: 10_000,
  currencyCode: 'USD',
  description: 'Order',
  webhookUrl: receiver.url,
  customer: { email: 'mark.twain@example.com' },
  merchantMetadata: { orderId: referenceId },
  ...card(),
  ...extra,
});

function expectError(answer: Answer, code: string, name: string, status = 400): void {
  expect(answer.status).toBe(status);
  expect(answer.json).toMatchObject({ code, name });
  expect(typeof answer.json.description).toBe('string');
}

/** Webhook bodies received for one referenceId, in arrival order. */
async function webhooksFor(referenceId: string, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const bodies = receiver.received
      .map((request) => JSON.parse(request.body) as Record<string, unknown>)
      .filter((body) => body.referenceId === referenceId);
    if (bodies.length >= count || Date.now() > deadline) return bodies;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('auth', () => {
  it.each([
    ['GET', `${api}/anything`],
    ['POST', api],
    ['POST', `${api}/initiate-session`],
    ['POST', `${api}/payout`],
    ['POST', `${api}/refund`],
  ])('%s %s without a valid bearer key is 401 / 1003', async (method, path) => {
    const body = method === 'POST' ? payment(ref('auth')) : undefined;
    expectError(await call(method, path, body, null), '1003', 'unauthorized', 401);
    expectError(await call(method, path, body, 'wrong-key'), '1003', 'unauthorized', 401);
  });
});

describe('direct payment', () => {
  it('answers the payment object, then moves none → pending → success on the clock, with webhooks', async () => {
    const referenceId = ref('pay');
    const created = await call('POST', api, payment(referenceId));
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      referenceId,
      amount: 10_000,
      currencyCode: 'USD',
      status: 'none',
      customerAction: { type: 'none', data: {} },
      merchantMetadata: { orderId: referenceId },
      actualAmount: null,
      declineReason: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });

    await sandbox.advance(step);
    expect((await call('GET', `${api}/${referenceId}`)).json.status).toBe('pending');
    await sandbox.advance(step);
    const settled = await call('GET', `${api}/${referenceId}`);
    expect(settled.json).toMatchObject({ status: 'success', actualAmount: 10_000, declineReason: null });

    const hooks = await webhooksFor(referenceId, 2);
    expect(hooks.map((hook) => hook.status)).toEqual(['pending', 'success']);
    const request = receiver.received.find((r) => r.body.includes(referenceId));
    expect(request?.headers['content-type']).toBe('application/json');
    // Unsigned: no signature header of any kind.
    expect(Object.keys(request?.headers ?? {}).filter((name) => name.includes('signature'))).toEqual([]);
  });

  it('keeps int64 amounts exact and handles 0- and 3-decimal currencies in minor units', async () => {
    const big = '9007199254740993';
    const referenceId = ref('big');
    const raw = JSON.stringify(payment(referenceId)).replace('"amount":10000', `"amount":${big}`);
    const created = await call('POST', api, raw);
    expect(created.status).toBe(200);
    expect(created.text).toContain(`"amount":${big}`);

    for (const [currencyCode, amount] of [
      ['JPY', 1500],
      ['KWD', 12_345],
    ] as const) {
      const answer = await call('POST', api, payment(ref(currencyCode), { currencyCode, amount }));
      expect(answer.json).toMatchObject({ currencyCode, amount });
    }
  });

  it.each([
    ['4000000000000002', 4001],
    ['4000000000009995', 4002],
    ['4000000000000069', 4004],
    ['4000000000009987', 4005],
    ['4000000000009979', 4006],
    ['4000000000000127', 4007],
    ['4000000000000119', 3001],
    ['4111111111111112', 4003],
  ])('test card %s is declined with %i', async (number, code) => {
    const referenceId = ref('decline');
    expect((await call('POST', api, payment(referenceId, card(number)))).json.status).toBe('none');
    await sandbox.advance(2 * step);
    const settled = await call('GET', `${api}/${referenceId}`);
    expect(settled.json).toMatchObject({ status: 'declined', declineReason: { code } });
    expect(typeof (settled.json.declineReason as { description: unknown }).description).toBe('string');
  });

  it('declines an expired card with 4004', async () => {
    const referenceId = ref('expired');
    const body = payment(referenceId, {
      paymentMethodData: { cardBasic: { cardNumber: '4111111111111111', expMonth: '01', expYear: '2001' } },
    });
    await call('POST', api, body);
    await sandbox.advance(2 * step);
    expect((await call('GET', `${api}/${referenceId}`)).json).toMatchObject({
      declineReason: { code: 4004 },
    });
  });
});

describe('3-D Secure', () => {
  async function start(): Promise<{ referenceId: string; url: string; answer: Answer }> {
    const referenceId = ref('3ds');
    const answer = await call('POST', api, payment(referenceId, card('4000000000003220')));
    const data = (answer.json.customerAction as { data: Record<string, string> }).data;
    return { referenceId, url: data.threeDsSessionUrl ?? '', answer };
  }

  it('asks for action, and succeeds once the customer authenticates', async () => {
    const { referenceId, url, answer } = await start();
    expect(answer.json.status).toBe('action_required');
    expect(answer.json.customerAction).toMatchObject({
      type: 'three_ds',
      data: { threeDsSessionId: expect.stringMatching(/^gs_/) as unknown, httpMethod: 'GET' },
    });
    expect(url.startsWith(`${sandbox.urls.gate}/pay/`)).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Authenticate');

    const submitted = await fetch(url, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) });
    expect(submitted.status).toBe(200);
    expect((await call('GET', `${api}/${referenceId}`)).json).toMatchObject({
      status: 'pending',
      customerAction: { type: 'none' },
    });
    await sandbox.advance(step);
    expect((await call('GET', `${api}/${referenceId}`)).json.status).toBe('success');
  });

  it('declines with 5001 when authentication fails or is never completed', async () => {
    const failed = await start();
    await fetch(failed.url, { method: 'POST', body: new URLSearchParams({ action: 'decline' }) });
    await sandbox.advance(step);
    expect((await call('GET', `${api}/${failed.referenceId}`)).json).toMatchObject({
      status: 'declined',
      declineReason: { code: 5001 },
    });

    const abandoned = await start();
    await sandbox.advance(10 * step);
    expect((await call('GET', `${api}/${abandoned.referenceId}`)).json).toMatchObject({
      status: 'declined',
      declineReason: { code: 5001 },
    });
  });
});

describe('hosted session', () => {
  const session = (referenceId: string, extra: Record<string, unknown> = {}) => ({
    referenceId,
    amount: 2_500,
    currencyCode: 'EUR',
    description: 'Hosted order',
    webhookUrl: receiver.url,
    paymentMethods: ['card_basic'],
    paymentPageSettings: {
      lifetime: 1800,
      returnUrls: { default: 'https://shop.example/back', success: 'https://shop.example/ok', failure: null },
    },
    ...extra,
  });

  it('returns a pay page URL; paying redirects to the success URL and settles', async () => {
    const referenceId = ref('hosted');
    const created = await call('POST', `${api}/initiate-session`, session(referenceId));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: 'action_required', customerAction: { type: 'redirect' } });
    const url = (created.json.customerAction as { data: { redirectionUrl: string } }).data.redirectionUrl;

    const page = await (await fetch(url)).text();
    expect(page).toContain('25.00 EUR');
    expect(page).toContain('Hosted order');

    const paid = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ action: 'pay' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('https://shop.example/ok');
    await sandbox.advance(step);
    expect((await call('GET', `${api}/${referenceId}`)).json).toMatchObject({
      status: 'success',
      actualAmount: 2_500,
    });

    // The page is closed now.
    const again = await fetch(url, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) });
    expect(again.status).toBe(409);
    expect((await fetch(`${sandbox.urls.gate}/pay/gs_unknown`)).status).toBe(404);
  });

  it('declines with 4001 when the customer declines, and expires unpaid pages', async () => {
    const declined = ref('hosted-decline');
    const created = await call('POST', `${api}/initiate-session`, session(declined));
    const url = (created.json.customerAction as { data: { redirectionUrl: string } }).data.redirectionUrl;
    const answer = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ action: 'decline' }),
      redirect: 'manual',
    });
    expect(answer.headers.get('location')).toBe('https://shop.example/back');
    await sandbox.advance(step);
    expect((await call('GET', `${api}/${declined}`)).json).toMatchObject({
      status: 'declined',
      declineReason: { code: 4001 },
    });

    const unpaid = ref('hosted-expire');
    await call('POST', `${api}/initiate-session`, session(unpaid, { paymentPageSettings: { lifetime: 60 } }));
    await sandbox.advance(step);
    expect((await call('GET', `${api}/${unpaid}`)).json).toMatchObject({
      status: 'declined',
      declineReason: { code: 1000 },
    });
  });

  it('refuses payment methods other than card_basic with 1005', async () => {
    expectError(
      await call('POST', `${api}/initiate-session`, session(ref('hosted'), { paymentMethods: ['sepa'] })),
      '1005',
      'payment_method_not_supported',
    );
  });
});

describe('payout', () => {
  it('settles like a payment', async () => {
    const referenceId = ref('payout');
    const created = await call('POST', `${api}/payout`, payment(referenceId, { amount: 5_000 }));
    expect(created.json).toMatchObject({ referenceId, amount: 5_000, status: 'none' });
    await sandbox.advance(2 * step);
    expect((await call('GET', `${api}/${referenceId}`)).json).toMatchObject({
      status: 'success',
      actualAmount: 5_000,
    });
    expect(sandbox.records('gate').find((record) => record.reference === referenceId)?.kind).toBe('payout');
  });

  it('requires a payment method and card data', async () => {
    const { paymentMethod: _omitted, ...withoutMethod } = payment(ref('payout'));
    expectError(await call('POST', `${api}/payout`, withoutMethod), '1002', 'incorrect_request');
    expectError(
      await call('POST', `${api}/payout`, { ...payment(ref('payout')), paymentMethodData: null }),
      '1002',
      'incorrect_request',
    );
  });
});

describe('refund', () => {
  async function settledPayment(amount = 10_000): Promise<string> {
    const referenceId = ref('refundable');
    await call('POST', api, payment(referenceId, { amount }));
    await sandbox.advance(2 * step);
    return referenceId;
  }

  it('refunds in full by the payment referenceId: actualAmount drops to 0 and a webhook goes out', async () => {
    const referenceId = await settledPayment();
    const refunded = await call('POST', `${api}/refund`, {
      referenceId,
      amount: 10_000,
      currencyCode: 'USD',
    });
    expect(refunded.status).toBe(200);
    expect(refunded.json).toMatchObject({ referenceId, status: 'success', amount: 10_000, actualAmount: 0 });
    expect((await call('GET', `${api}/${referenceId}`)).json.actualAmount).toBe(0);
    const hooks = await webhooksFor(referenceId, 3);
    expect(hooks.at(-1)).toMatchObject({ actualAmount: 0 });
    expect(sandbox.records('gate').find((record) => record.reference === referenceId)?.refundedMinor).toBe(
      10_000n,
    );

    expectError(
      await call('POST', `${api}/refund`, { referenceId, amount: 10_000, currencyCode: 'USD' }),
      '1105',
      'invalid_payment_state',
    );
  });

  it('refuses what cannot be refunded', async () => {
    const referenceId = await settledPayment();
    expectError(
      await call('POST', `${api}/refund`, { referenceId, amount: 5_000, currencyCode: 'USD' }),
      '1008',
      'invalid_amount',
    );
    expectError(
      await call('POST', `${api}/refund`, { referenceId, amount: 10_000, currencyCode: 'EUR' }),
      '1007',
      'invalid_currency',
    );
    expectError(
      await call('POST', `${api}/refund`, { referenceId, amount: 3_000_000_000, currencyCode: 'USD' }),
      '1008',
      'invalid_amount',
    );
    expectError(
      await call('POST', `${api}/refund`, { referenceId: 'nope', amount: 10_000, currencyCode: 'USD' }),
      '1104',
      'payment_not_found',
    );
    expectError(
      await call('POST', `${api}/refund`, { referenceId, amount: 10_000, currencyCode: 'USD' }, otherKey),
      '1104',
      'payment_not_found',
    );

    const pending = ref('pending');
    await call('POST', api, payment(pending));
    expectError(
      await call('POST', `${api}/refund`, { referenceId: pending, amount: 10_000, currencyCode: 'USD' }),
      '1105',
      'invalid_payment_state',
    );

    const payout = ref('payout');
    await call('POST', `${api}/payout`, payment(payout));
    await sandbox.advance(2 * step);
    expectError(
      await call('POST', `${api}/refund`, { referenceId: payout, amount: 10_000, currencyCode: 'USD' }),
      '1009',
      'interface_operation_not_supported',
    );
  });
});

describe('lookup and duplicates', () => {
  it('finds a payment only with the terminal that created it (1104 otherwise)', async () => {
    const referenceId = ref('lookup');
    await call('POST', api, payment(referenceId));
    expect((await call('GET', `${api}/${referenceId}`)).json.referenceId).toBe(referenceId);
    expectError(await call('GET', `${api}/${referenceId}`, undefined, otherKey), '1104', 'payment_not_found');
    expectError(await call('GET', `${api}/no-such-payment`), '1104', 'payment_not_found');
  });

  it('refuses a referenceId already used on the same terminal with 1004, across endpoints', async () => {
    const referenceId = ref('dup');
    expect((await call('POST', api, payment(referenceId))).status).toBe(200);
    expectError(await call('POST', api, payment(referenceId)), '1004', 'duplicate_request');
    expectError(await call('POST', `${api}/payout`, payment(referenceId)), '1004', 'duplicate_request');
    expect((await call('POST', api, payment(referenceId), otherKey)).status).toBe(200);
  });
});

describe('validation', () => {
  it.each<[string, () => unknown, string, string]>([
    ['invalid JSON', () => '{"referenceId":', '1002', 'incorrect_request'],
    ['a JSON list', () => '[]', '1002', 'incorrect_request'],
    ['no referenceId', () => ({ ...payment(''), referenceId: null }), '1002', 'incorrect_request'],
    ['no amount', () => ({ ...payment('v1'), amount: undefined }), '1002', 'incorrect_request'],
    ['a fractional amount', () => ({ ...payment('v2'), amount: 10.5 }), '1008', 'invalid_amount'],
    ['a negative amount', () => ({ ...payment('v3'), amount: -1 }), '1008', 'invalid_amount'],
    ['a string amount', () => ({ ...payment('v4'), amount: '100' }), '1008', 'invalid_amount'],
    ['no currency', () => ({ ...payment('v5'), currencyCode: null }), '1002', 'incorrect_request'],
    ['a malformed currency', () => ({ ...payment('v6'), currencyCode: 'usd' }), '1007', 'invalid_currency'],
    [
      'an unsupported currency',
      () => ({ ...payment('v7'), currencyCode: 'GEL' }),
      '1006',
      'currency_not_supported',
    ],
    [
      'an unknown payment method',
      () => ({ ...payment('v8'), paymentMethod: 'sepa' }),
      '1005',
      'payment_method_not_supported',
    ],
    ['an unknown BIN', () => payment('v9', card('9999999999999995')), '1010', 'bin_not_found'],
    ['a short card number', () => payment('v10', card('4111')), '1002', 'incorrect_request'],
    [
      'two-phase',
      () => ({ ...payment('v11'), paymentMethodOptions: { cardBasic: { isTwoPhase: true } } }),
      '1009',
      'interface_operation_not_supported',
    ],
    [
      'a relative webhookUrl',
      () => ({ ...payment('v12'), webhookUrl: '/hook' }),
      '1002',
      'incorrect_request',
    ],
  ])('refuses %s', async (_label, body, code, name) => {
    expectError(await call('POST', api, body()), code, name);
  });

  it('answers unknown paths with 404', async () => {
    expect((await call('GET', '/api/v2/nothing')).status).toBe(404);
  });
});

describe('webhook delivery', () => {
  it('retries a webhook until the receiver answers 2xx', async () => {
    const referenceId = ref('retry');
    let failures = 2;
    receiver.respond = (_index, request) =>
      request.body.includes(referenceId) && failures-- > 0 ? 503 : 200;
    await call('POST', api, payment(referenceId));
    await sandbox.advance(step);
    await webhooksFor(referenceId, 3);
    await sandbox.webhooksIdle();
    const [delivery] = sandbox.deliveries({ provider: 'gate', objectKey: `gate:0:${referenceId}` });
    expect(delivery?.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
    expect(delivery?.state).toBe('delivered');
  });
});

describe('simulator', () => {
  const customer = { email: 'ana@example.com', name: 'Ana Costa', country: 'PT' };

  it('writes historical transactions in their end state and sends one webhook each', async () => {
    const gate = sandbox.simulators.gate;
    if (!gate) throw new Error('gate not running');
    const at = sandbox.clock.now() - 5 * 86_400_000;
    const base = {
      at,
      currency: 'EUR',
      customer,
      method: 'card' as const,
      card: { number: '4111111111111111', brand: 'visa' as const },
      webhookUrl: receiver.url,
    };
    await gate.simulate({
      ...base,
      kind: 'payment',
      reference: 'sim-ok',
      amountMinor: 1_999n,
      outcome: 'success',
      refunds: [1_999n],
    });
    await gate.simulate({
      ...base,
      kind: 'payment',
      reference: 'sim-no',
      amountMinor: 500n,
      outcome: 'declined',
      refunds: [],
    });
    await gate.simulate({
      ...base,
      kind: 'payout',
      reference: 'sim-po',
      amountMinor: 700n,
      outcome: 'success',
      refunds: [],
    });
    await expect(
      gate.simulate({
        ...base,
        kind: 'subscription',
        reference: 'sim-sub',
        amountMinor: 1n,
        outcome: 'success',
        refunds: [],
      }),
    ).rejects.toThrow(/subscriptions/);

    const records = sandbox.records('gate').filter((record) => record.reference.startsWith('sim-'));
    expect(
      records.map(({ reference, kind, status, refundedMinor, createdAt }) => ({
        reference,
        kind,
        status,
        refundedMinor,
        createdAt,
      })),
    ).toEqual([
      { reference: 'sim-no', kind: 'payment', status: 'declined', refundedMinor: 0n, createdAt: at },
      { reference: 'sim-ok', kind: 'payment', status: 'success', refundedMinor: 1_999n, createdAt: at },
      { reference: 'sim-po', kind: 'payout', status: 'success', refundedMinor: 0n, createdAt: at },
    ]);
    expect(records[0]?.customerEmail).toBe('ana@example.com');
    expect(await webhooksFor('sim-ok', 1)).toEqual([
      expect.objectContaining({ status: 'success', actualAmount: 0 }),
    ]);
    const declined = await call('GET', `${api}/sim-no`);
    expect((declined.json.declineReason as { code: number }).code).toBeGreaterThan(999);
  });

  it('runs live transactions through the lifecycle, and forceStatus overrides it', async () => {
    const gate = sandbox.simulators.gate;
    if (!gate) throw new Error('gate not running');
    const live = {
      kind: 'payment' as const,
      at: sandbox.clock.now(),
      amountMinor: 100n,
      currency: 'GBP',
      customer,
      method: 'card' as const,
      outcome: 'success' as const,
      refunds: [],
    };
    await gate.simulate({ ...live, reference: 'live-1' });
    await gate.simulate({ ...live, reference: 'live-2', webhookUrl: receiver.url });
    expect((await call('GET', `${api}/live-1`)).json.status).toBe('none');

    expect(gate.forceStatus('live-2', 'chargeback_requested', { notify: true })).toBe(true);
    expect(gate.forceStatus('live-1', 'declined', { notify: false })).toBe(true);
    expect(gate.forceStatus('missing', 'success', { notify: false })).toBe(false);
    await sandbox.advance(2 * step);
    // The forced statuses stick: the scheduled lifecycle steps no longer apply.
    expect((await call('GET', `${api}/live-1`)).json).toMatchObject({
      status: 'declined',
      declineReason: { code: 4001 },
    });
    expect((await call('GET', `${api}/live-2`)).json.status).toBe('chargeback_requested');
    expect(await webhooksFor('live-2', 1)).toEqual([
      expect.objectContaining({ status: 'chargeback_requested' }),
    ]);
    expect(sandbox.deliveries({ objectKey: 'gate:0:live-1' })).toEqual([]);
  });

  it('lets a generated hosted payment be paid on the sandbox page', async () => {
    const gate = sandbox.simulators.gate;
    if (!gate) throw new Error('gate not running');
    await gate.simulate({
      kind: 'payment',
      reference: 'live-hosted',
      at: sandbox.clock.now(),
      amountMinor: 990n,
      currency: 'EUR',
      customer,
      method: 'wallet',
      outcome: 'action_required',
      refunds: [],
    });
    const answer = await call('GET', `${api}/live-hosted`);
    expect(answer.json).toMatchObject({ status: 'action_required', customerAction: { type: 'redirect' } });
  });
});
