import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@paydesk/sandbox';
import { baseURL } from './playwright.config.ts';
import { saveSandbox, stateDir } from './support/state.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bffMain = fileURLToPath(new URL('../apps/bff/dist/main.mjs', import.meta.url));
const webDist = fileURLToPath(new URL('../apps/web/dist', import.meta.url));

/**
 * Starts the provider sandbox (the simulated Gate, Payment Book and Paytone APIs that connections are
 * tested against) and the built BFF on an in-memory database with the test clock. Reads the first-run
 * lines the BFF prints (the administrator's e-mail and one-time setup link) into the environment the
 * workers inherit, and records the sandbox's URLs in e2e/.state/. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  // In this process, on free ports, for the whole run: nothing else to spawn, wait for or leak.
  const sandbox = await createSandbox({ seed: 1 });
  await saveSandbox({ urls: sandbox.urls, credentials: sandbox.credentials });
  try {
    const stopBff = await startBff();
    return async () => {
      await stopBff();
      await sandbox.close();
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

async function startBff(): Promise<() => Promise<void>> {
  const port = new URL(baseURL).port;
  const started = Date.now();
  const child = spawn(process.execPath, [bffMain], {
    cwd: root,
    env: {
      ...process.env,
      PORT: port,
      HOST: '127.0.0.1',
      PUBLIC_URL: baseURL,
      WEB_DIST: webDist,
      DATABASE_URL: 'memory://',
      PAYDESK_TEST_CLOCK: '1',
      LOG_LEVEL: process.env.PAYDESK_E2E_LOG_LEVEL ?? 'warn',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const { email, setupUrl } = await firstRunLines(child);
  process.env.PAYDESK_E2E_ADMIN_EMAIL = email;
  process.env.PAYDESK_E2E_ADMIN_SETUP_URL = setupUrl;
  try {
    await waitForHealthy(`${baseURL}/healthz`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  console.log(`[e2e] BFF ready on ${baseURL} in ${Date.now() - started} ms`);

  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

function firstRunLines(child: ChildProcess): Promise<{ email: string; setupUrl: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let email: string | undefined;
    let setupUrl: string | undefined;
    const timer = setTimeout(() => fail(new Error('the BFF printed no first-run lines within 60 s')), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- BFF output ---\n${out}`));
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env.PAYDESK_E2E_VERBOSE) process.stderr.write(chunk);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env.PAYDESK_E2E_VERBOSE) process.stdout.write(chunk);
      email ??= /E-mail:\s*(\S+@\S+)/.exec(out)?.[1];
      setupUrl ??= /(https?:\/\/\S+\/setup#token=\S+)/.exec(out)?.[1];
      if (email && setupUrl) {
        clearTimeout(timer);
        resolve({ email, setupUrl });
      }
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`the BFF exited early (code ${code}, signal ${signal})`)),
    );
    child.once('error', (error) => fail(error));
  });
}

async function waitForHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
