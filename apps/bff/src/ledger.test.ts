/**
 * The ledger end to end, in one process: the sandbox's generated transactions arrive over HTTP as
 * webhooks, with duplicates, reordering, delays, drops and bad signatures injected; afterwards the
 * ledger equals the providers' own records.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupTransaction, reconcile } from '@paydesk/api';
import { timelineEvents, transactions, webhookDeliveries } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import type { DeliveryRecord, SandboxRecord } from '@paydesk/sandbox';
import { until } from './test-support/bff-processes.ts';
import { createLedgerWorld, ledgerRows, type LedgerWorld } from './test-support/ledger-fixture.ts';

/**
 * 2,000 on PostgreSQL. PGlite is one connection in this same process (it ingests about 50 deliveries a
 * second here, and Paytone retries each bad signature 100 times), so it runs the same story with 600.
 */
const counts = { postgres: 2_000, pglite: 600 } as const;

function objectKeyOf(record: SandboxRecord): string {
  if (record.provider === 'gate') return `gate:0:${record.providerId}`;
  if (record.provider === 'payment-book') return `payment-book:${record.providerId}`;
  return record.providerId;
}

describe.each(testDatabases())('the ledger on %s', (kind) => {
  let world: LedgerWorld;
  let deliveries: DeliveryRecord[];
  const count = counts[kind];

  beforeAll(async () => {
    world = await createLedgerWorld(kind, { webhooks: { retryScale: 0.00005, timeoutMs: 20_000 } });
    world.sandbox.setMischief({
      drop: 0.03,
      duplicate: 0.15,
      reorder: 0.1,
      reorderHoldMs: 300,
      delay: 0.05,
      delayMs: 400,
      badSignature: 0.05,
    });
    const generated = await world.sandbox.generator.generate({ count, webhookUrls: world.webhookUrls });
    expect(generated.failed).toEqual([]);
    // Every delivery has ended at the sandbox: delivered, given up on, or dropped.
    await until(
      'the sandbox has no delivery left to send',
      () =>
        world.sandbox.deliveries().every((each) => ['delivered', 'failed', 'dropped'].includes(each.state)),
      {
        timeoutMs: 180_000,
        detail: () =>
          JSON.stringify(
            world.sandbox
              .deliveries()
              .filter((each) => !['delivered', 'failed', 'dropped'].includes(each.state))
              .slice(0, 3)
              .map(({ provider, state, mischief, attempts }) => ({
                provider,
                state,
                mischief,
                attempts: attempts.slice(-3),
              })),
          ),
      },
    );
    deliveries = world.sandbox.deliveries();
    await world.drained();
    // Look-ups queued for rejected deliveries.
    await until(
      'no look-up job is waiting',
      async () => {
        const { rows } = await world.database.execute(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'ledger.%' AND name <> 'ledger.reconcile' AND state IN ('created', 'retry', 'active')`,
        );
        return rows[0]?.n === 0;
      },
      {
        timeoutMs: 90_000,
        detail: async () =>
          JSON.stringify(
            (
              await world.database.execute(
                `SELECT name, state, count(*)::int, max(output::text) FROM pgboss.job GROUP BY 1, 2`,
              )
            ).rows,
          ),
      },
    );
    // Reconciliation: non-final transactions become due a minute later; Paytone is listed.
    for (let run = 0; run < 3; run += 1) {
      world.clock.advance(10 * 60_000);
      await reconcile({ ...world.ledgerDeps(), jobs: world.jobs }, { limit: 5_000 });
    }
  }, 360_000);
  afterAll(() => world?.close());

  it('received every kind of mischief', () => {
    const kinds = new Set(deliveries.flatMap((each) => each.mischief));
    expect([...kinds].sort()).toEqual(['bad_signature', 'delayed', 'dropped', 'duplicate', 'reordered']);
  });

  it('equals the providers’ records, the transactions no webhook ever reached aside', async () => {
    const records = world.sandbox.records();
    expect(records.length).toBeGreaterThanOrEqual(count);
    // Gate and Payment Book cannot list, nor can Paytone list payouts: such a transaction whose every
    // webhook was lost is unknown to anyone but the merchant. These are exactly the ones missing; a
    // look-up (what support does with a reference from the customer) brings each in.
    const reached = new Set(
      deliveries
        .filter((each) => each.attempts.some((attempt) => attempt.status))
        .map((each) => each.objectKey),
    );
    const ledger = await ledgerRows(world.database);
    const missing = records.filter((record) => !ledger.has(`${record.provider}:${record.providerId}`));
    const listable = (record: SandboxRecord) => record.provider === 'paytone' && record.kind !== 'payout';
    const unreachable = records.filter((record) => !listable(record) && !reached.has(objectKeyOf(record)));
    const unexplained = missing
      .filter((record) => !unreachable.includes(record))
      .map((record) => ({
        record,
        deliveries: deliveries
          .filter((each) => each.objectKey === objectKeyOf(record))
          .map(({ state, mischief, attempts, body }) => ({
            state,
            mischief,
            attempts,
            body: body.slice(0, 300),
          })),
      }));
    expect(
      JSON.stringify(unexplained.slice(0, 2), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ).toBe('[]');
    expect(missing.map((each) => each.providerId).sort()).toEqual(
      unreachable.map((each) => each.providerId).sort(),
    );

    for (const record of missing) {
      await lookupTransaction(world.ledgerDeps(), {
        connectionId: world.connections[record.provider].id,
        reference: record.reference,
        providerId: record.providerId,
      });
    }
    const complete = await ledgerRows(world.database);
    expect(complete.size).toBe(records.length);
    const differences = records.flatMap((record) => {
      const row = complete.get(`${record.provider}:${record.providerId}`);
      const expected = {
        rawStatus: record.status,
        amountMinor: record.amountMinor,
        refundedMinor: record.refundedMinor,
        currency: record.currency,
      };
      const actual = row && {
        rawStatus: row.rawStatus,
        amountMinor: row.amountMinor,
        refundedMinor: row.refundedMinor,
        currency: row.currency,
      };
      return JSON.stringify(actual, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ===
        JSON.stringify(expected, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
        ? []
        : [{ provider: record.provider, providerId: record.providerId, expected, actual }];
    });
    expect(differences.slice(0, 5)).toEqual([]);
  });

  it('keeps every bad signature in the inbox as rejected, with its reason', async () => {
    const badAnswers = deliveries
      .filter((each) => each.mischief.includes('bad_signature') && each.provider !== 'gate')
      .flatMap((each) => each.attempts.filter((attempt) => attempt.status !== undefined));
    expect(badAnswers.length).toBeGreaterThan(0);
    expect(badAnswers.every((attempt) => attempt.status === 401)).toBe(true);
    const rejected = await world.database.db
      .select({ reason: webhookDeliveries.rejectReason, detail: webhookDeliveries.rejectDetail })
      .from(webhookDeliveries)
      .where(
        and(eq(webhookDeliveries.state, 'rejected'), eq(webhookDeliveries.rejectReason, 'bad_signature')),
      );
    // An attempt the sandbox gave up waiting for may still have been stored: at least every answered one.
    const badAttempts = deliveries
      .filter((each) => each.mischief.includes('bad_signature') && each.provider !== 'gate')
      .flatMap((each) => each.attempts);
    expect(rejected.length).toBeGreaterThanOrEqual(badAnswers.length);
    expect(rejected.length).toBeLessThanOrEqual(badAttempts.length);
    expect(rejected.every((row) => (row.detail ?? '').includes('does not match'))).toBe(true);
  });

  it('applied nothing twice', async () => {
    const { db } = world.database;
    const absorbed = await db
      .select({ n: sql<number>`coalesce(sum(${webhookDeliveries.duplicates}), 0)::int` })
      .from(webhookDeliveries);
    expect(absorbed[0]!.n).toBeGreaterThan(0);
    const discoveredTwice = await db
      .select({ id: timelineEvents.transactionId })
      .from(timelineEvents)
      .where(eq(timelineEvents.type, 'discovered'))
      .groupBy(timelineEvents.transactionId)
      .having(sql`count(*) > 1`);
    expect(discoveredTwice).toEqual([]);
    const sameChangeTwice = await db
      .select({ id: timelineEvents.transactionId })
      .from(timelineEvents)
      .where(eq(timelineEvents.type, 'status_changed'))
      .groupBy(timelineEvents.transactionId, sql`${timelineEvents.details}->>'to'`)
      .having(sql`count(*) > 1`);
    expect(sameChangeTwice).toEqual([]);
    const appliedPerDelivery = await db
      .select({ id: timelineEvents.deliveryId })
      .from(timelineEvents)
      .where(and(sql`${timelineEvents.deliveryId} IS NOT NULL`, eq(timelineEvents.type, 'discovered')))
      .groupBy(timelineEvents.deliveryId)
      .having(sql`count(*) > 1`);
    expect(appliedPerDelivery).toEqual([]);
    const pending = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.state, 'pending'));
    expect(pending).toEqual([]);
  });

  it('never moved a status back, and counted what reconciliation found', async () => {
    const { db } = world.database;
    const regressions = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(timelineEvents)
      .where(eq(timelineEvents.type, 'regression_ignored'));
    // Reordered and delayed webhooks arrive after newer ones: they are recorded, not applied.
    expect(regressions[0]!.n).toBeGreaterThanOrEqual(0);
    const rows = await db.select({ status: transactions.status }).from(transactions);
    expect(rows.every((row) => row.status !== 'unknown')).toBe(true);
  });
});
