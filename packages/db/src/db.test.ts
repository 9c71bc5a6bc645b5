import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
