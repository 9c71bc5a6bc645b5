import { createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gateModule } from '../gate/index.ts';
import { OffsetClock } from './clock.ts';
import type { WebhookDelivery } from './contract.ts';
import { createRandom } from './random.ts';
import { startSandbox } from './sandbox.ts';
import { TaskScheduler } from './scheduler.ts';
import { startReceiver, type Receiver } from './testing.ts';
import { Dispatcher } from './webhooks.ts';

let receiver: Receiver;
let scheduler: TaskScheduler;
let dispatcher: Dispatcher;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

beforeEach(() => {
  receiver.received.length = 0;
  receiver.respond = () => 200;
  const clock = new OffsetClock();
  scheduler = new TaskScheduler(clock, (error) => {
    throw error;
  });
  dispatcher = new Dispatcher({
    clock,
    scheduler,
    random: createRandom(5),
    retryScale: 0.001,
    timeoutMs: 500,
    logLimit: 100,
  });
});
afterEach(() => {
  dispatcher.close();
  scheduler.close();
});

/** A signed delivery in the style of Paytone: signature in a header, `corrupt` breaks it. */
function delivery(
  objectKey: string,
  n: number,
  retry: Partial<WebhookDelivery['retry']> = {},
): WebhookDelivery {
  const body = JSON.stringify({ objectKey, n });
  return {
    provider: 'paytone',
    url: receiver.url,
    body,
    headers: { 'x-signature': `good-${n}` },
    retry: { maxAttempts: 3, intervalMs: 60_000, delivered: 'only-200', ...retry },
    objectKey,
    corrupt: () => ({ body, headers: { 'x-signature': 'forged' } }),
  };
}

const bodies = () =>
  receiver.received.map((request) => JSON.parse(request.body) as { objectKey: string; n: number });

