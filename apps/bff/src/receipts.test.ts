import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdjustableClock,
  createConnection,
  createJobRunner,
  createUser,
  SecretBox,
  systemActor,
  type Deps,
} from '@paydesk/api';
import { pdfText } from '@paydesk/api/test/pdf-text';
import type { OpenDb } from '@paydesk/db';
import { auditLog, operations, transactions } from '@paydesk/db/schema';
import { openTestDb, testDatabases } from '@paydesk/db/testing';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';

describe.each(testDatabases())('receipt downloads over HTTP on %s', (kind) => {
  let database: OpenDb;
  let base: string;
  let close: () => Promise<void>;
  let deps: Deps;
  let transactionId: string;
  const clock = new AdjustableClock();
  const sessions = new Map<string, string>();

  /** A user set up through their one-time link over HTTP, as in the browser: their session cookie. */
  async function signedIn(role: 'support' | 'viewer'): Promise<string> {
    const { setupUrl } = await createUser(
      { db: deps.db, config: deps.config, now: clock.now(), actor: systemActor },
      { email: `${role}@paydesk.test`, name: role, role },
    );
    const token = new URL(setupUrl).hash.replace('#token=', '');
    const response = await fetch(`${base}/trpc/auth.completeSetup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paydesk-csrf': '1' },
      body: JSON.stringify({ token, password: `a long password for ${role}` }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('paydesk_session='));
    return cookie!.split(';')[0]!;
  }

  const get = (path: string, role?: 'support' | 'viewer') =>
    fetch(`${base}${path}`, { headers: role ? { cookie: sessions.get(role)! } : {} });

  beforeAll(async () => {
    database = await openTestDb(kind);
    const logger = createLogger(
      { LOG_LEVEL: 'warn', LOG_PRETTY: false },
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    );
    deps = {
      db: database.db,
      clock,
      secrets: SecretBox.parse(`v1:${SecretBox.generateKey()}`),
      config: { publicUrl: 'http://paydesk.test', secureCookies: false },
      log: logger,
      jobs: createJobRunner(database, logger),
    };
    const app = await buildApp({ deps, logger, ready: () => Promise.resolve() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    close = async () => {
      await app.close();
      await database.close();
    };

    // A Gate payment in the ledger (Gate issues no receipts: Paydesk draws one, no provider call).
    const connection = await createConnection(
      {
        db: deps.db,
        secrets: deps.secrets,
        publicUrl: deps.config.publicUrl,
        now: clock.now(),
        actor: systemActor,
      },
      {
        provider: 'gate',
        name: 'Gate EU',
        mode: 'test',
        baseUrl: 'https://gate.example',
        credentials: { apiKey: 'gate_test_terminal_key' },
      },
    );
    const now = clock.now();
    const [row] = await deps.db
      .insert(transactions)
      .values({
        connectionId: connection.id,
        provider: 'gate',
        providerId: 'order "42"/ü',
        reference: 'order "42"/ü',
        kind: 'payment',
        status: 'succeeded',
        rawStatus: 'success',
        currency: 'EUR',
        amountMinor: 123_456n,
        cardBin: '411111',
        cardLast4: '1111',
        cardBrand: 'visa',
        customerEmail: 'ann.lee@example.com',
        createdAt: now,
        updatedAt: now,
        occurredAt: now,
      })
      .returning({ id: transactions.id });
    transactionId = row!.id;
    await deps.db.insert(operations).values({
      transactionId,
      providerId: 'order "42"/ü',
      type: 'payment',
      status: 'succeeded',
      rawStatus: 'success',
      currency: 'EUR',
      amountMinor: 123_456n,
      createdAt: now,
      updatedAt: now,
    });
    sessions.set('support', await signedIn('support'));
    sessions.set('viewer', await signedIn('viewer'));
  });
  afterAll(() => close());

  it('sends the PDF as an attachment with a safe file name, never cached', async () => {
    const response = await get(`/receipts/${transactionId}.pdf`, 'support');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="receipt-gate-order-42-order-42.pdf"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const pdf = new Uint8Array(await response.arrayBuffer());
    const text = pdfText(pdf);
    expect(text).toContain('1,234.56 EUR');
    expect(text).toContain('411111 •••• 1111');
    expect(text).not.toContain('4111111111111111');
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'receipt.download'), eq(auditLog.result, 'success')));
    expect(audit).toMatchObject({ actorEmail: 'support@paydesk.test', targetId: transactionId });
  });

  it('refuses a role without receipt.download with 403 (audited), and no session with 401', async () => {
    const refused = await get(`/receipts/${transactionId}.pdf`, 'viewer');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await refused.json()).toMatchObject({
      code: 'forbidden',
      requestId: refused.headers.get('x-request-id'),
    });
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'receipt.download'), eq(auditLog.result, 'denied')));
    expect(audit).toMatchObject({ actorEmail: 'viewer@paydesk.test' });
    expect((await get(`/receipts/${transactionId}.pdf`)).status).toBe(401);
  });

  it('answers 404 for an unknown transaction or operation', async () => {
    expect((await get('/receipts/00000000-0000-4000-8000-000000000000.pdf', 'support')).status).toBe(404);
    expect((await get(`/receipts/${transactionId}.pdf?operation=nope`, 'support')).status).toBe(404);
    expect((await get(`/receipts/${transactionId}.txt`, 'support')).status).toBe(404);
  });
});
