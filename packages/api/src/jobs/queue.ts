/**
 * The job queue: pg-boss on the same database as everything else, so jobs survive restarts and any
 * number of BFF processes share them (each job is claimed by one). On PGlite it runs in-process
 * through the same connection. A job sent with `sendInTx` exists only if that transaction commits.
 */
import PgBoss from 'pg-boss';
import { databaseExecutor, transactionExecutor, type OpenDb, type Tx } from '@paydesk/db';
import type { Logger } from '../context.ts';

export interface JobOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** With `singletonSeconds`: at most one job with this key per slot of that many seconds. */
  singletonKey?: string;
  singletonSeconds?: number;
  retryLimit?: number;
}

export interface JobQueue {
  send(name: string, data: object, options?: JobOptions): Promise<void>;
  sendInTx(tx: Tx, name: string, data: object, options?: JobOptions): Promise<void>;
  /** Wakes this process's workers of `name` now instead of at their next poll. */
  nudge(name: string): void;
}

export interface JobDefinition<T extends object> {
  name: string;
  /** Handles one job; a throw retries it later with backoff, up to the queue's retry limit. */
  handle(data: T): Promise<void>;
  batchSize?: number;
  /** Jobs of this queue handled at once in this process. */
  concurrency?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Five-field cron (UTC): pg-boss sends one job per tick for the whole cluster. */
  cron?: string;
}

/**
 * Work that lives in its own table rather than as one queued job each (the webhook inbox): `drain`
 * takes one batch of what is waiting — claiming rows with `FOR UPDATE SKIP LOCKED`, so processes never
 * take the same — and answers how many it took. Each loop drains until nothing is left, then sleeps
 * until nudged in this process or `pollMs` passes (for work another process stored).
 */
export interface DrainDefinition {
  kind: 'drain';
  name: string;
  drain(): Promise<number>;
  /** Loops of this drain in this process. */
  concurrency?: number;
  pollMs?: number;
}

export type WorkDefinition = JobDefinition<never> | DrainDefinition;

export interface JobRunner extends JobQueue {
  /** Creates the queues (idempotent) and, with `work`, starts this process's workers and drains. */
  start(definitions: WorkDefinition[], options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
}

const isDrain = (definition: WorkDefinition): definition is DrainDefinition =>
  'kind' in definition && definition.kind === 'drain';

/** The loops of one drain: each runs `drain` while it finds work, else waits for a nudge or the poll. */
function startDrain(definition: DrainDefinition, log: Logger) {
  let stopping = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  const loop = async () => {
    let failures = 0;
    while (!stopping) {
      let taken = 0;
      try {
        taken = await definition.drain();
        failures = 0;
      } catch (error) {
        failures += 1;
        log.error(
          { queue: definition.name, err: error instanceof Error ? error.message : String(error) },
          'draining failed; trying again shortly',
        );
      }
      if (taken === 0 && !stopping) {
        await sleep(failures > 0 ? Math.min(30_000, 500 * 2 ** failures) : (definition.pollMs ?? 1_000));
      }
    }
  };
  const loops = Array.from({ length: definition.concurrency ?? 1 }, () => loop());
  return {
    nudge: () => {
      for (const wake of [...wakers]) wake();
    },
    async stop() {
      stopping = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
  };
}

/**
 * Processes starting together on a new database race to create the same queues: PostgreSQL answers one
 * of them with a deadlock (40P01) or a unique violation (23505). Creating a queue is idempotent, so try
 * again after a short random pause.
 */
async function retryOnConflict(run: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '23505')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

function toSendOptions(options: JobOptions = {}): PgBoss.SendOptions {
  return {
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.singletonSeconds ? { singletonSeconds: options.singletonSeconds } : {}),
    ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
  };
}

export function createJobRunner(
  database: OpenDb,
  log: Logger,
  options: { pollingIntervalSeconds?: number } = {},
): JobRunner {
  const boss = new PgBoss({
    db: databaseExecutor(database),
    // Maintenance and cron are light; the defaults check the clock every minute or so.
    supervise: true,
    schedule: true,
  });
  boss.on('error', (error: Error) => log.error({ err: error.message }, 'job queue error'));
  const workerIds = new Map<string, string[]>();
  const drains = new Map<string, ReturnType<typeof startDrain>>();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
  let started = false;

  return {
    async start(definitions, { work }) {
      if (!started) {
        await boss.start();
        started = true;
      }
      for (const definition of definitions) {
        if (isDrain(definition)) {
          if (work && !drains.has(definition.name)) drains.set(definition.name, startDrain(definition, log));
          continue;
        }
        await retryOnConflict(() =>
          boss.createQueue(definition.name, {
            name: definition.name,
            retryLimit: definition.retryLimit ?? 12,
            retryDelay: definition.retryDelaySeconds ?? 2,
            retryBackoff: true,
            expireInSeconds: 60,
          }),
        );
        if (definition.cron) {
          const cron = definition.cron;
          await retryOnConflict(() => boss.schedule(definition.name, cron, {}, { tz: 'UTC' }));
        }
        if (!work) continue;
        const ids: string[] = [];
        const batchSize = definition.batchSize ?? 1;
        for (let i = 0; i < (definition.concurrency ?? 1); i += 1) {
          // The handler may run before `work` resolves with the id: read it through a holder.
          const worker: { id?: string } = {};
          worker.id = await boss.work<object>(
            definition.name,
            { batchSize, pollingIntervalSeconds },
            async (jobs) => {
              // pg-boss fails the whole batch when the handler throws: handle each on its own.
              let failed = 0;
              for (const job of jobs) {
                try {
                  await (definition.handle as (data: object) => Promise<void>)(job.data);
                } catch (error) {
                  failed += 1;
                  await boss.fail(definition.name, job.id, {
                    message: error instanceof Error ? error.message : String(error),
                  });
                }
              }
              if (failed > 0) {
                log.warn({ queue: definition.name, failed }, 'jobs failed and will be retried');
              }
              // A full batch means more are waiting: fetch again at once instead of after the poll.
              if (jobs.length === batchSize && worker.id) boss.notifyWorker(worker.id);
            },
          );
          ids.push(worker.id);
        }
        workerIds.set(definition.name, ids);
      }
    },
    async stop() {
      await Promise.all([...drains.values()].map((drain) => drain.stop()));
      drains.clear();
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      started = false;
    },
    async send(name, data, options) {
      await boss.send(name, data, toSendOptions(options));
    },
    async sendInTx(tx, name, data, options) {
      await boss.send(name, data, { ...toSendOptions(options), db: transactionExecutor(tx) });
    },
    nudge(name) {
      drains.get(name)?.nudge();
      for (const id of workerIds.get(name) ?? []) boss.notifyWorker(id);
    },
  };
}
