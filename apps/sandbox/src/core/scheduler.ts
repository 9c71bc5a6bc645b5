import type { OffsetClock } from './clock.ts';
import type { Scheduler } from './contract.ts';

interface Task {
  due: number;
  /** Insertion order, so tasks due at the same instant run in the order they were scheduled. */
  seq: number;
  run: () => void | Promise<void>;
}

/** setTimeout's longest delay; anything later is re-armed when the timer fires. */
const maxTimerMs = 2_147_483_647;

/**
 * Runs tasks at a sandbox time. A single real timer is armed for the earliest task, so real time
 * drives a demo; `advance` moves sandbox time forward and runs what becomes due on the way, in order,
 * so a test can drive a whole lifecycle in one call. Timers are unref'd: a pending task never keeps
 * the process alive, and `close` drops everything.
 */
export class TaskScheduler implements Scheduler {
  readonly #clock: OffsetClock;
  readonly #onError: (error: unknown) => void;
  #tasks: Task[] = [];
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #advancing: Promise<void> = Promise.resolve();

  constructor(clock: OffsetClock, onError: (error: unknown) => void) {
    this.#clock = clock;
    this.#onError = onError;
  }

  after(delayMs: number, task: () => void | Promise<void>): void {
    if (this.#closed) return;
    const due = this.#clock.now() + Math.max(0, delayMs);
    const entry: Task = { due, seq: this.#seq++, run: task };
    // Keep the list sorted; it stays small (pending lifecycle steps and webhook retries).
    let index = this.#tasks.length;
    while (index > 0 && this.#compare(this.#tasks[index - 1] as Task, entry) > 0) index--;
    this.#tasks.splice(index, 0, entry);
    this.#arm();
  }

  /** Number of tasks waiting. */
  get pending(): number {
    return this.#tasks.length;
  }

  /**
   * Moves sandbox time forward by `ms`, running every task that falls due on the way at its own
   * instant (a task scheduled by a task runs too if it is due before the target). Resolves after the
   * tasks have settled. Calls are serialised.
   */
  advance(ms: number): Promise<number> {
    const run = this.#advancing.then(async () => {
      const target = this.#clock.now() + Math.max(0, ms);
      try {
        for (;;) {
          const next = this.#tasks[0];
          if (!next || next.due > target) break;
          this.#tasks.shift();
          // Frozen at the task's instant: a step it schedules is due exactly `delay` later, not
          // `delay` plus however long this loop has taken in real time.
          this.#clock.freeze(next.due);
          await this.#runTask(next);
        }
      } finally {
        this.#clock.thaw();
      }
      this.#clock.moveTo(target);
      this.#arm();
    });
    this.#advancing = run;
    return run.then(() => this.#clock.now());
  }

  close(): void {
    this.#closed = true;
    this.#tasks = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #compare(a: Task, b: Task): number {
    return a.due - b.due || a.seq - b.seq;
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#tasks[0];
    if (!next || this.#closed) return;
    const delay = Math.min(Math.max(0, next.due - this.#clock.now()), maxTimerMs);
    this.#timer = setTimeout(() => void this.#runDue(), delay);
    this.#timer.unref();
  }

  async #runDue(): Promise<void> {
    this.#timer = undefined;
    const now = this.#clock.now();
    const due: Task[] = [];
    while (this.#tasks[0] && this.#tasks[0].due <= now) due.push(this.#tasks.shift() as Task);
    this.#arm();
    for (const task of due) await this.#runTask(task);
  }

  async #runTask(task: Task): Promise<void> {
    if (this.#closed) return;
    try {
      await task.run();
    } catch (error) {
      this.#onError(error);
    }
  }
}
