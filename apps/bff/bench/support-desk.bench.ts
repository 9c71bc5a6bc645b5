/**
 * The support desk at a million transactions (PostgreSQL): p95 of each grid list, filter, search kind
 * and the transaction page over the real HTTP + tRPC path with a signed-in session, and beside each
 * the time of the same SQL run directly on the database, so the BFF's own overhead shows.
 * Prints `BENCH <name> <value> ms` lines.
 *
 * The seeded database (`paydesk_bench_desk` on the DATABASE_URL server) is kept between runs: seeding a
 * million rows takes minutes, a run after that takes about one. `BENCH_RESEED=1` starts it afresh.
 */
import { performance } from 'node:perf_hooks';
import {
  createJobRunner,
  createUser,
  getTransaction,
  listQueries,
  resolveWindow,
  SecretBox,
  seedLedger,
  systemActor,
  systemClock,
  transactionListSchema,
  updateSecurityPolicy,
  type TransactionListInput,
} from '@paydesk/api';
import { openDb } from '@paydesk/db';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/logger.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith('postgres')) {
  console.log('support-desk.bench: skipped (set DATABASE_URL to a PostgreSQL server to run it)');
  process.exit(0);
}

const TARGET_ROWS = Number(process.env.BENCH_DESK_ROWS ?? 1_000_000);
const ROUNDS = 200;
const WARM_UP = 20;
const DATABASE = 'paydesk_bench_desk';
// Fixed so the seeded connections' credentials stay readable between runs (they are dummies).
const MASTER_KEYS = 'v1:Ym9ndXMtYmVuY2gta2V5LW5vdC1hLXNlY3JldC0zMmI=';

async function admin(sql: string): Promise<void> {
  const server = await openDb({ url: serverUrl!, migrate: false, poolSize: 1 });
  try {
    await server.execute(sql);
  } finally {
    await server.close();
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

if (process.env.BENCH_RESEED) await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DATABASE}`).catch(() => undefined);
const database = await openDb({ url: withDatabase(serverUrl, DATABASE), poolSize: 10 });
const secrets = SecretBox.parse(MASTER_KEYS);

const rowsNow = async () => {
  const { rows } = await database.execute('SELECT count(*)::int AS n FROM transactions');
  return Number(rows[0]?.n ?? 0);
};
const existing = await rowsNow();
if (existing < TARGET_ROWS) {
  console.log(
    `support-desk.bench: seeding ${TARGET_ROWS - existing} transactions (once; kept in ${DATABASE})…`,
  );
  let shown = 0;
  const seeded = await seedLedger(database, {
    count: TARGET_ROWS - existing,
    seed: 'bench',
    secrets,
    onProgress: (done, total) => {
      if (done - shown >= total / 10 || done === total) {
        shown = done;
        console.log(`support-desk.bench: seeded ${done}/${total}`);
      }
    },
  });
  console.log(`support-desk.bench: seeded in ${(seeded.elapsedMs / 1000).toFixed(0)} s`);
}

const logger = createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });
const deps = {
  db: database.db,
  clock: systemClock,
  secrets,
  config: { publicUrl: 'http://bench.local', secureCookies: false },
  log: logger,
  jobs: createJobRunner(database, logger),
};
const app = await buildApp({ deps, logger, ready: () => Promise.resolve() });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// A signed-in support agent (the policy asks no second factor of that role).
await updateSecurityPolicy(deps.db, systemActor, { mfaRequiredRoles: [] }, new Date(), 'benchmark');
const email = `bench-${Date.now()}@paydesk.local`;
const password = 'benchmark password 1';
const { setupUrl } = await createUser(
  { db: deps.db, config: deps.config, now: new Date(), actor: systemActor },
  { email, name: 'Benchmark', role: 'support' },
);
const json = { 'content-type': 'application/json', 'x-paydesk-csrf': '1' };
await fetch(`${base}/trpc/auth.completeSetup`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ token: new URL(setupUrl).hash.slice('#token='.length), password }),
});
const signedIn = await fetch(`${base}/trpc/auth.signIn`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ email, password }),
});
const cookie = signedIn.headers
  .getSetCookie()
  .map((value) => value.split(';')[0])
  .join('; ');

async function call(path: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { cookie },
  });
  const body = (await response.json()) as { result?: { data: unknown }; error?: { message: string } };
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.error?.message ?? ''}`);
  return body.result?.data;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1]!;
}

