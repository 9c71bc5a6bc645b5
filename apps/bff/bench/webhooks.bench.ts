/**
 * Inbound webhooks through one BFF process on PostgreSQL: how many verified deliveries per second
 * `POST /hooks/:token` commits to the inbox, and how long a delivery waits there before it is
 * applied at a steady 500 per second. Prints `BENCH <name> <value> <unit>` lines.
 *
 * The bodies are real provider webhooks: the sandbox's Payment Book and Paytone simulators produce and
 * sign them (with the adapters' own signature code), a local receiver takes them, and they are then
 * replayed here. Each run uses throwaway databases on the DATABASE_URL server and drops them.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SecretBox } from '@paydesk/api';
import { openDb, type OpenDb } from '@paydesk/db';
import type { ProviderName } from '@paydesk/domain';
import { createSandbox, paymentBookModule, paytoneModule, type Sandbox } from '@paydesk/sandbox';
import {
  connectSandbox,
  createServerDatabase,
  freePort,
  sleep,
  startBff,
  until,
  type BffProcess,
  type ServerDatabase,
} from '../src/test-support/bff-processes.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl?.startsWith('postgres')) {
  console.log('webhooks.bench: skipped (set DATABASE_URL to a PostgreSQL server to run it)');
  process.exit(0);
}

const WARM_UP = 300;
const INGEST = 3_000;
const IN_FLIGHT = 32;
/** The steady rate of the lag measurement (500/s by the issue; `BENCH_WEBHOOK_RATE` to explore others). */
const RATE_PER_S = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);
const PACED_SECONDS = 20;
const PACED = RATE_PER_S * PACED_SECONDS;
/** Unanswered requests at most; past that the sender waits, falls behind the asked rate, and says so. */
const PACED_MAX_IN_FLIGHT = 1_000;
const CAPTURE_CHUNK = 2_000;
/** `BENCH_PROFILE_DIR=…` writes a CPU profile of each BFF process there (open it in Chrome's DevTools). */
const profileDir = process.env.BENCH_PROFILE_DIR;
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

interface Webhook {
  provider: ProviderName;
  body: string;
  headers: Record<string, string>;
}

/**
 * Unique signed webhooks, as the providers sent them. Generated in chunks (each with its own seed, so
 * references never repeat), each chunk's burst received before the next is made.
 */
