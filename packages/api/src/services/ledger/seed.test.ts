/**
 * The ledger seeder on a real database. The oracle for "indistinguishable from real rows" is each
 * provider's own adapter: normalizing a seeded row's stored payload must give back exactly the row
 * and its operations, as recordObservation would have written them.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, connections, operations, timelineEvents, transactions } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import {
  currencyExponent,
  isCurrencyCode,
  operationStatuses,
  transactionKinds,
  transactionStatuses,
  type OperationStatus,
  type TransactionStatus,
} from '@paydesk/domain';
import type { NormalizedTransaction } from '@paydesk/providers';
import { normalizeGatePayment } from '@paydesk/providers/gate';
import { normalizeTransaction } from '@paydesk/providers/payment-book';
import { normalizeDocument } from '@paydesk/providers/paytone';
import { createHarness, type Harness } from '../../test/harness.ts';
import { observedColumns, observedOperationColumns } from './apply.ts';
import { perEuro } from './seed-data.ts';
import { seedConnectionNames, seedLedger, type SeedLedgerResult } from './seed.ts';

const count = 3_000;
const now = new Date('2026-06-15T12:00:00.000Z');
const dayMs = 86_400_000;

type TransactionRow = typeof transactions.$inferSelect;
type OperationRow = typeof operations.$inferSelect;

function normalize(row: TransactionRow): NormalizedTransaction {
  switch (row.provider) {
    case 'gate':
      return normalizeGatePayment(row.raw as Parameters<typeof normalizeGatePayment>[0]);
    case 'payment-book':
      return normalizeTransaction(row.raw);
    default: {
      const document = normalizeDocument({ data: row.raw });
      if (document.type !== 'transaction') throw new Error(`${row.providerId} is not an invoice`);
      return document.transaction;
    }
  }
}

/** What recordObservation writes for a normalized transaction, in the columns' own terms. */
function written(observed: NormalizedTransaction) {
  const { raw: _raw, ...columns } = observedColumns(observed);
  return {
    providerId: observed.providerId,
    reference: observed.reference,
    kind: observed.kind,
    status: observed.status,
    refundedMinor: observed.refundedMinor,
    ...columns,
  };
}

function storedColumns(row: TransactionRow) {
  const { id: _id, connectionId: _c, provider: _p, raw: _r, createdAt: _ca, updatedAt: _ua, ...rest } = row;
  const { occurredAt: _o, nextCheckAt: _n, checkAttempts: _a, ...columns } = rest;
  return columns;
}

function operationColumns(op: OperationRow) {
  return {
    providerId: op.providerId,
    type: op.type,
    status: op.status,
    rawStatus: op.rawStatus,
    currency: op.currency,
    amountMinor: op.amountMinor,
    feeMinor: op.feeMinor,
    declineCode: op.declineCode,
    declineMessage: op.declineMessage,
    providerCreatedAt: op.providerCreatedAt,
    providerUpdatedAt: op.providerUpdatedAt,
  };
}

const byProviderId = <T extends { providerId: string }>(a: T, b: T) =>
  a.providerId.localeCompare(b.providerId);

