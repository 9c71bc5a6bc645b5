/**
 * The control API: a small JSON API on its own port that lets tests, e2e specs and a person at a
 * terminal steer the sandbox (faults, webhook mischief, time, forced statuses, traffic) and read what
 * it holds. It has no auth: the sandbox listens on 127.0.0.1 and is never deployed.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GenerateOptions, GenerateResult, GeneratorStatus, TrickleOptions } from '../generator/index.ts';
import type { ProviderName, SandboxRecord } from './contract.ts';
import { faultRuleSchema, type FaultRule, type FaultRuleInput } from './faults.ts';
import type { DeliveryRecord, Mischief } from './webhooks.ts';

export const providerNames = ['gate', 'payment-book', 'paytone'] as const satisfies readonly ProviderName[];

/** What the control API drives; `createSandbox` returns an object with all of it. */
export interface SandboxControl {
  urls: Record<ProviderName | 'control', string>;
  providers: ProviderName[];
  now(): number;
  advance(ms: number): Promise<number>;
  faults(provider: ProviderName): FaultRule[];
  setFaults(provider: ProviderName, rules: FaultRuleInput[]): FaultRule[];
  addFault(provider: ProviderName, rule: FaultRuleInput): FaultRule[];
  resetFaults(provider?: ProviderName): void;
  mischief(provider: ProviderName): Mischief;
  setMischief(mischief: Partial<Mischief>, provider?: ProviderName): void;
  resetMischief(): void;
  forceStatus(
    provider: ProviderName,
    providerId: string,
    status: string,
    options: { notify: boolean },
  ): boolean;
  records(provider?: ProviderName): SandboxRecord[];
  deliveries(filter?: { provider?: ProviderName; objectKey?: string }): DeliveryRecord[];
  clearDeliveries(): void;
  generator: {
    generate(options: GenerateOptions): Promise<GenerateResult>;
    start(options: TrickleOptions): void;
    stop(): void;
    status(): GeneratorStatus;
  };
}

const provider = z.enum(providerNames);
const webhookUrls = z.partialRecord(provider, z.url()).optional();
const rate = z.number().min(0).max(1);

const mischiefBody = z.strictObject({
  provider: provider.optional(),
  drop: rate.optional(),
  duplicate: rate.optional(),
  reorder: rate.optional(),
  delay: rate.optional(),
  delayMs: z.number().int().min(0).optional(),
  badSignature: rate.optional(),
  reorderHoldMs: z.number().int().min(0).optional(),
  count: z.number().int().positive().optional(),
});

const schemas = {
  providerParam: z.object({ provider }),
  faultsBody: z.strictObject({ rules: z.array(faultRuleSchema) }),
  resetBody: z.strictObject({ provider: provider.optional() }).optional(),
  advanceBody: z.strictObject({ ms: z.number().int().min(0) }),
  statusBody: z.strictObject({
    provider,
    providerId: z.string().min(1),
    status: z.string().min(1),
    notify: z.boolean().default(true),
  }),
  recordsQuery: z.object({ provider: provider.optional() }),
  deliveriesQuery: z.object({ provider: provider.optional(), objectKey: z.string().optional() }),
  generatorBody: z.strictObject({
    seed: z.union([z.number(), z.string()]).optional(),
    count: z.number().int().min(0).max(100_000).default(0),
    days: z.number().int().min(1).max(3650).optional(),
    trickleMs: z.number().int().min(10).optional(),
    webhookUrls,
  }),
};

