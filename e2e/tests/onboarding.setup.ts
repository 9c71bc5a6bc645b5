import { expect, test } from '@playwright/test';
import { choosePassword, freshTotp } from '../support/app.ts';
import { firstRun, saveState, setupPath, type Account } from '../support/state.ts';

test('the first administrator sets a password, enrols TOTP and adds a support agent', async ({ page }) => {
  const { email, setupUrl } = firstRun();
  const admin: Account = { email, name: 'Administrator', password: 'correct horse battery staple 1' };

  await test.step('opens the setup link and chooses a password', async () => {
    await page.goto(setupPath(setupUrl));
    await expect(page.getByRole('heading', { name: 'Set up your account' })).toBeVisible();
    await choosePassword(page, 'too short');
    await expect(page.getByText('Use at least 12 characters.')).toBeVisible();

    await choosePassword(page, admin.password);
  });

  await test.step('enrols an authenticator app', async () => {
    // Administrators must use two-factor authentication, so setup continues with enrolment.
    await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    const grouped = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(grouped).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    admin.totpSecret = grouped.replace(/\s+/g, '');

    await page.getByLabel('Six-digit code').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await expect(page.getByRole('alert')).toBeVisible();

    await page.getByLabel('Six-digit code').fill(await freshTotp(page.request, admin.totpSecret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  });

  await test.step('is shown ten recovery codes once', async () => {
    await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect(codes).toHaveCount(10);
    await expect(codes.first()).toHaveText(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}$/);
    const proceed = page.getByRole('button', { name: 'Continue to Paydesk' });
    await expect(proceed).toBeDisabled();
    await page.getByLabel('I have saved my recovery codes').check();
    await proceed.click();
  });

  await test.step('lands in the app with every screen', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeVisible();
    await expect(page).toHaveURL(/\/transactions$/);
    for (const label of [
      'Transactions',
      'Analytics',
      'Reports',
      'Connections',
      'Webhooks',
      'Users',
      'Security',
      'Audit log',
    ]) {
      await expect(nav.getByRole('link', { name: label })).toBeVisible();
    }
    await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
  });

  const support = { email: 'sam.support@example.com', name: 'Sam Support', setupUrl: '' };
  await test.step('adds a support agent and is shown their setup link once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
    await expect(page.getByRole('grid', { name: 'Users' }).getByText(`${admin.email}`)).toBeVisible();

    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Name').fill(support.name);
    await dialog.getByLabel('E-mail').fill('not an e-mail');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await expect(dialog.getByText('must be an e-mail address').first()).toBeVisible();

    await dialog.getByLabel('E-mail').fill(support.email);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Support agent' }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();

    const issued = page.getByRole('dialog', { name: `${support.name} was added` });
    await expect(issued).toContainText('valid for 24 hours');
    support.setupUrl = await issued.getByLabel('Setup link').inputValue();
    expect(support.setupUrl).toContain('/setup#token=');
    await issued.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: new RegExp(support.email) });
    await expect(row).toContainText('Support agent');
    await expect(row).toContainText('Invited');
  });

  await saveState({ admin, support });
});
