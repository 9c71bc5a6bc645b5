import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AdjustableClock,
  createJobRunner,
  ledgerJobs,
  refundJobs,
  SecretBox,
  systemClock,
  type Deps,
  type JobRunner,
  type Logger,
} from '@paydesk/api';
import { openDb, type OpenDb } from '@paydesk/db';
import type { Env } from './env.ts';
import { loadSecretBox } from './master-key.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The bundle carries its migrations beside it (dist/migrations); from source, the db package's own. */
function migrationsFolder(env: Env): string | undefined {
  if (env.DB_MIGRATIONS_DIR) return env.DB_MIGRATIONS_DIR;
  const bundled = join(here, 'migrations');
  return existsSync(bundled) ? bundled : undefined;
}

export function databaseUrl(env: Env): string {
  return env.DATABASE_URL ?? `pglite://${resolve(env.DATA_DIR, 'pglite')}`;
}

export interface Runtime {
  deps: Deps;
  database: OpenDb;
  jobs: JobRunner;
  testClock?: AdjustableClock;
  /** Creates the queues and, unless PAYDESK_WORKERS=0, starts this process's workers. */
  startJobs(): Promise<void>;
}

/** Opens what the process shares across requests: database (migrated), clock, master key. */
export async function openRuntime(env: Env, log: Logger): Promise<Runtime> {
  const url = databaseUrl(env);
  const folder = migrationsFolder(env);
  const database = await openDb({ url, ...(folder ? { migrationsFolder: folder } : {}) });
  const secrets =
    url === 'memory://' && !env.PAYDESK_MASTER_KEYS
      ? SecretBox.parse(`v1:${SecretBox.generateKey()}`)
      : await loadSecretBox(env.PAYDESK_MASTER_KEYS, resolve(env.DATA_DIR), (message) =>
          log.warn({}, message),
        );
  const testClock = env.PAYDESK_TEST_CLOCK ? new AdjustableClock() : undefined;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  const publicUrl = env.PUBLIC_URL ?? `http://${host}:${env.PORT}`;
  const jobs = createJobRunner(database, log);
  const deps: Deps = {
    db: database.db,
    clock: testClock ?? systemClock,
    secrets,
    config: { publicUrl, secureCookies: publicUrl.startsWith('https://') },
    log,
    jobs,
  };
  const startJobs = () => {
    const jobDeps = { ...deps, now: () => deps.clock.now() };
    return jobs.start([...ledgerJobs(jobDeps), ...refundJobs(jobDeps)], { work: env.PAYDESK_WORKERS });
  };
  return { deps, database, jobs, startJobs, ...(testClock ? { testClock } : {}) };
}
