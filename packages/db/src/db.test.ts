import { asc, sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJsonRows, setFromExcluded } from './bulk.ts';
import { auditLog, users } from './schema/index.ts';
import { testDatabases, openTestDb } from './testing.ts';
import type { OpenDb } from './index.ts';

describe.each(testDatabases())('database on %s', (kind) => {
  let handle: OpenDb;
  beforeAll(async () => {
    handle = await openTestDb(kind);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('applies the migrations and round-trips a row', async () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const [user] = await handle.db
      .insert(users)
      .values({ email: 'A@Example.com', name: 'A', role: 'admin', createdAt: now, updatedAt: now })
      .returning();
    expect(user?.email).toBe('A@Example.com');
    expect(user?.createdAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('refuses a second user with the same e-mail in another case', async () => {
    const now = new Date();
    await expect(
      handle.db
        .insert(users)
        .values({ email: 'a@example.COM', name: 'B', role: 'viewer', createdAt: now, updatedAt: now }),
    ).rejects.toThrow();
  });

  it('keeps the audit log append-only', async () => {
    await handle.db.insert(auditLog).values({ at: new Date(), action: 'test.write', result: 'success' });
    const refused = { cause: { message: expect.stringMatching(/append-only/) as unknown } };
    await expect(handle.db.update(auditLog).set({ action: 'rewritten' })).rejects.toMatchObject(refused);
    await expect(handle.db.delete(auditLog)).rejects.toMatchObject(refused);
    await expect(handle.db.execute(sql`TRUNCATE audit_log`)).rejects.toMatchObject(refused);
    const rows = await handle.db.select().from(auditLog);
    expect(rows.map((r) => r.action)).toEqual(['test.write']);
  });

  it("writes many rows as one JSON parameter, in the columns' own types, and upserts them", async () => {
    const samples = pgTable('bulk_samples', {
      id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      name: text('name').notNull(),
      amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
      at: timestamp('at', { withTimezone: true, mode: 'date' }),
      details: jsonb('details'),
      seen: integer('seen').notNull().default(1),
    });
    await handle.db.execute(sql`CREATE TABLE bulk_samples (
      id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY, name text NOT NULL UNIQUE,
      amount_minor bigint NOT NULL, at timestamptz, details jsonb, seen integer NOT NULL DEFAULT 1)`);
    const at = new Date('2026-11-30T10:00:00.123Z');
    const rows = [
      { name: 'big', amountMinor: 9_007_199_254_740_993n, at, details: { nested: [1, 'two', null] } },
      { name: 'quote\'s "and" ünïcode', amountMinor: -1n, at: null, details: null },
    ];
    await handle.db.execute(insertJsonRows(samples, rows));
    const stored = await handle.db.select().from(samples).orderBy(asc(samples.id));
    expect(stored).toEqual([
      {
        id: 1,
        name: 'big',
        amountMinor: 9_007_199_254_740_993n,
        at,
        details: { nested: [1, 'two', null] },
        seen: 1,
      },
      { id: 2, name: 'quote\'s "and" ünïcode', amountMinor: -1n, at: null, details: null, seen: 1 },
    ]);

    await handle.db.execute(
      insertJsonRows(
        samples,
        [
          { name: 'big', amountMinor: 5n, seen: 2 },
          { name: 'new', amountMinor: 7n, seen: 3 },
        ],
        sql`ON CONFLICT (name) DO UPDATE SET ${setFromExcluded(samples, ['id', 'name', 'at', 'details'])}`,
      ),
    );
    const after = await handle.db
      .select({
        name: samples.name,
        amountMinor: samples.amountMinor,
        seen: samples.seen,
        details: samples.details,
      })
      .from(samples)
      .orderBy(asc(samples.id));
    expect(after).toEqual([
      { name: 'big', amountMinor: 5n, seen: 2, details: { nested: [1, 'two', null] } },
      { name: 'quote\'s "and" ünïcode', amountMinor: -1n, seen: 1, details: null },
      { name: 'new', amountMinor: 7n, seen: 3, details: null },
    ]);
  });
});
