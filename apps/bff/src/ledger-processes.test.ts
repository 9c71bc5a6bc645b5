/**
 * The ledger across real BFF processes on one PostgreSQL database: two processes sharing the inbox
 * behind a round-robin forwarder, and a process killed with SIGKILL while webhooks pour in. Each
 * scenario gets its own database on the DATABASE_URL server, dropped at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '@paydesk/api';
import type { OpenDb } from '@paydesk/db';
import type { ProviderName } from '@paydesk/domain';
import type { DeliveryRecord, SandboxRecord } from '@paydesk/sandbox';
import { freePort, sleep, startBff, startForwarder, until } from './test-support/bff-processes.ts';
import { closeScenario, openScenario, type Scenario } from './test-support/process-scenario.ts';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';

const serverUrl = readEnv().DATABASE_URL;
const onPostgres = serverUrl?.startsWith('postgres') === true;

async function count(database: OpenDb, text: string): Promise<number> {
  const { rows } = await database.execute(text);
  return Number(rows[0]?.n ?? 0);
}

async function pendingDeliveries(database: OpenDb): Promise<number> {
  return count(database, `SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'pending'`);
}

/**
 * What identifies a webhook's event, read alike from the bytes sent and the (masked) bytes kept: the
 * object and its state, as the inbox's event ids do (a Payment Book subscription stays `active` while
 * each new charge adds an operation).
 */
function eventKey(provider: string, body: string): string {
  const json = JSON.parse(body) as Record<string, unknown>;
  const object = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (provider === 'gate') return `gate:${String(json.referenceId)}:${String(json.status)}`;
  if (provider === 'payment-book') {
    const data = object(json.data ?? json.transaction);
    const operations = Array.isArray(data.operations) ? data.operations.map(object) : [];
    const states = operations.map(
      (operation) => `${String(operation.ulid ?? operation.id)}=${String(operation.status)}`,
    );
    return `payment-book:${String(data.ulid ?? data.id)}:${String(data.status)}:${states.join(',')}`;
  }
  const data = object(json.data);
  const attributes = object(data.attributes);
  return `paytone:${String(data.id)}:${String(attributes.status)}:${String(attributes.updated)}`;
}

/** How many times each key occurs. */
function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

interface Difference {
  provider: ProviderName;
  providerId: string;
  expected: string;
  actual: string;
}

/** Every sandbox record against the ledger's transaction of the same provider object. */
async function ledgerDifferences(database: OpenDb, records: SandboxRecord[]): Promise<Difference[]> {
  const { rows } = await database.execute(
    `SELECT provider, provider_id, raw_status, amount_minor::text AS amount, refunded_minor::text AS refunded, currency
       FROM transactions`,
  );
  const ledger = new Map(rows.map((row) => [`${String(row.provider)}:${String(row.provider_id)}`, row]));
  const differences: Difference[] = [];
  for (const record of records) {
    const row = ledger.get(`${record.provider}:${record.providerId}`);
    const expected = `${record.status} ${record.amountMinor} refunded ${record.refundedMinor} ${record.currency}`;
    const actual = row
      ? `${String(row.raw_status)} ${String(row.amount)} refunded ${String(row.refunded)} ${String(row.currency)}`
      : 'missing';
    if (expected !== actual)
      differences.push({ provider: record.provider, providerId: record.providerId, expected, actual });
  }
  return differences;
}

/**
 * Compares the ledger with the providers' records; for what still differs, runs reconciliation here
 * with the clock moved forward (as the per-minute cron would, later), up to three times.
 */
async function settleLedger(scenario: Scenario, records: SandboxRecord[]) {
  const reports: Awaited<ReturnType<typeof reconcile>>[] = [];
  let differences = await ledgerDifferences(scenario.database, records);
  for (let run = 1; run <= 3 && differences.length > 0; run += 1) {
    const now = new Date(Date.now() + run * 10 * 60_000);
    reports.push(
      await reconcile(
        {
          db: scenario.database.db,
          secrets: scenario.secrets,
          log: createLogger({ LOG_LEVEL: 'error', LOG_PRETTY: false }),
          now: () => now,
          jobs: scenario.jobs,
        },
        { limit: 5_000 },
      ),
    );
    await until(
      'the inbox has no pending delivery after reconciliation',
      async () => (await pendingDeliveries(scenario.database)) === 0,
      {
        timeoutMs: 60_000,
      },
    );
    differences = await ledgerDifferences(scenario.database, records);
  }
  return { differences, reports };
}

/** Waits until the inbox has no pending delivery. */
async function drain(scenario: Scenario, timeoutMs = 60_000): Promise<void> {
  await until(
    'the inbox has no pending delivery',
    async () => (await pendingDeliveries(scenario.database)) === 0,
    {
      timeoutMs,
      detail: async () => `${await pendingDeliveries(scenario.database)} pending`,
    },
  );
}

