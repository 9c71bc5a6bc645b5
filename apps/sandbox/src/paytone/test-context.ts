/**
 * Test helper: the Paytone module on its own fastify instance over real HTTP, with a minimal
 * SandboxContext (manual clock and scheduler, seeded random, a dispatcher that records deliveries).
 * The sandbox core builds the real context; this one exists so the module can be tested alone.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type {
  LifecycleConfig,
  ProviderCredentials,
  ProviderSimulator,
  SandboxContext,
  WebhookDelivery,
} from '../core/contract.ts';
import { paytoneModule } from './index.ts';

export const testCredentials: ProviderCredentials['paytone'] = {
  publicKey: 'pk_test_SANDBOX_PUBLIC',
  commerceAccountId: 'coma_SANDBOX',
  apiKey: 'api_SANDBOX_KEY',
  testSecretKey: 'sk_test_SANDBOX',
  liveSecretKey: 'sk_live_SANDBOX',
};

export const testLifecycle: LifecycleConfig = {
  processingAfterMs: 1_000,
  settleAfterMs: 2_000,
  expireAfterMs: 30 * 60_000,
  subscriptionCycleMs: 24 * 60 * 60_000,
};

/** 2025-01-15T12:00:00Z: a round start so expected unix seconds are easy to read. */
export const startMs = Date.UTC(2025, 0, 15, 12);

/** mulberry32: small, seeded, good enough for ids and choices. */
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

/** A JSON:API resource, or the public API's flat object, as the tests read it. */
export interface Resource {
  [key: string]: unknown;
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, { data: { type: string; id: string } }>;
  links: Record<string, string>;
}

/**
 * A Paytone answer as the tests read it. The shape is what the tests expect, not a check: a body that
 * differs fails the assertions that read it. Lists are read through `listOf`.
 */
export interface Doc {
  [key: string]: unknown;
  data: Resource;
  meta: Record<string, unknown>;
  links: Record<string, string>;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; an empty object when the body is not JSON. */
  json: Doc;
}

/** The `data` of a list document. */
export function listOf(result: HttpResult): Resource[] {
  const { data } = result.json as { data: unknown };
  if (!Array.isArray(data)) throw new Error(`expected a list, got ${result.text}`);
  return data as Resource[];
}

export interface PaytoneHarness {
  app: FastifyInstance;
  ctx: SandboxContext;
  simulator: ProviderSimulator;
  baseUrl: string;
  deliveries: WebhookDelivery[];
  /** Moves sandbox time forward, running every task that falls due, in order. */
  advance(ms: number): Promise<void>;
  now(): number;
  /** Makes the dispatcher throw, as an internal failure would. */
  failDispatcher(fail: boolean): void;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult>;
  /** Private API call with the account's Basic credentials. */
  api(method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** A payment (`cpi_`) or payout (`cpoi_`) invoice's attributes, as the private API shows them now. */
  attributesOf(id: string): Promise<Record<string, unknown>>;
  /** The statuses reported by the callbacks sent so far for one object, in order. */
  callbackStatuses(id: string): string[];
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as `application/x-www-form-urlencoded` instead of JSON. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  auth?: { login: string; password: string };
}

export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export async function startPaytone(
  options: {
    seed?: number;
    lifecycle?: Partial<LifecycleConfig>;
    credentials?: Partial<ProviderCredentials['paytone']>;
  } = {},
): Promise<PaytoneHarness> {
  let now = startMs;
  let taskSeq = 0;
  const tasks: { due: number; seq: number; run: () => void | Promise<void> }[] = [];
  const deliveries: WebhookDelivery[] = [];
  let dispatcherFails = false;
  let baseUrl = '';

  const ctx: SandboxContext = {
    clock: { now: () => now },
    scheduler: {
      after(delayMs, task) {
        tasks.push({ due: now + Math.max(0, delayMs), seq: ++taskSeq, run: task });
      },
    },
    webhooks: {
      send(delivery) {
        if (dispatcherFails) throw new Error('dispatcher unavailable');
        deliveries.push(delivery);
      },
    },
    random: seededRandom(options.seed ?? 42),
    credentials: {
      gate: { bearerKeys: [] },
      'payment-book': { tokens: [] },
      paytone: { ...testCredentials, ...options.credentials },
    },
    lifecycle: { ...testLifecycle, ...options.lifecycle },
    baseUrl: () => baseUrl,
  };

  const app = Fastify();
  const simulator = paytoneModule.register(app, ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  baseUrl = `http://127.0.0.1:${address.port}`;

  const request = async (method: string, path: string, requestOptions: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    let body: string | undefined;
    if (requestOptions.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(requestOptions.form).toString();
    } else if (requestOptions.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body =
        typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
    }
    if (requestOptions.auth)
      headers.authorization = basicAuth(requestOptions.auth.login, requestOptions.auth.password);
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json = {} as Doc;
    try {
      json = JSON.parse(text) as Doc;
    } catch {
      // Not JSON (HTML pages, redirects): tests read `text` instead.
    }
    return { status: response.status, headers: response.headers, text, json };
  };

  const credentials = ctx.credentials.paytone;
  const api = (method: string, path: string, body?: unknown) =>
    request(method, path, {
      body,
      auth: { login: credentials.commerceAccountId, password: credentials.apiKey },
    });
  return {
    app,
    ctx,
    simulator,
    baseUrl,
    deliveries,
    now: () => now,
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        tasks.sort((a, b) => a.due - b.due || a.seq - b.seq);
        const next = tasks[0];
        if (!next || next.due > target) break;
        tasks.shift();
        now = next.due;
        await next.run();
      }
      now = target;
    },
    failDispatcher(fail) {
      dispatcherFails = fail;
    },
    request,
    api,
    async attributesOf(id) {
      const collection = id.startsWith('cpoi_') ? 'payout-invoices' : 'payment-invoices';
      return (await api('GET', `/api/${collection}/${id}`)).json.data.attributes;
    },
    callbackStatuses: (id) =>
      deliveries
        .filter((delivery) => delivery.objectKey === id)
        .map((delivery) => (JSON.parse(delivery.body) as Doc).data.attributes.status as string),
    close: () => app.close(),
  };
}

let referenceCounter = 0;
/** A merchant reference unique within the test run. */
export const uniqueReference = (prefix: string): string => `${prefix}-${++referenceCounter}`;

/** A valid private-API payment invoice body; `attributes` override or add fields. */
export function invoiceBody(attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: {
      type: 'payment-invoices',
      attributes: {
        reference_id: uniqueReference('order'),
        amount: 100.5,
        currency: 'USD',
        service: 'payment_card_usd_hpp',
        test_mode: true,
        description: 'Invoice Example',
        callback_url: 'http://127.0.0.1:9/callbacks/paytone',
        ...attributes,
      },
    },
  };
}

/** A valid payout invoice body. */
export function payoutBody(attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: {
      type: 'payout-invoice',
      attributes: {
        reference_id: uniqueReference('payout'),
        amount: 250,
        currency: 'EUR',
        service: 'bank_transfer_eur_direct',
        service_fields: { account_number: 'LV80BANK0000435195001' },
        test_mode: true,
        callback_url: 'http://127.0.0.1:9/callbacks/paytone',
        ...attributes,
      },
    },
  };
}
