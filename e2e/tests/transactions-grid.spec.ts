import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { signIn } from '../support/app.ts';
import { ensureLedger } from '../support/ledger.ts';
import { loadState } from '../support/state.ts';
import { seriousViolations } from '../support/axe.ts';

const providerLabels = { gate: 'Gate', 'payment-book': 'Payment Book', paytone: 'Paytone' } as const;

// The first test to run fills the ledger (a few hundred webhooks); the others reuse it. The grid's
// queries share the machine with that traffic, so assertions wait a little longer than elsewhere.
test.describe.configure({ timeout: 240_000 });
const expect = baseExpect.configure({ timeout: 20_000 });

async function openGrid(page: Page, query = ''): Promise<Locator> {
  const { admin } = await loadState();
  await signIn(page, admin, `/sign-in?next=${encodeURIComponent(`/transactions${query}`)}`);
  await ensureLedger(page.request);
  const grid = page.getByRole('grid', { name: 'Transactions' });
  await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
  return grid;
}

/** The text of one column's cells, in row order. */
function column(grid: Locator, field: string): Locator {
  return grid.locator(`[role="gridcell"][data-field="${field}"]`);
}

/** A day as a date field shows it, in a zone ("2026-03-01"). */
function dayIn(zone: string, date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' }).format(date);
}

test('searching a customer’s e-mail finds their transactions at all three providers', async ({ page }) => {
  const grid = await openGrid(page, '?size=100');
  const { customerEmail, providers } = await ensureLedger(page.request);

  // Typed in capitals: e-mail search does not care about case.
  await page.getByRole('searchbox', { name: 'Search transactions' }).fill(customerEmail.toUpperCase());
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(customerEmail.toUpperCase())}`));
  await expect(page.getByText('Searched as a customer e-mail, across all dates.')).toBeVisible();

  const providerCells = column(grid, 'provider');
  for (const provider of providers) {
    await expect(providerCells.filter({ hasText: providerLabels[provider] }).first()).toBeVisible();
  }
  const customers = column(grid, 'customerEmail');
  await expect(customers.first()).toBeVisible();
  for (const text of await customers.allTextContents()) expect(text.toLowerCase()).toContain(customerEmail);
  const count = await grid
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') })
    .count();
  await expect(page.getByRole('status').filter({ hasText: /\d+ transactions?/ })).toContainText(
    count === 1 ? '1 transaction' : `${count} transactions`,
  );
});

test('a filter set with days of another time zone survives a reload and a copied link', async ({
  page,
  browser,
}, testInfo) => {
  const grid = await openGrid(page);
  const { admin } = await loadState();
  const zone = 'Asia/Tokyo';
  const from = dayIn(zone, new Date(Date.now() - 40 * 86_400_000));
  const to = dayIn(zone, new Date(Date.now() + 2 * 86_400_000));

  await test.step('picks a zone, two days, a provider and a status', async () => {
    const zonePicker = page.getByRole('combobox', { name: 'Time zone' });
    await zonePicker.fill('Tokyo');
    await page.getByRole('option', { name: zone, exact: true }).click();
    await expect(page).toHaveURL(/tz=Asia%2FTokyo/);
    await expect(page.getByRole('switch', { name: 'UTC' })).not.toBeChecked();

    // The API receives the days as instants at Tokyo's offset.
    const asked = page.waitForRequest(
      (request) =>
        request.url().includes('transaction.list') &&
        decodeURIComponent(request.url()).includes(`"from":"${from}T00:00:00+09:00"`),
    );
    await page.getByLabel('From', { exact: true }).fill(from);
    await asked;
    await page.getByLabel('To', { exact: true }).fill(to);

    await page.getByRole('combobox', { name: 'Provider' }).click();
    await page.getByRole('option', { name: 'Paytone' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Succeeded' }).click();
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/provider=paytone/);
    await expect(page).toHaveURL(/status=succeeded/);
  });

  const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') });
  const expectFiltered = async (target: Page) => {
    await expect(target.getByLabel('From', { exact: true })).toHaveValue(from);
    await expect(target.getByLabel('To', { exact: true })).toHaveValue(to);
    await expect(target.getByRole('combobox', { name: 'Time zone' })).toHaveValue(zone);
    await expect(target.getByRole('combobox', { name: 'Provider' })).toHaveText('Paytone');
    await expect(target.getByRole('combobox', { name: 'Status' })).toHaveText('Succeeded');
    const targetGrid = target.getByRole('grid', { name: 'Transactions' });
    await expect(targetGrid.getByRole('columnheader', { name: 'Occurred (Tokyo)' })).toBeVisible();
    await expect(column(targetGrid, 'provider').first()).toHaveText('Paytone');
    await expect(column(targetGrid, 'provider').filter({ hasNotText: 'Paytone' })).toHaveCount(0);
    await expect(column(targetGrid, 'status').filter({ hasNotText: 'Succeeded' })).toHaveCount(0);
  };
  await expectFiltered(page);
  const firstRow = await rows.first().getAttribute('data-id');
  const firstOccurred = await column(grid, 'occurredAt').first().textContent();
  expect(firstRow).toBeTruthy();

  await test.step('a reload shows the same', async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
    await expectFiltered(page);
    await expect(rows.first()).toHaveAttribute('data-id', firstRow!);
  });

  await test.step('the link, in a fresh browser elsewhere, shows the same', async () => {
    const link = new URL(page.url());
    const baseURL = testInfo.project.use.baseURL ?? link.origin;
    // Another machine, in another zone: the link's zone decides, not the browser's.
    const context = await browser.newContext({ baseURL, timezoneId: 'America/New_York' });
    try {
      const other = await context.newPage();
      await other.goto(`${link.pathname}${link.search}`);
      await expect(other).toHaveURL(/\/sign-in\?next=/);
      await signIn(other, admin, `/sign-in?next=${encodeURIComponent(`${link.pathname}${link.search}`)}`);
      await expect(other).toHaveURL(`${baseURL}${link.pathname}${link.search}`);
      await expectFiltered(other);
      const otherGrid = other.getByRole('grid', { name: 'Transactions' });
      const otherRows = otherGrid.getByRole('row').filter({ has: other.getByRole('gridcell') });
      await expect(otherRows.first()).toHaveAttribute('data-id', firstRow!);
      await expect(column(otherGrid, 'occurredAt').first()).toHaveText(firstOccurred!);
    } finally {
      await context.close();
    }
  });
});

test('a saved view restores its filters and columns, and can be shared', async ({ page }) => {
  const grid = await openGrid(page);
  const name = `Refunds ${Date.now()}`;
  // A column the grid renders at this width (columns scrolled out of view are not in the page).
  const connectionHeader = grid.getByRole('columnheader', { name: 'Connection' });

  await test.step('filters, hides a column and saves the view', async () => {
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Refunded', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/status=refunded/);
    await expect(connectionHeader).toBeVisible();
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Connection' }).uncheck();
    await page.keyboard.press('Escape');
    await expect(connectionHeader).toHaveCount(0);

    await page.getByRole('button', { name: 'Save view…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await expect(dialog.getByText('Give the view a name.')).toBeVisible();
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: `Saved views · ${name}` })).toBeVisible();

    // The same name again: the server refuses it, and says so on the field.
    await page.getByRole('button', { name: 'Save view…' }).click();
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await expect(dialog.getByText('Already used by another of your views')).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('other filters and columns, then the view brings its own back', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(page).not.toHaveURL(/status=/);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Connection' }).check();
    await page.keyboard.press('Escape');
    await expect(connectionHeader).toBeVisible();

    await page.getByRole('button', { name: /^Saved views/ }).click();
    await page.getByRole('menuitem', { name }).click();
    await expect(page).toHaveURL(/status=refunded/);
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveText('Refunded');
    await expect(connectionHeader).toHaveCount(0);
    await expect(column(grid, 'status').filter({ hasNotText: 'Refunded' })).toHaveCount(0);
  });

  await test.step('an administrator shares it with everyone, then deletes it', async () => {
    await page.getByRole('button', { name: /^Saved views/ }).click();
    await page.getByRole('menuitem', { name: 'Manage saved views…' }).click();
    const manage = page.getByRole('dialog', { name: 'Saved views' });
    await manage.getByRole('button', { name: `Share with everyone: ${name}` }).click();
    const item = manage.getByRole('listitem').filter({ hasText: name });
    await expect(item.getByText('Shared with everyone')).toBeVisible();
    await manage.getByRole('button', { name: `Delete ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: `Delete “${name}”?` });
    await expect(confirm).toContainText('disappears for everyone');
    await confirm.getByRole('button', { name: 'Delete view' }).click();
    await expect(item).toHaveCount(0);
    await manage.getByRole('button', { name: 'Done' }).click();
  });

  // The columns are the agent's own, remembered across visits: Connection is still hidden.
  await page.goto('/transactions');
  await expect(grid.getByRole('columnheader', { name: 'Occurred (UTC)' })).toBeVisible();
  await expect(connectionHeader).toHaveCount(0);
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Connection' }).check();
  await page.keyboard.press('Escape');
  await expect(connectionHeader).toBeVisible();
});