/**
 * After a crash: jobs the killed process had claimed stay active until pg-boss expires them (two
 * minutes), and the reconciliation sweep requeues deliveries pending for over two minutes. Once the
 * inbox stops shrinking, the sweep is run here as if that time had passed.
 */
async function drainAfterCrash(scenario: Scenario): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  await until(
    'the inbox stops shrinking',
    async () => {
      const pending = await pendingDeliveries(scenario.database);
      if (pending !== last) {
        last = pending;
        lastChange = Date.now();
      }
      return pending === 0 || Date.now() - lastChange > 3_000;
    },
    { timeoutMs: 60_000 },
  );
  if (last === 0) return;
  const now = new Date(Date.now() + 10 * 60_000);
  await reconcile(
    {
      db: scenario.database.db,
      secrets: scenario.secrets,
      log: createLogger({ LOG_LEVEL: 'error', LOG_PRETTY: false }),
      now: () => now,
      jobs: scenario.jobs,
    },
    { limit: 5_000 },
  );
  await drain(scenario);
}

function settled(deliveries: DeliveryRecord[]): boolean {
  return deliveries.every((each) => each.state === 'delivered');
}

function describeStates(deliveries: DeliveryRecord[]): string {
  const states = new Map<string, number>();
  for (const each of deliveries) states.set(each.state, (states.get(each.state) ?? 0) + 1);
  return [...states].map(([state, n]) => `${n} ${state}`).join(', ');
}

