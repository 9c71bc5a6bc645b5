import { readFile } from 'node:fs/promises';
import { expect, request as httpClient, test, type Browser, type Page } from '@playwright/test';
import { extractText } from 'unpdf';
import { baseURL } from '../playwright.config.ts';
import { mutate, signIn } from '../support/app.ts';
import { ensureLedger, query } from '../support/ledger.ts';
import { seriousViolations } from '../support/axe.ts';
import { loadState, type Account } from '../support/state.ts';

// Money actions as people do them: the first test fills the ledger (a few hundred webhooks).
test.describe.configure({ mode: 'serial', timeout: 240_000 });

interface Row {
  id: string;
  provider: string;
  kind: string;
  status: string;
  amountMinor: string;
  currency: string;
  reference: string;
  cardBin: string | null;
  cardLast4: string | null;
}

let agent: Account;
let approver: Account;
/** The Payment Book payment a customer pays through a link in the first test; refunded in the next. */
let paidThroughLink: { id: string; email: string };

/** A user made by the administrator, with the password chosen through their setup link. */
async function createAccount(page: Page, role: 'support' | 'finance', name: string): Promise<Account> {
  const email = `${role}-money-${Date.now()}@paydesk.test`;
  const { setupUrl } = await mutate<{ setupUrl: string }>(page.request, 'user.create', { email, name, role });
  const password = `${role} passphrase for money actions 7`;
  const anonymous = await httpClient.newContext({ baseURL });
  try {
    await mutate(anonymous, 'auth.completeSetup', {
      token: new URL(setupUrl).hash.slice('#token='.length),
      password,
    });
  } finally {
    await anonymous.dispose();
  }
  return { email, name, password };
}

/** A page of its own (own cookies) signed in as `account`. */
async function signedIn(browser: Browser, account: Account): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, account);
  return page;
}

async function openTransaction(page: Page, id: string): Promise<void> {
  await page.goto(`/transactions/${id}`);
  await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible({ timeout: 30_000 });
}

/** Reloads the transaction page until its header shows `status`. */
async function expectStatus(page: Page, id: string, status: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await openTransaction(page, id);
        // The chip beside the amount, in the page's header.
        const header = page.getByRole('main').getByRole('heading', { level: 1 }).locator('xpath=..');
        return header.getByText(status, { exact: true }).isVisible();
      },
      { message: `the transaction reaches “${status}”`, timeout: 60_000, intervals: [1_000, 2_000] },
    )
    .toBe(true);
}

async function ledgerRows(page: Page, filter: Record<string, unknown>): Promise<Row[]> {
  const list = await query<{ rows: Row[] }>(page.request, 'transaction.list', {
    from: '2000-01-01T00:00:00Z',
    page: 0,
    pageSize: 100,
    ...filter,
  });
  return list.rows;
}

/** Fills the refund dialog's first step and goes on to the confirmation. */
async function reviewRefund(page: Page, amount: string | null, reason: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Refund this payment' });
  const field = dialog.getByRole('textbox', { name: 'Amount' });
  await expect(field).not.toHaveValue('');
  if (amount !== null) await field.fill(amount);
  await dialog.getByRole('combobox', { name: 'Reason' }).click();
  await page.getByRole('option', { name: reason }).click();
  await dialog.getByRole('button', { name: 'Review refund' }).click();
}

test.beforeAll(async ({ browser }) => {
  const { admin } = await loadState();
  const page = await signedIn(browser, admin);
  await ensureLedger(page.request);
  agent = await createAccount(page, 'support', 'Rita Refunds');
  approver = await createAccount(page, 'finance', 'Fred Approver');
  await page.context().close();
});

