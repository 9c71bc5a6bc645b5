import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import { createHarness, type Harness } from '../../test/harness.ts';

describe.each(testDatabases())('merchant profile on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());

  it('defaults to “Paydesk merchant” in UTC, and only an admin changes it, audited', async () => {
    const support = await h.signedInUser('support');
    expect(await (await support.browser.api()).merchant.get()).toEqual({
      name: 'Paydesk merchant',
      timeZone: 'UTC',
    });
    await expect(
      (await support.browser.api()).merchant.update({ name: 'Mine', timeZone: 'UTC' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const admin = await (await h.admin()).browser.api();
    expect(await admin.merchant.update({ name: '  Ozols SIA ', timeZone: 'europe/riga' })).toEqual({
      name: 'Ozols SIA',
      timeZone: 'Europe/Riga',
    });
    expect(await (await support.browser.api()).merchant.get()).toEqual({
      name: 'Ozols SIA',
      timeZone: 'Europe/Riga',
    });
    const rows = await h.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'settings.merchant.update'));
    expect(rows).toEqual([
      expect.objectContaining({
        result: 'success',
        before: { name: 'Paydesk merchant', timeZone: 'UTC' },
        after: { name: 'Ozols SIA', timeZone: 'Europe/Riga' },
      }),
    ]);
  });

  it('refuses a time zone that is not an IANA zone, naming the field', async () => {
    const admin = await (await h.admin()).browser.api();
    const error = await admin.merchant.update({ name: 'X', timeZone: 'Mars/Olympus' }).then(
      () => null,
      (e: { code: string; cause?: { issues?: { path: PropertyKey[] }[] } }) => e,
    );
    expect(error?.code).toBe('BAD_REQUEST');
    expect(error?.cause?.issues?.map((issue) => issue.path.join('.'))).toEqual(['timeZone']);
  });
});
