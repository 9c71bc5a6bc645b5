import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ProviderCredentials, ProviderName } from '@paydesk/sandbox';

export const stateDir = fileURLToPath(new URL('../.state', import.meta.url));
const stateFile = `${stateDir}/accounts.json`;
const sandboxFile = `${stateDir}/sandbox.json`;

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

/**
 * The provider sandbox global-setup.ts started for the run: where each simulated API listens, and the
 * credentials it accepts.
 */
export interface SandboxState {
  urls: Record<ProviderName | 'control', string>;
  credentials: ProviderCredentials;
}

export async function saveSandbox(state: SandboxState): Promise<void> {
  await writeFile(sandboxFile, `${JSON.stringify(state, null, 2)}\n`);
}

export async function loadSandbox(): Promise<SandboxState> {
  try {
    return JSON.parse(await readFile(sandboxFile, 'utf8')) as SandboxState;
  } catch {
    throw new Error('e2e/.state/sandbox.json is missing: global-setup.ts starts the sandbox and writes it');
  }
}
