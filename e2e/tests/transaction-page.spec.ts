import { expect, test, type Page } from '@playwright/test';
import { signIn } from '../support/app.ts';
import {
  ensureLedger,
  rejectedWebhookTransaction,
  sandboxRecords,
  sandboxSetStatus,
  transactionIdOf,
} from '../support/ledger.ts';
import { loadState } from '../support/state.ts';
import { seriousViolations } from '../support/axe.ts';

// The first test to run fills the ledger (a few hundred webhooks); the others reuse it.
test.describe.configure({ timeout: 240_000 });

async function signInAsAdmin(page: Page): Promise<void> {
  const { admin } = await loadState();
  await signIn(page, admin);
}

/** Opens a transaction's page; the first load on a busy machine may take a while. */
async function openTransaction(page: Page, id: string): Promise<void> {
  await page.goto(`/transactions/${id}`);
  await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });
}

/** A succeeded Paytone payment the ledger knows, other than the one the rejected-webhook helper uses. */
async function succeededPaytonePayment(page: Page): Promise<{ id: string; providerId: string }> {
  const payments = (await sandboxRecords('paytone')).filter((record) => record.kind === 'payment');
  const record = payments
    .slice(1)
    .reverse()
    .find((each) => each.status === 'processed');
  if (!record) throw new Error('the sandbox has no processed Paytone payment');
  return { id: await transactionIdOf(page.request, record.providerId), providerId: record.providerId };
}

