import type { Clock } from '../core/contract.ts';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (Retry-After). */
  retryAfter: number;
}

/**
 * Laravel's `throttle:6,1`: a fixed window that opens with a client's first request and lasts a minute
 * of sandbox time; the seventh request inside it is refused.
 */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { startedAt: number; hits: number }>();

  constructor(
    private readonly clock: Clock,
    readonly limit = 6,
    private readonly windowMs = 60_000,
  ) {}

  hit(client: string): RateDecision {
    const now = this.clock.now();
    let window = this.#windows.get(client);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, hits: 0 };
      this.#windows.set(client, window);
    }
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
    if (window.hits >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, retryAfter };
    window.hits += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.hits, retryAfter };
  }
}