test('the keyboard moves into the grid and Enter opens the transaction', async ({ page }) => {
  const grid = await openGrid(page);
  const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') });
  await expect(rows.first()).toBeVisible();
  const firstId = await rows.first().getAttribute('data-id');

  // From the toolbar's last button, Tab enters the grid on its first column header.
  await page.getByRole('button', { name: 'Density' }).focus();
  await page.keyboard.press('Tab');
  await expect(grid.getByRole('columnheader', { name: 'Occurred (UTC)' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(column(grid, 'occurredAt').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(column(grid, 'occurredAt').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/transactions/${firstId}$`));
  expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
});

test('the transactions grid has no serious accessibility violations', async ({ page }) => {
  const grid = await openGrid(page);
  await expect(grid.getByRole('row').nth(1)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'More filters' }).click();
  await expect(page.getByRole('group', { name: 'More filters' })).toBeVisible();
  await page.getByLabel('Min amount').fill('not a number');
  await expect(page.getByText('Digits with an optional decimal point, like 12.50.')).toBeVisible();
  await expect(page.getByText('Some filters need fixing')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByText('Some filters need fixing')).toHaveCount(0);

  await page.getByRole('combobox', { name: 'Status' }).click();
  await expect(page.getByRole('listbox')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Columns' }).click();
  await expect(page.getByRole('checkbox', { name: 'Connection' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Save view…' }).click();
  await expect(page.getByRole('dialog', { name: 'Save this view' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
});
