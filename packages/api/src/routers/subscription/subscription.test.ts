import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, timelineEvents, transactions } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import type { ProviderName } from '@paydesk/domain';
import type { NormalizedTransaction, ProviderAdapter } from '@paydesk/providers';
import { createSandbox, type Sandbox } from '@paydesk/sandbox';
import { adapterFor, type ConnectionRow } from '../../services/connections/adapters.ts';
import { reconcileDue } from '../../services/ledger/reconcile.ts';
import { lookupTransaction } from '../../services/ledger/worker.ts';
import { cancelSubscription } from '../../services/subscriptions/cancel.ts';
import { systemActor } from '../../services/audit.ts';
import { createHarness, type Harness } from '../../test/harness.ts';
import { connectSandbox, startInbound, type Inbound } from '../../test/inbound.ts';

type Api = Awaited<ReturnType<Awaited<ReturnType<Harness['admin']>>['browser']['api']>>;

const settleMs = 60_000;

describe.each(testDatabases())('subscription cancel on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  let inbound: Inbound;
  let connectionIds: Record<ProviderName, string>;
  let agent: () => Promise<Api>;
  let agentEmail: string;

  const ledger = () => ({ ...h.deps, now: () => h.clock.now() });
  const rowOf = async (id: string) =>
    (await h.database.db.select().from(transactions).where(eq(transactions.id, id)))[0]!;

  /** A Payment Book subscription the customer paid for, known to the ledger (active). */
  async function activeSubscription(reference: string): Promise<string> {
    await sandbox.simulators['payment-book']!.simulate({
      kind: 'subscription',
      reference,
      at: sandbox.now(),
      amountMinor: 1500n,
      currency: 'EUR',
      customer: { email: 'member@example.com', name: 'Mara Member', country: 'LV' },
      method: 'card',
      card: { number: '4111111111111111', brand: 'visa' },
      outcome: 'success',
      refunds: [],
    });
    await sandbox.advance(settleMs);
    await sandbox.advance(settleMs);
    await sandbox.advance(settleMs);
    await lookupTransaction(ledger(), { connectionId: connectionIds['payment-book'], reference });
    const [row] = await h.database.db
      .select()
      .from(transactions)
      .where(eq(transactions.reference, reference));
    expect(row).toMatchObject({ kind: 'subscription', status: 'active' });
    return row!.id;
  }

  async function refusal(promise: Promise<unknown>) {
    return promise.then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
  }

  beforeAll(async () => {
    h = await createHarness(kind, { jobs: true });
    sandbox = await createSandbox({
      seed: 'subscriptions',
      lifecycle: { processingAfterMs: settleMs, settleAfterMs: settleMs },
    });
    inbound = await startInbound(h);
    const admin = await h.admin();
    connectionIds = await connectSandbox(admin.browser, sandbox);
    await (await admin.browser.api()).merchant.update({ name: 'Club', timeZone: 'Europe/Riga' });
    const support = await h.signedInUser('support');
    agent = () => support.browser.api();
    agentEmail = support.email;
  });
  afterAll(async () => {
    await sandbox.close();
    await inbound.close();
    await h.close();
  });

  it('cancels a Payment Book subscription, says what follows, and follows it until the provider confirms', async () => {
    const id = await activeSubscription('sub-cancel-1');
    const answer = await (
      await agent()
    ).subscription.cancel({ transactionId: id, reason: 'The customer asked to stop' });
    expect(answer.status).toBe('active');
    expect(answer.message).toMatch(/^Cancellation requested: Payment Book is cancelling the subscription/);
    expect(answer.message).toContain('the service runs to the end of the period already paid for');

    // Recorded (forward-only: still active until the provider says otherwise), on the timeline and in
    // the audit log, and first in line for the next reconciliation run.
    const row = await rowOf(id);
    expect(row.status).toBe('active');
    expect(row.nextCheckAt!.getTime()).toBeLessThanOrEqual(h.clock.now().getTime() + 60_000);
    const [event] = await h.database.db
      .select()
      .from(timelineEvents)
      .where(
        and(eq(timelineEvents.transactionId, id), eq(timelineEvents.type, 'subscription_cancel_requested')),
      );
    expect(event?.details).toMatchObject({
      by: agentEmail,
      reason: 'The customer asked to stop',
      outcome: 'ok',
    });
    const [audit] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'subscription.cancel'), eq(auditLog.targetId, id)));
    expect(audit).toMatchObject({
      result: 'success',
      actorEmail: agentEmail,
      reason: 'The customer asked to stop',
    });

    // The provider completes the cancel; no webhook was asked for, so the reconciliation run finds it.
    await sandbox.advance(settleMs);
    h.clock.advance(61_000);
    const report = await reconcileDue(ledger());
    expect(report.changed).toBeGreaterThanOrEqual(1);
    const cancelled = await rowOf(id);
    expect(cancelled.status).toBe('cancelled');
    expect((cancelled.metadata as { end_date?: string }).end_date).toMatch(/^\d{4}-\d{2}-\d{2}/);

    const again = await refusal((await agent()).subscription.cancel({ transactionId: id, reason: 'again' }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: 'This subscription is already cancelled.' });
  });

  it('states the end of the period when the provider gives it, in the merchant’s time zone', async () => {
    const id = await activeSubscription('sub-cancel-2');
    // Payment Book's real answer, with the end date a provider may already know.
    const withEndDate = (row: ConnectionRow): ProviderAdapter => {
      const real = adapterFor(h.deps.secrets, row);
      return {
        ...real,
        cancelSubscription: async (ref): Promise<NormalizedTransaction> => {
          const observed = await real.cancelSubscription(ref);
          return { ...observed, metadata: { ...observed.metadata, end_date: '2026-07-31 21:00:00' } };
        },
      };
    };
    const result = await cancelSubscription(
      {
        db: h.deps.db,
        secrets: h.deps.secrets,
        now: () => h.clock.now(),
        actor: systemActor,
        adapter: withEndDate,
      },
      { transactionId: id, reason: 'Moving away' },
    );
    expect(result.serviceEndsAt).toBe('2026-07-31T21:00:00.000Z');
    expect(result.message).toContain(
      'the service runs to the end of the current period, 1 August 2026 at 00:00 EEST',
    );
  });

  it('refuses anything but a Payment Book subscription, with the reason, and audits the refusal', async () => {
    const link = await (
      await agent()
    ).paymentLink.create({
      connectionId: connectionIds.gate,
      amount: '10.00',
      currency: 'EUR',
      customerEmail: 'gate.buyer@example.com',
    });
    const gate = await refusal(
      (await agent()).subscription.cancel({ transactionId: link.transactionId!, reason: 'Not wanted' }),
    );
    expect(gate).toMatchObject({ code: 'CONFLICT' });
    expect(gate?.message).toMatch(/^Gate has no subscriptions\./);
    const [audit] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'subscription.cancel'), eq(auditLog.targetId, link.transactionId!)));
    expect(audit).toMatchObject({ result: 'denied' });

    const purchase = await (
      await agent()
    ).paymentLink.create({
      connectionId: connectionIds['payment-book'],
      amount: '10.00',
      currency: 'EUR',
      customerEmail: 'pb.buyer@example.com',
    });
    const payment = await refusal(
      (await agent()).subscription.cancel({ transactionId: purchase.transactionId!, reason: 'Not wanted' }),
    );
    expect(payment?.message).toBe('Only a subscription can be cancelled; this is a payment.');

    const viewer = await h.signedInUser('viewer');
    const forbidden = await refusal(
      (await viewer.browser.api()).subscription.cancel({
        transactionId: purchase.transactionId!,
        reason: 'x x x',
      }),
    );
    expect(forbidden?.code).toBe('FORBIDDEN');
  });

  it('says plainly when the provider’s answer is lost, keeps it on the timeline and looks again soon', async () => {
    const id = await activeSubscription('sub-cancel-3');
    sandbox.setFaults('payment-book', [
      { kind: 'error_502', match: '/api/transaction/recurring/cancel', count: 1 },
    ]);
    const lost = await refusal(
      (await agent()).subscription.cancel({ transactionId: id, reason: 'Too expensive' }),
    );
    sandbox.resetFaults('payment-book');
    expect(lost?.code).toBe('BAD_GATEWAY');
    expect(lost?.message).toMatch(/answer was lost: whether the subscription is being cancelled is unknown/);
    const row = await rowOf(id);
    expect(row.nextCheckAt!.getTime()).toBeLessThanOrEqual(h.clock.now().getTime() + 60_000);
    const events = await h.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.transactionId, id), eq(timelineEvents.type, 'provider_call')));
    expect(events.at(-1)?.details).toMatchObject({ call: 'cancelSubscription', outcome: 'unknown_outcome' });
  });
});