test('an agent creates a payment link; the customer pays it; the ledger shows it paid', async ({
  browser,
}) => {
  const page = await signedIn(browser, agent);
  const email = `link-${Date.now()}@example.com`;
  await page.goto('/transactions');
  await page.getByRole('button', { name: 'New payment link' }).click();
  const dialog = page.getByRole('dialog', { name: 'New payment link' });
  await dialog.getByRole('combobox', { name: 'Provider account' }).click();
  await page.getByRole('option', { name: /Ledger payment-book/ }).click();
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('80.00');
  await dialog.getByRole('combobox', { name: 'Currency' }).click();
  await page.getByRole('option', { name: 'EUR', exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Customer e-mail' }).fill(email);
  await dialog.getByRole('button', { name: 'Create payment link' }).click();
  await expect(dialog.getByText('Payment link ready')).toBeVisible({ timeout: 30_000 });
  const link = await dialog.getByRole('textbox', { name: 'Payment link' }).inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

  await test.step('the customer pays on the provider’s page', async () => {
    const customer = await page.context().newPage();
    await customer.goto(link);
    await customer.getByRole('button', { name: 'Pay', exact: true }).click();
    await expect(customer.getByRole('heading', { level: 1 })).toBeVisible();
    await customer.close();
  });

  await dialog.getByRole('link', { name: 'Open the payment in Paydesk' }).click();
  await page.waitForURL(/\/transactions\/[0-9a-f-]{36}$/);
  const id = /\/transactions\/([0-9a-f-]{36})/.exec(page.url())?.[1];
  expect(id).toBeTruthy();
  await expectStatus(page, id!, 'Succeeded');
  await expect(page.getByRole('main').getByRole('link', { name: email }).first()).toBeVisible();
  paidThroughLink = { id: id!, email };
  await page.context().close();
});

test('an agent refunds part of a payment; a refund beyond the remainder is refused, naming it', async ({
  browser,
}) => {
  const page = await signedIn(browser, agent);
  await openTransaction(page, paidThroughLink.id);
  const main = page.getByRole('main');

  // A second tab, its refund reviewed for the whole remainder before the first tab refunds a part.
  const otherTab = await page.context().newPage();
  await openTransaction(otherTab, paidThroughLink.id);
  await otherTab.getByRole('button', { name: 'Refund', exact: true }).click();
  const whole = await otherTab
    .getByRole('dialog', { name: 'Refund this payment' })
    .getByRole('textbox', { name: 'Amount' })
    .inputValue();
  await reviewRefund(otherTab, null, 'Duplicate payment');

  await test.step('refunds 30.00 EUR of it', async () => {
    await main.getByRole('button', { name: 'Refund', exact: true }).click();
    await reviewRefund(page, '30.00', 'Requested by the customer');
    const confirm = page.getByRole('dialog', { name: 'Confirm the refund' });
    await expect(confirm).toContainText(`Refund 30.00 EUR to ${paidThroughLink.email} through Payment Book?`);
    await confirm.getByRole('button', { name: 'Refund 30.00 EUR' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Refunded 30\.00 EUR/ })).toBeVisible({
      timeout: 30_000,
    });
    const refunds = main.getByRole('list', { name: 'Refunds of this payment' });
    await expect(refunds.getByRole('listitem').first()).toContainText('Refunded');
    await expect(main.getByRole('definition').filter({ hasText: '30.00' }).first()).toBeVisible();
  });

  const remainder = (Number(whole) - 30).toFixed(2);
  await test.step('the other tab’s refund of the whole amount is refused, naming what is left', async () => {
    const confirm = otherTab.getByRole('dialog', { name: 'Confirm the refund' });
    await confirm.getByRole('button', { name: `Refund ${whole} EUR` }).click();
    await expect(otherTab.getByRole('dialog', { name: 'Refund this payment' })).toContainText(
      `at most ${remainder} EUR can still be refunded (30.00 EUR already refunded)`,
    );
  });

  await test.step('the form itself refuses more than what is left, naming it', async () => {
    await page.reload();
    await main.getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund this payment' });
    await expect(dialog.getByRole('textbox', { name: 'Amount' })).toHaveValue(remainder);
    await reviewRefund(page, whole, 'Duplicate payment');
    await expect(dialog.getByText(`At most ${remainder} EUR can be refunded.`)).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
  await page.context().close();
});

test('a refund above the approval threshold waits until a second user approves it', async ({ browser }) => {
  const { admin } = await loadState();
  const adminPage = await signedIn(browser, admin);
  await test.step('an administrator sets refunds from 10.00 EUR to need approval', async () => {
    await adminPage.goto('/settings/refunds');
    await adminPage.getByRole('textbox', { name: 'Refunds in EUR from' }).fill('10.00');
    await adminPage.getByRole('button', { name: 'Save approval policy' }).click();
    await expect(adminPage.getByText('Refund approval policy saved.')).toBeVisible();
  });

  try {
    const page = await signedIn(browser, agent);
    await openTransaction(page, paidThroughLink.id);
    const main = page.getByRole('main');
    await test.step('the agent asks for 20.00 EUR; it waits for approval', async () => {
      await main.getByRole('button', { name: 'Refund', exact: true }).click();
      await reviewRefund(page, '20.00', 'Product not delivered');
      const confirm = page.getByRole('dialog', { name: 'Confirm the refund' });
      await expect(confirm.getByText('Needs approval')).toBeVisible();
      await confirm.getByRole('button', { name: 'Ask for approval' }).click();
      const waiting = main
        .getByRole('list', { name: 'Refunds of this payment' })
        .getByRole('listitem')
        .filter({ hasText: 'Awaiting approval' });
      await expect(waiting).toBeVisible({ timeout: 30_000 });
      await expect(waiting).toContainText('nothing has been sent to the provider yet');
      // Nobody approves their own refund.
      await expect(waiting.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    });

    await test.step('a finance user approves it from Refund approvals', async () => {
      const finance = await signedIn(browser, approver);
      await finance
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Refund approvals' })
        .click();
      const row = finance
        .getByRole('table', { name: 'Refunds waiting for approval' })
        .getByRole('row')
        .filter({ hasText: agent.email });
      await expect(row).toBeVisible();
      await row.getByRole('button', { name: 'Approve' }).click();
      const dialog = finance.getByRole('dialog', { name: 'Approve this refund' });
      await dialog.getByRole('button', { name: 'Approve and send' }).click();
      await expect(finance.getByRole('status').filter({ hasText: /20\.00 EUR/ })).toBeVisible({
        timeout: 30_000,
      });
      await expect(finance.getByText('No refunds are waiting for approval')).toBeVisible();
      await finance.context().close();
    });

    await test.step('the agent’s page shows it refunded', async () => {
      await expect(
        main.getByRole('list', { name: 'Refunds of this payment' }).getByRole('listitem').first(),
      ).toContainText('Refunded', { timeout: 30_000 });
    });
    await page.context().close();
  } finally {
    await mutate(adminPage.request, 'refund.updatePolicy', {
      thresholds: { EUR: '500.00', USD: '500.00', GBP: '500.00', CHF: '500.00', JPY: '75000' },
      maxSharePercent: null,
    });
    await adminPage.context().close();
  }
});

test('an agent cancels a subscription, told the consequence first, and sees it cancelled', async ({
  browser,
}) => {
  const page = await signedIn(browser, agent);
  const [subscription] = await ledgerRows(page, {
    providers: ['payment-book'],
    kinds: ['subscription'],
    statuses: ['active'],
  });
  if (!subscription) throw new Error('the ledger has no active Payment Book subscription');
  await openTransaction(page, subscription.id);
  await page.getByRole('main').getByRole('button', { name: 'Cancel subscription' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this subscription?' });
  await expect(dialog).toContainText('The service they have paid for runs to the end of the current period');
  await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(dialog.getByText('Say why (at least 3 characters)')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Why is it cancelled?' }).fill('Customer moved abroad');
  await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Cancellation requested|cancelled/ })).toBeVisible({
    timeout: 30_000,
  });
  await expectStatus(page, subscription.id, 'Cancelled');
  await expect(page.getByRole('main').getByRole('button', { name: 'Cancel subscription' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await page.context().close();
});

test('Gate offers a full refund only; a receipt PDF downloads with the amount and the masked card', async ({
  browser,
}) => {
  const page = await signedIn(browser, agent);
  const main = page.getByRole('main');
  await test.step('the refund action says what Gate allows', async () => {
    const [gatePayment] = await ledgerRows(page, {
      providers: ['gate'],
      kinds: ['payment'],
      statuses: ['succeeded'],
    });
    if (!gatePayment) throw new Error('the ledger has no succeeded Gate payment');
    await openTransaction(page, gatePayment.id);
    await main.getByRole('button', { name: 'Refund in full' }).hover();
    await expect(page.getByRole('tooltip')).toHaveText('Gate refunds only the full amount.');
  });

  // A receipt Paydesk draws itself (Gate and Paytone issue none), for a card payment.
  const payment = (
    await ledgerRows(page, { providers: ['gate', 'paytone'], kinds: ['payment'], statuses: ['succeeded'] })
  ).find((row) => row.cardLast4 && row.cardBin);
  if (!payment) throw new Error('the ledger has no succeeded Gate or Paytone card payment');
  await openTransaction(page, payment.id);

  const downloading = page.waitForEvent('download');
  await main.getByRole('button', { name: 'Receipt', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^receipt-.+\.pdf$/);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });

  const [whole = '0', fraction] = (
    payment.currency === 'JPY'
      ? payment.amountMinor
      : `${payment.amountMinor.slice(0, -2) || '0'}.${payment.amountMinor.slice(-2).padStart(2, '0')}`
  ).split('.');
  const amount = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''} ${payment.currency}`;
  expect(text).toContain(amount);
  expect(text).toContain(`${payment.cardBin} •••• ${payment.cardLast4}`);
  // Nothing more of the card than its BIN and last four.
  expect(text).not.toMatch(new RegExp(`${payment.cardBin}\\d{4,}`));
  await page.context().close();
});

test('the grid’s refund action works from the keyboard; the money screens have no serious axe findings', async ({
  browser,
}) => {
  const page = await signedIn(browser, agent);
  await page.goto(`/transactions?q=${paidThroughLink.id}`);
  const grid = page.getByRole('grid', { name: 'Transactions' });
  await expect(grid.getByRole('row').filter({ has: page.getByRole('gridcell') })).toHaveCount(1);

  await test.step('Tab into the grid, End to the row’s actions, Enter opens the refund', async () => {
    // Each key waits for the focus it moves, as a user's eyes would: the actions cell hands its focus
    // to its button a render later, and Enter before then lands on the cell.
    await page.getByRole('button', { name: 'Density' }).focus();
    await page.keyboard.press('Tab');
    await expect(grid.getByRole('columnheader').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(grid.getByRole('gridcell').first()).toBeFocused();
    await page.keyboard.press('End');
    await expect(grid.getByRole('button', { name: /^Refund / })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/transactions/${paidThroughLink.id}\\?refund=1$`));
    await expect(page.getByRole('dialog', { name: 'Refund this payment' })).toBeVisible();
  });

  await test.step('the refund dialog', async () => {
    await expect(page.getByRole('textbox', { name: 'Amount' })).not.toHaveValue('');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(new RegExp(`/transactions/${paidThroughLink.id}$`));
  });
  await page.context().close();

  const { admin } = await loadState();
  const adminPage = await signedIn(browser, admin);
  for (const [path, heading] of [
    ['/refunds/approvals', 'Refund approvals'],
    ['/settings/refunds', 'Refunds & receipts'],
  ] as const) {
    await test.step(heading, async () => {
      await adminPage.goto(path);
      await expect(adminPage.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      await expect(adminPage.getByRole('progressbar')).toHaveCount(0);
      expect(await seriousViolations(adminPage)).toEqual([]);
    });
  }
  await test.step('the payment link dialog', async () => {
    await adminPage.goto('/transactions');
    await adminPage.getByRole('button', { name: 'New payment link' }).click();
    await expect(adminPage.getByRole('textbox', { name: 'Amount' })).toBeVisible();
    expect(await seriousViolations(adminPage)).toEqual([]);
  });
  await adminPage.context().close();
});
