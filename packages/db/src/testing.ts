/**
 * Databases for tests. Every test that touches the database runs on PGlite, and again on PostgreSQL
 * when DATABASE_URL is set: `describe.each(testDatabases())('…on %s', (kind) => …)`.
 *
 * PGlite: the migrated cluster is dumped once to a snapshot file (keyed by the migrations' content) and
 * each test database loads it, which is about four times faster than initdb + migrate.
 * PostgreSQL: a template database is migrated once; each test gets `CREATE DATABASE … TEMPLATE`, and
 * drops it when closed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsFolder, openDb, type Driver, type OpenDb } from './index.ts';

export function testDatabases(): Driver[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(defaultMigrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(defaultMigrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

async function pgliteSnapshot(): Promise<Blob> {
  const file = join(tmpdir(), `paydesk-pglite-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const fresh = await openDb({ url: 'memory://' });
  const dump = await fresh.pglite!.dumpDataDir('gzip');
  await fresh.close();
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
  return dump;
}

async function adminQuery(serverUrl: string, sql: string, params: unknown[] = []): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function postgresTemplate(serverUrl: string): Promise<string> {
  const template = `paydesk_tpl_${migrationsHash()}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // Workers race to create the template; an advisory lock lets one do it.
    await client.query('SELECT pg_advisory_lock(7230771002)');
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      // Built under another name and renamed when complete: a run killed half-way leaves no template
      // that looks ready but is not.
      const building = `${template}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      const migrated = await openDb({ url: withDatabase(serverUrl, building), poolSize: 1 });
      await migrated.close();
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    await client.query('SELECT pg_advisory_unlock(7230771002)');
  } finally {
    await client.end();
  }
  return template;
}

/** A fresh, migrated, empty database of the given kind. Close it when done. */
export async function openTestDb(kind: Driver): Promise<OpenDb> {
  if (kind === 'pglite') {
    return openDb({ url: 'memory://', pgliteSnapshot: await pgliteSnapshot(), migrate: true });
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const template = await postgresTemplate(serverUrl);
  const name = `paydesk_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const opened = await openDb({ url: withDatabase(serverUrl, name), poolSize: 10 });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
