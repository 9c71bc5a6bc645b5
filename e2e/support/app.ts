import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { totp } from './totp.ts';
import type { Account } from './state.ts';

export const csrf = { 'x-paydesk-csrf': '1' };

/** Moves the BFF's test clock forward and returns the server's "now". */
export async function advanceClock(request: APIRequestContext, ms: number): Promise<Date> {
  const response = await request.post('/__test/clock', { data: { advanceMs: ms } });
  expect(response.ok(), await response.text()).toBe(true);
  const body = (await response.json()) as { now: string };
  return new Date(body.now);
}

/**
 * A TOTP code the server accepts now. The server refuses a time step it has already seen (replay), so
 * the clock moves on by one step first; codes are computed at the server's time, not the machine's.
 */
export async function freshTotp(request: APIRequestContext, secret: string): Promise<string> {
  const now = await advanceClock(request, 30_000);
  return totp(secret, now);
}

export async function fillPasswordStep(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the UI, answering the 2FA step when the account has a TOTP secret. */
export async function signIn(page: Page, account: Account, path = '/sign-in'): Promise<void> {
  await page.goto(path);
  await fillPasswordStep(page, account.email, account.password);
  if (account.totpSecret) {
    await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
    await page.getByLabel('Six-digit code').fill(await freshTotp(page.request, account.totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Calls a tRPC mutation the way the SPA does (JSON body, no transformer, the anti-CSRF header). */
export async function mutate<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const response = await request.post(`/trpc/${path}`, {
    headers: csrf,
    ...(input === undefined ? {} : { data: input }),
  });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  expect(response.ok(), `${path}: ${JSON.stringify(body.error)}`).toBe(true);
  return (body.result as { data: T }).data;
}

/** The "choose a password" form of a setup link. */
export async function choosePassword(page: Page, password: string, repeat = password): Promise<void> {
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await page.getByLabel('Repeat the new password').fill(repeat);
  await page.getByRole('button', { name: 'Set password and continue' }).click();
}
