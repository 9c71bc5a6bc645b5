import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, connections, webhookDeliveries } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import { signBody } from '@paydesk/providers/payment-book/signature';
import { createSandbox, type Sandbox } from '@paydesk/sandbox';
import { storeAcceptedDelivery } from '../../services/ledger/inbox-writer.ts';
import { ingestWebhook } from '../../services/ledger/ingest.ts';
import { createHarness, type Harness } from '../../test/harness.ts';

const tokenSecret = 'pb_sandbox_secret';

describe.each(testDatabases())('connections on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  beforeAll(async () => {
    h = await createHarness(kind, { jobs: true });
    sandbox = await createSandbox({ seed: 3 });
  });
  afterAll(async () => {
    await sandbox.close();
    await h.close();
  });

  async function addPaymentBook(name: string, secret = tokenSecret) {
    const api = await (await h.admin()).browser.api();
    return api.connection.create({
      provider: 'payment-book',
      name,
      mode: 'test',
      baseUrl: sandbox.urls['payment-book'],
      credentials: { tokenName: 'paydesk-sandbox', tokenSecret: secret, serviceId: 9 },
    });
  }

  /** A webhook body signed as Payment Book signs it. */
  function pbWebhook(secret: string, reference = 'ord-1') {
    const body = JSON.stringify({
      meta: { reference_id: reference, service_id: 9 },
      data: {
        id: 1,
        ulid: `ulid-${reference}`,
        type: 'purchase',
        status: 'success',
        amount: '10.00',
        currency: 'EUR',
        unified_error_code: 0,
        operations: [],
      },
    });
    return new TextEncoder().encode(signBody(body, secret));
  }

  function ingest(token: string, body: Uint8Array) {
    return ingestWebhook({ ...h.deps, now: () => h.clock.now() }, token, body, {
      'content-type': 'application/json',
    });
  }

  const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

  it('stores credentials sealed, shows only their last four characters, and audits the creation', async () => {
    const created = await addPaymentBook('Payment Book EU');
    expect(created).toMatchObject({
      provider: 'payment-book',
      settings: { tokenName: 'paydesk-sandbox', serviceId: 9 },
      credentialHints: { tokenSecret: '••••cret' },
      webhookSigning: 'optional',
      webhookSecretHint: '••••cret',
      enabled: true,
    });
    expect(created.webhookUrl).toMatch(/^http:\/\/paydesk\.test\/hooks\/[\w-]{32}$/);
    const listed = await (await (await h.admin()).browser.api()).connection.list();
    for (const answer of [created, listed]) expect(JSON.stringify(answer)).not.toContain(tokenSecret);

    const [row] = await h.database.db.select().from(connections).where(eq(connections.id, created.id));
    expect(JSON.stringify(row)).not.toContain(tokenSecret);
    expect(JSON.stringify(row)).not.toContain(tokenOf(created.webhookUrl));
    const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit).toEqual([expect.objectContaining({ action: 'connection.create', result: 'success' })]);
    expect(JSON.stringify(audit)).not.toContain(tokenSecret);
  });

  it('names the field and the reason of every bad input', async () => {
    const api = await (await h.admin()).browser.api();
    const attempt = (input: Record<string, unknown>) =>
      api.connection.create({
        provider: 'payment-book',
        name: 'Bad',
        mode: 'test',
        baseUrl: 'https://pb.example',
        credentials: { tokenName: 'n', tokenSecret: 'long-enough-secret', serviceId: 9 },
        ...input,
      } as never);
    const fieldOf = async (input: Record<string, unknown>) => {
      try {
        await attempt(input);
      } catch (error) {
        // The service's AppError, or the procedure's input schema (both reach the browser as fields).
        const cause = (
          error as { cause?: { fields?: { path: string }[]; issues?: { path: PropertyKey[] }[] } }
        ).cause;
        return cause?.fields?.map((f) => f.path) ?? cause?.issues?.map((issue) => issue.path.join('.'));
      }
      throw new Error('accepted');
    };
    expect(await fieldOf({ baseUrl: 'not a url' })).toEqual(['baseUrl']);
    expect(await fieldOf({ credentials: { tokenName: 'n', serviceId: 9 } })).toEqual([
      'credentials.tokenSecret',
    ]);
    expect(await fieldOf({ credentials: { tokenName: 'n', tokenSecret: 'short', serviceId: 'x' } })).toEqual([
      'credentials.tokenSecret',
      'credentials.serviceId',
    ]);
    expect(await fieldOf({ name: 'payment book eu' })).toEqual(['name']);
    expect(
      await fieldOf({
        provider: 'gate',
        credentials: { apiKey: 'gate_sandbox_terminal_1' },
        webhookSecret: 'whatever-secret',
      }),
    ).toEqual(['webhookSecret']);
    expect(
      await fieldOf({
        provider: 'paytone',
        credentials: { publicKey: 'pk', commerceAccountId: 'c', apiKey: 'long-api-key' },
      }),
    ).toEqual(['webhookSecret']);
  });

  it('tests credentials through the adapter and records the result', async () => {
    const api = await (await h.admin()).browser.api();
    const good = await addPaymentBook('PB tested');
    expect((await api.connection.test({ id: good.id })).lastTest).toMatchObject({ ok: true });
    const bad = await addPaymentBook('PB wrong secret', 'not-the-right-secret');
    const failed = await api.connection.test({ id: bad.id });
    expect(failed.lastTest).toMatchObject({
      ok: false,
      message: expect.stringMatching(/refused these credentials/) as unknown,
    });
    expect(JSON.stringify(failed)).not.toContain('not-the-right-secret');
    const unreachable = await api.connection.create({
      provider: 'gate',
      name: 'Gate nowhere',
      mode: 'test',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { apiKey: 'gate_sandbox_terminal_1' },
    });
    expect((await api.connection.test({ id: unreachable.id })).lastTest).toMatchObject({
      ok: false,
      message: expect.stringMatching(/could not be reached/) as unknown,
    });
    const tests = await h.database.db.select().from(auditLog).where(eq(auditLog.action, 'connection.test'));
    expect(tests.map((row) => row.result).sort()).toEqual(['failure', 'failure', 'success']);
  });

  it('accepts the previous webhook secret during the overlap after a rotation, and not after', async () => {
    const api = await (await h.admin()).browser.api();
    const connection = await addPaymentBook('PB rotated');
    const token = tokenOf(connection.webhookUrl);
    const rotated = await api.connection.rotateWebhookSecret({
      id: connection.id,
      secret: 'the-new-webhook-secret',
      overlapHours: 2,
    });
    expect(rotated).toMatchObject({
      webhookSecretHint: '••••cret',
      previousWebhookSecretUntil: expect.any(String) as unknown,
    });

    expect((await ingest(token, pbWebhook('the-new-webhook-secret', 'ord-new'))).status).toBe(200);
    expect((await ingest(token, pbWebhook(tokenSecret, 'ord-old'))).status).toBe(200);
    h.clock.advance(2 * 3_600_000 + 1);
    const late = await ingest(token, pbWebhook(tokenSecret, 'ord-late'));
    expect(late).toMatchObject({ status: 401, body: { ok: false } });

    const stored = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.connectionId, connection.id));
    expect(
      stored.map((row) => [row.reference, row.state, row.verifiedWith ?? row.rejectReason]).sort(),
    ).toEqual([
      ['ord-late', 'rejected', 'bad_signature'],
      ['ord-new', 'pending', 'current'],
      ['ord-old', 'pending', 'previous'],
    ]);
    const audit = await h.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'connection.webhookSecret.rotate'));
    expect(JSON.stringify(audit)).not.toContain('the-new-webhook-secret');
  });

  it('answers a disabled connection’s webhooks 503 and keeps them; duplicates are stored once', async () => {
    const api = await (await h.admin()).browser.api();
    const connection = await addPaymentBook('PB disabled');
    const token = tokenOf(connection.webhookUrl);
    const body = pbWebhook(tokenSecret, 'ord-dup');
    const first = await ingest(token, body);
    const again = await ingest(token, body);
    expect(first).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, delivery: first.body.delivery } });

    await api.connection.setEnabled({ id: connection.id, enabled: false, reason: 'account closed' });
    expect(await ingest(token, pbWebhook(tokenSecret, 'ord-off'))).toMatchObject({ status: 503 });
    const [off] = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.reference, 'ord-off'));
    expect(off).toMatchObject({ state: 'rejected', rejectReason: 'connection_disabled' });
    expect(await ingest('no-such-token', body)).toMatchObject({ status: 404 });
  });

  it('answers every delivery of a concurrent burst, stores each event once and counts its copies', async () => {
    const connection = await addPaymentBook('PB burst');
    const token = tokenOf(connection.webhookUrl);
    const references = Array.from({ length: 90 }, (_, i) => `burst-${i}`);
    // Ten more copies of one delivery in the same burst, as an impatient provider retries.
    references.splice(45, 0, ...Array.from({ length: 10 }, () => 'burst-7'));
    const answers = await Promise.all(
      references.map((reference) => ingest(token, pbWebhook(tokenSecret, reference))),
    );

    const stored = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.connectionId, connection.id));
    expect(stored).toHaveLength(90);
    const byReference = new Map(stored.map((row) => [row.reference, row]));
    answers.forEach((answer, i) => {
      expect(answer).toMatchObject({ status: 200, body: { ok: true } });
      expect(answer.body.delivery).toBe(byReference.get(references[i]!)?.id);
    });
    expect(answers.filter((answer) => answer.body.duplicate)).toHaveLength(10);
    expect(answers[references.indexOf('burst-7')]?.body.duplicate).toBe(false);
    expect(stored.filter((row) => row.duplicates > 0).map((row) => [row.reference, row.duplicates])).toEqual([
      ['burst-7', 10],
    ]);
    expect(stored.every((row) => row.state === 'pending' && row.verifiedWith === 'current')).toBe(true);
  });

  it('fails only the delivery the inbox refuses when it was written together with others', async () => {
    const connection = await addPaymentBook('PB refused row');
    const delivery = (connectionId: string, eventId: string) =>
      storeAcceptedDelivery(h.database.db, {
        connectionId,
        provider: 'payment-book',
        receivedAt: h.clock.now(),
        eventId,
        state: 'pending',
        body: '{}',
        headers: {},
      });
    // The first goes alone; the others wait for it and are written in one statement, which the
    // delivery of a connection that does not exist makes fail as a whole.
    const settled = await Promise.allSettled([
      delivery(connection.id, 'refused-row-0'),
      delivery(connection.id, 'refused-row-1'),
      delivery('00000000-0000-4000-8000-000000000000', 'refused-row-2'),
      delivery(connection.id, 'refused-row-3'),
      delivery(connection.id, 'refused-row-1'),
    ]);
    expect(settled.map((each) => each.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const values = settled.map((each) => (each.status === 'fulfilled' ? each.value : null));
    expect(values[1]).toMatchObject({ inserted: true });
    expect(values[4]).toEqual({ id: values[1]!.id, inserted: false });
    const stored = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.connectionId, connection.id));
    expect(stored.map((row) => [row.eventId, row.duplicates]).sort()).toEqual([
      ['refused-row-0', 0],
      ['refused-row-1', 1],
      ['refused-row-3', 0],
    ]);
  });

  it('refuses a connection’s webhooks as soon as it is disabled, and takes them again once enabled', async () => {
    const api = await (await h.admin()).browser.api();
    const connection = await addPaymentBook('PB switched');
    const token = tokenOf(connection.webhookUrl);
    expect(await ingest(token, pbWebhook(tokenSecret, 'switch-1'))).toMatchObject({ status: 200 });

    await api.connection.setEnabled({ id: connection.id, enabled: false });
    const refused = await ingest(token, pbWebhook(tokenSecret, 'switch-2'));
    expect(refused).toMatchObject({ status: 503, body: { ok: false } });
    const [row] = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, refused.body.delivery!));
    expect(row).toMatchObject({ state: 'rejected', rejectReason: 'connection_disabled' });

    await api.connection.setEnabled({ id: connection.id, enabled: true });
    expect(await ingest(token, pbWebhook(tokenSecret, 'switch-3'))).toMatchObject({ status: 200 });
  });

  it('verifies with a rotated webhook secret at once, and refuses the old one at once without overlap', async () => {
    const api = await (await h.admin()).browser.api();
    const connection = await addPaymentBook('PB rotated now');
    const token = tokenOf(connection.webhookUrl);
    expect(await ingest(token, pbWebhook(tokenSecret, 'now-1'))).toMatchObject({ status: 200 });

    await api.connection.rotateWebhookSecret({
      id: connection.id,
      secret: 'a-fresh-webhook-secret',
      overlapHours: 0,
    });
    expect(await ingest(token, pbWebhook('a-fresh-webhook-secret', 'now-2'))).toMatchObject({
      status: 200,
      body: { ok: true, duplicate: false },
    });
    const old = await ingest(token, pbWebhook(tokenSecret, 'now-3'));
    expect(old).toMatchObject({ status: 401, body: { ok: false } });
    expect(JSON.stringify(old)).not.toContain('a-fresh-webhook-secret');
  });

  it('rotates credentials as a whole and forgets the old result of a test', async () => {
    const api = await (await h.admin()).browser.api();
    const connection = await addPaymentBook('PB creds', 'not-the-right-secret');
    await api.connection.test({ id: connection.id });
    const rotated = await api.connection.rotateCredentials({
      id: connection.id,
      credentials: { tokenName: 'paydesk-sandbox', tokenSecret, serviceId: 9 },
    });
    expect(rotated).toMatchObject({ credentialHints: { tokenSecret: '••••cret' }, lastTest: null });
    expect((await api.connection.test({ id: connection.id })).lastTest).toMatchObject({ ok: true });
  });

  it('lets support read nothing and change nothing', async () => {
    const support = await h.signedInUser('support');
    await expect((await support.browser.api()).connection.list()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
