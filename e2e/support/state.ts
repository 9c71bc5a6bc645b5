import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const stateDir = fileURLToPath(new URL('../.state', import.meta.url));
const stateFile = `${stateDir}/accounts.json`;

export interface Account {
  email: string;
  name: string;
  password: string;
  /** Base32 TOTP secret, once enrolled. */
  totpSecret?: string;
}

/** What the onboarding project learned (passwords chosen, TOTP secret) for the specs that follow it. */
export interface E2eState {
  admin: Account;
  support: { email: string; name: string; setupUrl: string };
}

export async function saveState(state: E2eState): Promise<void> {
  await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export async function loadState(): Promise<E2eState> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as E2eState;
  } catch {
    throw new Error('e2e/.state/accounts.json is missing: the "onboarding" project must run first');
  }
}

export function firstRun(): { email: string; setupUrl: string } {
  const email = process.env.PAYDESK_E2E_ADMIN_EMAIL;
  const setupUrl = process.env.PAYDESK_E2E_ADMIN_SETUP_URL;
  if (!email || !setupUrl) throw new Error('global-setup.ts did not capture the first-run lines');
  return { email, setupUrl };
}

/** The path and fragment of a setup link, so it opens on the test's own origin. */
export function setupPath(setupUrl: string): string {
  const url = new URL(setupUrl);
  return `${url.pathname}${url.hash}`;
}
