import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc } from 'drizzle-orm';
import { auditLog } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import { createHarness, setupToken, totpCode, type Harness } from '../../test/harness.ts';

const rejectsWith = (code: string) => ({ cause: { code } });

describe.each(testDatabases())('sign-in on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());

  it('walks the first administrator through setup, enrolment and a 2FA sign-in', async () => {
    const admin = await h.admin();
    const me = await (await admin.browser.api()).auth.me();
    expect(me).toMatchObject({
      state: 'signed_in',
      user: { email: 'admin@paydesk.test', role: 'admin', mfaEnabled: true },
    });

    const laptop = h.browser();
    const afterPassword = await (
      await laptop.api()
    ).auth.signIn({ email: 'ADMIN@paydesk.test', password: admin.password });
    expect(afterPassword.state).toBe('mfa_verify');
    // Until the second factor is given, the session can do nothing else.
    await expect((await laptop.api()).user.list()).rejects.toMatchObject(rejectsWith('unauthenticated'));
    await expect((await laptop.api()).auth.mfa.verify({ code: '000000' })).rejects.toMatchObject(
      rejectsWith('invalid_code'),
    );
    h.clock.advance(30_000);
    const signedIn = await (
      await laptop.api()
    ).auth.mfa.verify({ code: totpCode(admin.totpSecret, h.clock.now()) });
    expect(signedIn.state).toBe('signed_in');
    // The same code cannot be used twice.
    const phone = h.browser();
    await (await phone.api()).auth.signIn({ email: admin.email, password: admin.password });
    await expect(
      (await phone.api()).auth.mfa.verify({ code: totpCode(admin.totpSecret, h.clock.now()) }),
    ).rejects.toMatchObject(rejectsWith('invalid_code'));
  });

  it('accepts each recovery code once', async () => {
    const user = await h.signedInUser('support');
    const enrolment = await (await user.browser.api()).auth.mfa.beginEnrolment();
    h.clock.advance(30_000);
    const { recoveryCodes } = await (
      await user.browser.api()
    ).auth.mfa.confirmEnrolment({
      code: totpCode(enrolment.secret, h.clock.now()),
    });
    expect(recoveryCodes).toHaveLength(10);
    const other = h.browser();
    await (await other.api()).auth.signIn({ email: user.email, password: user.password });
    expect(
      await (await other.api()).auth.mfa.verify({ code: recoveryCodes[0]!.toUpperCase() }),
    ).toMatchObject({ state: 'signed_in' });
    const third = h.browser();
    await (await third.api()).auth.signIn({ email: user.email, password: user.password });
    await expect((await third.api()).auth.mfa.verify({ code: recoveryCodes[0]! })).rejects.toMatchObject(
      rejectsWith('invalid_code'),
    );
  });

  it('forces enrolment for a role the policy names', async () => {
    const admin = await h.admin();
    await (await admin.browser.api()).settings.updateSecurity({ mfaRequiredRoles: ['admin', 'finance'] });
    const { setupUrl } = await (
      await admin.browser.api()
    ).user.create({ email: 'fin@paydesk.test', name: 'Fin', role: 'finance' });
    const browser = h.browser();
    const me = await (
      await browser.api()
    ).auth.completeSetup({ token: setupToken(setupUrl), password: 'finance password 1' });
    expect(me.state).toBe('mfa_enrolment');
    await expect((await browser.api()).audit.list({ page: 0, pageSize: 25 })).rejects.toMatchObject(
      rejectsWith('unauthenticated'),
    );
    await (await admin.browser.api()).settings.updateSecurity({ mfaRequiredRoles: ['admin'] });
  });

  it('locks sign-in after 10 failures, even for the right password, but not the user’s own browser', async () => {
    const user = await h.signedInUser('viewer');
    const attacker = h.browser({ ip: '203.0.113.66' });
    for (let i = 1; i <= 9; i += 1) {
      await expect(
        (await attacker.api()).auth.signIn({ email: user.email, password: `guess ${i}` }),
      ).rejects.toMatchObject(rejectsWith('invalid_credentials'));
    }
    await expect(
      (await attacker.api()).auth.signIn({ email: user.email, password: 'guess 10' }),
    ).rejects.toMatchObject(rejectsWith('sign_in_locked'));
    await expect(
      (await attacker.api()).auth.signIn({ email: user.email, password: user.password }),
    ).rejects.toMatchObject({
      cause: {
        code: 'sign_in_locked',
        userMessage: expect.stringMatching(/locked until \d\d:\d\d UTC/) as unknown,
      },
    });
    // The user's own browser carries a device cookie from an earlier sign-in: it has its own counter.
    const own = user.browser;
    await (await own.api()).auth.signOut();
    expect(await (await own.api()).auth.signIn({ email: user.email, password: user.password })).toMatchObject(
      { state: 'signed_in' },
    );
    // After 30 minutes the lock is gone.
    h.clock.advance(30 * 60_000 + 1000);
    expect(
      await (await attacker.api()).auth.signIn({ email: user.email, password: user.password }),
    ).toMatchObject({ state: 'signed_in' });
  });

  it('answers an unknown e-mail exactly as a wrong password', async () => {
    const error = await (
      await h.browser().api()
    ).auth
      .signIn({ email: 'nobody@paydesk.test', password: 'whatever it is' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'The e-mail or password is wrong.' });
  });

  it('ends a session after 15 idle minutes and after 12 hours whatever the activity', async () => {
    const user = await h.signedInUser('viewer');
    h.clock.advance(14 * 60_000);
    expect((await (await user.browser.api()).auth.me()).state).toBe('signed_in');
    h.clock.advance(15 * 60_000 + 1000);
    expect((await (await user.browser.api()).auth.me()).state).toBe('signed_out');

    const busy = h.browser();
    await (await busy.api()).auth.signIn({ email: user.email, password: user.password });
    for (let hour = 0; hour < 12; hour += 1) {
      for (let step = 0; step < 5; step += 1) {
        h.clock.advance(12 * 60_000);
        await (await busy.api()).auth.me();
      }
    }
    expect((await (await busy.api()).auth.me()).state).toBe('signed_out');
  });

  it('signs out on the server, and lets a user end their other sessions', async () => {
    const user = await h.signedInUser('support');
    const second = h.browser();
    await (await second.api()).auth.signIn({ email: user.email, password: user.password });
    const sessions = await (await user.browser.api()).session.list();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(await (await user.browser.api()).session.revokeOthers()).toEqual({ revoked: 1 });
    expect((await (await second.api()).auth.me()).state).toBe('signed_out');

    const token = [...user.browser.cookies.values()][0]!;
    await (await user.browser.api()).auth.signOut();
    // Even a copy of the old cookie is worthless now.
    const thief = h.browser();
    thief.cookies.set('paydesk_session', token);
    expect((await (await thief.api()).auth.me()).state).toBe('signed_out');
  });

  it('refuses mutations without the anti-CSRF header, and audits the refusal', async () => {
    const crossSite = h.browser({ csrf: false });
    await expect(
      (await crossSite.api()).auth.signIn({ email: 'x@paydesk.test', password: 'whatever it is' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      cause: { code: 'csrf_header_missing' },
    });
    const [last] = await h.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(last).toMatchObject({ action: 'auth.signIn', result: 'denied', reason: 'csrf_header_missing' });
  });

  it('asks for a new password when one must be changed, and validates it', async () => {
    const user = await h.signedInUser('viewer');
    await expect(
      (await user.browser.api()).auth.changePassword({
        currentPassword: user.password,
        newPassword: 'short',
      }),
    ).rejects.toMatchObject({ cause: { code: 'validation_failed', fields: [{ path: 'newPassword' }] } });
    await expect(
      (await user.browser.api()).auth.changePassword({
        currentPassword: 'not it',
        newPassword: 'a brand new password',
      }),
    ).rejects.toMatchObject(rejectsWith('invalid_credentials'));
    const me = await (
      await user.browser.api()
    ).auth.changePassword({ currentPassword: user.password, newPassword: 'a brand new password' });
    expect(me.state).toBe('signed_in');
  });

  it('refuses a used or unknown setup link', async () => {
    await expect(
      (await h.browser().api()).auth.completeSetup({ token: 'nope', password: 'a long enough pass' }),
    ).rejects.toMatchObject(rejectsWith('invalid_setup_link'));
  });
});
