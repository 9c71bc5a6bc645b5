/**
 * The inbox drain on PGlite and PostgreSQL: batches apply in one transaction, several deliveries of
 * one transaction in a batch are folded in order exactly as one by one, a delivery that cannot be
 * applied is set aside with backoff without holding up the others, and is `failed` after its attempts.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ledgerCounters,
  operations,
  timelineEvents,
  transactions,
  webhookDeliveries,
} from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import type { NormalizedTransaction } from '@paydesk/providers';
import { createSandbox, type Sandbox } from '@paydesk/sandbox';
import { createHarness, type Harness } from '../../test/harness.ts';
import { connectSandbox } from '../../test/inbound.ts';
import { drainInbox } from './inbox.ts';
import { toObservationJson } from './observation.ts';
import type { LedgerDeps } from './worker.ts';

describe.each(testDatabases())('the webhook inbox on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  let connectionId: string;
  let deps: LedgerDeps;
  let counter = 0;

  beforeAll(async () => {
    h = await createHarness(kind);
    sandbox = await createSandbox({ seed: 3 });
    const admin = await h.admin();
    connectionId = (await connectSandbox(admin.browser, sandbox)).paytone;
    deps = { ...h.deps, now: () => h.clock.now() };
  });

  afterAll(async () => {
    await sandbox?.close();
    await h?.close();
  });

  function payment(status: NormalizedTransaction['status'] = 'succeeded'): NormalizedTransaction {
    counter += 1;
    return {
      provider: 'paytone',
      providerId: `cpi_inbox_${kind}_${counter}`,
      reference: `inbox-${kind}-${counter}`,
      kind: 'payment',
      status,
      rawStatus: status === 'succeeded' ? 'processed' : 'processing',
      amount: { amountMinor: 1_250n, currency: 'EUR' },
      refundedMinor: 0n,
      customer: { email: 'inbox@example.com' },
      operations: [
        {
          providerId: `cpoi_inbox_${kind}_${counter}`,
          type: 'payment',
          status: status === 'succeeded' ? 'succeeded' : 'processing',
          rawStatus: 'processed',
          amount: { amountMinor: 1_250n, currency: 'EUR' },
        },
      ],
      raw: {},
    };
  }

  /** Stores a pending authoritative delivery as ingestion does; `observation` may be any JSON. */
  async function store(observation: unknown): Promise<number> {
    counter += 1;
    const [row] = await h.deps.db
      .insert(webhookDeliveries)
      .values({
        connectionId,
        provider: 'paytone',
        receivedAt: h.clock.now(),
        eventId: `event-${kind}-${counter}`,
        state: 'pending',
        verifiedWith: 'current',
        reference: `inbox-${kind}-${counter}`,
        observation,
        body: '{}',
        headers: {},
      })
      .returning({ id: webhookDeliveries.id });
    return row!.id;
  }

  const states = async (ids: number[]) =>
    Object.fromEntries(
      (
        await h.deps.db
          .select({
            id: webhookDeliveries.id,
            state: webhookDeliveries.state,
            attempts: webhookDeliveries.attempts,
          })
          .from(webhookDeliveries)
          .where(inArray(webhookDeliveries.id, ids))
      ).map((row) => [row.id, row]),
    );

  it('applies waiting deliveries a batch at a time, oldest first, each once', async () => {
    const observed = [payment(), payment('processing'), payment()];
    const ids = [];
    for (const each of observed) ids.push(await store(toObservationJson(each)));
    // The same object again, later: forward-only, applied after the first.
    ids.push(
      await store(toObservationJson({ ...observed[1]!, status: 'succeeded', rawStatus: 'processed' })),
    );

    expect(await drainInbox(deps, 2)).toBe(2);
    expect(await drainInbox(deps, 10)).toBe(2);
    expect(await drainInbox(deps, 10)).toBe(0);
    const after = await states(ids);
    expect(ids.map((id) => after[id]?.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const [second] = await h.deps.db
      .select()
      .from(transactions)
      .where(eq(transactions.providerId, observed[1]!.providerId));
    expect(second?.status).toBe('succeeded');
  });

  it('folds several deliveries of one transaction in one batch as if applied one by one', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 9, minute));
    const first = payment('processing');
    const op = first.operations[0]!;
    const opened = { ...first, updatedAt: at(1), operations: [{ ...op, status: 'processing' as const }] };
    const paid = {
      ...first,
      status: 'succeeded' as const,
      rawStatus: 'processed',
      updatedAt: at(2),
      operations: [{ ...op, status: 'succeeded' as const }],
    };
    const refunded: NormalizedTransaction = {
      ...paid,
      status: 'partially_refunded' as const,
      rawStatus: 'partially_refunded',
      refundedMinor: 250n,
      updatedAt: at(4),
      operations: [
        { ...op, status: 'succeeded' as const },
        {
          providerId: `${op.providerId}_refund`,
          type: 'refund',
          status: 'succeeded',
          rawStatus: 'processed',
          amount: { amountMinor: 250n, currency: 'EUR' },
        },
      ],
    };
    // Sent at minute 1, arriving after minute 2's: older than what is stored by then.
    const late = { ...opened, updatedAt: at(1) };
    const other = payment();
    const before = await h.deps.db
      .select({ value: ledgerCounters.value })
      .from(ledgerCounters)
      .where(and(eq(ledgerCounters.connectionId, connectionId), eq(ledgerCounters.name, 'stale_webhooks')));

    const ids: number[] = [];
    for (const each of [opened, other, paid, late, refunded]) ids.push(await store(toObservationJson(each)));
    expect(await drainInbox(deps, 10)).toBe(5);

    const [row] = await h.deps.db
      .select()
      .from(transactions)
      .where(eq(transactions.providerId, first.providerId));
    expect(row).toMatchObject({ status: 'partially_refunded', refundedMinor: 250n, nextCheckAt: null });
    expect(row!.providerUpdatedAt).toEqual(at(4));
    const stored = await h.deps.db
      .select({ providerId: operations.providerId, status: operations.status, type: operations.type })
      .from(operations)
      .where(eq(operations.transactionId, row!.id))
      .orderBy(asc(operations.providerId));
    expect(stored).toEqual([
      { providerId: op.providerId, status: 'succeeded', type: 'payment' },
      { providerId: `${op.providerId}_refund`, status: 'succeeded', type: 'refund' },
    ]);
    const events = await h.deps.db
      .select({ type: timelineEvents.type, deliveryId: timelineEvents.deliveryId })
      .from(timelineEvents)
      .where(eq(timelineEvents.transactionId, row!.id))
      .orderBy(asc(timelineEvents.id));
    const [openedId, , paidId, lateId, refundedId] = ids;
    expect(events).toEqual([
      { type: 'discovered', deliveryId: openedId },
      { type: 'operation_added', deliveryId: openedId },
      { type: 'status_changed', deliveryId: paidId },
      { type: 'operation_changed', deliveryId: paidId },
      { type: 'stale_ignored', deliveryId: lateId },
      { type: 'status_changed', deliveryId: refundedId },
      { type: 'operation_added', deliveryId: refundedId },
    ]);
    const deliveries = await h.deps.db
      .select({
        id: webhookDeliveries.id,
        state: webhookDeliveries.state,
        transactionId: webhookDeliveries.transactionId,
      })
      .from(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, ids));
    const mine = deliveries.filter((delivery) => delivery.id !== ids[1]);
    expect(mine.map((delivery) => [delivery.state, delivery.transactionId])).toEqual(
      mine.map(() => ['applied', row!.id]),
    );
    const after = await h.deps.db
      .select({ value: ledgerCounters.value })
      .from(ledgerCounters)
      .where(and(eq(ledgerCounters.connectionId, connectionId), eq(ledgerCounters.name, 'stale_webhooks')));
    expect(Number(after[0]?.value ?? 0) - Number(before[0]?.value ?? 0)).toBe(1);
  });

  it('sets a delivery it cannot apply aside with backoff, applies the rest, and fails it in the end', async () => {
    const good = await store(toObservationJson(payment()));
    const broken = await store({ provider: 'paytone', providerId: 'cpi_broken', amount: 'not money' });
    const alsoGood = await store(toObservationJson(payment()));

    expect(await drainInbox(deps)).toBe(3);
    let now = await states([good, broken, alsoGood]);
    expect(now[good]?.state).toBe('applied');
    expect(now[alsoGood]?.state).toBe('applied');
    expect(now[broken]).toMatchObject({ state: 'pending', attempts: 1 });
    const [waiting] = await h.deps.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, broken));
    expect(waiting?.lastError).toBeTruthy();
    expect(waiting!.nextAttemptAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());

    // Not taken again before its time.
    expect(await drainInbox(deps)).toBe(0);
    for (let attempt = 2; attempt <= 12; attempt += 1) {
      h.clock.advance(2 * 60 * 60_000);
      expect(await drainInbox(deps)).toBe(1);
    }
    now = await states([broken]);
    expect(now[broken]).toMatchObject({ state: 'failed', attempts: 12 });
    h.clock.advance(2 * 60 * 60_000);
    expect(await drainInbox(deps)).toBe(0);
  });
});
