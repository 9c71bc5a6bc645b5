import { expect, test } from '@playwright/test';
import { mutate, signIn } from '../support/app.ts';
import { loadSandbox, loadState } from '../support/state.ts';
import { seriousViolations } from '../support/axe.ts';

test('sign-in has no serious accessibility violations', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to Paydesk' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('Users has no serious accessibility violations', async ({ page }) => {
  const { admin } = await loadState();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Fusers');
  await expect(page.getByRole('grid', { name: 'Users' }).getByRole('row').nth(1)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('dialog', { name: 'Add a user' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
});

test('a user’s actions can be reached with the keyboard', async ({ page }) => {
  const { admin, support } = await loadState();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Fusers');
  // Into the grid, along the row to its actions cell, open the menu and pick an action.
  await page.getByRole('gridcell', { name: support.name, exact: true }).click();
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: `Actions for ${support.name}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: /Change role/ })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Change the role of ${support.name}` });
  await expect(dialog.getByRole('radio', { name: /Support agent/ })).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // An administrator's own row offers no way to demote or deactivate themself.
  await page.getByRole('button', { name: `Actions for ${admin.name}` }).click();
  await expect(page.getByRole('menuitem', { name: /Change role/ })).toBeDisabled();
  await expect(page.getByRole('menuitem', { name: /Deactivate/ })).toBeDisabled();
});

test('Audit log has no serious accessibility violations', async ({ page }) => {
  const { admin } = await loadState();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Faudit-log');
  await expect(page.getByRole('grid', { name: 'Audit log entries' }).getByRole('row').nth(1)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page
    .getByRole('button', { name: /^Details of / })
    .first()
    .click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('Connections has no serious accessibility violations, and its actions work from the keyboard', async ({
  page,
}) => {
  const { admin } = await loadState();
  const sandbox = await loadSandbox();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Fconnections');
  const empty = page.getByRole('heading', { name: 'No provider account is connected yet' });
  await expect(empty.or(page.getByRole('region').first())).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const name = 'Accessibility check';
  await mutate(page.request, 'connection.create', {
    provider: 'gate',
    name,
    mode: 'test',
    baseUrl: sandbox.urls.gate,
    credentials: { apiKey: sandbox.credentials.gate.bearerKeys[1] },
  });
  await page.reload();
  const card = page.getByRole('region', { name, exact: true });
  const testButton = card.getByRole('button', { name: 'Test connection' });
  await testButton.focus();
  await page.keyboard.press('Enter');
  await expect(card).toContainText('Succeeded');
  expect(await seriousViolations(page)).toEqual([]);

  // From the test button to the menu of the other actions, and into one of them.
  await testButton.focus();
  await page.keyboard.press('Tab');
  await expect(card.getByRole('button', { name: `More actions for ${name}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Edit name or base URL…' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Rotate credentials…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const rotate = page.getByRole('dialog', { name: `Rotate the credentials of ${name}` });
  await expect(rotate.getByRole('textbox', { name: 'Terminal API key', exact: true })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(rotate).toHaveCount(0);

  // The add form, its provider chosen with the keyboard.
  await page.getByRole('button', { name: 'Add connection' }).click();
  const add = page.getByRole('dialog', { name: 'Add a connection' });
  await expect(add.getByRole('combobox', { name: 'Provider' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { name: 'Gate' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { name: 'Payment Book' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(add.getByRole('textbox', { name: 'API token secret', exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(add).toHaveCount(0);
});
