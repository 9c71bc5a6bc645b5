import { expect, test, type Locator, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config.ts';
import { choosePassword, csrf, mutate, signIn } from '../support/app.ts';
import { loadSandbox, loadState, setupPath } from '../support/state.ts';

const webhookUrlPattern = new RegExp(`^${baseURL.replace(/[.]/g, '\\.')}/hooks/[A-Za-z0-9_-]{20,}$`);

async function openConnections(page: Page): Promise<void> {
  const { admin } = await loadState();
  await signIn(page, admin, '/sign-in?next=%2Fsettings%2Fconnections');
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
  await expect(page.getByRole('status')).toHaveCount(0);
}

/** Opens "Add a connection" and picks the provider, whose fields then appear. */
async function startAdding(page: Page, provider: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a connection' });
  await dialog.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: provider, exact: true }).click();
  return dialog;
}

const card = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** Collects the body of every response the page receives from now on. */
function recordResponses(page: Page): () => Promise<{ url: string; body: string }[]> {
  const bodies: Promise<{ url: string; body: string }>[] = [];
  page.on('response', (response) => {
    bodies.push(
      response.body().then(
        (body) => ({ url: response.url(), body: body.toString('utf8') }),
        // A redirect or an aborted request has no body to leak anything.
        () => ({ url: response.url(), body: '' }),
      ),
    );
  });
  return () => Promise.all(bodies);
}

test('an administrator connects Payment Book; its secret is never shown or sent back again', async ({
  page,
}) => {
  const sandbox = await loadSandbox();
  const token = sandbox.credentials['payment-book'].tokens[0]!;
  const name = 'Payment Book sandbox';
  await openConnections(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });

  const dialog = await startAdding(page, 'Payment Book');
  const secretInput = dialog.getByRole('textbox', { name: 'API token secret', exact: true });
  const baseUrlInput = dialog.getByRole('textbox', { name: 'Base URL', exact: true });

  await test.step('secret inputs are password inputs the browser does not fill in', async () => {
    await expect(secretInput).toHaveAttribute('type', 'password');
    await expect(secretInput).toHaveAttribute('autocomplete', 'off');
    await expect(dialog.getByRole('textbox', { name: 'Webhook secret', exact: true })).toHaveAttribute(
      'type',
      'password',
    );
    await expect(
      dialog.getByRole('textbox', { name: 'Webhook secret', exact: true }),
    ).toHaveAccessibleDescription(/signs webhooks/);
  });

  await test.step('a required field left empty is marked before anything is sent', async () => {
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'API token name', exact: true }).fill(token.name);
    await dialog.getByRole('textbox', { name: 'Service id', exact: true }).fill(String(token.serviceId));
    await baseUrlInput.fill('not a url');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await expect(secretInput).toHaveAttribute('aria-invalid', 'true');
    await expect(secretInput).toHaveAccessibleDescription('API token secret is required.');
    await expect(secretInput).toBeFocused();
  });

  await test.step('the server’s field errors are shown on their fields', async () => {
    await secretInput.fill('short');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await expect(baseUrlInput).toHaveAttribute('aria-invalid', 'true');
    await expect(baseUrlInput).toHaveAccessibleDescription(/^Base URL must be a full .*URL/);
    await expect(baseUrlInput).toBeFocused();
    await expect(dialog.getByRole('alert')).toHaveText('Correct the field marked below.');

    await baseUrlInput.fill(sandbox.urls['payment-book']);
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await expect(secretInput).toHaveAccessibleDescription(/Token secret is too short to be real/);
    await expect(baseUrlInput).not.toHaveAttribute('aria-invalid', 'true');
  });

  const responses = recordResponses(page);
  let webhookUrl = '';
  await test.step('once saved, the webhook URL to give the provider is shown', async () => {
    await secretInput.fill(token.secret);
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    const connected = page.getByRole('dialog', { name: `${name} is connected` });
    await expect(connected).toContainText('In Payment Book’s backoffice');
    webhookUrl = await connected.getByLabel('Webhook URL').inputValue();
    expect(webhookUrl).toMatch(webhookUrlPattern);
    await connected.getByRole('button', { name: 'Copy URL' }).click();
    await expect(connected.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);
    await connected.getByRole('button', { name: 'Done' }).click();
    await expect(connected).toHaveCount(0);
    await expect(dialog).toHaveCount(0);
  });

  const pb = card(page, name);
  await test.step('the card shows the account, with its secret as a hint only', async () => {
    await expect(pb).toContainText('Payment Book');
    await expect(pb).toContainText('Test mode');
    await expect(pb).toContainText('Enabled');
    await expect(pb).toContainText(sandbox.urls['payment-book']);
    await expect(pb).toContainText(`API token name: ${token.name}`);
    await expect(pb).toContainText(`Service id: ${token.serviceId}`);
    await expect(pb).toContainText(`API token secret: ••••${token.secret.slice(-4)}`);
    await expect(pb).toContainText('Not tested since the credentials were saved.');
    expect(await pb.getByLabel('Webhook URL').inputValue()).toBe(webhookUrl);
    expect(await page.content()).not.toContain(token.secret);
  });

  await test.step('testing the connection reaches the provider and shows the result', async () => {
    await pb.getByRole('button', { name: 'Test connection' }).click();
    await expect(pb).toContainText('Succeeded');
    await expect(pb).toContainText('The provider accepted the credentials.');
  });

  await test.step('after a reload the secret is still nowhere on the page', async () => {
    await page.reload();
    await expect(card(page, name)).toContainText('Succeeded');
    expect(await page.content()).not.toContain(token.secret);
  });

  await test.step('no response carried the secret back', async () => {
    const received = await responses();
    expect(received.some((r) => r.url.includes('connection.create'))).toBe(true);
    expect(received.some((r) => r.url.includes('connection.test'))).toBe(true);
    expect(received.some((r) => r.url.includes('connection.list'))).toBe(true);
    expect(received.filter((r) => r.body.includes(token.secret)).map((r) => r.url)).toEqual([]);
  });
});

