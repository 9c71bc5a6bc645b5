import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliCompressSync } from 'node:zlib';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, ensureFirstAdmin, SecretBox, type Deps, createJobRunner } from '@paydesk/api';
import { auditLog } from '@paydesk/db/schema';
import { openTestDb, testDatabases } from '@paydesk/db/testing';
import type { OpenDb } from '@paydesk/db';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';

/** A cookie-keeping HTTP client that records every response body it sees. */
class HttpBrowser {
  cookies = new Map<string, string>();
  readonly bodies: string[];
  constructor(
    private readonly base: string,
    bodies: string[],
  ) {
    this.bodies = bodies;
  }
  async call(path: string, input?: unknown, options: { csrf?: boolean; method?: 'GET' | 'POST' } = {}) {
    const method = options.method ?? (input === undefined ? 'GET' : 'POST');
    const response = await fetch(`${this.base}/trpc/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(options.csrf === false ? {} : { 'x-paydesk-csrf': '1' }),
      },
      ...(method === 'POST' ? { body: JSON.stringify(input ?? {}) } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
    const text = await response.text();
    this.bodies.push(text);
    return {
      status: response.status,
      headers: response.headers,
      json: JSON.parse(text) as {
        result?: { data: unknown };
        error?: { data: { appError: { code: string; requestId: string } } };
      },
    };
  }
}

describe.each(testDatabases())('BFF over HTTP on %s', (kind) => {
  let database: OpenDb;
  let base: string;
  let close: () => Promise<void>;
  const logLines: string[] = [];
  const clock = new AdjustableClock();
  let deps: Deps;
  let webDist: string;

  beforeAll(async () => {
    database = await openTestDb(kind);
    webDist = await mkdtemp(join(tmpdir(), 'paydesk-web-'));
    await mkdir(join(webDist, 'assets'));
    await writeFile(
      join(webDist, 'index.html'),
      '<!doctype html><title>Paydesk</title><script type="module" src="/assets/app-abc123.js"></script>',
    );
    await writeFile(join(webDist, 'assets', 'app-abc123.js'), 'console.log("app")');
    await writeFile(join(webDist, 'assets', 'app-abc123.js.br'), brotliCompressSync('console.log("app")'));
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ LOG_LEVEL: 'trace', LOG_PRETTY: false }, sink);
    deps = {
      db: database.db,
      clock,
      secrets: SecretBox.parse(`v1:${SecretBox.generateKey()}`),
      config: { publicUrl: 'http://paydesk.test', secureCookies: false },
      log: logger,
      // Not started: nothing here sends a job.
      jobs: createJobRunner(database, logger),
    };
    const app = await buildApp({
      deps,
      logger,
      webDist,
      testClock: clock,
      ready: async () => void (await database.execute('SELECT 1')),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = async () => {
      await app.close();
      await database.close();
    };
  });
  afterAll(() => close());

  it('answers health and readiness, with security headers and a request id', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toEqual({ status: 'alive' });
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = health.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('serves the SPA: precompressed hashed assets cached for a year, index.html revalidated, deep links', async () => {
    const asset = await fetch(`${base}/assets/app-abc123.js`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const deepLink = await fetch(`${base}/settings/users?x=1`);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    expect(await deepLink.text()).toContain('<title>Paydesk</title>');
    expect((await fetch(`${base}/assets/missing-123.js`)).status).toBe(404);
    const customer = await fetch(`${base}/customers/ann.lee%40example.com`);
    expect(await customer.text()).toContain('<title>Paydesk</title>');
  });

  it('refuses a cross-site POST without the anti-CSRF header with 403, whatever its content type', async () => {
    for (const contentType of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json',
    ]) {
      const response = await fetch(`${base}/trpc/session.revokeOthers`, {
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body: contentType ? '{}' : null,
      });
      expect(response.status).toBe(403);
      const body = (await response.json()) as {
        error: { data: { appError: { code: string; requestId: string } } };
      };
      expect(body.error.data.appError).toMatchObject({
        code: 'csrf_header_missing',
        requestId: response.headers.get('x-request-id'),
      });
    }
  });

  it('refuses a body over the size limit with 413, not a 500', async () => {
    const response = await fetch(`${base}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paydesk-csrf': '1' },
      body: JSON.stringify({ email: 'a@b.cd', password: 'x'.repeat(400_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('never puts a password, session token or TOTP secret in a response, log line or audit row', async () => {
    const bodies: string[] = [];
    const first = await ensureFirstAdmin(deps, 'root@paydesk.test');
    const token = new URL(first!.setupUrl).hash.replace('#token=', '');
    const password = 'Tr0ub4dor&3-horse-battery';
    const admin = new HttpBrowser(base, bodies);

    const noCsrf = await admin.call('auth.completeSetup', { token, password }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.error?.data.appError.code).toBe('csrf_header_missing');

    expect((await admin.call('auth.completeSetup', { token, password })).json.result?.data).toMatchObject({
      state: 'mfa_enrolment',
    });
    const enrolmentBodies = bodies.length;
    const enrolment = (await admin.call('auth.mfa.beginEnrolment', {})).json.result?.data as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(enrolment.secret) });
    const enrolled = await admin.call('auth.mfa.confirmEnrolment', {
      code: totp.generate({ timestamp: clock.now().getTime() }),
    });
    expect(enrolled.status).toBe(200);
    const recovery = (enrolled.json.result?.data as { recoveryCodes: string[] }).recoveryCodes;
    const sessionToken = admin.cookies.get('paydesk_session')!;
    expect(sessionToken).toHaveLength(43);

    const created = await admin.call('user.create', {
      email: 'agent@paydesk.test',
      name: 'Agent',
      role: 'support',
    });
    expect(created.status).toBe(200);
    await admin.call('user.list');
    await admin.call('audit.list?input=' + encodeURIComponent(JSON.stringify({ page: 0, pageSize: 100 })));
    const csv = await fetch(`${base}/exports/audit.csv`, {
      headers: { cookie: `paydesk_session=${sessionToken}` },
    });
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="paydesk-audit-/);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    bodies.push(await csv.text());
    const stranger = new HttpBrowser(base, bodies);
    await stranger.call('auth.signIn', { email: 'root@paydesk.test', password: 'wrong-' + password });
    clock.advance(30_000);
    const other = new HttpBrowser(base, bodies);
    await other.call('auth.signIn', { email: 'root@paydesk.test', password });
    await other.call('auth.mfa.verify', { code: totp.generate({ timestamp: clock.now().getTime() }) });
    await other.call('auth.signOut', {});

    const audit = JSON.stringify(await database.db.select().from(auditLog));
    const logs = logLines.join('');
    const secretsToHide = [password, sessionToken, enrolment.secret, ...recovery];
    // The enrolment response must carry the TOTP secret once (to scan or type); nothing else may.
    const otherBodies = bodies.filter((_, i) => i !== enrolmentBodies).join('\n');
    for (const secret of secretsToHide) {
      expect(logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
    for (const secret of [password, sessionToken, enrolment.secret])
      expect(otherBodies).not.toContain(secret);
    // Recovery codes are shown once, in the confirmation response, and nowhere else.
    expect(bodies.filter((b) => b.includes(recovery[0]!))).toHaveLength(1);
  });

  it('redacts credentials wherever a log line would carry them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createLogger({ LOG_LEVEL: 'info', LOG_PRETTY: false }, sink).info(
      {
        req: { headers: { cookie: 'paydesk_session=abc', authorization: 'Bearer sk_live_1' } },
        body: { password: 'hunter2hunter2', secret: 's3' },
      },
      'request',
    );
    expect(lines.join('')).not.toMatch(/abc|sk_live_1|hunter2|s3"/);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('hides internal errors behind a request id', async () => {
    const response = await fetch(`${base}/trpc/no.such.procedure`);
    const body = (await response.json()) as {
      error: { message: string; data: { appError: { requestId: string } } };
    };
    expect(response.status).toBe(404);
    expect(body.error.data.appError.requestId).toBe(response.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toContain('stack');
  });
});
