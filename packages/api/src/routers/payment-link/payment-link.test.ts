import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, timelineEvents, transactions, webhookDeliveries } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import type { ProviderName } from '@paydesk/domain';
import { createSandbox, type Sandbox } from '@paydesk/sandbox';
import { createHarness, type Harness } from '../../test/harness.ts';
import { connectSandbox, payOnHostedPage, startInbound, until, type Inbound } from '../../test/inbound.ts';

type Api = Awaited<ReturnType<Awaited<ReturnType<Harness['admin']>>['browser']['api']>>;

const settleMs = 60_000;

describe.each(testDatabases())('payment links on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  let inbound: Inbound;
  let admin: Api;
  let agent: () => Promise<Api>;
  let agentEmail: string;
  let connectionIds: Record<ProviderName, string>;

  beforeAll(async () => {
    h = await createHarness(kind, { jobs: true, work: true });
    // Long lifecycle steps: only clock advances move a payment on, so nothing races the test.
    sandbox = await createSandbox({
      seed: 'links',
      lifecycle: { processingAfterMs: settleMs, settleAfterMs: settleMs },
      webhooks: { retryScale: 0.001, timeoutMs: 5_000 },
    });
    inbound = await startInbound(h);
    const first = await h.admin();
    admin = await first.browser.api();
    connectionIds = await connectSandbox(first.browser, sandbox);
    const support = await h.signedInUser('support');
    agent = () => support.browser.api();
    agentEmail = support.email;
  });
  afterAll(async () => {
    await sandbox.close();
    await inbound.close();
    await h.close();
  });

  const ledgerRow = async (id: string) =>
    (await h.database.db.select().from(transactions).where(eq(transactions.id, id)))[0]!;

  const cases = [
    { provider: 'gate', amount: '12.34', currency: 'USD', minor: 1234n },
    { provider: 'payment-book', amount: '45.60', currency: 'EUR', minor: 4560n },
    { provider: 'paytone', amount: '7.125', currency: 'KWD', minor: 7125n },
  ] as const;

  it.each(cases)(
    'creates a $provider link, records it at once, and the ledger follows the customer paying',
    async ({ provider, amount, currency, minor }) => {
      const email = `buyer.${provider}@example.com`;
      const created = await (
        await agent()
      ).paymentLink.create({
        connectionId: connectionIds[provider],
        amount,
        currency,
        customerEmail: email,
        customerName: 'Anna Bērziņa',
        description: `Order for ${provider}`,
      });
      expect(created.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(created.message).toContain(`${amount} ${currency}`);
      expect(created.transactionId).not.toBeNull();

      // In the ledger straight away: waiting for the customer, with who asked for it.
      const row = await ledgerRow(created.transactionId!);
      expect(row).toMatchObject({
        provider,
        kind: 'payment',
        reference: created.reference,
        providerId: created.providerId,
        amountMinor: minor,
        currency,
        customerEmail: email,
      });
      expect(['created', 'action_required']).toContain(row.status);
      const [event] = await h.database.db
        .select()
        .from(timelineEvents)
        .where(
          and(eq(timelineEvents.transactionId, row.id), eq(timelineEvents.type, 'payment_link_created')),
        );
      expect(event?.summary).toContain(agentEmail);
      const [audit] = await h.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'paymentLink.create'), eq(auditLog.targetId, row.id)));
      expect(audit).toMatchObject({ result: 'success', actorEmail: agentEmail });

      // The customer pays on the provider's page; the provider settles; its webhooks reach the ledger.
      await payOnHostedPage(provider, created.url);
      await sandbox.advance(settleMs);
      await sandbox.advance(settleMs);
      await sandbox.webhooksIdle();
      await until(`the ${provider} payment is succeeded in the ledger`, async () => {
        return (await ledgerRow(row.id)).status === 'succeeded';
      });
      const applied = await h.database.db
        .select({ state: webhookDeliveries.state })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.transactionId, row.id));
      expect(applied.filter((delivery) => delivery.state === 'applied').length).toBeGreaterThan(0);
      const paid = await ledgerRow(row.id);
      expect(paid).toMatchObject({ amountMinor: minor, currency, customerEmail: email });
    },
  );

  it('refuses an amount the currency cannot hold exactly, naming the field, and audits it', async () => {
    const api = await agent();
    for (const [amount, currency] of [
      ['10.505', 'EUR'],
      ['1.5', 'JPY'],
      ['0.0001', 'KWD'],
    ] as const) {
      const error = await api.paymentLink
        .create({ connectionId: connectionIds.gate, amount, currency, customerEmail: 'a@example.com' })
        .then(
          () => null,
          (e: { code: string; cause?: { fields?: { path: string }[] } }) => e,
        );
      expect(error?.code).toBe('BAD_REQUEST');
      expect(error?.cause?.fields?.map((field) => field.path)).toEqual(['amount']);
    }
    const zero = await api.paymentLink
      .create({
        connectionId: connectionIds.gate,
        amount: '0.00',
        currency: 'EUR',
        customerEmail: 'a@example.com',
      })
      .catch((e: { cause?: { fields?: { path: string }[] } }) => e.cause?.fields);
    expect(zero).toEqual([{ path: 'amount', message: 'must be greater than zero' }]);
    const refused = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'paymentLink.create'), eq(auditLog.result, 'denied')));
    expect(refused.length).toBeGreaterThanOrEqual(4);
    // Nothing reached the provider.
    expect(sandbox.records('gate').filter((record) => record.reference.startsWith('link-'))).toHaveLength(1);
  });

  it('says plainly what the provider refused, without its body', async () => {
    const api = await agent();
    const failure = (input: Parameters<Api['paymentLink']['create']>[0]) =>
      api.paymentLink.create(input).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
    // Payment Book takes no Australian dollars.
    const refused = await failure({
      connectionId: connectionIds['payment-book'],
      amount: '5.00',
      currency: 'AUD',
      customerEmail: 'b@example.com',
    });
    expect(refused?.code).toBe('BAD_GATEWAY');
    expect(refused?.message).toMatch(/^Payment Book did not create the payment link: /);
    expect(refused?.message).not.toMatch(/[{}]/);

    // Gate's infrastructure fails before Gate sees the request: the answer is lost, a look-up settles it.
    sandbox.setFaults('gate', [
      { kind: 'error_500', match: '/api/v1/api/payments/initiate-session', count: 3 },
    ]);
    const lost = await failure({
      connectionId: connectionIds.gate,
      amount: '5.00',
      currency: 'EUR',
      customerEmail: 'b@example.com',
    });
    sandbox.resetFaults('gate');
    expect(lost?.code).toBe('BAD_GATEWAY');
    expect(lost?.message).toMatch(
      /^Gate’s answer was lost, and it has no payment under the reference link-[\w-]+: the link was not created/,
    );
  });

  it('settles a lost answer by a look-up: what the provider did create is in the ledger, and said so', async () => {
    sandbox.setFaults('payment-book', [
      { kind: 'error_502', match: '/api/transaction/purchase/create', count: 1, phase: 'after' },
    ]);
    const error = await (
      await agent()
    ).paymentLink
      .create({
        connectionId: connectionIds['payment-book'],
        amount: '9.99',
        currency: 'EUR',
        customerEmail: 'd@example.com',
      })
      .then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
    sandbox.resetFaults('payment-book');
    expect(error?.code).toBe('BAD_GATEWAY');
    expect(error?.message).toMatch(
      /answer was lost\. It did create the payment \(reference (link-[\w-]+), now in the ledger as created\)/,
    );
    const reference = /reference (link-[\w-]+)/.exec(error!.message)![1]!;
    const [row] = await h.database.db
      .select()
      .from(transactions)
      .where(eq(transactions.reference, reference));
    expect(row).toMatchObject({ status: 'created', amountMinor: 999n, customerEmail: 'd@example.com' });
    const events = await h.database.db
      .select({ type: timelineEvents.type })
      .from(timelineEvents)
      .where(eq(timelineEvents.transactionId, row!.id));
    expect(events.map((event) => event.type)).toContain('payment_link_lost');
  });

  it('lists the enabled connections that can create links, with the currencies they took', async () => {
    const options = await (await agent()).paymentLink.options();
    expect(options.connections.map((connection) => connection.provider).sort()).toEqual([
      'gate',
      'payment-book',
      'paytone',
    ]);
    const gate = options.connections.find((connection) => connection.provider === 'gate');
    expect(gate?.currencies).toEqual(['USD']);
    expect(options.currencies).toContainEqual({ code: 'KWD', exponent: 3 });
    await admin.connection.setEnabled({ id: connectionIds.gate, enabled: false });
    const after = await (await agent()).paymentLink.options();
    expect(after.connections.map((connection) => connection.provider)).not.toContain('gate');
    await admin.connection.setEnabled({ id: connectionIds.gate, enabled: true });
  });

  it('is refused to a role without paymentLink.create', async () => {
    const viewer = await h.signedInUser('viewer');
    await expect(
      (await viewer.browser.api()).paymentLink.create({
        connectionId: connectionIds.gate,
        amount: '1.00',
        currency: 'USD',
        customerEmail: 'c@example.com',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