describe.skipIf(!onPostgres)('the ledger across BFF processes (PostgreSQL)', () => {
  describe('two processes, one inbox', () => {
    const transactionCount = 1_000;
    let scenario: Scenario | undefined;
    let deliveries: DeliveryRecord[] = [];
    let records: SandboxRecord[] = [];
    let settledLedger: Awaited<ReturnType<typeof settleLedger>>;

    beforeAll(async () => {
      scenario = await openScenario(serverUrl!, 'paydesk_procs', {
        seed: 11,
        // The generator's history arrives as one burst; a slow answer on a busy machine must not turn
        // into a retry storm, so attempts wait long. Correctness is under test here, not latency.
        webhooks: { retryScale: 0.01, timeoutMs: 120_000, logLimit: 50_000 },
      });
      const { sandbox, wiring } = scenario;
      // One after the other: two BFFs starting together on a fresh database can deadlock creating
      // pg-boss's queues, and race to create the first administrator.
      for (let i = 0; i < 2; i += 1) {
        scenario.bffs.push(
          await startBff({
            databaseUrl: scenario.server.url,
            masterKeys: scenario.masterKeys,
            port: await freePort(),
          }),
        );
      }
      await scenario.jobs.start([], { work: false });
      scenario.forwarder = await startForwarder(scenario.bffs.map((bff) => bff.url));
      const webhookUrls = wiring.webhookUrls(scenario.forwarder.url);

      sandbox.setMischief({ duplicate: 0.2, reorder: 0.1, reorderHoldMs: 500, badSignature: 0.05 });
      const generated = await sandbox.generator.generate({ count: transactionCount, webhookUrls });
      expect(generated.failed).toEqual([]);

      const good = () => sandbox.deliveries().filter((each) => !each.mischief.includes('bad_signature'));
      await until('the sandbox has delivered every correctly signed webhook', () => settled(good()), {
        timeoutMs: 120_000,
        intervalMs: 500,
        detail: () => describeStates(good()),
      });
      const forged = () => sandbox.deliveries().filter((each) => each.mischief.includes('bad_signature'));
      await until(
        'every forged webhook was answered at least once',
        () => forged().every((each) => each.attempts.some((attempt) => attempt.status !== undefined)),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      await drain(scenario);
      records = sandbox.records();
      settledLedger = await settleLedger(scenario, records);

      // Forged deliveries are retried for as long as they are refused: stop the sandbox, then let
      // the requests already on the wire finish before reading what each side saw.
      await sandbox.close();
      await sleep(1_000);
      deliveries = sandbox.deliveries();
    }, 200_000);

    afterAll(() => closeScenario(scenario), 60_000);

    it('spread the webhooks over both processes, which both answered them', () => {
      const answered = scenario!.forwarder!.answered.map((statuses) => statuses.get(200) ?? 0);
      expect(answered.every((n) => n > transactionCount / 4)).toBe(true);
    });

    it('ends with a ledger equal to the providers’ records', async () => {
      expect(records.length).toBeGreaterThanOrEqual(transactionCount);
      expect(settledLedger.differences.slice(0, 10), JSON.stringify(settledLedger.reports)).toEqual([]);
      expect(await count(scenario!.database, 'SELECT count(*)::int AS n FROM transactions')).toBe(
        records.length,
      );
    });

    it('applied each verified delivery exactly once and absorbed the duplicates', async () => {
      const { database } = scenario!;
      const signed = deliveries.filter((each) => !each.mischief.includes('bad_signature'));
      const copies = signed.filter((each) => each.duplicateOf !== undefined);
      expect(copies.length).toBeGreaterThan(0);
      // Events the sandbox got a 200 for (a lifecycle webhook made as the sandbox stopped may not have).
      const events = new Set(
        signed
          .filter((each) => each.attempts.some((attempt) => attempt.status === 200))
          .map((each) => eventKey(each.provider, each.body)),
      );

      expect(
        await count(
          database,
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE state IN ('pending', 'failed')`,
        ),
      ).toBe(0);
      const applied = await count(
        database,
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE state = 'applied'`,
      );
      const distinct = await count(
        database,
        `SELECT count(DISTINCT (connection_id, event_id))::int AS n FROM webhook_deliveries WHERE event_id IS NOT NULL`,
      );
      expect(applied).toBe(distinct);
      const { rows } = await database.execute(
        `SELECT provider, body FROM webhook_deliveries WHERE state = 'applied'`,
      );
      const appliedPerEvent = tally(rows.map((row) => eventKey(String(row.provider), String(row.body))));
      expect([...events].filter((key) => appliedPerEvent.get(key) !== 1)).toEqual([]);
      expect([...appliedPerEvent].filter(([, times]) => times > 1)).toEqual([]);
      // Each 200 beyond the first for an event is a duplicate the inbox absorbed.
      const accepted = signed
        .flatMap((each) => each.attempts)
        .filter((attempt) => attempt.status === 200).length;
      const absorbed = await count(
        database,
        'SELECT coalesce(sum(duplicates), 0)::int AS n FROM webhook_deliveries',
      );
      expect(absorbed).toBeGreaterThan(0);
      expect(absorbed).toBeGreaterThanOrEqual(accepted - events.size);
      const discoveredTwice = await count(
        database,
        `SELECT count(*)::int AS n FROM (SELECT transaction_id FROM timeline_events WHERE type = 'discovered'
           GROUP BY transaction_id HAVING count(*) > 1) AS twice`,
      );
      expect(discoveredTwice).toBe(0);
    });

    it('kept every forged delivery as rejected for its bad signature, and applied none', async () => {
      const { database } = scenario!;
      const forged = deliveries.filter((each) => each.mischief.includes('bad_signature'));
      expect(forged.length).toBeGreaterThan(0);
      const answers = forged
        .flatMap((each) => each.attempts)
        .filter((attempt) => attempt.status !== undefined);
      expect(new Set(answers.map((attempt) => attempt.status))).toEqual(new Set([401]));

      const { rows } = await database.execute(
        `SELECT provider, state, reject_reason, body FROM webhook_deliveries`,
      );
      const rejected = rows.filter((row) => row.state === 'rejected');
      expect(new Set(rejected.map((row) => row.reject_reason))).toEqual(new Set(['bad_signature']));
      // Matched by content, not bytes: the inbox masks card-number-like digit runs, even in a signature.
      const rejectedPerEvent = tally(rejected.map((row) => eventKey(String(row.provider), String(row.body))));
      const answeredPerEvent = tally(
        forged.flatMap((each) =>
          each.attempts
            .filter((attempt) => attempt.status !== undefined)
            .map(() => eventKey(each.provider, each.body)),
        ),
      );
      const triedPerEvent = tally(
        forged.flatMap((each) => each.attempts.map(() => eventKey(each.provider, each.body))),
      );
      // Every answered attempt left a row; an attempt cut off by the sandbox's stop may have too.
      const unaccounted = [...answeredPerEvent].filter(([key, answered]) => {
        const stored = rejectedPerEvent.get(key) ?? 0;
        return stored < answered || stored > (triedPerEvent.get(key) ?? 0);
      });
      expect(unaccounted).toEqual([]);
      expect([...rejectedPerEvent.keys()].filter((key) => !answeredPerEvent.has(key))).toEqual([]);

      // An event the sandbox only ever sent forged never reached the ledger's inbox as verified.
      const signedEvents = new Set(
        deliveries
          .filter((each) => !each.mischief.includes('bad_signature'))
          .map((each) => eventKey(each.provider, each.body)),
      );
      const onlyForged = new Set([...answeredPerEvent.keys()].filter((key) => !signedEvents.has(key)));
      expect(onlyForged.size).toBeGreaterThan(0);
      const acceptedForged = rows.filter(
        (row) => row.state !== 'rejected' && onlyForged.has(eventKey(String(row.provider), String(row.body))),
      );
      expect(acceptedForged).toEqual([]);
    });
  });

  describe('kill -9 mid-ingestion', () => {
    const transactionCount = 1_500;
    const killAfter = 300;
    let scenario: Scenario | undefined;
    let deliveries: DeliveryRecord[] = [];
    let records: SandboxRecord[] = [];
    let storedAtKill = 0;
    let killedAt = 0;
    let storedKeys = new Set<string>();
    let settledLedger: Awaited<ReturnType<typeof settleLedger>>;

    beforeAll(async () => {
      // Gate and Payment Book give up after ten attempts: at 0.05 that is 27 s of retries, enough for
      // a restart on a busy machine; Paytone retries every 15 s.
      scenario = await openScenario(serverUrl!, 'paydesk_procs', {
        seed: 23,
        // The generator's history arrives as one burst; a slow answer on a busy machine must not turn
        // into a retry storm, so attempts wait long. Correctness is under test here, not latency.
        webhooks: { retryScale: 0.05, timeoutMs: 120_000, logLimit: 50_000 },
      });
      const { sandbox, wiring, database } = scenario;
      const port = await freePort();
      const options = { databaseUrl: scenario.server.url, masterKeys: scenario.masterKeys, port };
      const first = await startBff(options);
      scenario.bffs.push(first);
      await scenario.jobs.start([], { work: false });
      const webhookUrls = wiring.webhookUrls(first.url);

      const generating = sandbox.generator.generate({ count: transactionCount, webhookUrls });
      await until(
        `${killAfter} deliveries are stored`,
        async () => (await count(database, 'SELECT count(*)::int AS n FROM webhook_deliveries')) >= killAfter,
        { timeoutMs: 60_000, intervalMs: 10 },
      );
      process.kill(first.pid, 'SIGKILL');
      killedAt = sandbox.now();
      await first.exited;
      storedAtKill = await count(database, 'SELECT count(*)::int AS n FROM webhook_deliveries');

      scenario.bffs.push(await startBff(options));
      const generated = await generating;
      expect(generated.failed).toEqual([]);
      await until('the sandbox has delivered every webhook', () => settled(sandbox.deliveries()), {
        timeoutMs: 120_000,
        intervalMs: 500,
        detail: () => describeStates(sandbox.deliveries()),
      });
      deliveries = sandbox.deliveries();
      await drainAfterCrash(scenario);
      const { rows } = await database.execute(
        `SELECT provider, body FROM webhook_deliveries WHERE state <> 'rejected'`,
      );
      storedKeys = new Set(rows.map((row) => eventKey(String(row.provider), String(row.body))));
      records = sandbox.records();
      settledLedger = await settleLedger(scenario, records);
    }, 200_000);

    afterAll(() => closeScenario(scenario), 60_000);

    it('was killed while webhooks were still arriving', () => {
      expect(storedAtKill).toBeGreaterThanOrEqual(killAfter);
      expect(storedAtKill).toBeLessThan(transactionCount);
      // Some deliveries hit the dead process and were retried.
      const retried = deliveries.filter((each) => each.attempts.length > 1);
      expect(retried.length).toBeGreaterThan(0);
    });

    it('lost nothing it had answered 200, before or after the kill', () => {
      const answered = deliveries.filter((each) => each.attempts.some((attempt) => attempt.status === 200));
      const beforeKill = answered.filter((each) =>
        each.attempts.some((attempt) => attempt.status === 200 && attempt.at < killedAt),
      );
      expect(beforeKill.length).toBeGreaterThan(0);
      expect(answered).toHaveLength(deliveries.length);
      const lost = answered.filter((each) => !storedKeys.has(eventKey(each.provider, each.body)));
      expect(lost.map((each) => `${each.id} ${each.objectKey}`)).toEqual([]);
    });

    it('applied every delivery exactly once after the restart', async () => {
      const { database } = scenario!;
      const { rows } = await database.execute(`SELECT provider, state, body FROM webhook_deliveries`);
      expect(rows.filter((row) => row.state !== 'applied')).toEqual([]);
      // Deliveries cut off by the kill came again and were absorbed, not stored a second time.
      const storedTwice = [
        ...tally(rows.map((row) => eventKey(String(row.provider), String(row.body)))),
      ].filter(([, times]) => times > 1);
      expect(storedTwice).toEqual([]);
    });

    it('ends with a ledger equal to the providers’ records', async () => {
      expect(records.length).toBeGreaterThanOrEqual(transactionCount);
      expect(settledLedger.differences.slice(0, 10), JSON.stringify(settledLedger.reports)).toEqual([]);
      expect(await count(scenario!.database, 'SELECT count(*)::int AS n FROM transactions')).toBe(
        records.length,
      );
    });
  });
});