test('a wrong credential fails the test with a clear message, and rotating it back fixes it', async ({
  page,
}) => {
  const sandbox = await loadSandbox();
  const token = sandbox.credentials['payment-book'].tokens[0]!;
  const name = 'Payment Book sandbox';
  await openConnections(page);
  const pb = card(page, name);

  const rotate = async (secret: string) => {
    await pb.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Rotate credentials…' }).click();
    const dialog = page.getByRole('dialog', { name: `Rotate the credentials of ${name}` });
    // Values shown in clear start as they are; the secret starts empty, its hint as a placeholder.
    await expect(dialog.getByRole('textbox', { name: 'API token name', exact: true })).toHaveValue(
      token.name,
    );
    await expect(dialog.getByRole('textbox', { name: 'Service id', exact: true })).toHaveValue(
      String(token.serviceId),
    );
    const secretInput = dialog.getByRole('textbox', { name: 'API token secret', exact: true });
    await expect(secretInput).toHaveValue('');
    await expect(secretInput).toHaveAttribute('type', 'password');
    await secretInput.fill(secret);
    await dialog.getByRole('button', { name: 'Save new credentials' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(pb).toContainText(`API token secret: ••••${secret.slice(-4)}`);
    await expect(pb).toContainText('Not tested since the credentials were saved.');
  };

  await test.step('a wrong token secret is refused by the provider', async () => {
    await rotate('pb_wrong_secret_0000');
    await pb.getByRole('button', { name: 'Test connection' }).click();
    await expect(pb).toContainText('Failed');
    await expect(pb).toContainText(/The provider refused these credentials \(HTTP 40\d\)\./);
  });

  await test.step('the right one works again', async () => {
    await rotate(token.secret);
    await pb.getByRole('button', { name: 'Test connection' }).click();
    await expect(pb).toContainText('Succeeded');
    expect(await page.content()).not.toContain(token.secret);
  });

  await test.step('a base URL that is not http(s) is refused on its field', async () => {
    await pb.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Edit name or base URL…' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
    const baseUrlInput = dialog.getByRole('textbox', { name: 'Base URL', exact: true });
    await baseUrlInput.fill('ftp://files.example.com');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(baseUrlInput).toHaveAttribute('aria-invalid', 'true');
    await expect(baseUrlInput).toHaveAccessibleDescription(/^Base URL must be .*http/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(pb).toContainText(sandbox.urls['payment-book']);
  });

  await test.step('disabling asks first, keeps a reason, and can be undone', async () => {
    await pb.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Disable…' }).click();
    const confirm = page.getByRole('dialog', { name: `Disable ${name}?` });
    await confirm.getByLabel('Reason (optional)').fill('Moving to a new token');
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(pb).toContainText('Disabled');
    await expect(pb.getByRole('alert')).toContainText('webhooks for this account are refused');

    await pb.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Enable…' }).click();
    await page
      .getByRole('dialog', { name: `Enable ${name}?` })
      .getByRole('button', { name: 'Enable' })
      .click();
    await expect(pb).toContainText('Enabled');
    await expect(pb.getByRole('alert')).toHaveCount(0);
  });
});

test('Gate signs no webhooks: the form, the card and the actions say so', async ({ page }) => {
  const sandbox = await loadSandbox();
  const apiKey = sandbox.credentials.gate.bearerKeys[0]!;
  const name = 'Gate terminal 1';
  await openConnections(page);

  const dialog = await startAdding(page, 'Gate');
  await expect(dialog.getByText('Gate does not sign webhooks.')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Webhook secret', exact: true })).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(sandbox.urls.gate);
  await dialog.getByRole('textbox', { name: 'Terminal API key', exact: true }).fill(apiKey);
  await dialog.getByRole('button', { name: 'Add connection' }).click();

  const connected = page.getByRole('dialog', { name: `${name} is connected` });
  await expect(connected).toContainText('Gate does not sign webhooks.');
  expect(await connected.getByLabel('Webhook URL').inputValue()).toMatch(webhookUrlPattern);
  await connected.getByRole('button', { name: 'Done' }).click();

  const gate = card(page, name);
  await expect(gate).toContainText('Gate does not sign webhooks.');
  await expect(gate).toContainText(`Terminal API key: ••••${apiKey.slice(-4)}`);
  await gate.getByRole('button', { name: 'Test connection' }).click();
  await expect(gate).toContainText('Succeeded');

  await gate.getByRole('button', { name: `More actions for ${name}` }).click();
  await expect(page.getByRole('menuitem', { name: 'Rotate credentials…' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /webhook secret/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  expect(await page.content()).not.toContain(apiKey);
});

test('Paytone needs the secret key that signs its callbacks, which can be rotated with an overlap', async ({
  page,
}) => {
  const sandbox = await loadSandbox();
  const paytone = sandbox.credentials.paytone;
  const name = 'Paytone test account';
  await openConnections(page);

  const dialog = await startAdding(page, 'Paytone');
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(sandbox.urls.paytone);
  await dialog.getByRole('textbox', { name: 'Public key', exact: true }).fill(paytone.publicKey);
  await dialog
    .getByRole('textbox', { name: 'Commerce account id', exact: true })
    .fill(paytone.commerceAccountId);
  await dialog.getByRole('textbox', { name: 'Private API key', exact: true }).fill(paytone.apiKey);
  await dialog.getByRole('button', { name: 'Add connection' }).click();
  const webhookSecret = dialog.getByRole('textbox', { name: 'Webhook secret', exact: true });
  await expect(webhookSecret).toHaveAccessibleDescription('Webhook secret is required.');

  await webhookSecret.fill(paytone.testSecretKey);
  await dialog.getByRole('button', { name: 'Add connection' }).click();
  await page
    .getByRole('dialog', { name: `${name} is connected` })
    .getByRole('button', { name: 'Done' })
    .click();

  const account = card(page, name);
  await expect(account).toContainText(`verified with the secret ending ${paytone.testSecretKey.slice(-4)}`);
  await account.getByRole('button', { name: 'Test connection' }).click();
  await expect(account).toContainText('Succeeded');

  await account.getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Rotate webhook secret…' }).click();
  const rotate = page.getByRole('dialog', { name: `Rotate the webhook secret of ${name}` });
  const overlap = rotate.getByRole('textbox', {
    name: 'Keep accepting the previous secret for',
    exact: true,
  });
  await expect(overlap).toHaveValue('24');
  await rotate
    .getByRole('textbox', { name: 'New webhook secret', exact: true })
    .fill('sk_test_rotated_secret_2');
  await overlap.fill('200');
  await rotate.getByRole('button', { name: 'Save new secret' }).click();
  await expect(overlap).toHaveAccessibleDescription(/At most 168 hours/);
  await overlap.fill('24');
  await rotate.getByRole('button', { name: 'Save new secret' }).click();
  await expect(rotate).toHaveCount(0);
  await expect(account).toContainText('verified with the secret ending et_2');
  await expect(account).toContainText('The previous secret is accepted until');

  const content = await page.content();
  for (const secret of [paytone.apiKey, paytone.testSecretKey, 'sk_test_rotated_secret_2']) {
    expect(content).not.toContain(secret);
  }
});

test('a viewer sees no Connections and cannot manage them', async ({ page, browser }) => {
  const { admin } = await loadState();
  await signIn(page, admin);
  const email = 'vera.viewer@example.com';
  const password = 'viewer passphrase of 2026';
  const { setupUrl } = await mutate<{ setupUrl: string }>(page.request, 'user.create', {
    email,
    name: 'Vera Viewer',
    role: 'viewer',
  });

  const context = await browser.newContext();
  const theirs = await context.newPage();
  await theirs.goto(setupPath(setupUrl));
  await choosePassword(theirs, password);
  const nav = theirs.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Transactions' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Connections' })).toHaveCount(0);

  await theirs.goto('/settings/connections');
  await expect(theirs.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  await expect(theirs.getByRole('button', { name: 'Add connection' })).toHaveCount(0);
  expect(await theirs.content()).not.toContain('/hooks/');

  // The server refuses too, whatever the page shows.
  const list = await theirs.request.get('/trpc/connection.list');
  expect(list.status()).toBe(403);
  const create = await theirs.request.post('/trpc/connection.create', {
    headers: csrf,
    data: { provider: 'gate', name: 'Sneaky', mode: 'test', baseUrl: 'https://x.example', credentials: {} },
  });
  expect(create.status()).toBe(403);
  await context.close();
});
