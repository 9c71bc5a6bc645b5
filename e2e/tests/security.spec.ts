import { expect, test } from '@playwright/test';
import { advanceClock, choosePassword, fillPasswordStep, freshTotp, mutate, signIn } from '../support/app.ts';
import { loadState, setupPath } from '../support/state.ts';

test('a mutation without the anti-CSRF header is refused', async ({ page }) => {
  const { admin } = await loadState();
  await signIn(page, admin);

  // page.request carries the session cookie, as a forged cross-site request would. The body is the
  // SPA's own (JSON); only the header is missing. (With no content type at all, tRPC answers 415 before
  // the procedure runs.)
  const refused = await page.request.post('/trpc/session.revokeOthers', { data: {} });
  expect(refused.status()).toBe(403);
  const body = (await refused.json()) as { error: { data: { appError: { code: string } } } };
  expect(body.error.data.appError.code).toBe('csrf_header_missing');

  // What an HTML form on another site can send (a "simple" request, no custom header) is refused too.
  const form = await page.request.post('/trpc/session.revokeOthers', {
    headers: { 'content-type': 'text/plain' },
    data: '{}',
  });
  expect(form.status()).toBeGreaterThanOrEqual(400);

  // The same call with the header the SPA sends goes through: it was the header, not the session.
  const allowed = await page.request.post('/trpc/session.revokeOthers', {
    headers: { 'x-paydesk-csrf': '1' },
    data: {},
  });
  expect(allowed.status()).toBe(200);
});

test('after ten wrong passwords the right one is refused too', async ({ page, browser }) => {
  const { admin } = await loadState();
  await signIn(page, admin);
  const email = 'lou.locked@example.com';
  const password = 'the right passphrase 42';
  const { setupUrl } = await mutate<{ setupUrl: string }>(page.request, 'user.create', {
    email,
    name: 'Lou Locked',
    role: 'viewer',
  });

  // The new user chooses a password in their own browser.
  const theirs = await browser.newContext();
  const setup = await theirs.newPage();
  await setup.goto(setupPath(setupUrl));
  await choosePassword(setup, password);
  await expect(setup.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await theirs.close();

  // An attacker's browser, which has never signed in as this user: failures count against the account.
  const attacker = await browser.newContext();
  const attempt = await attacker.newPage();
  await attempt.goto('/sign-in');
  for (let i = 1; i <= 10; i += 1) {
    await fillPasswordStep(attempt, email, `wrong guess number ${i}`);
    await expect(attempt.getByRole('alert')).toHaveText(
      i < 10 ? 'The e-mail or password is wrong.' : /locked until/,
    );
  }
  await fillPasswordStep(attempt, email, password);
  await expect(attempt.getByRole('alert')).toHaveText(
    /Too many failed attempts: sign-in from this browser is locked until \d\d:\d\d UTC/,
  );
  await expect(attempt).toHaveURL(/\/sign-in/);
  await expect(attempt.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await attacker.close();
});

test('an idle session expires after 15 minutes', async ({ page }) => {
  const { admin } = await loadState();
  await signIn(page, admin);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('grid', { name: 'Users' })).toBeVisible();

  await advanceClock(page.request, 16 * 60_000);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faudit-log$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Paydesk' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  // A full page load after the expiry lands on sign-in as well.
  await page.goto('/settings/users');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Fusers$/);

  // Signing in again returns to where the user was going.
  await fillPasswordStep(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await page.getByLabel('Six-digit code').fill(await freshTotp(page.request, admin.totpSecret ?? ''));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByRole('grid', { name: 'Users' })).toBeVisible();
});
