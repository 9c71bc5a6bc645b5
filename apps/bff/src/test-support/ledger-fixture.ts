/**
 * A BFF (fastify app, real job workers) on a test database, connected to an in-process provider
 * sandbox whose webhooks it receives over real HTTP: the ledger tests' world.
 */
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import {
  AdjustableClock,
  createJobRunner,
  ledgerJobs,
  SecretBox,
  type ConnectionView,
  type Deps,
  type JobRunner,
} from '@paydesk/api';
import type { Driver, OpenDb } from '@paydesk/db';
import { transactions, webhookDeliveries } from '@paydesk/db/schema';
import { openTestDb } from '@paydesk/db/testing';
import type { ProviderName } from '@paydesk/domain';
import { createSandbox, type Sandbox, type SandboxOptions } from '@paydesk/sandbox';
import { buildApp } from '../app.ts';
import { connectSandbox, until } from './bff-processes.ts';
import { createLogger } from '../logger.ts';

export interface LedgerWorld {
  database: OpenDb;
  deps: Deps;
  clock: AdjustableClock;
  jobs: JobRunner;
  sandbox: Sandbox;
  connections: Record<ProviderName, ConnectionView>;
  webhookUrls: Record<ProviderName, string>;
  logLines: string[];
  ledgerDeps(): Deps & { now(): Date };
  /** Resolves when the inbox holds no pending delivery (or throws after `timeoutMs`). */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createLedgerWorld(
  kind: Driver,
  sandboxOptions: SandboxOptions = {},
): Promise<LedgerWorld> {
  const database = await openTestDb(kind);
  const clock = new AdjustableClock();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_PRETTY: false }, sink);
  const jobs = createJobRunner(database, logger, { pollingIntervalSeconds: 0.5 });
  const deps: Deps = {
    db: database.db,
    clock,
    secrets: SecretBox.parse(`v1:${SecretBox.generateKey()}`),
    config: { publicUrl: 'http://paydesk.test', secureCookies: false },
    log: logger,
    jobs,
  };
  const ledgerDeps = () => ({ ...deps, now: () => clock.now() });
  await jobs.start(ledgerJobs(ledgerDeps()), { work: true });
  const app = await buildApp({ deps, logger, ready: () => Promise.resolve() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const sandbox = await createSandbox({ seed: 7, ...sandboxOptions });
  // Every provider of the default sandbox is connected, so these records are complete.
  const wiring = await connectSandbox(database, deps.secrets, sandbox, base);
  const connections = wiring.connections as Record<ProviderName, ConnectionView>;
  const webhookUrls = wiring.webhookUrls(base) as Record<ProviderName, string>;

  return {
    database,
    deps,
    clock,
    jobs,
    sandbox,
    connections,
    webhookUrls,
    logLines,
    ledgerDeps,
    drained: (timeoutMs = 60_000) =>
      until(
        'the inbox has no pending delivery',
        async () =>
          (
            await deps.db
              .select({ id: webhookDeliveries.id })
              .from(webhookDeliveries)
              .where(eq(webhookDeliveries.state, 'pending'))
              .limit(1)
          ).length === 0,
        { timeoutMs, intervalMs: 100 },
      ),
    async close() {
      await sandbox.close();
      await app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

export interface LedgerRow {
  provider: string;
  providerId: string;
  rawStatus: string;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
}

export async function ledgerRows(database: OpenDb): Promise<Map<string, LedgerRow>> {
  const rows = await database.db
    .select({
      provider: transactions.provider,
      providerId: transactions.providerId,
      rawStatus: transactions.rawStatus,
      amountMinor: transactions.amountMinor,
      refundedMinor: transactions.refundedMinor,
      currency: transactions.currency,
    })
    .from(transactions);
  return new Map(rows.map((row) => [`${row.provider}:${row.providerId}`, row]));
}
