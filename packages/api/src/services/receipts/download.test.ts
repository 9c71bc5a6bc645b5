import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, connections, operations, timelineEvents, transactions } from '@paydesk/db/schema';
import { testDatabases } from '@paydesk/db/testing';
import type { ProviderName } from '@paydesk/domain';
import { createSandbox, type Sandbox } from '@paydesk/sandbox';
import { createRequestContext } from '../../create-context.ts';
import { AppError } from '../../errors.ts';
import { adapterFor } from '../connections/adapters.ts';
import { lookupTransaction } from '../ledger/worker.ts';
import { createHarness, type Browser, type Harness } from '../../test/harness.ts';
import { connectSandbox, payOnHostedPage, startInbound, until, type Inbound } from '../../test/inbound.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { downloadReceipt } from './download.ts';
import { formatAmount, formatInZone, maskedCard, toWinAnsi } from './render.ts';

const settleMs = 60_000;

describe('receipt formatting', () => {
  it('writes amounts exactly from minor units, grouped', () => {
    expect(formatAmount({ amountMinor: 123_456_789n, currency: 'EUR' })).toBe('1,234,567.89 EUR');
    expect(formatAmount({ amountMinor: 1500n, currency: 'JPY' })).toBe('1,500 JPY');
    expect(formatAmount({ amountMinor: 7125n, currency: 'KWD' })).toBe('7.125 KWD');
    expect(formatAmount({ amountMinor: 9_007_199_254_740_993n, currency: 'USD' })).toBe(
      '90,071,992,547,409.93 USD',
    );
  });

  it('shows a card as BIN and last four only, and nothing it cannot vouch for', () => {
    expect(maskedCard({ bin: '424242', last4: '4242', brand: 'visa' })).toBe('Visa 424242 •••• 4242');
    expect(maskedCard({ last4: '0005' })).toBe('•••• 0005');
    expect(maskedCard({ bin: '4242424242424242', last4: '4242' })).toBe('•••• 4242');
    expect(maskedCard({ bin: '424242' })).toBeNull();
  });

  it('writes dates in the merchant’s zone and says which', () => {
    const at = new Date('2026-07-01T21:30:00Z');
    expect(formatInZone(at, 'UTC')).toBe('2026-07-01 21:30:00 (UTC)');
    expect(formatInZone(at, 'Europe/Riga')).toBe('2026-07-02 00:30:00 (Europe/Riga, GMT+03:00)');
  });

  it('keeps text drawable by the standard font', () => {
    expect(toWinAnsi('Jānis Bērziņš — café €5')).toBe('Janis Berzinš — café €5');
    expect(toWinAnsi('東京')).toBe('??');
  });
});

