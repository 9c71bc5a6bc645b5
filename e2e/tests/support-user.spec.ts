import { expect, test } from '@playwright/test';
import { choosePassword, fillPasswordStep } from '../support/app.ts';
import { loadState, setupPath } from '../support/state.ts';

test('a support agent completes setup, signs in and sees no settings', async ({ page }) => {
  const { support } = await loadState();
  const password = 'support agent passphrase 7';
  const nav = page.getByRole('navigation', { name: 'Main' });

  await page.goto(setupPath(support.setupUrl));
  await choosePassword(page, password);

  // Two-factor is required for administrators only (the default policy), so this is a full sign-in.
  await expect(nav).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Transactions' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Analytics' })).toBeVisible();
  await expect(nav.getByText('Settings')).toHaveCount(0);
  for (const label of ['Reports', 'Connections', 'Webhooks', 'Users', 'Security', 'Audit log']) {
    await expect(nav.getByRole('link', { name: label })).toHaveCount(0);
  }

  await test.step('a settings address shows "no access"', async () => {
    await page.goto('/settings/users');
    await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
    await expect(page.getByRole('grid')).toHaveCount(0);
  });

  await test.step('the setup link works only once', async () => {
    await page.goto(setupPath(support.setupUrl));
    await choosePassword(page, password);
    await expect(page.getByRole('alert')).toBeVisible();
  });

  await test.step('signs out and back in with the new password', async () => {
    await page.goto('/transactions');
    await page.getByRole('button', { name: /^Account: Sam Support/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await fillPasswordStep(page, support.email, password);
    await expect(nav).toBeVisible();
    await expect(nav.getByText('Settings')).toHaveCount(0);
  });
});
