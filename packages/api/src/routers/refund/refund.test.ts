/**
 * Refunds through the real router and services, on PGlite and PostgreSQL, against the in-process
 * sandbox over real HTTP: partial and full refunds, the remainder, idempotency keys, four-eyes
 * approval, every injected fault ending in the right state, and the database refusing an over-refund
 * that skips the code.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@paydesk/db/testing';
import { connections, refundIntents, transactions, users } from '@paydesk/db/schema';
import type { ProviderName } from '@paydesk/domain';
import type { FaultRuleInput, Sandbox } from '@paydesk/sandbox';
import { connectionForm, createSandbox } from '@paydesk/sandbox';
import { actorOf } from '../../services/audit.ts';
import { adapterFor } from '../../services/connections/adapters.ts';
import { lookupTransaction } from '../../services/ledger/worker.ts';
import { checkIntent, sweepRefunds } from '../../services/refunds/check.ts';
import { createRefund } from '../../services/refunds/create.ts';
import type { RefundDeps } from '../../services/refunds/intents.ts';
import { sendIntent } from '../../services/refunds/send.ts';
import { createHarness, type Harness } from '../../test/harness.ts';

type Api = Awaited<ReturnType<Awaited<ReturnType<Harness['admin']>>['browser']['api']>>;

const refundPaths: Record<ProviderName, string> = {
  gate: '/api/v1/api/payments/refund',
  'payment-book': '/api/transaction/refund',
  paytone: '/api/payment-invoices/',
};

describe.each(testDatabases())('refunds on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  let admin: { api: () => Promise<Api>; email: string };
  let support: { api: () => Promise<Api>; email: string };
  let finance: { api: () => Promise<Api>; email: string };
  const connectionIds = {} as Record<ProviderName, string>;
  let counter = 0;
  let service: RefundDeps;

  /** A successful card payment at the provider, known to the ledger. */
  async function pay(provider: ProviderName, amountMinor: bigint, currency = 'EUR') {
    counter += 1;
    const reference = `refund-test-${kind}-${provider}-${counter}`;
    const { providerId } = await sandbox.simulators[provider]!.simulate({
      kind: 'payment',
      reference,
      at: sandbox.now() - 3_600_000,
      amountMinor,
      currency,
      customer: { email: 'buyer@example.com', name: 'Bea Buyer', country: 'DE' },
      method: 'card',
      card: { number: '4111111111111111', brand: 'visa' },
      outcome: 'success',
      refunds: [],
    });
    await lookupTransaction(
      { ...h.deps, now: () => h.clock.now() },
      { connectionId: connectionIds[provider], reference, providerId },
    );
    const [row] = await h.deps.db
      .select()
      .from(transactions)
      .where(
        and(eq(transactions.connectionId, connectionIds[provider]), eq(transactions.providerId, providerId)),
      );
    if (!row) throw new Error('the payment did not reach the ledger');
    expect(row.status).toBe('succeeded');
    return { id: row.id, reference, providerId };
  }

  /** What the provider itself says was refunded. */
  function refundedAtProvider(provider: ProviderName, providerId: string): bigint {
    const record = sandbox.records(provider).find((each) => each.providerId === providerId);
    if (!record) throw new Error(`no ${provider} record ${providerId}`);
    return record.refundedMinor;
  }

  /** The refund operations the provider lists for a payment (Payment Book and Gate show them). */
  async function providerRefunds(provider: ProviderName, reference: string, providerId: string) {
    const [row] = await h.deps.db
      .select()
      .from(connections)
      .where(eq(connections.id, connectionIds[provider]));
    const observed = await adapterFor(h.deps.secrets, row!).lookup({ reference, providerId });
    return observed.operations.filter((op) => op.type === 'refund');
  }

  /** Through the sandbox's control API, as an operator would. */
  async function fault(provider: ProviderName, rule: FaultRuleInput) {
    const response = await fetch(`${sandbox.urls.control}/faults/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: refundPaths[provider], method: 'POST', count: 1, ...rule }),
    });
    expect(response.status).toBe(200);
  }

  let keys = 0;
  const key = () => `key-${kind}-${(keys += 1)}-${Date.now()}`;

  async function userId(email: string): Promise<string> {
    const [row] = await h.deps.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    return row!.id;
  }

  beforeAll(async () => {
    h = await createHarness(kind, { jobs: true });
    sandbox = await createSandbox({
      seed: 7,
      // Refunds that take time at the provider (Paytone) finish only when the test moves its clock.
      lifecycle: { processingAfterMs: 60_000, settleAfterMs: 60_000 },
    });
    const first = await h.admin();
    admin = { api: () => first.browser.api(), email: first.email };
    const agent = await h.signedInUser('support');
    support = { api: () => agent.browser.api(), email: agent.email };
    const approver = await h.signedInUser('finance');
    finance = { api: () => approver.browser.api(), email: approver.email };
    const api = await admin.api();
    for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
      const created = await api.connection.create({
        provider,
        name: `Refunds ${provider}`,
        mode: 'test',
        baseUrl: sandbox.urls[provider],
        ...connectionForm(sandbox.credentials, provider),
      });
      connectionIds[provider] = created.id;
    }
    service = {
      db: h.deps.db,
      secrets: h.deps.secrets,
      jobs: h.jobs!,
      log: h.deps.log,
      now: () => h.clock.now(),
      // Look again at once, and call "not performed" as soon as two look-ups found nothing.
      timing: { firstCheckMs: 0, notPerformedAfterMs: 0 },
    };
  });

  afterEach(() => sandbox.resetFaults());

  afterAll(async () => {
    await sandbox?.close();
    await h?.close();
  });

  it('quotes what can be refunded and how, per provider', async () => {
    const book = await pay('payment-book', 10_000n);
    const quote = await (await support.api()).refund.quote({ transactionId: book.id, amount: '10.00' });
    expect(quote).toMatchObject({
      currency: 'EUR',
      captured: '100.00',
      refundable: '100.00',
      inFlight: '0.00',
      inFlightMinor: '0',
      partialAllowed: true,
      mode: 'partial',
      canRefund: true,
      approvalRequired: false,
      approvalThreshold: '500.00',
    });
    const gate = await pay('gate', 2_500n);
    const gateQuote = await (await support.api()).refund.quote({ transactionId: gate.id });
    expect(gateQuote).toMatchObject({ mode: 'full', partialAllowed: false, refundable: '25.00' });
    await expect(
      (await support.api()).refund.quote({ transactionId: book.id, amount: '1.234' }),
    ).rejects.toThrow(/more decimals than EUR allows/);
  });

  it('refunds part of a payment, records it on the ledger, the timeline and the audit log', async () => {
    const payment = await pay('payment-book', 10_000n);
    const api = await support.api();
    const { intent, replayed } = await api.refund.create({
      transactionId: payment.id,
      amount: '30.00',
      reason: 'requested_by_customer',
      idempotencyKey: key(),
    });
    expect(replayed).toBe(false);
    expect(intent).toMatchObject({ state: 'succeeded', amount: '30.00', currency: 'EUR', final: true });
    expect(intent.message).toMatch(/^Refunded 30\.00 EUR \(provider refund /);
    expect(refundedAtProvider('payment-book', payment.providerId)).toBe(3_000n);

    const detail = await api.transaction.get({ id: payment.id });
    expect(detail.transaction.status).toBe('partially_refunded');
    expect(detail.transaction.refundedMinor).toBe('3000');
    expect(detail.operations.filter((op) => op.type === 'refund')).toHaveLength(1);
    const types = detail.timeline.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['refund_requested', 'refund_succeeded']));
    const succeeded = detail.timeline.find((event) => event.type === 'refund_succeeded');
    expect(succeeded?.details).toMatchObject({
      latencyMs: expect.any(Number) as unknown,
      outcome: 'ok',
      by: support.email,
    });

    const audit = await (await admin.api()).audit.list({ page: 0, pageSize: 50 });
    const mine = audit.rows.filter((row) => row.targetId === payment.id || row.targetId === intent.id);
    expect(mine.map((row) => `${row.action} ${row.result}`)).toEqual(
      expect.arrayContaining(['refund.create success', 'refund.send success']),
    );
    const listed = await api.refund.list({ transactionId: payment.id });
    expect(listed.map((each) => each.id)).toEqual([intent.id]);
  });

  it('refuses a refund beyond the remainder, naming it, and audits the refusal', async () => {
    const payment = await pay('payment-book', 5_000n);
    const api = await support.api();
    await api.refund.create({
      transactionId: payment.id,
      amount: '37.50',
      reason: 'duplicate',
      idempotencyKey: key(),
    });
    const attempt = api.refund.create({
      transactionId: payment.id,
      amount: '20.00',
      reason: 'duplicate',
      idempotencyKey: key(),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(attempt).rejects.toThrow(
      'You asked to refund 20.00 EUR, but at most 12.50 EUR can still be refunded (37.50 EUR already refunded).',
    );
    const audit = await (await admin.api()).audit.list({ action: 'refund.create', page: 0, pageSize: 25 });
    expect(audit.rows[0]).toMatchObject({ result: 'denied', targetId: payment.id });
    expect(audit.rows[0]?.reason).toMatch(/at most 12\.50 EUR can still be refunded/);
    expect(refundedAtProvider('payment-book', payment.providerId)).toBe(3_750n);
    // The rest is still refundable, exactly.
    const rest = await api.refund.create({
      transactionId: payment.id,
      amount: '12.5',
      reason: 'duplicate',
      idempotencyKey: key(),
    });
    expect(rest.intent.state).toBe('succeeded');
    await expect(
      api.refund.create({
        transactionId: payment.id,
        amount: '0.01',
        reason: 'duplicate',
        idempotencyKey: key(),
      }),
    ).rejects.toThrow(/nothing more can be refunded \(50\.00 EUR already refunded\)/);
  });

  it('returns the same intent for the same idempotency key, and refuses the key with other details', async () => {
    const payment = await pay('payment-book', 8_000n);
    const api = await support.api();
    const idempotencyKey = key();
    const input = {
      transactionId: payment.id,
      amount: '10.00',
      reason: 'duplicate' as const,
      idempotencyKey,
    };
    const [first, second] = await Promise.all([
      api.refund.create(input),
      (await support.api()).refund.create(input),
    ]);
    expect(first.intent.id).toBe(second.intent.id);
    const third = await api.refund.create(input);
    expect(third).toMatchObject({ replayed: true, intent: { id: first.intent.id, state: 'succeeded' } });
    expect(refundedAtProvider('payment-book', payment.providerId)).toBe(1_000n);
    expect(await providerRefunds('payment-book', payment.reference, payment.providerId)).toHaveLength(1);
    await expect(api.refund.create({ ...input, amount: '11.00' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('Gate: refuses a partial refund, refunds the whole payment once', async () => {
    const payment = await pay('gate', 4_200n);
    const api = await support.api();
    await expect(
      api.refund.create({
        transactionId: payment.id,
        amount: '10.00',
        reason: 'fraudulent',
        idempotencyKey: key(),
      }),
    ).rejects.toThrow('Gate refunds only the full amount: refund 42.00 EUR or nothing.');
    const full = await api.refund.create({
      transactionId: payment.id,
      amount: '42.00',
      reason: 'fraudulent',
      idempotencyKey: key(),
    });
    expect(full.intent).toMatchObject({ state: 'succeeded', providerReference: payment.reference });
    expect(refundedAtProvider('gate', payment.providerId)).toBe(4_200n);
    await expect(
      api.refund.create({
        transactionId: payment.id,
        amount: '42.00',
        reason: 'fraudulent',
        idempotencyKey: key(),
      }),
    ).rejects.toThrow(/nothing more can be refunded/);
    const detail = await api.transaction.get({ id: payment.id });
    expect(detail.transaction.status).toBe('refunded');
  });

  it('Paytone: an accepted refund is processing until the provider completes it', async () => {
    const payment = await pay('paytone', 6_000n);
    const api = await support.api();
    const { intent } = await api.refund.create({
      transactionId: payment.id,
      amount: '15.00',
      reason: 'product_not_delivered',
      idempotencyKey: key(),
    });
    expect(intent.state).toBe('processing');
    expect(intent.providerRefundId).toMatch(/^ref_/);
    expect(intent.message).toMatch(/still processing/);
    // Still open: it holds its amount.
    expect((await api.refund.quote({ transactionId: payment.id })).refundable).toBe('45.00');
    await sandbox.advance(61_000);
    h.clock.advance(6_000);
    const settled = await checkIntent(service, intent.id);
    expect(settled?.state).toBe('succeeded');
    expect(refundedAtProvider('paytone', payment.providerId)).toBe(1_500n);
    const detail = await api.transaction.get({ id: payment.id });
    expect(detail.transaction.refundedMinor).toBe('1500');
    expect(detail.operations.find((op) => op.type === 'refund')).toMatchObject({ status: 'succeeded' });
  });

  describe('approval', () => {
    beforeAll(async () => {
      await (await admin.api()).refund.updatePolicy({ thresholds: { EUR: '50.00' }, maxSharePercent: 80 });
    });
    afterAll(async () => {
      await (await admin.api()).refund.updatePolicy({ thresholds: { EUR: '500.00' }, maxSharePercent: null });
    });

    it('holds a refund over the threshold for a second person, who approves it', async () => {
      const payment = await pay('payment-book', 20_000n);
      const { intent } = await (
        await support.api()
      ).refund.create({
        transactionId: payment.id,
        amount: '60.00',
        reason: 'requested_by_customer',
        idempotencyKey: key(),
      });
      expect(intent).toMatchObject({ state: 'awaiting_approval', approvalRequired: true });
      expect(intent.message).toMatch(/refunds of 50\.00 EUR or more need approval/);
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(0n);
      // It holds its amount while it waits.
      expect((await (await support.api()).refund.quote({ transactionId: payment.id })).refundable).toBe(
        '140.00',
      );

      const pending = await (await finance.api()).refund.pending();
      expect(pending.map((each) => each.id)).toContain(intent.id);
      await expect((await support.api()).refund.approve({ id: intent.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const approved = await (
        await finance.api()
      ).refund.approve({ id: intent.id, reason: 'customer called' });
      expect(approved).toMatchObject({ state: 'succeeded', decidedBy: finance.email });
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(6_000n);
      await expect((await finance.api()).refund.approve({ id: intent.id })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    });

    it('asks for approval above a share of the payment', async () => {
      const payment = await pay('payment-book', 4_000n);
      const quote = await (await support.api()).refund.quote({ transactionId: payment.id, amount: '35.00' });
      expect(quote).toMatchObject({
        approvalRequired: true,
        approvalRule: 'refunds of more than 80% of the payment need approval',
      });
      const small = await (await support.api()).refund.quote({ transactionId: payment.id, amount: '30.00' });
      expect(small.approvalRequired).toBe(false);
    });

    it('refuses self-approval and audits it; a rejection sends nothing', async () => {
      const payment = await pay('payment-book', 20_000n);
      const own = await (
        await admin.api()
      ).refund.create({
        transactionId: payment.id,
        amount: '70.00',
        reason: 'other',
        note: 'goodwill',
        idempotencyKey: key(),
      });
      expect(own.intent.state).toBe('awaiting_approval');
      await expect((await admin.api()).refund.approve({ id: own.intent.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/someone else must approve it/) as unknown,
      });
      const audit = await (await admin.api()).audit.list({ action: 'refund.approve', page: 0, pageSize: 25 });
      expect(audit.rows[0]).toMatchObject({ result: 'denied', targetId: own.intent.id });

      await expect(
        (await finance.api()).refund.reject({ id: own.intent.id, reason: '' }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      const rejected = await (
        await finance.api()
      ).refund.reject({ id: own.intent.id, reason: 'not our policy' });
      expect(rejected).toMatchObject({
        state: 'rejected',
        decidedBy: finance.email,
        decisionReason: 'not our policy',
      });
      expect(rejected.message).toMatch(/Nothing was sent to the provider/);
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(0n);
      await expect((await finance.api()).refund.approve({ id: own.intent.id })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect((await (await support.api()).refund.quote({ transactionId: payment.id })).refundable).toBe(
        '200.00',
      );
    });
  });

  describe('faults', () => {
    it('timeout after the provider acted: unknown outcome, then settled by a look-up without a second refund', async () => {
      const payment = await pay('payment-book', 9_000n);
      await fault('payment-book', { kind: 'timeout', phase: 'after', holdMs: 20_000 });
      const fast: RefundDeps = {
        ...service,
        adapter: (row) => adapterFor(h.deps.secrets, row, { timeoutMs: 1_000 }),
      };
      const email = support.email;
      const { intent } = await createRefund(
        fast,
        { user: { id: await userId(email), email }, actor: actorOf(fakeRequest, null) },
        { transactionId: payment.id, amount: '25.00', reason: 'duplicate', idempotencyKey: key() },
      );
      expect(intent.state).toBe('unknown_outcome');
      expect(intent.message).toMatch(/did not answer in time/);
      expect(intent.message).toMatch(/Paydesk is checking with the provider/);
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(2_500n);
      const settled = await checkIntent(fast, intent.id);
      expect(settled?.state).toBe('succeeded');
      expect(await providerRefunds('payment-book', payment.reference, payment.providerId)).toHaveLength(1);
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(2_500n);
    });

    it('500 after the provider acted: unknown, then succeeded; 500 before: unknown, then failed as not performed', async () => {
      const after = await pay('payment-book', 9_000n);
      await fault('payment-book', { kind: 'error_500', phase: 'after' });
      const api = await support.api();
      const lost = await api.refund.create({
        transactionId: after.id,
        amount: '40.00',
        reason: 'duplicate',
        idempotencyKey: key(),
      });
      expect(lost.intent.state).toBe('unknown_outcome');
      expect(lost.intent.message).toMatch(/HTTP 500/);
      h.clock.advance(6_000);
      expect((await checkIntent(service, lost.intent.id))?.state).toBe('succeeded');
      expect(refundedAtProvider('payment-book', after.providerId)).toBe(4_000n);

      const before = await pay('payment-book', 9_000n);
      await fault('payment-book', { kind: 'error_500', phase: 'before' });
      const never = await api.refund.create({
        transactionId: before.id,
        amount: '40.00',
        reason: 'duplicate',
        idempotencyKey: key(),
      });
      expect(never.intent.state).toBe('unknown_outcome');
      h.clock.advance(6_000);
      expect((await checkIntent(service, never.intent.id))?.state).toBe('unknown_outcome');
      const failed = await checkIntent(service, never.intent.id);
      expect(failed?.state).toBe('failed');
      expect(failed?.lastError).toMatch(/no trace of this refund/);
      expect(refundedAtProvider('payment-book', before.providerId)).toBe(0n);
      expect((await api.refund.quote({ transactionId: before.id })).refundable).toBe('90.00');
    });

    it('body-less 502 after Gate acted: unknown, then succeeded from the look-up', async () => {
      const payment = await pay('gate', 3_300n);
      await fault('gate', { kind: 'error_502', phase: 'after' });
      const { intent } = await (
        await support.api()
      ).refund.create({
        transactionId: payment.id,
        amount: '33.00',
        reason: 'fraudulent',
        idempotencyKey: key(),
      });
      expect(intent.state).toBe('unknown_outcome');
      expect(intent.message).toMatch(/HTTP 502 without a usable answer/);
      // Meanwhile nobody can refund it again.
      await expect(
        (await support.api()).refund.create({
          transactionId: payment.id,
          amount: '33.00',
          reason: 'fraudulent',
          idempotencyKey: key(),
        }),
      ).rejects.toThrow(/33\.00 EUR being refunded/);
      expect(await (await support.api()).refund.quote({ transactionId: payment.id })).toMatchObject({
        inFlight: '33.00',
        inFlightMinor: '3300',
        canRefund: false,
      });
      h.clock.advance(6_000);
      const settled = await checkIntent(service, intent.id);
      expect(settled).toMatchObject({ state: 'succeeded', providerRefundId: `${payment.reference}/refund` });
      expect(refundedAtProvider('gate', payment.providerId)).toBe(3_300n);
    });

    it('Paytone 500 after it acted: the deduplicated refund is sent again and settles in the same call', async () => {
      const payment = await pay('paytone', 5_000n);
      await fault('paytone', { kind: 'error_500', phase: 'after' });
      const { intent } = await (
        await support.api()
      ).refund.create({
        transactionId: payment.id,
        amount: '20.00',
        reason: 'duplicate',
        idempotencyKey: key(),
      });
      // Paytone answered the repeat with 409 and the refund it already had.
      expect(intent.state).toBe('processing');
      await sandbox.advance(61_000);
      h.clock.advance(6_000);
      expect((await checkIntent(service, intent.id))?.state).toBe('succeeded');
      expect(refundedAtProvider('paytone', payment.providerId)).toBe(2_000n);
    });

    it('429: nothing was sent, so it is sent again later; one that keeps failing gives up', async () => {
      const payment = await pay('payment-book', 9_000n);
      await fault('payment-book', { kind: 'rate_limit', retryAfterSeconds: 2 });
      const { intent } = await (
        await support.api()
      ).refund.create({
        transactionId: payment.id,
        amount: '10.00',
        reason: 'duplicate',
        idempotencyKey: key(),
      });
      expect(intent.state).toBe('queued');
      expect(intent.message).toMatch(
        /rate limiting requests \(HTTP 429\).*try again by itself; nothing has been refunded/,
      );
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(0n);
      // Not yet due: the job leaves it.
      expect(
        (await sendIntent(service, intent.id, actorOf(fakeRequest, null), { dueOnly: true }))?.state,
      ).toBe('queued');
      h.clock.advance(2_000);
      const sent = await sendIntent(service, intent.id, actorOf(fakeRequest, null), { dueOnly: true });
      expect(sent).toMatchObject({ state: 'succeeded', attempts: 2 });
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(1_000n);

      const stubborn = await pay('payment-book', 9_000n);
      await fault('payment-book', { kind: 'rate_limit', count: 10 });
      const limited: RefundDeps = { ...service, timing: { ...service.timing, maxSendAttempts: 2 } };
      const email = support.email;
      const first = await createRefund(
        limited,
        { user: { id: await userId(email), email }, actor: actorOf(fakeRequest, null) },
        { transactionId: stubborn.id, amount: '10.00', reason: 'duplicate', idempotencyKey: key() },
      );
      expect(first.intent.state).toBe('queued');
      h.clock.advance(60_000);
      const gaveUp = await sendIntent(limited, first.intent.id, actorOf(fakeRequest, null), {
        dueOnly: true,
      });
      expect(gaveUp?.state).toBe('failed');
      expect(gaveUp?.lastError).toMatch(/gave up after 2 attempts/);
      expect(refundedAtProvider('payment-book', stubborn.providerId)).toBe(0n);
    });

    it('a process that died mid-call: the sweep calls it unknown after the lease, and a look-up settles it', async () => {
      const payment = await pay('payment-book', 9_000n);
      // As if the request's process had claimed it and died during the call, after the provider acted.
      const [row] = await h.deps.db
        .insert(refundIntents)
        .values({
          transactionId: payment.id,
          connectionId: connectionIds['payment-book'],
          provider: 'payment-book',
          amountMinor: 1_700n,
          currency: 'EUR',
          reason: 'duplicate',
          idempotencyKey: key(),
          providerReference: `rf_crash_${kind}`,
          state: 'sending',
          approvalRequired: false,
          requestedBy: await userId(support.email),
          requestedByEmail: support.email,
          attempts: 1,
          leaseUntil: new Date(h.clock.now().getTime() + 300_000),
          sentAt: h.clock.now(),
          createdAt: h.clock.now(),
          updatedAt: h.clock.now(),
        })
        .returning();
      const [connection] = await h.deps.db
        .select()
        .from(connections)
        .where(eq(connections.id, connectionIds['payment-book']));
      await adapterFor(h.deps.secrets, connection!).refund({
        transaction: { reference: payment.reference, providerId: payment.providerId },
        amount: { amountMinor: 1_700n, currency: 'EUR' },
        reference: `rf_crash_${kind}`,
        reason: 'crash test',
      });
      expect(await sweepRefunds(service)).toMatchObject({ expired: 0 });
      h.clock.advance(301_000);
      expect(await sweepRefunds(service)).toMatchObject({ expired: 1 });
      const unknown = await h.deps.db.select().from(refundIntents).where(eq(refundIntents.id, row!.id));
      expect(unknown[0]).toMatchObject({ state: 'unknown_outcome' });
      expect(unknown[0]?.lastError).toMatch(/process sending it stopped/);
      expect((await checkIntent(service, row!.id))?.state).toBe('succeeded');
      expect(await providerRefunds('payment-book', payment.reference, payment.providerId)).toHaveLength(1);
      // The sessions of this suite outlive the jump only by signing in again.
      await h.admin();
    });
  });

  describe('the database', () => {
    it('refuses an over-refund inserted directly with SQL, and a second live Gate refund', async () => {
      const payment = await pay('payment-book', 1_000n);
      const requester = await userId(support.email);
      const insert = (
        amount: number,
        reference: string,
        state = 'queued',
        transactionId = payment.id,
        provider = 'payment-book',
      ) =>
        h.database.execute(
          `INSERT INTO refund_intents (transaction_id, connection_id, provider, amount_minor, currency, reason,
             idempotency_key, provider_reference, state, approval_required, requested_by, requested_by_email,
             created_at, updated_at)
           SELECT $1, connection_id, $7, $2, currency, 'duplicate', $3, $3, $4, false, $5, $6, now(), now()
             FROM transactions WHERE id = $1`,
          [transactionId, amount, reference, state, requester, support.email, provider],
        );
      await insert(600, `sql-a-${kind}`);
      await insert(300, `sql-b-${kind}`, 'succeeded');
      await expect(insert(101, `sql-c-${kind}`)).rejects.toMatchObject({
        constraint: 'refund_intents_within_captured',
      });
      await insert(100, `sql-d-${kind}`, 'unknown_outcome');
      await expect(insert(1, `sql-e-${kind}`, 'awaiting_approval')).rejects.toThrow(
        /exceed its captured amount/,
      );
      // A failed one frees its amount; a final state never changes.
      await h.database.execute(`UPDATE refund_intents SET state = 'failed' WHERE idempotency_key = $1`, [
        `sql-a-${kind}`,
      ]);
      await insert(600, `sql-f-${kind}`);
      await expect(
        h.database.execute(`UPDATE refund_intents SET state = 'queued' WHERE idempotency_key = $1`, [
          `sql-a-${kind}`,
        ]),
      ).rejects.toThrow(/final state never changes/);
      const reason = h.database.execute(
        `INSERT INTO refund_intents (transaction_id, connection_id, provider, amount_minor, currency, reason,
           idempotency_key, provider_reference, state, approval_required, requested_by, requested_by_email,
           created_at, updated_at)
         SELECT id, connection_id, provider, 1, currency, 'other', 'sql-g', 'sql-g', 'failed', false, $2, 'x', now(), now()
           FROM transactions WHERE id = $1`,
        [payment.id, requester],
      );
      await expect(reason).rejects.toThrow(/refund_intents_note_for_other/);

      const gate = await pay('gate', 700n);
      await expect(insert(300, `sql-gate-0-${kind}`, 'queued', gate.id, 'gate')).rejects.toMatchObject({
        constraint: 'refund_intents_gate_full_only',
      });
      await insert(700, `sql-gate-1-${kind}`, 'sending', gate.id, 'gate');
      await h.database.execute(`UPDATE refund_intents SET state = 'failed' WHERE idempotency_key = $1`, [
        `sql-gate-1-${kind}`,
      ]);
      await insert(700, `sql-gate-2-${kind}`, 'unknown_outcome', gate.id, 'gate');
      // A second live full refund of the same payment.
      await expect(insert(700, `sql-gate-3-${kind}`, 'queued', gate.id, 'gate')).rejects.toMatchObject({
        constraint: 'refund_intents_gate_one_live',
      });
    });

    it('lets only what fits through when requests race', async () => {
      const payment = await pay('payment-book', 10_000n);
      const api = await support.api();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          api.refund.create({
            transactionId: payment.id,
            amount: '30.00',
            reason: 'duplicate',
            idempotencyKey: key(),
          }),
        ),
      );
      const made = results.filter((result) => result.status === 'fulfilled');
      const refused = results.filter((result) => result.status === 'rejected');
      expect(made).toHaveLength(3);
      expect(refused.map((result) => String(result.reason))).toEqual(
        Array(5).fill(expect.stringMatching(/can still be refunded|nothing more can be refunded/)),
      );
      expect(refundedAtProvider('payment-book', payment.providerId)).toBe(9_000n);
    });
  });
});

const fakeRequest = { requestId: 'refund-test', ip: null, userAgent: null, csrfHeader: true };