describe.each(testDatabases())('receipts on %s', (kind) => {
  let h: Harness;
  let sandbox: Sandbox;
  let inbound: Inbound;
  let connectionIds: Record<ProviderName, string>;
  let agent: Browser;
  let agentEmail: string;
  const paid = {} as Record<ProviderName, string>;

  async function contextOf(browser: Browser) {
    return createRequestContext(
      h.deps,
      { requestId: 'receipt-test', ip: '192.0.2.20', userAgent: 'vitest', csrfHeader: false },
      { get: (name) => browser.cookies.get(name), set: () => undefined, clear: () => undefined },
    );
  }

  async function download(browser: Browser, transactionId: string, operation?: string) {
    return downloadReceipt(await contextOf(browser), { transactionId, operation });
  }

  async function failure(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
    return error;
  }

  beforeAll(async () => {
    h = await createHarness(kind, { jobs: true, work: true });
    sandbox = await createSandbox({
      seed: 'receipts',
      lifecycle: { processingAfterMs: settleMs, settleAfterMs: settleMs },
      webhooks: { retryScale: 0.001, timeoutMs: 5_000 },
    });
    inbound = await startInbound(h);
    const admin = await h.admin();
    connectionIds = await connectSandbox(admin.browser, sandbox);
    await (
      await admin.browser.api()
    ).merchant.update({ name: 'Ozols & Bērziņš SIA', timeZone: 'Europe/Riga' });
    const support = await h.signedInUser('support');
    agent = support.browser;
    agentEmail = support.email;

    // One paid payment per provider, through a payment link and the provider's hosted page.
    const amounts: Record<ProviderName, [string, string]> = {
      gate: ['12.34', 'USD'],
      'payment-book': ['45.60', 'EUR'],
      paytone: ['1234.50', 'EUR'],
    };
    for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
      const [amount, currency] = amounts[provider];
      const link = await (
        await agent.api()
      ).paymentLink.create({
        connectionId: connectionIds[provider],
        amount,
        currency,
        customerEmail: `receipt.${provider}@example.com`,
        customerName: 'Līga Ozola',
      });
      await payOnHostedPage(provider, link.url);
      paid[provider] = link.transactionId!;
    }
    await sandbox.advance(settleMs);
    await sandbox.advance(settleMs);
    await until('every payment is succeeded in the ledger', async () => {
      const rows = await h.database.db.select({ status: transactions.status }).from(transactions);
      return rows.filter((row) => row.status === 'succeeded').length === 3;
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await inbound.close();
    await h.close();
  });

  it('passes Payment Book’s own PDF through, and audits the download with the call on the timeline', async () => {
    const receipt = await download(agent, paid['payment-book']);
    expect(receipt.source).toBe('provider');
    expect(Buffer.from(receipt.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const [row] = await h.database.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, paid['payment-book']));
    const [payment] = await h.database.db
      .select()
      .from(operations)
      .where(and(eq(operations.transactionId, row!.id), eq(operations.status, 'succeeded')));
    expect(receipt.filename).toBe(`receipt-payment-book-${row!.reference}-${payment!.providerId}.pdf`);
    const [audit] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'receipt.download'), eq(auditLog.targetId, row!.id)));
    expect(audit).toMatchObject({ result: 'success', actorEmail: agentEmail });
    const events = await h.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.transactionId, row!.id), eq(timelineEvents.type, 'receipt_downloaded')));
    expect(events[0]?.details).toMatchObject({ call: 'fetchReceipt', outcome: 'ok', by: agentEmail });
  });

  it('renders a Paytone receipt: merchant, exact amount, masked card, references, local dates', async () => {
    const receipt = await download(agent, paid.paytone);
    expect(receipt.source).toBe('paydesk');
    const text = pdfText(receipt.pdf);
    const [row] = await h.database.db.select().from(transactions).where(eq(transactions.id, paid.paytone));
    expect(text).toContain('Ozols & Berzinš SIA');
    expect(text).toContain('Payment receipt');
    expect(text).toContain('1,234.50 EUR');
    expect(text).toContain('424242 •••• 4242');
    expect(text).not.toContain('4242424242424242');
    expect(text).toContain('Europe/Riga');
    expect(text).toContain(row!.id);
    expect(text).toContain(row!.providerId);
    expect(text).toContain(row!.reference);
    expect(text).toContain('receipt.paytone@example.com');
    expect(receipt.filename).toBe(`receipt-paytone-${row!.reference}-${row!.providerId}.pdf`);
  });

  it('renders a Gate receipt (Gate issues none) with the amount and every reference', async () => {
    const receipt = await download(agent, paid.gate);
    const text = pdfText(receipt.pdf);
    const [row] = await h.database.db.select().from(transactions).where(eq(transactions.id, paid.gate));
    expect(receipt.source).toBe('paydesk');
    expect(text).toContain('12.34 USD');
    expect(text).toContain(row!.reference);
    expect(text).toContain('Processed by');
    expect(text).toContain('Gate');
  });

  it('renders a refund receipt for Gate, with the payment it gives back', async () => {
    const [row] = await h.database.db.select().from(transactions).where(eq(transactions.id, paid.gate));
    const [connection] = await h.database.db
      .select()
      .from(connections)
      .where(eq(connections.id, connectionIds.gate));
    // Refunded at the provider (how is the refunds feature's business), then learned by a look-up.
    await adapterFor(h.deps.secrets, connection!).refund({
      transaction: { reference: row!.reference },
      amount: { amountMinor: 1234n, currency: 'USD' },
      reference: row!.reference,
      reason: 'Returned',
    });
    await lookupTransaction(
      { ...h.deps, now: () => h.clock.now() },
      { connectionId: connectionIds.gate, reference: row!.reference },
    );
    const receipt = await download(agent, paid.gate, `${row!.reference}/refund`);
    const text = pdfText(receipt.pdf);
    expect(text).toContain('Refund receipt');
    expect(text).toContain('Refunded');
    expect(text).toMatch(/Original payment\n12\.34 USD/);
    expect(receipt.filename).toBe(`receipt-gate-${row!.reference}-${row!.reference}-refund.pdf`);
  });

  it('refuses a role without receipt.download, and audits the refusal', async () => {
    const viewer = await h.signedInUser('viewer');
    const error = await failure(download(viewer.browser, paid.gate));
    expect(error.code).toBe('forbidden');
    const [audit] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'receipt.download'), eq(auditLog.actorEmail, viewer.email)));
    expect(audit).toMatchObject({ result: 'denied', reason: 'missing permission receipt.download' });
  });

  it('refuses a payment nobody paid, an unknown operation and an unknown transaction', async () => {
    const unpaid = await (
      await agent.api()
    ).paymentLink.create({
      connectionId: connectionIds.gate,
      amount: '3.00',
      currency: 'USD',
      customerEmail: 'unpaid@example.com',
    });
    expect((await failure(download(agent, unpaid.transactionId!))).code).toBe('conflict');
    expect((await failure(download(agent, paid.gate, 'no-such-operation'))).code).toBe('not_found');
    expect((await failure(download(agent, '00000000-0000-4000-8000-000000000000'))).code).toBe('not_found');
    expect((await failure(download(agent, 'not-a-uuid'))).code).toBe('not_found');
  });

  it('turns a provider’s JSON error into a clear message, never its body', async () => {
    sandbox.setFaults('payment-book', [{ kind: 'error_500', match: '/api/operation/receipt', count: 5 }]);
    const error = await failure(download(agent, paid['payment-book']));
    sandbox.resetFaults('payment-book');
    expect(error.code).toBe('provider_failed');
    expect(error.userMessage).toMatch(/^Payment Book’s receipt could not be fetched: /);
    expect(error.userMessage).not.toMatch(/[{}]|meta|pb_sandbox/);
    const [failed] = await h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'receipt.download'), eq(auditLog.result, 'failure')));
    expect(failed?.reason).toBe(error.userMessage);
  });
});
