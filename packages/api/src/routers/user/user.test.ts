import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import { createHarness, setupToken, type Harness } from '../../test/harness.ts';

describe.each(testDatabases())('users on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());

  it('creates a user with a one-time setup link, and audits it in the same transaction', async () => {
    const admin = await h.admin();
    const api = await admin.browser.api();
    const { user, setupUrl } = await api.user.create({
      email: 'agent@paydesk.test',
      name: 'Agent',
      role: 'support',
    });
    expect(user).toMatchObject({ status: 'invited', role: 'support', mfaEnabled: false });
    expect(setupUrl).toMatch(/^http:\/\/paydesk\.test\/setup#token=[\w-]{43}$/);
    const rows = await h.database.db.select().from(auditLog).where(eq(auditLog.targetId, user.id));
    expect(rows).toEqual([
      expect.objectContaining({ action: 'user.create', result: 'success', actorEmail: admin.email }),
    ]);
    await expect(
      api.user.create({ email: 'AGENT@paydesk.test', name: 'Again', role: 'viewer' }),
    ).rejects.toMatchObject({
      cause: { code: 'conflict', fields: [{ path: 'email' }] },
    });
    await expect(api.user.create({ email: 'not an e-mail', name: '', role: 'viewer' })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
      },
    );
    // The link works once.
    const browser = h.browser();
    await (
      await browser.api()
    ).auth.completeSetup({ token: setupToken(setupUrl), password: 'a fine long password' });
    await expect(
      (await h.browser().api()).auth.completeSetup({
        token: setupToken(setupUrl),
        password: 'a fine long password',
      }),
    ).rejects.toMatchObject({ cause: { code: 'invalid_setup_link' } });
  });

  it('changes a role, and deactivation ends the user’s sessions', async () => {
    const admin = await h.admin();
    const agent = await h.signedInUser('support');
    const [row] = (await (await admin.browser.api()).user.list()).filter((u) => u.email === agent.email);
    expect(await (await admin.browser.api()).user.setRole({ id: row!.id, role: 'finance' })).toMatchObject({
      role: 'finance',
    });
    expect(await (await agent.browser.api()).auth.me()).toMatchObject({ user: { role: 'finance' } });
    await (await admin.browser.api()).user.deactivate({ id: row!.id });
    expect((await (await agent.browser.api()).auth.me()).state).toBe('signed_out');
    await expect(
      (await h.browser().api()).auth.signIn({ email: agent.email, password: agent.password }),
    ).rejects.toMatchObject({
      cause: { code: 'invalid_credentials' },
    });
    await (await admin.browser.api()).user.reactivate({ id: row!.id });
    expect(
      await (await h.browser().api()).auth.signIn({ email: agent.email, password: agent.password }),
    ).toMatchObject({
      state: 'signed_in',
    });
  });

  it('resets a user’s second factor and ends their sessions', async () => {
    const admin = await h.admin();
    const other = await h.signedInUser('admin');
    expect(other.totpSecret).toBeDefined();
    const [row] = (await (await admin.browser.api()).user.list()).filter((u) => u.email === other.email);
    expect(await (await admin.browser.api()).user.resetMfa({ id: row!.id })).toMatchObject({
      mfaEnabled: false,
    });
    expect((await (await other.browser.api()).auth.me()).state).toBe('signed_out');
    expect(
      await (await h.browser().api()).auth.signIn({ email: other.email, password: other.password }),
    ).toMatchObject({
      state: 'mfa_enrolment',
    });
  });

  it('refuses to let an administrator lock themself out', async () => {
    const admin = await h.admin();
    const [self] = (await (await admin.browser.api()).user.list()).filter((u) => u.email === admin.email);
    await expect((await admin.browser.api()).user.deactivate({ id: self!.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      cause: { code: 'self_action_refused' },
    });
    await expect(
      (await admin.browser.api()).user.setRole({ id: self!.id, role: 'viewer' }),
    ).rejects.toMatchObject({
      cause: { code: 'self_action_refused' },
    });
  });

  it('says what is wrong with an unknown id', async () => {
    const admin = await h.admin();
    await expect(
      (await admin.browser.api()).user.deactivate({ id: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect((await admin.browser.api()).user.deactivate({ id: "1' OR 1=1 --" })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
