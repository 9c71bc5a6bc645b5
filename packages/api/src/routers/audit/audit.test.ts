import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@paydesk/db/testing';
import { exportAuditCsv } from '../../services/audit-export.ts';
import { writeAudit, systemActor } from '../../services/audit.ts';
import { createHarness, type Harness } from '../../test/harness.ts';
import { createRequestContext } from '../../create-context.ts';

describe.each(testDatabases())('audit log on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());

  it('records sign-ins, failures and changes with actor, target, IP and agent', async () => {
    const admin = await h.admin();
    await (
      await h.browser({ ip: '198.51.100.7' }).api()
    ).auth
      .signIn({ email: admin.email, password: 'wrong password!' })
      .catch(() => undefined);
    const { rows, total } = await (
      await admin.browser.api()
    ).audit.list({ page: 0, pageSize: 25, action: 'auth.sign_in' });
    expect(total).toBe(rows.length);
    expect(rows[0]).toMatchObject({
      action: 'auth.sign_in',
      result: 'failure',
      reason: 'wrong_password',
      ip: '198.51.100.7',
      userAgent: 'vitest',
    });
    const actions = await (await admin.browser.api()).audit.actions();
    expect(actions).toEqual(expect.arrayContaining(['auth.setup', 'auth.mfa_enrol', 'auth.sign_in']));
  });

  it('filters by actor, action and date, and pages', async () => {
    const admin = await h.admin();
    const base = new Date('2030-01-01T00:00:00Z');
    for (let i = 0; i < 30; i += 1) {
      await writeAudit(
        h.database.db,
        { ...systemActor, email: 'batch@paydesk.test' },
        { action: 'test.batch', result: 'success', targetId: String(i) },
        new Date(base.getTime() + i * 60_000),
      );
    }
    const api = await admin.browser.api();
    const first = await api.audit.list({ page: 0, pageSize: 25, actor: 'BATCH@', action: 'test.batch' });
    expect(first.total).toBe(30);
    expect(first.rows.map((r) => r.targetId).slice(0, 3)).toEqual(['29', '28', '27']);
    const second = await api.audit.list({ page: 1, pageSize: 25, actor: 'batch', action: 'test.batch' });
    expect(second.rows).toHaveLength(5);
    const window = await api.audit.list({
      page: 0,
      pageSize: 25,
      action: 'test.batch',
      from: '2030-01-01T00:10:00Z',
      to: '2030-01-01T00:20:00+00:00',
    });
    expect(window.total).toBe(10);
    // Hostile filter text is data, not SQL or a pattern.
    expect((await api.audit.list({ page: 0, pageSize: 25, actor: "%' OR '1'='1" })).total).toBe(0);
    await expect(api.audit.list({ page: 0, pageSize: 25, from: 'yesterday' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { issues: [expect.objectContaining({ path: ['from'] })] },
    });
    await expect(api.audit.list({ page: 0, pageSize: 1000 as 25 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('exports the filtered rows as CSV, neutralising formulas, and audits the export', async () => {
    const admin = await h.admin();
    await writeAudit(
      h.database.db,
      systemActor,
      { action: 'test.csv', result: 'success', reason: '=HYPERLINK("http://evil")' },
      h.clock.now(),
    );
    const ctx = await createRequestContext(
      h.deps,
      { requestId: 'csv', ip: null, userAgent: null, csrfHeader: false },
      { get: (name) => admin.browser.cookies.get(name), set: () => undefined, clear: () => undefined },
    );
    const { filename, lines } = await exportAuditCsv(ctx, { action: 'test.csv' });
    expect(filename).toMatch(/^paydesk-audit-\d{8}-\d{4}\.csv$/);
    let text = '';
    for await (const line of lines) text += line;
    const [header, row, ...rest] = text.trim().split('\n');
    expect(header).toBe('id,at,actor,action,target_type,target_id,result,reason,ip,user_agent,before,after');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rest).toHaveLength(0);
    const exported = await (
      await admin.browser.api()
    ).audit.list({ page: 0, pageSize: 25, action: 'audit.export' });
    expect(exported.rows[0]).toMatchObject({ result: 'success', after: { action: 'test.csv' } });
  });

  it('refuses the export to a role without audit.export, and audits the refusal', async () => {
    const viewer = await h.signedInUser('viewer');
    const ctx = await createRequestContext(
      h.deps,
      { requestId: 'csv', ip: null, userAgent: null, csrfHeader: false },
      { get: (name) => viewer.browser.cookies.get(name), set: () => undefined, clear: () => undefined },
    );
    await expect(exportAuditCsv(ctx, {})).rejects.toMatchObject({ code: 'forbidden' });
    const admin = await h.admin();
    const refused = await (
      await admin.browser.api()
    ).audit.list({ page: 0, pageSize: 25, action: 'audit.export', actor: viewer.email });
    expect(refused.rows[0]).toMatchObject({ result: 'denied' });
  });
});
