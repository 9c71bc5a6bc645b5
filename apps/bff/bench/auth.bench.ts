/**
 * Sign-in and session-check latency through the real HTTP + tRPC path (argon2id included).
 * Prints `BENCH <name> <value> <unit>` lines. Uses DATABASE_URL when set, else in-memory PGlite.
 */
import { performance } from 'node:perf_hooks';
import {
  ensureFirstAdmin,
  SecretBox,
  systemClock,
  updateSecurityPolicy,
  systemActor,
  createJobRunner,
} from '@paydesk/api';
import { openDb } from '@paydesk/db';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/logger.ts';

const ROUNDS = 200;
const database = await openDb({ url: process.env.DATABASE_URL ?? 'memory://' });
const logger = createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });
const deps = {
  db: database.db,
  clock: systemClock,
  secrets: SecretBox.parse(`v1:${SecretBox.generateKey()}`),
  config: { publicUrl: 'http://bench.local', secureCookies: false },
  log: logger,
  // Not started: nothing here sends a job.
  jobs: createJobRunner(database, logger),
};
const app = await buildApp({ deps, logger, ready: () => Promise.resolve() });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const email = `bench-${Date.now()}@paydesk.local`;
const password = 'benchmark password 1';
await updateSecurityPolicy(deps.db, systemActor, { mfaRequiredRoles: [] }, new Date(), 'benchmark');
const first = await ensureFirstAdmin(deps, email);
const headers = { 'content-type': 'application/json', 'x-paydesk-csrf': '1' };
if (first) {
  await fetch(`${base}/trpc/auth.completeSetup`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ token: new URL(first.setupUrl).hash.slice('#token='.length), password }),
  });
}
const signInEmail = first?.email ?? email;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1]!;
}

const signIns: number[] = [];
let cookie = '';
for (let i = 0; i < ROUNDS; i += 1) {
  const started = performance.now();
  const response = await fetch(`${base}/trpc/auth.signIn`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: signInEmail, password }),
  });
  await response.text();
  signIns.push(performance.now() - started);
  cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
const checks: number[] = [];
for (let i = 0; i < ROUNDS; i += 1) {
  const started = performance.now();
  await (await fetch(`${base}/trpc/auth.me`, { headers: { cookie } })).text();
  checks.push(performance.now() - started);
}

console.log(`BENCH login_p95 ${p95(signIns).toFixed(1)} ms`);
console.log(`BENCH session_check_p95 ${p95(checks).toFixed(1)} ms`);
await app.close();
await database.close();
