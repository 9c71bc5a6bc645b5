/**
 * The traffic generator: a seeded, reproducible merchant. `generate` backfills historical
 * transactions through each provider's `simulate()`; `start` adds a live trickle on real time.
 */
import type { Clock, ProviderName, ProviderSimulator } from '../core/contract.ts';
import { createRandom, type Random, type Seed } from '../core/random.ts';
import {
  planCustomers,
  planOne,
  planTraffic,
  seedTag,
  type Customer,
  type PlannedTransaction,
} from './plan.ts';

export { planTraffic, type PlannedTransaction } from './plan.ts';

export interface GenerateOptions {
  seed?: Seed;
  count: number;
  days?: number;
  webhookUrls?: Partial<Record<ProviderName, string>>;
  /** The "now" the history ends at; defaults to the sandbox clock, to the minute. */
  now?: number;
}

export interface TrickleOptions {
  seed?: Seed;
  /** One new live transaction every this many real milliseconds. */
  everyMs: number;
  webhookUrls?: Partial<Record<ProviderName, string>>;
}

export interface GenerateResult {
  planned: PlannedTransaction[];
  created: { provider: ProviderName; reference: string; providerId: string }[];
  failed: { provider: ProviderName; reference: string; error: string }[];
}

export interface GeneratorStatus {
  trickling: boolean;
  everyMs?: number;
  liveCreated: number;
  liveFailed: number;
  lastError?: string;
}

export interface TrafficGeneratorOptions {
  simulators: Partial<Record<ProviderName, ProviderSimulator>>;
  clock: Clock;
  seed: Seed;
  webhookUrls: Partial<Record<ProviderName, string>>;
}

interface Trickle {
  timer: NodeJS.Timeout;
  random: Random;
  customers: Customer[];
  tag: string;
  seq: number;
  everyMs: number;
  webhookUrls: Partial<Record<ProviderName, string>>;
}

export class TrafficGenerator {
  readonly #options: TrafficGeneratorOptions;
  #trickle: Trickle | undefined;
  #liveCreated = 0;
  #liveFailed = 0;
  #lastError: string | undefined;

  constructor(options: TrafficGeneratorOptions) {
    this.#options = options;
  }

  get providers(): ProviderName[] {
    return (Object.keys(this.#options.simulators) as ProviderName[]).sort();
  }

  /** The transactions `generate` would create, without creating them. */
  plan(options: GenerateOptions): PlannedTransaction[] {
    return planTraffic({
      seed: options.seed ?? this.#options.seed,
      count: options.count,
      days: options.days ?? 90,
      now: options.now ?? Math.floor(this.#options.clock.now() / 60_000) * 60_000,
      providers: this.providers,
      webhookUrls: options.webhookUrls ?? this.#options.webhookUrls,
    });
  }

  /**
   * Creates the planned transactions one after another, in time order, so each provider's seeded
   * random is drawn in the same sequence every run.
   */
  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const planned = this.plan(options);
    const result: GenerateResult = { planned, created: [], failed: [] };
    for (const { provider, input } of planned) {
      try {
        const { providerId } = await this.#simulate(provider, input);
        result.created.push({ provider, reference: input.reference, providerId });
      } catch (error) {
        result.failed.push({ provider, reference: input.reference, error: errorMessage(error) });
      }
    }
    return result;
  }

  /** Starts (or restarts) the live trickle. */
  start(options: TrickleOptions): void {
    this.stop();
    const seed = options.seed ?? this.#options.seed;
    const random = createRandom(seed, 'trickle');
    const trickle: Trickle = {
      timer: setInterval(() => void this.#tick(), Math.max(10, options.everyMs)),
      random,
      customers: planCustomers(createRandom(seed, 'generator').fork('customers')),
      tag: `live-${seedTag(seed)}`,
      seq: 0,
      everyMs: options.everyMs,
      webhookUrls: options.webhookUrls ?? this.#options.webhookUrls,
    };
    // The trickle is a convenience for demos; it must never keep a process alive on its own.
    trickle.timer.unref();
    this.#trickle = trickle;
  }

  stop(): void {
    if (this.#trickle) clearInterval(this.#trickle.timer);
    this.#trickle = undefined;
  }

  status(): GeneratorStatus {
    const status: GeneratorStatus = {
      trickling: this.#trickle !== undefined,
      liveCreated: this.#liveCreated,
      liveFailed: this.#liveFailed,
    };
    if (this.#trickle) status.everyMs = this.#trickle.everyMs;
    if (this.#lastError) status.lastError = this.#lastError;
    return status;
  }

  async #tick(): Promise<void> {
    const trickle = this.#trickle;
    if (!trickle || this.providers.length === 0) return;
    trickle.seq += 1;
    const { provider, input } = planOne(trickle.random, {
      customers: trickle.customers,
      providers: this.providers,
      at: this.#options.clock.now(),
      now: this.#options.clock.now(),
      reference: `${trickle.tag}-${String(trickle.seq).padStart(6, '0')}`,
      webhookUrls: trickle.webhookUrls,
    });
    try {
      await this.#simulate(provider, input);
      this.#liveCreated += 1;
    } catch (error) {
      this.#liveFailed += 1;
      this.#lastError = errorMessage(error);
    }
  }

  #simulate(provider: ProviderName, input: PlannedTransaction['input']): Promise<{ providerId: string }> {
    const simulator = this.#options.simulators[provider];
    if (!simulator) return Promise.reject(new Error(`no ${provider} simulator`));
    return simulator.simulate(input);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