test('the drill-down shows a rejected webhook on the timeline, with its reason', async ({ page }) => {
  await signInAsAdmin(page);
  const { id } = await rejectedWebhookTransaction(page.request);

  await test.step('opens it from the grid, searched by its Paydesk id', async () => {
    await page.goto(`/transactions?q=${id}`);
    const grid = page.getByRole('grid', { name: 'Transactions' });
    await grid.locator('[role="gridcell"][data-field="provider"]').first().click();
    await expect(page).toHaveURL(new RegExp(`/transactions/${id}$`));
  });

  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });

  await test.step('the timeline says the webhook was rejected, and why', async () => {
    const timeline = main.getByRole('region', { name: 'Timeline' });
    const rejected = timeline.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: 'Webhook rejected', level: 3 }),
    });
    await expect(rejected.first()).toBeVisible();
    await expect(rejected.first()).toContainText('Signature does not match');
    await expect(rejected.first()).toContainText(
      /Rejected \(bad signature\): .+\. Nothing in it was applied\./,
    );
  });

  await test.step('the delivery is listed, and its payload shows with the signature redacted', async () => {
    const deliveries = main.getByRole('region', { name: 'Webhook deliveries' });
    const row = deliveries.getByRole('row').filter({ hasText: 'Bad signature' }).first();
    await expect(row).toContainText('Rejected');
    await row.getByRole('button', { name: /^View webhook #\d+/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Webhook #\d+$/ });
    await expect(dialog).toContainText('Signature does not match');
    const headers = dialog.getByRole('region', { name: 'Headers' });
    await expect(headers).toContainText('"x-signature": "[redacted]"');
    await expect(dialog.getByRole('region', { name: 'Body' })).toContainText('"data"');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  await test.step('the provider payload opens from the keyboard', async () => {
    const raw = main.getByRole('button', { name: /^Raw payload/ });
    await raw.focus();
    await page.keyboard.press('Enter');
    await expect(raw).toHaveAttribute('aria-expanded', 'true');
    await expect(main.getByRole('region', { name: 'Raw payload, as stored' })).toContainText('"id"');
  });

  await test.step('"Back to transactions" returns to the grid with its search', async () => {
    await main.getByRole('link', { name: 'Back to transactions' }).click();
    await expect(page).toHaveURL(new RegExp(`/transactions\\?(.+&)?q=${id}(&|$)`));
  });
});

test('"Refresh from provider" picks up a status changed at the provider without a webhook', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await ensureLedger(page.request);
  const { id, providerId } = await succeededPaytonePayment(page);
  await openTransaction(page, id);
  const main = page.getByRole('main');
  const header = main.locator('h1').locator('..');
  await expect(header.getByText('Succeeded', { exact: true })).toBeVisible();

  await sandboxSetStatus('paytone', providerId, 'refunded');
  const refresh = main.getByRole('button', { name: 'Refresh from provider' });
  await refresh.focus();
  await page.keyboard.press('Enter');

  // A reconciliation run may have seen the change first; either way the provider's answer is shown.
  await expect(page.getByRole('status').filter({ hasText: /refunded/ })).toBeVisible();
  await expect(header.getByText('Refunded', { exact: true })).toBeVisible();
  await expect(header).toContainText(/Provider status\s*refunded/);

  const call = main
    .getByRole('region', { name: 'Timeline' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Provider call: look-up', level: 3 }) })
    .first();
  await expect(call).toContainText(/Refreshed from provider in \d+ ms: refunded/);
  await expect(call).toContainText('Answered');
  await expect(call).toContainText(/\d+ ms/);
  await expect(call).toContainText(/User action by /);
});

test('the customer view lists every provider the customer paid with', async ({ page }) => {
  await signInAsAdmin(page);
  const ledger = await ensureLedger(page.request);
  const path = `/customers/${encodeURIComponent(ledger.customerEmail)}`;
  await page.goto(path);
  // A deep link survives a reload: the server serves the app for a path that ends in an e-mail.
  await page.reload();

  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(main).toContainText(ledger.customerEmail);
  const table = main.getByRole('region', { name: 'Transactions per provider and currency' });
  for (const provider of ['Gate', 'Payment Book', 'Paytone']) {
    await expect(table.getByRole('rowheader', { name: provider }).first()).toBeVisible();
  }
  await expect(main.getByRole('link', { name: 'All transactions of this customer' })).toHaveAttribute(
    'href',
    `/transactions?q=${encodeURIComponent(ledger.customerEmail)}`,
  );
  expect(await seriousViolations(page)).toEqual([]);

  await test.step('an e-mail with no transactions has a designed empty state', async () => {
    await page.goto('/customers/nobody-at-all%40example.com');
    await expect(main.getByRole('heading', { name: 'No transactions with this e-mail' })).toBeVisible({
      timeout: 30_000,
    });
  });
});

test('an unknown or malformed transaction id shows "not found"', async ({ page }) => {
  await signInAsAdmin(page);
  const main = page.getByRole('main');

  await page.goto('/transactions/00000000-0000-4000-8000-000000000000');
  await expect(main.getByRole('heading', { name: 'Transaction not found', level: 1 })).toBeVisible({
    timeout: 30_000,
  });
  await expect(main.getByRole('heading', { name: 'No transaction has this id', level: 2 })).toBeVisible();
  await expect(main.getByRole('link', { name: 'Search the transactions' })).toHaveAttribute(
    'href',
    '/transactions',
  );
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto('/transactions/not-a-paydesk-id');
  await expect(main.getByRole('heading', { name: 'Transaction not found', level: 1 })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'This is not a transaction id', level: 2 })).toBeVisible();
});

test('the transaction page has no serious accessibility violations', async ({ page }) => {
  await signInAsAdmin(page);
  await ensureLedger(page.request);
  const { id } = await succeededPaytonePayment(page);
  await openTransaction(page, id);
  const main = page.getByRole('main');
  await expect(main.getByRole('region', { name: 'Timeline' })).toBeVisible();
  const headings = await main.getByRole('heading', { level: 2 }).allTextContents();
  expect(headings).toEqual(
    expect.arrayContaining([
      'Summary',
      'Times',
      'Operations',
      'Timeline',
      'Webhook deliveries',
      'Provider payload',
    ]),
  );
  await expect(main.getByRole('heading', { level: 1 })).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
});
