/**
 * Test harness: a real database (PGlite, and PostgreSQL when DATABASE_URL is set), the real router
 * through createCaller, and "browsers" that keep their cookies between calls like a real one.
 */
import { Secret, TOTP } from 'otpauth';
import { openTestDb } from '@paydesk/db/testing';
import type { Driver, OpenDb } from '@paydesk/db';
import { AdjustableClock } from '../clock.ts';
import type { CookieJar, Deps } from '../context.ts';
import { createRequestContext } from '../create-context.ts';
import { createCaller } from '../root.ts';
import { SecretBox } from '../secret-box.ts';
import { ensureFirstAdmin } from '../services/bootstrap.ts';
import { ledgerJobs } from '../jobs/ledger-jobs.ts';
import { refundJobs } from '../jobs/refund-jobs.ts';
import { createJobRunner, type JobQueue, type JobRunner } from '../jobs/queue.ts';
import type { Role } from '@paydesk/domain';

export class Browser {
  readonly cookies = new Map<string, string>();
  private requests = 0;
  constructor(
    private readonly deps: Deps,
    readonly options: { csrf?: boolean; ip?: string } = {},
  ) {}

  private jar(): CookieJar {
    return {
      get: (name) => this.cookies.get(name),
      set: (name, value) => void this.cookies.set(name, value),
      clear: (name) => void this.cookies.delete(name),
    };
  }

  /** A caller bound to a fresh request (the session is looked up anew, as for every HTTP request). */
  async api() {
    this.requests += 1;
    const ctx = await createRequestContext(
      this.deps,
      {
        requestId: `test-${this.requests}`,
        ip: this.options.ip ?? '192.0.2.10',
        userAgent: 'vitest',
        csrfHeader: this.options.csrf ?? true,
      },
      this.jar(),
    );
    return createCaller(ctx);
  }
}

export function totpCode(secretBase32: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}

export interface Harness {
  database: OpenDb;
  deps: Deps;
  clock: AdjustableClock;
  browser(options?: { csrf?: boolean; ip?: string }): Browser;
  /** Creates a user with a password (through the real setup link), signed in on the returned browser. */
  signedInUser(
    role: Role,
    email?: string,
  ): Promise<{ browser: Browser; email: string; password: string; totpSecret?: string }>;
  /** The first administrator, signed in with 2FA enrolled (the default policy requires it). */
  admin(): Promise<{ browser: Browser; email: string; password: string; totpSecret: string }>;
  /** The job queue (pg-boss on the test database), when created with `{ jobs: true }`. */
  jobs?: JobRunner;
  close(): Promise<void>;
}

const noJobs: JobQueue = {
  send: () => Promise.reject(new Error('this harness has no job queue: createHarness(kind, { jobs: true })')),
  sendInTx: () =>
    Promise.reject(new Error('this harness has no job queue: createHarness(kind, { jobs: true })')),
  nudge: () => undefined,
};

export function setupToken(url: string): string {
  return new URL(url).hash.replace('#token=', '');
}

export async function createHarness(
  kind: Driver,
  options: { jobs?: boolean; work?: boolean } = {},
): Promise<Harness> {
  const database = await openTestDb(kind);
  const clock = new AdjustableClock();
  const logs: object[] = [];
  const deps: Deps = {
    db: database.db,
    clock,
    secrets: SecretBox.parse(`v1:${SecretBox.generateKey()}`),
    config: { publicUrl: 'http://paydesk.test', secureCookies: false },
    log: { info: (o) => logs.push(o), warn: (o) => logs.push(o), error: (o) => logs.push(o) },
    jobs: noJobs,
  };
  let runner: JobRunner | undefined;
  if (options.jobs || options.work) {
    runner = createJobRunner(database, deps.log, { pollingIntervalSeconds: 0.5 });
    deps.jobs = runner;
    const ledger = { ...deps, now: () => clock.now() };
    await runner.start([...ledgerJobs(ledger), ...refundJobs(ledger)], { work: options.work ?? false });
  }
  let adminCache: Awaited<ReturnType<Harness['admin']>> | undefined;
  let counter = 0;

  const harness: Harness = {
    database,
    deps,
    clock,
    browser: (options) => new Browser(deps, options),
    async admin() {
      if (adminCache) {
        // Earlier tests may have moved the clock past the idle timeout: sign in again, as a person would.
        const { browser, email, password, totpSecret } = adminCache;
        if ((await (await browser.api()).auth.me()).state !== 'signed_in') {
          await (await browser.api()).auth.signIn({ email, password });
          clock.advance(30_000);
          await (await browser.api()).auth.mfa.verify({ code: totpCode(totpSecret, clock.now()) });
        }
        return adminCache;
      }
      const first = await ensureFirstAdmin(deps, 'admin@paydesk.test');
      if (!first) throw new Error('the harness expects an empty database');
      const browser = new Browser(deps);
      const password = 'correct horse battery staple';
      await (await browser.api()).auth.completeSetup({ token: setupToken(first.setupUrl), password });
      const enrolment = await (await browser.api()).auth.mfa.beginEnrolment();
      await (
        await browser.api()
      ).auth.mfa.confirmEnrolment({ code: totpCode(enrolment.secret, clock.now()) });
      adminCache = { browser, email: first.email, password, totpSecret: enrolment.secret };
      return adminCache;
    },
    async signedInUser(role, email) {
      const admin = await harness.admin();
      counter += 1;
      const address = email ?? `${role}${counter}@paydesk.test`;
      const { setupUrl } = await (
        await admin.browser.api()
      ).user.create({ email: address, name: `${role} ${counter}`, role });
      const browser = new Browser(deps);
      const password = `a long password ${counter}`;
      const me = await (await browser.api()).auth.completeSetup({ token: setupToken(setupUrl), password });
      if (me.state === 'mfa_enrolment') {
        const enrolment = await (await browser.api()).auth.mfa.beginEnrolment();
        await (
          await browser.api()
        ).auth.mfa.confirmEnrolment({ code: totpCode(enrolment.secret, clock.now()) });
        return { browser, email: address, password, totpSecret: enrolment.secret };
      }
      return { browser, email: address, password };
    },
    ...(runner ? { jobs: runner } : {}),
    close: async () => {
      await runner?.stop();
      await database.close();
    },
  };
  return harness;
}
