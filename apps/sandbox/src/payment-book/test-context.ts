/**
 * Test helper: the Payment Book module on a real fastify server with a hand-driven sandbox context
 * (clock, scheduler, recorded or really delivered webhooks), so tests talk to it over HTTP exactly as
 * Paydesk's adapter will, independently of the sandbox core.
 */
import type { AddressInfo } from 'node:net';
import { signBody } from '@paydesk/providers/payment-book/signature';
import Fastify, { type FastifyInstance } from 'fastify';
import type {
  Clock,
  LifecycleConfig,
  ProviderSimulator,
  SandboxContext,
  Scheduler,
  WebhookDelivery,
  WebhookDispatcher,
} from '../core/contract.ts';
import { createPaymentBookModule } from './index.ts';
import type { PaymentBookOptions } from './engine.ts';
import { valueAt } from './validation.ts';

export const shopToken = { name: 'shop-token', secret: 'test-secret', serviceId: 9 };
export const hookToken = { name: 'hook-token', secret: 'hook-secret', serviceId: 9 };
export const otherToken = { name: 'other-token', secret: 'other-secret', serviceId: 11 };

export const lifecycle: LifecycleConfig = {
  processingAfterMs: 2_000,
  settleAfterMs: 5_000,
  expireAfterMs: 15 * 60_000,
  subscriptionCycleMs: 30 * 24 * 3_600_000,
};

export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 4, 22, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }
}

/** Runs tasks only when the test moves time forward, each at its own instant and in order. */
export class ManualScheduler implements Scheduler {
  #tasks: { due: number; seq: number; run: () => void | Promise<void> }[] = [];
  #seq = 0;

  constructor(private readonly clock: ManualClock) {}

  after(delayMs: number, task: () => void | Promise<void>): void {
    this.#tasks.push({ due: this.clock.now() + Math.max(0, delayMs), seq: this.#seq++, run: task });
    this.#tasks.sort((a, b) => a.due - b.due || a.seq - b.seq);
  }

  get pending(): number {
    return this.#tasks.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = this.#tasks[0];
      if (!next || next.due > target) break;
      this.#tasks.shift();
      this.clock.time = Math.max(this.clock.time, next.due);
      await next.run();
    }
    this.clock.time = target;
  }
}

/** Records deliveries; with `deliver`, also POSTs them and retries as `delivery.retry` says. */
export class TestWebhooks implements WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  readonly attempts: { url: string; status: number }[] = [];
  #inFlight: Promise<void>[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly deliver = false,
  ) {}

  send(delivery: WebhookDelivery): void {
    this.deliveries.push(delivery);
    if (this.deliver) this.#attempt(delivery, 1);
  }

  #attempt(delivery: WebhookDelivery, attempt: number): void {
    const run = fetch(delivery.url, { method: 'POST', body: delivery.body, headers: delivery.headers }).then(
      (response) => {
        this.attempts.push({ url: delivery.url, status: response.status });
        const delivered = delivery.retry.delivered === 'only-200' ? response.status === 200 : response.ok;
        if (!delivered && attempt < delivery.retry.maxAttempts) {
          this.scheduler.after(delivery.retry.intervalMs, () => this.#attempt(delivery, attempt + 1));
        }
      },
    );
    this.#inFlight.push(run);
  }

  /** Waits for the HTTP attempts started so far. */
  async settle(): Promise<void> {
    const pending = this.#inFlight;
    this.#inFlight = [];
    await Promise.all(pending);
  }

  /** The parsed bodies, oldest first. */
  bodies(): unknown[] {
    return this.deliveries.map((delivery) => JSON.parse(delivery.body) as unknown);
  }

  /** Transaction statuses in the order the webhooks announced them. */
  statuses(): unknown[] {
    return this.bodies().map((body) => valueAt(body, 'data.status') ?? valueAt(body, 'transaction.status'));
  }

  last(): unknown {
    return this.bodies().at(-1);
  }
}

/** mulberry32: a seeded [0, 1) stream, enough for reproducible ULIDs and declines in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CallOptions {
  token?: string | null;
  secret?: string;
  /** Send the body as is (no signature added). */
  unsigned?: boolean;
  query?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON answer (undefined for PDF and HTML); read it with `at` or `toMatchObject`. */
  json: unknown;
}

/** Reads `a.b.0.c` out of parsed JSON. */
export function at(value: unknown, path: string): unknown {
  return valueAt(value, path);
}

/** Like `at`, for a value the test needs as a string (an id, a URL). */
export function textAt(value: unknown, path: string): string {
  const found = valueAt(value, path);
  if (typeof found !== 'string') throw new Error(`${path} is not a string: ${JSON.stringify(found)}`);
  return found;
}

export interface TestSandbox {
  app: FastifyInstance;
  base: string;
  ctx: SandboxContext;
  clock: ManualClock;
  scheduler: ManualScheduler;
  webhooks: TestWebhooks;
  simulator: ProviderSimulator;
  /** POSTs JSON to the API, signed with the shop token unless told otherwise. */
  call(path: string, body: unknown, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export async function startPaymentBook(
  options: PaymentBookOptions & { deliverWebhooks?: boolean } = {},
): Promise<TestSandbox> {
  const clock = new ManualClock();
  const scheduler = new ManualScheduler(clock);
  const webhooks = new TestWebhooks(scheduler, options.deliverWebhooks);
  let base = 'http://127.0.0.1';
  const ctx: SandboxContext = {
    clock,
    scheduler,
    webhooks,
    random: seededRandom(42),
    credentials: {
      gate: { bearerKeys: [] },
      'payment-book': { tokens: [shopToken, hookToken, otherToken] },
      paytone: { publicKey: '', commerceAccountId: '', apiKey: '', testSecretKey: '', liveSecretKey: '' },
    },
    lifecycle,
    baseUrl: () => base,
  };
  const app = Fastify();
  const simulator = createPaymentBookModule(options).register(app, ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  async function call(path: string, body: unknown, callOptions: CallOptions = {}): Promise<CallResult> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const payload = callOptions.unsigned ? text : signBody(text, callOptions.secret ?? shopToken.secret);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const token = callOptions.token === undefined ? shopToken.name : callOptions.token;
    if (token !== null) headers['x-request-token-name'] = token;
    const response = await fetch(`${base}${path}${callOptions.query ?? ''}`, {
      method: 'POST',
      headers,
      body: payload,
    });
    const responseText = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
    return {
      status: response.status,
      headers: response.headers,
      text: responseText,
      json: isJson ? (JSON.parse(responseText) as unknown) : undefined,
    };
  }

  return { app, base, ctx, clock, scheduler, webhooks, simulator, call, close: () => app.close() };
}

/** A purchase request body as a shop sends it (before signing). */
export function purchaseBody(
  reference: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    meta: { reference_id: reference, service_id: 9 },
    payment: { amount: '100.00', currency: 'EUR' },
    user: { email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', country: 'LV', language: 'en' },
    webhook: { url: 'https://shop.example/hooks/payment-book', token_name: hookToken.name },
    redirect: {
      success: 'https://shop.example/success',
      fail: 'https://shop.example/fail',
      return: 'https://shop.example/return',
    },
    ...overrides,
  };
}

export function meta(reference: string): { meta: { reference_id: string; service_id: number } } {
  return { meta: { reference_id: reference, service_id: 9 } };
}