describe('delivery', () => {
  it('POSTs the exact bytes and headers and logs the attempt', async () => {
    dispatcher.send(delivery('inv_1', 1));
    const [request] = await receiver.waitFor(1);
    expect(request?.method).toBe('POST');
    expect(request?.body).toBe('{"objectKey":"inv_1","n":1}');
    expect(request?.headers['x-signature']).toBe('good-1');
    expect(request?.headers['content-type']).toBe('application/json');
    await dispatcher.idle();
    expect(dispatcher.deliveries()).toEqual([
      expect.objectContaining({
        id: 'wh_1',
        provider: 'paytone',
        objectKey: 'inv_1',
        state: 'delivered',
        mischief: [],
        attempts: [expect.objectContaining({ status: 200 })],
      }),
    ]);
  });

  it('retries per the provider policy with scaled intervals, then gives up', async () => {
    receiver.respond = (index) => (index === 0 ? 202 : 200);
    dispatcher.send(delivery('inv_2', 1));
    await receiver.waitFor(2);
    await dispatcher.idle();
    // Paytone counts only a 200 as delivered; the 202 was retried 60 ms (60 s × 0.001) later.
    expect(dispatcher.deliveries()[0]?.attempts.map((a) => a.status)).toEqual([202, 200]);

    receiver.respond = () => 500;
    dispatcher.send(delivery('inv_3', 1, { maxAttempts: 3, delivered: 'any-2xx' }));
    await receiver.waitFor(5);
    await dispatcher.idle();
    const failed = dispatcher.deliveries({ objectKey: 'inv_3' })[0];
    expect(failed?.state).toBe('failed');
    expect(failed?.attempts).toHaveLength(3);
  });

  it('records connection failures and retries them', async () => {
    dispatcher.send({ ...delivery('inv_4', 1, { maxAttempts: 2 }), url: 'http://127.0.0.1:1/hook' });
    await scheduler.advance(0);
    await dispatcher.idle();
    await scheduler.advance(60);
    await dispatcher.idle();
    const record = dispatcher.deliveries()[0];
    expect(record?.state).toBe('failed');
    expect(
      record?.attempts.every((attempt) => attempt.error !== undefined && attempt.status === undefined),
    ).toBe(true);
  });
  it('a receiver that never answers holds up neither the scheduler nor other objects', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      dispatcher.send({ ...delivery('stuck', 1), url: `http://127.0.0.1:${port}/hook` });
      let ran = false;
      scheduler.after(1_000, () => {
        ran = true;
      });
      await scheduler.advance(1_000);
      expect(ran).toBe(true);
      dispatcher.send(delivery('flowing', 2));
      await receiver.waitFor(1);
      expect(dispatcher.deliveries({ objectKey: 'stuck' })[0]?.state).toBe('in_flight');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('mischief', () => {
  it('drop: the receiver never sees it', async () => {
    dispatcher.setMischief('paytone', { drop: 1, count: 1 });
    dispatcher.send(delivery('inv_d', 1));
    dispatcher.send(delivery('inv_d', 2));
    await receiver.waitFor(1);
    await dispatcher.idle();
    expect(bodies().map((body) => body.n)).toEqual([2]);
    expect(dispatcher.deliveries().map((record) => [record.state, record.mischief])).toEqual([
      ['dropped', ['dropped']],
      ['delivered', []],
    ]);
  });

  it('duplicate: the same bytes arrive twice', async () => {
    dispatcher.setMischief('paytone', { duplicate: 1 });
    dispatcher.send(delivery('inv_dup', 1));
    const received = await receiver.waitFor(2);
    expect(received[0]?.body).toBe(received[1]?.body);
    expect(received[0]?.headers['x-signature']).toBe(received[1]?.headers['x-signature']);
    const [original, copy] = dispatcher.deliveries();
    expect(copy).toMatchObject({ duplicateOf: original?.id, mischief: ['duplicate'] });
  });

  it('reorder: a held delivery arrives after the next one about the same object', async () => {
    dispatcher.setMischief('paytone', { reorder: 1, count: 1 });
    dispatcher.send(delivery('inv_r', 1));
    dispatcher.send(delivery('other', 9));
    dispatcher.send(delivery('inv_r', 2));
    await receiver.waitFor(3);
    const forObject = bodies()
      .filter((body) => body.objectKey === 'inv_r')
      .map((body) => body.n);
    expect(forObject).toEqual([2, 1]);
    expect(dispatcher.deliveries({ objectKey: 'inv_r' })[0]?.mischief).toEqual(['reordered']);
  });

  it('reorder: a held delivery with no successor is released after the hold time', async () => {
    dispatcher.setMischief('paytone', { reorder: 1, reorderHoldMs: 30_000, count: 1 });
    dispatcher.send(delivery('inv_alone', 1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(receiver.received).toHaveLength(0);
    expect(dispatcher.deliveries()[0]?.state).toBe('held');
    await scheduler.advance(30_000);
    await receiver.waitFor(1);
  });

  it('delay: sent only once the delay has passed on the sandbox clock', async () => {
    dispatcher.setMischief('paytone', { delay: 1, delayMs: 3_600_000, count: 1 });
    dispatcher.send(delivery('inv_late', 1));
    dispatcher.send(delivery('inv_late', 2));
    await receiver.waitFor(1);
    expect(bodies().map((body) => body.n)).toEqual([2]);
    await scheduler.advance(3_600_000);
    await receiver.waitFor(2);
    expect(bodies().map((body) => body.n)).toEqual([2, 1]);
    expect(dispatcher.deliveries()[0]?.mischief).toEqual(['delayed']);
  });

  it('bad signature: the corrupted variant is sent and logged', async () => {
    dispatcher.setMischief('paytone', { badSignature: 1, count: 1 });
    dispatcher.send(delivery('inv_sig', 1));
    dispatcher.send(delivery('inv_sig', 2));
    await receiver.waitFor(2);
    expect(receiver.received.map((request) => request.headers['x-signature'])).toEqual(['forged', 'good-2']);
    expect(dispatcher.deliveries()[0]).toMatchObject({
      mischief: ['bad_signature'],
      headers: { 'x-signature': 'forged' },
    });
  });

  it('applies only to the provider it was set for', async () => {
    dispatcher.setMischief('gate', { drop: 1 });
    dispatcher.send(delivery('inv_scope', 1));
    await receiver.waitFor(1);
    expect(dispatcher.mischief('gate').drop).toBe(1);
    dispatcher.resetMischief();
    expect(dispatcher.mischief('gate').drop).toBe(0);
  });
});

describe('through a provider', () => {
  it('a forced Gate status change with mischief duplicate reaches the receiver twice', async () => {
    const sandbox = await startSandbox({ modules: [gateModule], webhooks: { retryScale: 0.001 } });
    try {
      await sandbox.simulators.gate?.simulate({
        kind: 'payment',
        reference: 'mischief-1',
        at: sandbox.clock.now() - 86_400_000,
        amountMinor: 100n,
        currency: 'EUR',
        customer: { email: 'a@example.com', name: 'A', country: 'DE' },
        method: 'card',
        outcome: 'pending',
        refunds: [],
        webhookUrl: receiver.url,
      });
      await receiver.waitFor(1);
      sandbox.setMischief({ duplicate: 1, count: 1 }, 'gate');
      expect(sandbox.forceStatus('gate', 'mischief-1', 'success', { notify: true })).toBe(true);
      const received = await receiver.waitFor(3);
      expect(
        received.slice(1).map((request) => (JSON.parse(request.body) as { status: string }).status),
      ).toEqual(['success', 'success']);
      // Gate webhooks are unsigned: the bad-signature mischief has nothing to corrupt.
      sandbox.setMischief({ badSignature: 1, count: 1 }, 'gate');
      sandbox.forceStatus('gate', 'mischief-1', 'declined', { notify: true });
      await receiver.waitFor(4);
      expect(sandbox.deliveries({ provider: 'gate' }).at(-1)?.mischief).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