describe.each(testDatabases())('seeding the ledger on %s', (kind) => {
  let h: Harness;
  let first: SeedLedgerResult;
  let rows: TransactionRow[];
  let operationsOf: Map<string, OperationRow[]>;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    h = await createHarness(kind);
    first = await seedLedger(h.database, {
      count,
      seed: 'vitest',
      now,
      secrets: h.deps.secrets,
      chunkSize: 1_000,
      // A small pool, so 3,000 rows show what a million show: regulars, and people at two providers.
      customers: 3_000,
      onProgress: (done, total) => progress.push([done, total]),
    });
    rows = await h.deps.db.select().from(transactions);
    operationsOf = new Map();
    for (const op of await h.deps.db.select().from(operations)) {
      operationsOf.set(op.transactionId, [...(operationsOf.get(op.transactionId) ?? []), op]);
    }
  });
  afterAll(() => h.close());

  it('adds the transactions asked for, each with one to three operations and two to four events', async () => {
    expect(first.firstRow).toBe(1);
    expect(first.inserted.transactions).toBe(count);
    expect(first.totals.transactions).toBe(count);
    expect(rows).toHaveLength(count);
    const events = await h.deps.db
      .select({ transactionId: timelineEvents.transactionId })
      .from(timelineEvents);
    expect(first.inserted.operations).toBe([...operationsOf.values()].flat().length);
    expect(first.inserted.timelineEvents).toBe(events.length);
    const eventCounts = new Map<string, number>();
    for (const { transactionId } of events)
      eventCounts.set(transactionId, (eventCounts.get(transactionId) ?? 0) + 1);
    for (const row of rows) {
      expect(operationsOf.get(row.id)?.length ?? 0).toBeGreaterThanOrEqual(1);
      expect(operationsOf.get(row.id)!.length).toBeLessThanOrEqual(3);
      expect(eventCounts.get(row.id) ?? 0).toBeGreaterThanOrEqual(2);
      expect(eventCounts.get(row.id)!).toBeLessThanOrEqual(4);
    }
    expect(progress[0]).toEqual([0, count]);
    expect(progress.at(-1)).toEqual([count, count]);
    expect(progress.every(([done], i) => i === 0 || done > progress[i - 1]![0])).toBe(true);
  });

  it("is exactly what each provider's adapter makes of the stored payload", () => {
    for (const row of rows) {
      const observed = normalize(row);
      expect(storedColumns(row), row.providerId).toEqual(written(observed));
      expect(row.occurredAt).toEqual(observed.createdAt);
      expect(operationsOf.get(row.id)!.map(operationColumns).sort(byProviderId), row.providerId).toEqual(
        observed.operations
          .map((op) => ({ providerId: op.providerId, ...observedOperationColumns(op) }))
          .sort(byProviderId),
      );
    }
  });

  it('uses only statuses, kinds and currencies the domain knows, in sensible minor units', () => {
    for (const row of rows) {
      expect(transactionStatuses).toContain(row.status);
      expect(transactionKinds).toContain(row.kind);
      expect(isCurrencyCode(row.currency)).toBe(true);
      for (const op of operationsOf.get(row.id)!) {
        expect(operationStatuses).toContain(op.status as OperationStatus);
        expect(op.currency).toBe(row.currency);
      }
      expect(row.amountMinor).toBeGreaterThan(0n);
      expect(row.refundedMinor).toBeGreaterThanOrEqual(0n);
      expect(row.refundedMinor).toBeLessThanOrEqual(row.amountMinor);
      expect(row.refundedMinor === row.amountMinor).toBe(row.status === 'refunded');
      expect(row.refundedMinor > 0n).toBe(row.status === 'refunded' || row.status === 'partially_refunded');
      // Between about one and two thousand euros' worth, whatever the currency's exponent.
      const euros = Number(row.amountMinor) / 10 ** currencyExponent(row.currency) / perEuro[row.currency]!;
      expect(euros).toBeGreaterThan(0.9);
      expect(euros).toBeLessThan(2_000);
      if (row.currency === 'JPY') expect(row.amountMinor % 10n).toBe(0n);
    }
    const currencies = new Set(rows.map((row) => row.currency));
    for (const currency of ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'BHD']) expect(currencies).toContain(currency);
  });

  it('has the mix of a real merchant: mostly successes, declines with codes, refunds, payouts, subscriptions', () => {
    const share = (test: (row: TransactionRow) => boolean) => rows.filter(test).length / rows.length;
    const succeeded: TransactionStatus[] = [
      'succeeded',
      'partially_refunded',
      'refunded',
      'active',
      'cancelled',
    ];
    expect(share((row) => succeeded.includes(row.status as TransactionStatus))).toBeGreaterThan(0.8);
    expect(share((row) => succeeded.includes(row.status as TransactionStatus))).toBeLessThan(0.92);
    expect(share((row) => row.status === 'declined')).toBeGreaterThan(0.04);
    for (const status of ['refunded', 'partially_refunded', 'failed', 'expired'] as const) {
      expect(
        share((row) => row.status === status),
        status,
      ).toBeGreaterThan(0.003);
    }
    for (const row of rows.filter((each) => ['declined', 'failed', 'expired'].includes(each.status))) {
      expect(row.declineCode, row.providerId).toBeTruthy();
    }
    for (const provider of ['gate', 'payment-book', 'paytone']) {
      expect(share((row) => row.provider === provider && row.kind === 'payout')).toBeGreaterThan(0.01);
    }
    expect(share((row) => row.provider === 'payment-book' && row.kind === 'subscription')).toBeGreaterThan(
      0.02,
    );
    const methods = new Set(rows.map((row) => row.method));
    for (const method of ['card', 'open_banking', 'paypal', 'payment_card', 'bank_transfer', 'applepay']) {
      expect(methods).toContain(method);
    }
    // Reconciliation looks again at what is not final, as it does for real rows.
    for (const row of rows) {
      const open = ['created', 'action_required', 'processing', 'active'].includes(row.status);
      expect(row.nextCheckAt !== null, row.providerId).toBe(open);
      if (row.nextCheckAt) expect(row.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
    }
  });

  it('gives every provider its own id formats', () => {
    const formats = {
      gate: /^([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|payout-\d{4}-\d{2}-\d{2}-\d{7})$/,
      'payment-book': /^[0-9A-HJKMNP-TV-Z]{26}$/,
      paytone: /^cpo?i_[A-Za-z0-9]{16}$/,
    } as const;
    for (const row of rows) {
      const provider = row.provider as keyof typeof formats;
      expect(row.providerId).toMatch(formats[provider]);
      if (provider === 'gate') expect(row.reference).toBe(row.providerId);
      else expect(row.reference).toMatch(/^(ord|po|sub)-[0-9a-f]{6}-\d{7}$/);
      if (provider === 'payment-book') {
        for (const op of operationsOf.get(row.id)!) expect(op.providerId).toMatch(formats['payment-book']);
      }
    }
    expect(new Set(rows.map((row) => row.reference)).size).toBe(count);
  });

  it('keeps card data to BIN, last four and brand, and no card number anywhere', async () => {
    for (const row of rows.filter((each) => each.cardLast4 !== null)) {
      expect(row.cardLast4).toMatch(/^\d{4}$/);
      expect(row.cardBin).toMatch(/^[2-6]\d{5}$/);
      expect(['visa', 'mastercard', 'amex']).toContain(row.cardBrand);
    }
    expect(rows.filter((row) => row.cardLast4 !== null).length).toBeGreaterThan(count / 3);
    for (const table of ['transactions', 'operations', 'timeline_events']) {
      const { rows: found } = await h.database.execute(
        `SELECT count(*) AS n FROM ${table} AS t WHERE t::text ~ '[0-9]{13,19}'`,
      );
      expect(Number(found[0]?.n), table).toBe(0);
    }
  });

  it('spreads them over the last 90 days, busier lately and in the daytime', () => {
    for (const row of rows) {
      expect(row.occurredAt.getTime()).toBeGreaterThan(now.getTime() - 90 * dayMs);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(row.occurredAt.getTime());
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
      expect(row.updatedAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    const ageDays = (row: TransactionRow) => (now.getTime() - row.occurredAt.getTime()) / dayMs;
    expect(rows.filter((row) => ageDays(row) < 30).length).toBeGreaterThan(
      rows.filter((row) => ageDays(row) >= 60).length * 1.2,
    );
    const hour = (row: TransactionRow) => row.occurredAt.getUTCHours();
    expect(rows.filter((row) => hour(row) >= 10 && hour(row) < 16).length).toBeGreaterThan(
      rows.filter((row) => hour(row) < 6).length * 3,
    );
  });

  it('reuses customers, some of them at two or three providers', () => {
    const byEmail = new Map<string, TransactionRow[]>();
    for (const row of rows.filter((each) => each.customerEmail !== null)) {
      const email = row.customerEmail!.toLowerCase();
      byEmail.set(email, [...(byEmail.get(email) ?? []), row]);
    }
    // Payouts that Paydesk sends through Gate name nobody; every other transaction has its customer.
    for (const row of rows) {
      expect(row.customerEmail === null, row.providerId).toBe(
        row.provider !== 'paytone' && row.kind === 'payout',
      );
    }
    const providers = (each: TransactionRow[]) => new Set(each.map((row) => row.provider)).size;
    expect([...byEmail.values()].filter((each) => each.length > 1).length).toBeGreaterThan(50);
    expect([...byEmail.values()].filter((each) => providers(each) === 2).length).toBeGreaterThan(10);
    expect([...byEmail.values()].filter((each) => providers(each) === 3).length).toBeGreaterThan(0);
    for (const [email, each] of byEmail) {
      expect(new Set(each.map((row) => row.customerName)).size, email).toBe(1);
    }
  });

  it('tells the story apply.ts would have told, webhook by webhook', async () => {
    const events = await h.deps.db
      .select()
      .from(timelineEvents)
      .orderBy(asc(timelineEvents.transactionId), asc(timelineEvents.at), asc(timelineEvents.id));
    const byTransaction = new Map<string, (typeof events)[number][]>();
    for (const event of events) {
      byTransaction.set(event.transactionId, [...(byTransaction.get(event.transactionId) ?? []), event]);
    }
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual([
      'discovered',
      'operation_added',
      'operation_changed',
      'status_changed',
    ]);
    for (const row of rows) {
      const story = byTransaction.get(row.id)!;
      expect(story[0]!.type).toBe('discovered');
      expect(story[0]!.summary).toBe(
        `Learned of it from a webhook: ${(story[0]!.details as { status: string }).status}`,
      );
      expect(story[0]!.at).toEqual(row.createdAt);
      const statusEvents = story.filter(
        (event) => event.type === 'discovered' || event.type === 'status_changed',
      );
      const last = statusEvents.at(-1)!;
      const details = last.details as { status?: string; to?: string };
      expect(details.to ?? details.status, row.providerId).toBe(row.status);
      expect(last.at).toEqual(row.updatedAt);
      const added = story.filter((event) => event.type === 'operation_added');
      expect(added.map((event) => (event.details as { operation: string }).operation).sort()).toEqual(
        operationsOf
          .get(row.id)!
          .map((op) => op.providerId)
          .sort(),
      );
      for (const event of story) {
        expect(event.source).toBe('webhook');
        expect(event.at.getTime()).toBeLessThanOrEqual(now.getTime());
      }
    }
  });

  it('creates the three seed connections with sealed credentials, audited, and leaves them disabled', async () => {
    const seeded = await h.deps.db
      .select()
      .from(connections)
      .where(inArray(connections.name, Object.values(seedConnectionNames)));
    expect(seeded.map((row) => row.provider).sort()).toEqual(['gate', 'payment-book', 'paytone']);
    for (const connection of seeded) {
      expect(connection.id).toBe(first.connections[connection.provider]);
      expect(connection.enabled).toBe(false);
      expect(connection.credentialsSealed).toMatch(/^v1\./);
      expect(connection.credentialsSealed).not.toMatch(/seed_/);
      const audited = await h.deps.db.select().from(auditLog).where(eq(auditLog.targetId, connection.id));
      expect(audited.map((entry) => entry.action).sort()).toEqual([
        'connection.create',
        'connection.disable',
      ]);
    }
  });

  // Identity ids are the database's: two chunks inserting at once interleave them.
  it('is deterministic for a seed', async () => {
    const digest = async (harness: Harness) => {
      const { rows: found } = await harness.database.execute(`SELECT
        (SELECT md5(string_agg(concat_ws('|', id, provider, provider_id, reference, status, raw_status, currency,
          amount_minor, refunded_minor, fee_minor, customer_email, card_last4, occurred_at, created_at, updated_at,
          next_check_at, raw::text), ',' ORDER BY id)) FROM transactions) AS transactions,
        (SELECT md5(string_agg(concat_ws('|', id, transaction_id, provider_id, status, amount_minor, created_at), ','
          ORDER BY id)) FROM operations) AS operations,
        (SELECT md5(string_agg(concat_ws('|', transaction_id, at, type, summary, details::text), ','
          ORDER BY transaction_id, at, id)) FROM timeline_events) AS events`);
      return found[0];
    };
    const [one, two, other] = await Promise.all([
      createHarness(kind),
      createHarness(kind),
      createHarness(kind),
    ]);
    try {
      const options = { count: 1_000, seed: 'determinism', now, chunkSize: 400, customers: 3_000 };
      await seedLedger(one.database, { ...options, secrets: one.deps.secrets });
      // Other chunks, run two at a time: the rows depend on the seed only.
      await seedLedger(two.database, {
        ...options,
        chunkSize: 300,
        concurrency: 2,
        secrets: two.deps.secrets,
      });
      await seedLedger(other.database, { ...options, seed: 'another', secrets: other.deps.secrets });
      const expected = await digest(one);
      expect(await digest(two)).toEqual(expected);
      expect((await digest(other))?.transactions).not.toBe(expected?.transactions);
    } finally {
      await Promise.all([one.close(), two.close(), other.close()]);
    }
  }, 120_000);

  it('adds to an earlier run rather than colliding with it', async () => {
    const second = await seedLedger(h.database, {
      count: 500,
      seed: 'vitest',
      now: new Date(now.getTime() + dayMs),
      secrets: h.deps.secrets,
      customers: 3_000,
    });
    expect(second.connections).toEqual(first.connections);
    expect(second.firstRow).toBe(count + 1);
    expect(second.inserted.transactions).toBe(500);
    expect(second.totals.transactions).toBe(count + 500);
    const all = await h.deps.db.select({ reference: transactions.reference }).from(transactions);
    expect(new Set(all.map((row) => row.reference)).size).toBe(count + 500);
    expect(await h.deps.db.select().from(connections)).toHaveLength(3);
  });
});
