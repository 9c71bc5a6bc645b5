/**
 * Wires the sandbox together: one fastify server per provider module (fault hooks first, then the
 * module's routes), the control API, shared clock, scheduler, webhook dispatcher and generator.
 * Provider-agnostic: `src/index.ts` supplies the three real modules by default.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { TrafficGenerator } from '../generator/index.ts';
import { OffsetClock } from './clock.ts';
import type {
  LifecycleConfig,
  ProviderCredentials,
  ProviderModule,
  ProviderName,
  ProviderSimulator,
  SandboxContext,
  SandboxRecord,
} from './contract.ts';
import { createControlApi, providerNames, type SandboxControl } from './control-api.ts';
import { FaultInjector, type FaultRule, type FaultRuleInput } from './faults.ts';
import { createRandom, type Seed } from './random.ts';
import { TaskScheduler } from './scheduler.ts';
import { Dispatcher, type DeliveryRecord, type Mischief } from './webhooks.ts';

/** The credentials every sandbox accepts unless told otherwise (and what `.env.example` shows). */
export const DEFAULT_CREDENTIALS: ProviderCredentials = {
  gate: { bearerKeys: ['gate_sandbox_terminal_1', 'gate_sandbox_terminal_2'] },
  'payment-book': {
    tokens: [
      { name: 'paydesk-sandbox', secret: 'pb_sandbox_secret', serviceId: 9 },
      { name: 'paydesk-sandbox-2', secret: 'pb_sandbox_secret_2', serviceId: 11 },
    ],
  },
  paytone: {
    publicKey: 'pk_test_paydesk_sandbox',
    commerceAccountId: 'coma_paydesk_sandbox',
    apiKey: 'paytone_sandbox_api_key',
    testSecretKey: 'sk_test_paydesk_sandbox',
    liveSecretKey: 'sk_live_paydesk_sandbox',
  },
};

/** Demo-friendly timings: a payment settles in a few seconds, a hosted page lasts half an hour. */
export const DEFAULT_LIFECYCLE: LifecycleConfig = {
  processingAfterMs: 2_000,
  settleAfterMs: 4_000,
  expireAfterMs: 30 * 60_000,
  subscriptionCycleMs: 24 * 3_600_000,
};

export interface SandboxOptions {
  /** Seeds every random choice (providers, faults, mischief, generator). Default 1. */
  seed?: Seed;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Host put in the URLs handed out (hosted-page links); default: `host`, or 127.0.0.1 for 0.0.0.0. */
  publicHost?: string;
  /** Fixed ports; 0 or absent picks a free one. */
  ports?: Partial<Record<ProviderName | 'control', number>>;
  lifecycle?: Partial<LifecycleConfig>;
  /** Per-provider overrides of `DEFAULT_CREDENTIALS`. */
  credentials?: { [P in ProviderName]?: Partial<ProviderCredentials[P]> };
  webhooks?: {
    /** Multiplies every provider's retry interval; 0.001 makes "every minute" 60 ms. Default 1. */
    retryScale?: number;
    /** Per-attempt timeout in real ms. Default 10 000. */
    timeoutMs?: number;
    /** Deliveries kept in the log. Default 10 000. */
    logLimit?: number;
  };
  /** Where the generator points webhooks by default (Paydesk's inbound URLs). */
  webhookUrls?: Partial<Record<ProviderName, string>>;
  /** The provider simulators to run (`src/index.ts` defaults to all three). */
  modules?: readonly ProviderModule[];
  /** Fastify request logging. Default off. */
  logger?: boolean;
  /** Errors thrown by scheduled tasks; default: printed to stderr. */
  onError?: (error: unknown) => void;
}

