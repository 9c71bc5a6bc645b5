import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFirstAdmin, systemActor, updateSecurityPolicy } from '@paydesk/api';
import { buildApp } from './app.ts';
import { startDemo } from './demo.ts';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { databaseUrl, openRuntime } from './runtime.ts';

const env = readEnv();
const demo = env.PAYDESK_DEMO || process.argv.includes('--demo');
const logger = createLogger(env);
const runtime = await openRuntime(env, logger);
const { deps, database } = runtime;

const firstRun = await ensureFirstAdmin(deps, env.PAYDESK_ADMIN_EMAIL);
if (firstRun?.created && demo) {
  await updateSecurityPolicy(deps.db, systemActor, { mfaRequiredRoles: [] }, deps.clock.now(), 'demo mode');
}

const webDist = env.WEB_DIST ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
const app = await buildApp({
  deps,
  logger,
  webDist: resolve(webDist),
  ...(runtime.testClock ? { testClock: runtime.testClock } : {}),
  ready: async () => void (await database.execute('SELECT 1')),
  trustProxy: env.TRUST_PROXY,
});
await runtime.startJobs();
const address = await app.listen({ port: env.PORT, host: env.HOST });
const demoSandbox = demo
  ? await startDemo(deps, {
      internalUrl: address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1'),
      history: env.PAYDESK_DEMO_TRANSACTIONS,
      log: (message) => console.log(message),
    })
  : undefined;

const url = deps.config.publicUrl;
const database_ = databaseUrl(env).startsWith('postgres')
  ? 'PostgreSQL (DATABASE_URL)'
  : databaseUrl(env) === 'memory://'
    ? 'in-memory PGlite (data is lost on exit)'
    : `embedded PGlite in ${resolve(env.DATA_DIR)}`;
const lines = ['', `Paydesk is running at ${url}  (database: ${database_})`];
if (firstRun) {
  lines.push(
    firstRun.created
      ? 'First run: an administrator was created.'
      : 'The administrator has not chosen a password yet.',
    `  E-mail: ${firstRun.email}`,
    `  Choose its password here (one use, valid for 24 hours): ${firstRun.setupUrl}`,
  );
}
if (demo) {
  lines.push(
    'Demo mode: two-factor authentication is NOT required for any role. Require it under Settings → Security.',
  );
}
if (demoSandbox) lines.push(...demoSandbox.lines);
if (runtime.testClock) lines.push('Test clock enabled (POST /__test/clock): never use this in production.');
// The console, not the log: the setup link is a credential and must not be kept in log storage.
console.log(lines.join('\n') + '\n');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => demoSandbox?.sandbox.close())
      .then(() => runtime.jobs.stop())
      .then(() => database.close())
      .finally(() => process.exit(0));
  });
}
