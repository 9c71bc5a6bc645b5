import { defineConfig } from '@playwright/test';

// One BFF for the whole run, started by global-setup.ts on this port (config is re-read in every
// worker, so the port cannot be picked at random here).
const port = Number(process.env.PAYDESK_E2E_PORT ?? 4318);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // The specs share one server and one in-memory database; the test clock is global to it.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // The first administrator's setup link works once, so onboarding runs first and records what
    // the other specs need (e2e/.state/).
    { name: 'onboarding', testMatch: /onboarding\.setup\.ts/ },
    { name: 'app', testMatch: /.*\.spec\.ts/, dependencies: ['onboarding'] },
  ],
});