export interface Sandbox extends SandboxControl {
  credentials: ProviderCredentials;
  lifecycle: LifecycleConfig;
  clock: { now(): number; advance(ms: number): Promise<number> };
  simulators: Partial<Record<ProviderName, ProviderSimulator>>;
  generator: TrafficGenerator;
  /** Resolves once no webhook attempt is on the wire. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

function mergeCredentials(overrides: SandboxOptions['credentials'] = {}): ProviderCredentials {
  return {
    gate: { ...DEFAULT_CREDENTIALS.gate, ...overrides.gate },
    'payment-book': { ...DEFAULT_CREDENTIALS['payment-book'], ...overrides['payment-book'] },
    paytone: { ...DEFAULT_CREDENTIALS.paytone, ...overrides.paytone },
  };
}

export async function startSandbox(
  options: SandboxOptions & { modules: readonly ProviderModule[] },
): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const host = options.host ?? '127.0.0.1';
  const publicHost = options.publicHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const credentials = mergeCredentials(options.credentials);
  const lifecycle: LifecycleConfig = { ...DEFAULT_LIFECYCLE, ...options.lifecycle };
  const modules = options.modules;
  const onError =
    options.onError ?? ((error: unknown) => console.error('[sandbox] scheduled task failed:', error));

  const random = createRandom(seed, 'sandbox');
  const clock = new OffsetClock();
  const scheduler = new TaskScheduler(clock, onError);
  const dispatcher = new Dispatcher({
    clock,
    scheduler,
    random: random.fork('webhooks'),
    retryScale: options.webhooks?.retryScale ?? 1,
    timeoutMs: options.webhooks?.timeoutMs ?? 10_000,
    logLimit: options.webhooks?.logLimit ?? 10_000,
  });
  const faults = new FaultInjector(random.fork('faults'));

  const urls: Partial<Record<ProviderName | 'control', string>> = {};
  const baseUrl = (name: ProviderName): string => {
    const url = urls[name];
    if (!url) throw new Error(`the ${name} server is not listening yet`);
    return url;
  };

  const apps = new Map<ProviderName, FastifyInstance>();
  const simulators: Partial<Record<ProviderName, ProviderSimulator>> = {};
  for (const module of modules) {
    const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
    faults.install(app, module.name);
    const ctx: SandboxContext = {
      clock,
      scheduler,
      webhooks: dispatcher,
      // Each provider draws from its own stream: one provider's traffic never shifts another's.
      random: random.fork(`provider:${module.name}`).next,
      credentials,
      lifecycle,
      baseUrl,
    };
    simulators[module.name] = module.register(app, ctx);
    apps.set(module.name, app);
  }
  const providers = providerNames.filter((name) => apps.has(name));

  const generator = new TrafficGenerator({
    simulators,
    clock,
    seed,
    webhookUrls: options.webhookUrls ?? {},
  });

  const control: SandboxControl = {
    urls: urls as Record<ProviderName | 'control', string>,
    providers,
    now: () => clock.now(),
    advance: (ms) => scheduler.advance(ms),
    faults: (name) => faults.get(name),
    setFaults: (name: ProviderName, rules: FaultRuleInput[]): FaultRule[] => faults.set(name, rules),
    addFault: (name, rule) => faults.add(name, rule),
    resetFaults: (name) => faults.reset(name),
    mischief: (name) => dispatcher.mischief(name),
    setMischief: (mischief: Partial<Mischief>, name?: ProviderName) => {
      for (const each of name ? [name] : providers) dispatcher.setMischief(each, mischief);
    },
    resetMischief: () => dispatcher.resetMischief(),
    forceStatus: (name, providerId, status, forceOptions) =>
      simulators[name]?.forceStatus(providerId, status, forceOptions) ?? false,
    records: (name?: ProviderName): SandboxRecord[] =>
      (name ? [name] : providers).flatMap((each) => simulators[each]?.records() ?? []),
    deliveries: (filter): DeliveryRecord[] => dispatcher.deliveries(filter),
    clearDeliveries: () => dispatcher.clearLog(),
    generator,
  };
  const controlApp = createControlApi(control);

  const listening: FastifyInstance[] = [];
  const closeAll = async () => {
    generator.stop();
    scheduler.close();
    dispatcher.close();
    faults.close();
    await Promise.allSettled(listening.map((app) => app.close()));
  };
  try {
    for (const [name, app] of apps) {
      const address = await app.listen({ host, port: options.ports?.[name] ?? 0 });
      listening.push(app);
      urls[name] = `http://${publicHost}:${new URL(address).port}`;
    }
    const address = await controlApp.listen({ host, port: options.ports?.control ?? 0 });
    listening.push(controlApp);
    urls.control = `http://${publicHost}:${new URL(address).port}`;
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    ...control,
    credentials,
    lifecycle,
    clock: { now: () => clock.now(), advance: (ms) => scheduler.advance(ms) },
    simulators,
    generator,
    webhooksIdle: () => dispatcher.idle(),
    close: closeAll,
  };
}
