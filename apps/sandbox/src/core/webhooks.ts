import type { Clock, ProviderName, Scheduler, WebhookDelivery, WebhookDispatcher } from './contract.ts';
import type { Random } from './random.ts';

/**
 * Webhook mischief for one provider: each rate is a probability in [0, 1] drawn per delivery from the
 * seeded random. `count`, when set, is how many more deliveries the mischief applies to; after that
 * the provider's deliveries are sent normally again.
 */
export interface Mischief {
  /** Never sent at all (a lost webhook: reconciliation must catch it). */
  drop: number;
  /** Sent twice, the copy right after the original. */
  duplicate: number;
  /**
   * Held back and released only after the next delivery about the same object (or after
   * `reorderHoldMs` of sandbox time if none comes), so the receiver sees them out of order.
   */
  reorder: number;
  /** Sent `delayMs` of sandbox time late. */
  delay: number;
  delayMs: number;
  /** Sent with a broken signature (`delivery.corrupt()`); no effect on unsigned (Gate) webhooks. */
  badSignature: number;
  reorderHoldMs: number;
  count?: number | undefined;
}

export const noMischief: Mischief = {
  drop: 0,
  duplicate: 0,
  reorder: 0,
  delay: 0,
  delayMs: 5_000,
  badSignature: 0,
  reorderHoldMs: 60_000,
};

export type MischiefKind = 'dropped' | 'duplicate' | 'reordered' | 'delayed' | 'bad_signature';

export interface DeliveryAttempt {
  /** Sandbox time the attempt started. */
  at: number;
  /** HTTP status answered, absent when the request failed (connection refused, timeout). */
  status?: number;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  /** `wh_<n>`, in the order deliveries were handed to the dispatcher (duplicates get their own). */
  id: string;
  provider: ProviderName;
  url: string;
  objectKey: string;
  /** The bytes sent (for a bad-signature delivery, the corrupted ones). */
  body: string;
  headers: Record<string, string>;
  mischief: MischiefKind[];
  /** For the copy made by the `duplicate` mischief: the id of the original. */
  duplicateOf?: string;
  state: 'scheduled' | 'held' | 'in_flight' | 'delivered' | 'failed' | 'dropped';
  attempts: DeliveryAttempt[];
  createdAt: number;
}

export interface DispatcherOptions {
  clock: Clock;
  scheduler: Scheduler;
  random: Random;
  /** Multiplies every provider's retry interval (e.g. 0.001 turns "every 5 minutes" into 300 ms). */
  retryScale: number;
  /** Per-attempt timeout in real milliseconds. */
  timeoutMs: number;
  /** Kept deliveries; the oldest are forgotten past this. */
  logLimit: number;
}

interface Pending {
  record: DeliveryRecord;
  delivery: WebhookDelivery;
}

/**
 * POSTs provider webhooks to their targets with the provider's retry policy, plus optional mischief.
 * Retries and delays run on the sandbox scheduler, so real time (scaled by `retryScale`) or a clock
 * advance both move them along. Every delivery and attempt is logged for tests and the control API.
 */
