import type { Clock } from './contract.ts';

/**
 * Sandbox time: real time plus an offset. Real time keeps flowing so a demo behaves naturally; the
 * offset only grows, so tests can jump forward (see `TaskScheduler.advance`) but time never runs back.
 */
export class OffsetClock implements Clock {
  #offsetMs = 0;
  /** While `advance` runs a task, time stands at the task's instant, so steps it schedules are exact. */
  #frozenAt: number | undefined;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.#frozenAt ?? this.realNow() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves sandbox time forward to `at`; a target in the past is ignored. */
  moveTo(at: number): void {
    if (this.#frozenAt !== undefined) {
      this.#frozenAt = Math.max(this.#frozenAt, at);
      return;
    }
    const offset = at - this.realNow();
    if (offset > this.#offsetMs) this.#offsetMs = offset;
  }

  /** Stops time at `at` (or now, if that is later) until `thaw`. */
  freeze(at: number): void {
    this.#frozenAt = Math.max(at, this.now());
  }

  /** Lets time flow again from where it stood. */
  thaw(): void {
    const frozenAt = this.#frozenAt;
    this.#frozenAt = undefined;
    if (frozenAt !== undefined) this.moveTo(frozenAt);
  }
}
