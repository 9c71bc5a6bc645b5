import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signIn } from '../support/app.ts';
import { loadState } from '../support/state.ts';

test('the audit log filters through the URL, shows an entry’s before/after and exports CSV', async ({
  page,
}) => {
  const { admin } = await loadState();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Faudit-log');
  await expect(page).toHaveURL(/\/settings\/audit-log$/);
  const grid = page.getByRole('grid', { name: 'Audit log entries' });
  await expect(grid.getByRole('row').nth(1)).toBeVisible();

  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'user.create', exact: true }).click();
  await expect(page).toHaveURL(/action=user\.create/);
  // Data rows only (the header row has column headers, not cells). The previous page stays on screen
  // while the filtered one loads, so these assertions wait for the new result.
  const dataRows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') });
  await expect(dataRows.filter({ hasNotText: 'user.create' })).toHaveCount(0);
  await expect(dataRows.first()).toContainText(admin.email);

  await test.step('the view survives a reload', async () => {
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Action' })).toHaveText('user.create');
  });

  await test.step('an entry shows what changed', async () => {
    await grid
      .getByRole('button', { name: /^Details of user\.create/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Audit entry: user.create' });
    await expect(dialog.getByRole('region', { name: 'Before' })).toBeVisible();
    await expect(dialog.getByRole('region', { name: 'After' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  await test.step('Export CSV uses the same filters', async () => {
    const link = page.getByRole('link', { name: 'Export CSV' });
    await expect(link).toHaveAttribute('href', '/exports/audit.csv?action=user.create');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('action');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes('user.create'))).toBe(true);
  });

  await test.step('a date range after today shows the filtered empty state', async () => {
    await page.getByLabel('From').fill('2999-01-01');
    await expect(page).toHaveURL(/from=2999-01-01/);
    await expect(page.getByText('No entries match these filters')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).not.toHaveURL(/action=|from=/);
  });
});