export class Dispatcher implements WebhookDispatcher {
  readonly #options: DispatcherOptions;
  readonly #mischief = new Map<ProviderName, Mischief>();
  readonly #log: DeliveryRecord[] = [];
  /** Deliveries held by the reorder mischief, per object. */
  readonly #held = new Map<string, Pending[]>();
  readonly #inFlight = new Set<Promise<void>>();
  /** The tail of each object's delivery queue. */
  readonly #queues = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #seq = 0;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
  }

  setMischief(provider: ProviderName, mischief: Partial<Mischief>): Mischief {
    const merged = { ...noMischief, ...mischief };
    this.#mischief.set(provider, merged);
    return merged;
  }

  mischief(provider: ProviderName): Mischief {
    return { ...(this.#mischief.get(provider) ?? noMischief) };
  }

  resetMischief(): void {
    this.#mischief.clear();
  }

  deliveries(filter: { provider?: ProviderName; objectKey?: string } = {}): DeliveryRecord[] {
    return this.#log
      .filter((record) => (filter.provider ? record.provider === filter.provider : true))
      .filter((record) => (filter.objectKey ? record.objectKey === filter.objectKey : true))
      .map((record) => structuredClone(record));
  }

  clearLog(): void {
    this.#log.length = 0;
  }

  /** Resolves once no attempt is on the wire (scheduled retries and held deliveries may remain). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  send(delivery: WebhookDelivery): void {
    if (this.#closed) return;
    const mischief = this.#takeMischief(delivery.provider);
    const { random } = this.#options;
    const record = this.#record(delivery, delivery.body, delivery.headers);

    if (mischief && random.chance(mischief.drop)) {
      record.mischief.push('dropped');
      record.state = 'dropped';
      return;
    }
    let pending: Pending = { record, delivery };
    if (mischief && delivery.corrupt && random.chance(mischief.badSignature)) {
      const corrupted = delivery.corrupt();
      record.body = corrupted.body;
      record.headers = corrupted.headers;
      record.mischief.push('bad_signature');
      pending = { record, delivery: { ...delivery, body: corrupted.body, headers: corrupted.headers } };
    }
    const duplicate = mischief !== undefined && random.chance(mischief.duplicate);
    const reorder = mischief !== undefined && random.chance(mischief.reorder);
    const delayMs = mischief && random.chance(mischief.delay) ? mischief.delayMs : 0;

    if (reorder) {
      record.mischief.push('reordered');
      record.state = 'held';
      const held = this.#held.get(delivery.objectKey) ?? [];
      held.push(pending);
      this.#held.set(delivery.objectKey, held);
      this.#options.scheduler.after(mischief.reorderHoldMs, () =>
        this.#releaseHeld(delivery.objectKey, pending),
      );
      return;
    }
    if (delayMs > 0) record.mischief.push('delayed');

    // Held deliveries about this object go out after this one has been answered: out of order.
    const heldBefore = this.#held.get(delivery.objectKey) ?? [];
    this.#held.delete(delivery.objectKey);
    const copy = duplicate ? this.#duplicate(pending) : undefined;

    // Deliveries run detached from the scheduler (a slow receiver must not hold up lifecycle steps)
    // but in order per object, as a provider's queue would send them.
    this.#options.scheduler.after(delayMs, () => {
      this.#inOrder(delivery.objectKey, async () => {
        await this.#post(pending);
        if (copy) await this.#post(copy);
        for (const held of heldBefore) await this.#post(held);
      });
    });
  }

  close(): void {
    this.#closed = true;
    this.#held.clear();
    this.#abort.abort();
  }

  #takeMischief(provider: ProviderName): Mischief | undefined {
    const mischief = this.#mischief.get(provider);
    if (!mischief) return undefined;
    if (mischief.count !== undefined) {
      if (mischief.count <= 0) return undefined;
      mischief.count -= 1;
    }
    return mischief;
  }

  #record(delivery: WebhookDelivery, body: string, headers: Record<string, string>): DeliveryRecord {
    const record: DeliveryRecord = {
      id: `wh_${++this.#seq}`,
      provider: delivery.provider,
      url: delivery.url,
      objectKey: delivery.objectKey,
      body,
      headers: { ...headers },
      mischief: [],
      state: 'scheduled',
      attempts: [],
      createdAt: this.#options.clock.now(),
    };
    this.#log.push(record);
    if (this.#log.length > this.#options.logLimit)
      this.#log.splice(0, this.#log.length - this.#options.logLimit);
    return record;
  }

  #duplicate(original: Pending): Pending {
    const record = this.#record(original.delivery, original.record.body, original.record.headers);
    record.mischief = [...original.record.mischief.filter((kind) => kind !== 'delayed'), 'duplicate'];
    record.duplicateOf = original.record.id;
    return { record, delivery: original.delivery };
  }

  #releaseHeld(objectKey: string, pending: Pending): void {
    const held = this.#held.get(objectKey);
    const index = held?.indexOf(pending) ?? -1;
    if (!held || index < 0) return;
    held.splice(index, 1);
    if (held.length === 0) this.#held.delete(objectKey);
    this.#inOrder(objectKey, () => this.#post(pending));
  }

  /** Runs `send` after the previous first attempts about the same object have been answered. */
  #inOrder(objectKey: string, send: () => Promise<void>): void {
    const run = (this.#queues.get(objectKey) ?? Promise.resolve()).then(send);
    this.#queues.set(objectKey, run);
    this.#track(run);
    void run.finally(() => {
      if (this.#queues.get(objectKey) === run) this.#queues.delete(objectKey);
    });
  }

  #track(run: Promise<void>): void {
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #post({ record, delivery }: Pending): Promise<void> {
    if (this.#closed) return;
    const { clock, timeoutMs, retryScale, scheduler } = this.#options;
    record.state = 'in_flight';
    const attempt: DeliveryAttempt = { at: clock.now(), durationMs: 0 };
    const started = performance.now();
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        body: delivery.body,
        // Lower-cased so a provider's `Content-Type` replaces the default instead of doubling it.
        headers: {
          'content-type': 'application/json',
          'user-agent': 'paydesk-sandbox',
          ...Object.fromEntries(
            Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]),
          ),
        },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#abort.signal]),
      });
      // Read the answer so the connection can be reused; its content does not matter.
      await response.arrayBuffer();
      attempt.status = response.status;
    } catch (error) {
      attempt.error =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    attempt.durationMs = Math.round(performance.now() - started);
    record.attempts.push(attempt);
    if (this.#closed) return;

    const ok =
      attempt.status !== undefined &&
      (delivery.retry.delivered === 'only-200'
        ? attempt.status === 200
        : attempt.status >= 200 && attempt.status < 300);
    if (ok) {
      record.state = 'delivered';
    } else if (record.attempts.length >= delivery.retry.maxAttempts) {
      record.state = 'failed';
    } else {
      record.state = 'scheduled';
      scheduler.after(delivery.retry.intervalMs * retryScale, () =>
        this.#track(this.#post({ record, delivery })),
      );
    }
  }
}
