import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';

export { schema };
export { insertJsonRows, setFromExcluded } from './bulk.ts';
export type Schema = typeof schema;
/** One type for both drivers: the query builder is the same on PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** The handle passed to code that must run inside a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Runs raw SQL built with drizzle's `sql` and returns its rows: both drivers answer `{ rows }`. */
export async function executeRows<T = Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

export type Driver = 'pglite' | 'postgres';

export interface OpenDb {
  db: Db;
  driver: Driver;
  /** For tools that need SQL outside drizzle (job queue adapters, seeding). */
  execute(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** The PGlite instance on the embedded driver (the job queue runs in-process on it). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export const defaultMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface OpenDbOptions {
  /**
   * `postgres://…` for a PostgreSQL server; `memory://` for an in-memory PGlite; `pglite://<dir>` (or a
   * bare directory) for PGlite persisted in that folder.
   */
  url: string;
  migrationsFolder?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** A PGlite data snapshot to start from instead of an empty cluster (tests). */
  pgliteSnapshot?: Blob;
  migrate?: boolean;
}

/** Key of the advisory lock that serialises migrations when several BFF processes start together. */
const MIGRATION_LOCK_KEY = 7_230_771_001;

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

export async function openDb(options: OpenDbOptions): Promise<OpenDb> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  const shouldMigrate = options.migrate ?? true;
  if (isPostgresUrl(options.url)) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    // int8 (bigint ids, minor units) and numeric stay strings in node-postgres by default; drizzle's
    // bigint columns convert them itself, so nothing is lost.
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection the server ends (a restart, an administrator, a dropped test database) is
    // removed from the pool and the next query opens a new one. Without a listener the pool would
    // re-throw it as an uncaught error and bring the whole process down.
    pool.on('error', () => undefined);
    const db = drizzle(pool, { schema });
    if (shouldMigrate) {
      // The lock is held on a connection of its own: with a pool of one, borrowing it from the pool
      // would leave the migrator waiting forever for a connection.
      const lock = new pg.Client({ connectionString: options.url });
      await lock.connect();
      try {
        await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migrate(db, { migrationsFolder });
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await lock.end();
      }
    }
    return {
      db,
      driver: 'postgres',
      execute: async (text, values) => {
        const result = await pool.query(text, values);
        return { rows: result.rows as Record<string, unknown>[] };
      },
      close: () => pool.end(),
    };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dataDir =
    options.url === 'memory://'
      ? undefined
      : options.url.replace(/^pglite:\/\//, '').replace(/^file:\/\//, '');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = new PGlite(dataDir, options.pgliteSnapshot ? { loadDataDir: options.pgliteSnapshot } : {});
  await client.waitReady;
  const db = drizzle(client, { schema });
  if (shouldMigrate) await migrate(db, { migrationsFolder });
  return {
    db,
    driver: 'pglite',
    pglite: client,
    execute: async (text, values) => {
      const result = await client.query<Record<string, unknown>>(text, values);
      return { rows: result.rows };
    },
    close: () => client.close(),
  };
}

/** Runs SQL text with `$1…` parameters: what tools outside drizzle (the job queue) need. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface RawClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec?: (text: string) => Promise<{ rows?: unknown[] }[]>;
}

function executorOf(client: RawClient): SqlExecutor {
  return {
    async executeSql(text, values) {
      // PGlite's `query` takes one statement; several without parameters go through `exec`.
      if ((!values || values.length === 0) && client.exec) {
        const results = await client.exec(text);
        return { rows: results.flatMap((result) => (result.rows ?? []) as Record<string, unknown>[]) };
      }
      const result = await client.query(text, values ?? []);
      return { rows: result.rows as Record<string, unknown>[] };
    },
  };
}

/**
 * The connection a drizzle transaction runs on, as an executor: SQL sent through it commits or rolls
 * back with the transaction (a job enqueued with the row it is about).
 */
export function transactionExecutor(tx: Tx): SqlExecutor {
  const session = (tx as unknown as { session: { client: RawClient } }).session;
  return executorOf(session.client);
}

/** The database outside any transaction (pool or PGlite instance). */
export function databaseExecutor(database: OpenDb): SqlExecutor {
  if (database.pglite) return executorOf(database.pglite);
  return { executeSql: (text, values) => database.execute(text, values) };
}