async function captureWebhooks(sandbox: Sandbox, count: number): Promise<Webhook[]> {
  let received = 0;
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/webhooks`;
  try {
    for (let chunk = 0, made = 0; made < count; chunk += 1) {
      const size = Math.min(CAPTURE_CHUNK, count - made);
      const generated = await sandbox.generator.generate({
        seed: `webhooks-bench-${chunk}`,
        count: size,
        webhookUrls: { 'payment-book': url, paytone: url },
      });
      if (generated.failed.length > 0)
        throw new Error(`the sandbox failed ${generated.failed.length} transactions`);
      made += size;
      await until(`the sandbox has sent ${made} webhooks`, () => received >= made, {
        timeoutMs: 120_000,
        intervalMs: 100,
      });
    }
  } finally {
    await new Promise<void>((resolve) => {
      sink.close(() => resolve());
      sink.closeAllConnections();
    });
  }
  const delivered = sandbox.deliveries().filter((delivery) => delivery.state === 'delivered');
  if (delivered.length < count)
    throw new Error(`expected ${count} webhooks, the sandbox delivered ${delivered.length}`);
  return delivered.slice(0, count).map((delivery) => ({
    provider: delivery.provider,
    body: delivery.body,
    headers: Object.fromEntries(
      Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
  }));
}

const databases: ServerDatabase[] = [];
const opened: OpenDb[] = [];
const processes: BffProcess[] = [];

/** A database with the sandbox's connections, and where each provider's webhooks go on a BFF there. */
async function prepareDatabase(sandbox: Sandbox, masterKeys: string) {
  const server = await createServerDatabase(serverUrl!, 'paydesk_bench');
  databases.push(server);
  const database = await openDb({ url: server.url, poolSize: 2 });
  opened.push(database);
  const wiring = await connectSandbox(database, SecretBox.parse(masterKeys), sandbox, 'http://bench.local');
  return { server, database, wiring };
}

/**
 * The sender's own connections, kept alive: `fetch` costs the sending side several times what
 * `node:http` does, and the sender shares the machine's two cores with the BFF and PostgreSQL.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Deliveries waiting in the inbox. */
async function pendingCount(database: OpenDb): Promise<number> {
  const { rows } = await database.execute(
    `SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'pending'`,
  );
  return Number(rows[0]?.n);
}

async function post(
  base: string,
  paths: Partial<Record<ProviderName, string>>,
  webhook: Webhook,
): Promise<void> {
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const sending = request(
      `${base}${paths[webhook.provider]}`,
      { method: 'POST', headers: webhook.headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    sending.on('error', reject);
    sending.end(webhook.body);
  });
  const answer = JSON.parse(text) as { ok?: boolean; duplicate?: boolean; error?: string };
  if (status !== 200 || answer.ok !== true || answer.duplicate !== false) {
    throw new Error(`a ${webhook.provider} webhook was answered ${status} ${text}`);
  }
}

/** Sends every webhook, `concurrency` at a time; resolves with the wall time in ms. */
async function sendAll(
  base: string,
  paths: Partial<Record<ProviderName, string>>,
  webhooks: Webhook[],
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < webhooks.length; index = next++)
        await post(base, paths, webhooks[index]!);
    }),
  );
  return performance.now() - started;
}

const masterKeys = `v1:${SecretBox.generateKey()}`;
const sandbox = await createSandbox({
  modules: [paymentBookModule, paytoneModule],
  webhooks: { logLimit: 2 * WARM_UP + INGEST + PACED + 1_000 },
});
try {
  const webhooks = await captureWebhooks(sandbox, 2 * WARM_UP + INGEST + PACED);

  // 1. Ingestion alone: no workers in the process, so every cycle goes to verify-store-enqueue-answer.
  const ingest = await prepareDatabase(sandbox, masterKeys);
  const ingestBff = await startBff({
    databaseUrl: ingest.server.url,
    masterKeys,
    port: await freePort(),
    workers: false,
    nodeArgs,
  });
  processes.push(ingestBff);
  await sendAll(ingestBff.url, ingest.wiring.hookPaths, webhooks.slice(0, WARM_UP), IN_FLIGHT);
  const ingestMs = await sendAll(
    ingestBff.url,
    ingest.wiring.hookPaths,
    webhooks.slice(WARM_UP, WARM_UP + INGEST),
    IN_FLIGHT,
  );
  const stored = await pendingCount(ingest.database);
  if (stored !== WARM_UP + INGEST) throw new Error(`the inbox holds ${stored} deliveries`);
  await ingestBff.stop();

  // 2. Apply lag at a steady rate, workers on, on a fresh database (no backlog from step 1). The process
  //    is warmed up first, as one that has been running is, and the warm-up applied before the clock starts.
  const paced = await prepareDatabase(sandbox, masterKeys);
  const pacedBff = await startBff({
    databaseUrl: paced.server.url,
    masterKeys,
    port: await freePort(),
    nodeArgs,
  });
  processes.push(pacedBff);
  const warmUp = webhooks.slice(WARM_UP + INGEST, 2 * WARM_UP + INGEST);
  await sendAll(pacedBff.url, paced.wiring.hookPaths, warmUp, IN_FLIGHT);
  await until('the warm-up is applied', async () => (await pendingCount(paced.database)) === 0, {
    timeoutMs: 120_000,
    intervalMs: 250,
  });
  const { rows: warmed } = await paced.database.execute(
    `SELECT coalesce(max(id), 0)::bigint AS last FROM webhook_deliveries`,
  );
  const lastWarmUpId = Number(warmed[0]?.last);
  const batch = webhooks.slice(2 * WARM_UP + INGEST);
  const failures: unknown[] = [];
  const inFlight = new Set<Promise<void>>();
  let maxInFlight = 0;
  const started = performance.now();
  for (let index = 0; index < batch.length; index += 1) {
    const due = started + (index * 1_000) / RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight.size >= PACED_MAX_IN_FLIGHT) await Promise.race(inFlight);
    const sending = post(pacedBff.url, paced.wiring.hookPaths, batch[index]!).catch((error: unknown) => {
      failures.push(error);
    });
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    maxInFlight = Math.max(maxInFlight, inFlight.size);
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1_000;
  if (failures.length > 0) throw failures[0];
  await until('every paced delivery is applied', async () => (await pendingCount(paced.database)) === 0, {
    timeoutMs: 300_000,
    intervalMs: 250,
  });
  const { rows: lag } = await paced.database.execute(
    `SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM applied_at - received_at) * 1000) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM applied_at - received_at) * 1000) AS p95,
            extract(epoch FROM max(applied_at - received_at)) * 1000 AS max,
            extract(epoch FROM max(applied_at) - min(applied_at)) AS applying_s
       FROM webhook_deliveries WHERE state = 'applied' AND id > ${lastWarmUpId}`,
  );
  if (process.env.BENCH_DETAIL) {
    // Second by second: how many arrived, and how long the slowest of them waited.
    const { rows: series } = await paced.database.execute(
      `SELECT floor(extract(epoch FROM received_at))::bigint % 1000 AS second, count(*)::int AS n,
              round(avg(extract(epoch FROM applied_at - received_at) * 1000)) AS avg_ms,
              round(max(extract(epoch FROM applied_at - received_at) * 1000)) AS max_ms
         FROM webhook_deliveries WHERE id > ${lastWarmUpId} GROUP BY 1 ORDER BY 1`,
    );
    console.log(
      series.map((row) => [row.second, row.n, row.avg_ms, row.max_ms].map(String).join('/')).join(' '),
    );
  }
  if (Number(lag[0]?.n) !== PACED)
    throw new Error(`${String(lag[0]?.n)} of ${PACED} deliveries were applied`);

  const sentPerS = PACED / sendSeconds;
  console.log(
    `webhooks.bench: ingest ${INGEST} deliveries in ${(ingestMs / 1_000).toFixed(2)} s, ${IN_FLIGHT} in flight; ` +
      `paced ${PACED} at ${sentPerS.toFixed(0)}/s of ${RATE_PER_S}/s asked (at most ${maxInFlight} unanswered), ` +
      `applied at ${(PACED / Number(lag[0]?.applying_s)).toFixed(0)}/s; ` +
      `lag p50 ${Number(lag[0]?.p50).toFixed(0)} ms, max ${Number(lag[0]?.max).toFixed(0)} ms`,
  );
  if (sentPerS < RATE_PER_S * 0.95) {
    console.log(
      `webhooks.bench: the process could not take ${RATE_PER_S}/s; the lag below includes that backlog`,
    );
  }
  console.log(`BENCH webhook_ingest_per_s ${Math.round((INGEST * 1_000) / ingestMs)} 1/s`);
  console.log(`BENCH webhook_apply_lag_p95 ${Number(lag[0]?.p95).toFixed(1)} ms`);
} finally {
  agent.destroy();
  await Promise.allSettled(processes.map((bff) => bff.stop()));
  await sandbox.close();
  await Promise.allSettled(opened.map((database) => database.close()));
  for (const database of databases) await database.drop();
}