/** JSON with bigint amounts as strings (minor units), which JSON.stringify cannot do by itself. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

class BadRequest extends Error {
  constructor(readonly issues: unknown) {
    super('invalid request');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequest(z.treeifyError(result.error));
  return result.data;
}

export function createControlApi(sandbox: SandboxControl): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.setReplySerializer((payload) => toJson(payload));
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof BadRequest)
      return reply.code(400).send({ error: 'invalid_request', issues: error.issues });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: error instanceof Error ? error.message : String(error) });
  });

  const available = (name: ProviderName) => {
    if (!sandbox.providers.includes(name))
      throw new BadRequest({ errors: [`provider ${name} is not running`] });
    return name;
  };

  app.get('/health', () => ({ ok: true }));
  app.get('/', () => ({
    urls: sandbox.urls,
    providers: sandbox.providers,
    now: new Date(sandbox.now()).toISOString(),
  }));

  app.get('/faults', () => Object.fromEntries(sandbox.providers.map((name) => [name, sandbox.faults(name)])));
  app.get('/faults/:provider', (request) => {
    const { provider: name } = parse(schemas.providerParam, request.params);
    return { rules: sandbox.faults(available(name)) };
  });
  app.put('/faults/:provider', (request) => {
    const { provider: name } = parse(schemas.providerParam, request.params);
    const { rules } = parse(schemas.faultsBody, request.body);
    return { rules: sandbox.setFaults(available(name), rules) };
  });
  app.post('/faults/:provider', (request) => {
    const { provider: name } = parse(schemas.providerParam, request.params);
    const rule = parse(faultRuleSchema, request.body);
    return { rules: sandbox.addFault(available(name), rule) };
  });
  app.post('/faults/reset', (request) => {
    const body = parse(schemas.resetBody, request.body);
    sandbox.resetFaults(body?.provider);
    return { ok: true };
  });

  app.get('/mischief', () =>
    Object.fromEntries(sandbox.providers.map((name) => [name, sandbox.mischief(name)])),
  );
  app.put('/mischief', (request) => {
    const { provider: name, ...mischief } = parse(mischiefBody, request.body);
    sandbox.setMischief(mischief, name ? available(name) : undefined);
    return Object.fromEntries(sandbox.providers.map((each) => [each, sandbox.mischief(each)]));
  });
  app.post('/mischief/reset', () => {
    sandbox.resetMischief();
    return { ok: true };
  });

  app.get('/clock', () => ({ now: sandbox.now(), iso: new Date(sandbox.now()).toISOString() }));
  app.post('/clock/advance', async (request) => {
    const { ms } = parse(schemas.advanceBody, request.body);
    const now = await sandbox.advance(ms);
    return { now, iso: new Date(now).toISOString() };
  });

  app.post('/status', (request, reply) => {
    const body = parse(schemas.statusBody, request.body);
    const ok = sandbox.forceStatus(available(body.provider), body.providerId, body.status, {
      notify: body.notify,
    });
    if (!ok) return reply.code(404).send({ error: 'not_found', providerId: body.providerId });
    return { ok: true };
  });

  app.get('/records', (request) => {
    const { provider: name } = parse(schemas.recordsQuery, request.query);
    return { records: sandbox.records(name) };
  });

  app.get('/deliveries', (request) => {
    const filter = parse(schemas.deliveriesQuery, request.query);
    const cleaned: { provider?: ProviderName; objectKey?: string } = {};
    if (filter.provider) cleaned.provider = filter.provider;
    if (filter.objectKey) cleaned.objectKey = filter.objectKey;
    return { deliveries: sandbox.deliveries(cleaned) };
  });
  app.delete('/deliveries', () => {
    sandbox.clearDeliveries();
    return { ok: true };
  });

  app.get('/generator', () => sandbox.generator.status());
  app.post('/generator/start', async (request) => {
    const body = parse(schemas.generatorBody, request.body ?? {});
    let generated: { created: number; failed: GenerateResult['failed'] } | undefined;
    if (body.count > 0) {
      const options: GenerateOptions = { count: body.count };
      if (body.seed !== undefined) options.seed = body.seed;
      if (body.days !== undefined) options.days = body.days;
      if (body.webhookUrls) options.webhookUrls = body.webhookUrls;
      const result = await sandbox.generator.generate(options);
      generated = { created: result.created.length, failed: result.failed };
    }
    if (body.trickleMs !== undefined) {
      const options: TrickleOptions = { everyMs: body.trickleMs };
      if (body.seed !== undefined) options.seed = body.seed;
      if (body.webhookUrls) options.webhookUrls = body.webhookUrls;
      sandbox.generator.start(options);
    }
    return { generated, status: sandbox.generator.status() };
  });
  app.post('/generator/stop', () => {
    sandbox.generator.stop();
    return sandbox.generator.status();
  });

  return app;
}