/** p95 of `run` over ROUNDS calls (after a warm-up), each with the next input. */
async function measure<T>(inputs: T[], run: (input: T) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < WARM_UP + ROUNDS; index += 1) {
    const input = inputs[index % inputs.length]!;
    const started = performance.now();
    await run(input);
    if (index >= WARM_UP) samples.push(performance.now() - started);
  }
  return p95(samples);
}

// Real values to look for, spread over the table.
const { rows: samples } = await database.execute(
  `SELECT id, provider_id, reference, customer_email, card_bin, card_last4, connection_id
     FROM transactions TABLESAMPLE SYSTEM (1) WHERE card_last4 IS NOT NULL AND customer_email IS NOT NULL
    LIMIT 400`,
);
const pick = (column: string) => samples.map((row) => String(row[column]));
const { rows: methodRows } = await database.execute(
  `SELECT method FROM transactions WHERE method IS NOT NULL LIMIT 1`,
);
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

const page = { page: 0, pageSize: 50 } as const;
const lists: Record<string, TransactionListInput[]> = {
  list_default: [page],
  list_filter_date: [{ ...page, from: daysAgo(14), to: daysAgo(7) }],
  list_filter_provider: [{ ...page, providers: ['paytone'] }],
  list_filter_connection: [{ ...page, connectionIds: [pick('connection_id')[0]!] }],
  list_filter_status: [{ ...page, statuses: ['declined'] }],
  list_filter_kind: [{ ...page, kinds: ['payout'] }],
  list_filter_currency: [{ ...page, currencies: ['JPY'] }],
  list_filter_amount: [{ ...page, amountMin: '100', amountMax: '250' }],
  list_filter_method: [
    { ...page, methods: [typeof methodRows[0]?.method === 'string' ? methodRows[0].method : 'card'] },
  ],
  search_paydesk_id: pick('id').map((q) => ({ ...page, q })),
  search_provider_id: pick('provider_id').map((q) => ({ ...page, q })),
  search_reference: pick('reference').map((q) => ({ ...page, q })),
  search_email: pick('customer_email').map((q) => ({ ...page, q })),
  search_last4: pick('card_last4').map((q) => ({ ...page, q })),
  search_card: samples.map((row) => ({
    ...page,
    q: `${String(row.card_bin)}******${String(row.card_last4)}`,
  })),
};

for (const [name, inputs] of Object.entries(lists)) {
  const parsed = inputs.map((input) => transactionListSchema.parse(input));
  const http = await measure(parsed, (input) => call('transaction.list', input));
  const sql = await measure(parsed, async (input) => {
    const { page: pageQuery, count } = listQueries(deps.db, input, resolveWindow(input, now));
    const pageSql = pageQuery.toSQL();
    const countSql = count.toSQL();
    await Promise.all([
      database.execute(pageSql.sql, pageSql.params),
      database.execute(countSql.sql, countSql.params),
    ]);
  });
  console.log(`BENCH ${name}_p95 ${http.toFixed(1)} ms`);
  console.log(`BENCH sql_${name}_p95 ${sql.toFixed(1)} ms`);
}

const ids = pick('id');
console.log(`BENCH get_p95 ${(await measure(ids, (id) => call('transaction.get', { id }))).toFixed(1)} ms`);
console.log(`BENCH sql_get_p95 ${(await measure(ids, (id) => getTransaction(deps.db, id))).toFixed(1)} ms`);

await app.close();
await database.close();
