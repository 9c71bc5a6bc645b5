import { verifyPayload } from '@paydesk/providers/payment-book/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedTransaction } from '../core/contract.ts';
import {
  at,
  lifecycle,
  meta,
  shopToken,
  startPaymentBook,
  textAt,
  type TestSandbox,
} from './test-context.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startPaymentBook();
});
afterEach(() => sandbox.close());

const day = 24 * 3_600_000;

function input(reference: string, overrides: Partial<SimulatedTransaction> = {}): SimulatedTransaction {
  return {
    kind: 'payment',
    reference,
    at: sandbox.clock.now() - 10 * day,
    amountMinor: 2_500n,
    currency: 'EUR',
    customer: { email: 'ann@example.com', name: 'Ann Lee', country: 'LV' },
    method: 'card',
    card: { number: '4111111111111111', brand: 'visa' },
    outcome: 'success',
    refunds: [],
    webhookUrl: 'https://paydesk.example/inbound/pb',
    ...overrides,
  };
}

async function statusOf(reference: string): Promise<unknown> {
  return (await sandbox.call('/api/transaction/status', meta(reference))).json;
}

describe('simulate', () => {
  it('writes a backdated payment in its final state, with its refunds, and tells Paydesk once', async () => {
    const { providerId } = await sandbox.simulator.simulate(input('sim-1', { refunds: [1_000n, 500n] }));
    const [record] = sandbox.simulator.records();
    expect(record).toEqual({
      provider: 'payment-book',
      providerId,
      reference: 'sim-1',
      kind: 'payment',
      status: 'partially_refunded',
      amountMinor: 2_500n,
      refundedMinor: 1_500n,
      currency: 'EUR',
      customerEmail: 'ann@example.com',
      createdAt: sandbox.clock.now() - 10 * day,
      updatedAt: sandbox.clock.now() - 10 * day + lifecycle.processingAfterMs + 3 * lifecycle.settleAfterMs,
    });
    expect(sandbox.webhooks.deliveries).toHaveLength(1);
    expect(verifyPayload(sandbox.webhooks.deliveries[0]?.body ?? '', shopToken.secret)).toBe(true);
    expect(await statusOf('sim-1')).toMatchObject({
      data: {
        ulid: providerId,
        status: 'partially_refunded',
        created_at: '2026-05-12 12:00:00',
        operations: [
          {
            type: 'payment',
            status: 'success',
            metadata: { card_meta: { mask: '411111******1111', type: 'visa', holder: 'Ann Lee' } },
          },
          { type: 'refund', amount: '10.00' },
          { type: 'refund', amount: '5.00' },
        ],
      },
    });
    // The simulated customer can be looked up, refunded and given a receipt like any other.
    const receipt = await sandbox.call('/api/operation/receipt', {
      meta: { ulid: textAt(await statusOf('sim-1'), 'data.operations.0.ulid') },
    });
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
  });

  it('plays a live payment step by step on the scheduler', async () => {
    await sandbox.simulator.simulate(input('sim-2', { at: sandbox.clock.now() }));
    expect(sandbox.webhooks.statuses()).toEqual(['created']);
    await sandbox.scheduler.advance(lifecycle.processingAfterMs);
    await sandbox.scheduler.advance(lifecycle.settleAfterMs);
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'processing', 'success']);
  });

  it.each([
    ['declined', 'failed', 100],
    ['failed', 'failed', undefined],
    ['expired', 'expired', 120],
    ['pending', 'processing', 0],
    ['action_required', 'processing', 0],
  ] as const)('turns a %s payment into %s', async (outcome, status, code) => {
    await sandbox.simulator.simulate(input(`sim-${outcome}`, { outcome }));
    const data = at(await statusOf(`sim-${outcome}`), 'data');
    expect(data).toMatchObject({ status });
    if (code !== undefined) expect(at(data, 'unified_error_code')).toBe(code);
    if (outcome === 'failed') expect([320, 330]).toContain(at(data, 'unified_error_code'));
    if (outcome === 'pending')
      expect(at(data, 'operations.0')).toMatchObject({ status: 'external_processing', code: 1 });
    if (outcome === 'action_required') expect(at(data, 'operations.0.status')).toBe('awaiting_confirmation');
  });

  it('writes backdated payouts with their outcome', async () => {
    await sandbox.simulator.simulate(input('sim-payout', { kind: 'payout', method: 'bank_transfer' }));
    await sandbox.simulator.simulate(input('sim-payout-declined', { kind: 'payout', outcome: 'declined' }));
    expect(await statusOf('sim-payout')).toMatchObject({
      data: { type: 'withdrawal', status: 'success', operations: [{ type: 'payout', status: 'success' }] },
    });
    expect(await statusOf('sim-payout-declined')).toMatchObject({
      data: { status: 'failed', operations: [{ code: 28102 }] },
    });
    expect(sandbox.simulator.records().map((record) => record.kind)).toEqual(['payout', 'payout']);
  });

  it('charges a backdated subscription every cycle until the merchant cancels', async () => {
    await sandbox.simulator.simulate(
      input('sim-sub', { kind: 'subscription', at: sandbox.clock.now() - 120 * day, cancelAfterCycles: 3 }),
    );
    const data = at(await statusOf('sim-sub'), 'data');
    expect(data).toMatchObject({ type: 'recurring', status: 'canceled' });
    expect(at(data, 'operations')).toHaveLength(3);
    expect(sandbox.webhooks.statuses()).toEqual(['canceled']);
  });

  it('keeps an uncancelled subscription active and charges the next cycle live', async () => {
    await sandbox.simulator.simulate(
      input('sim-sub-2', { kind: 'subscription', at: sandbox.clock.now() - 45 * day }),
    );
    expect(at(await statusOf('sim-sub-2'), 'data.operations')).toHaveLength(2);
    await sandbox.scheduler.advance(30 * day);
    expect(at(await statusOf('sim-sub-2'), 'data.operations')).toHaveLength(3);
    expect(sandbox.webhooks.statuses()).toEqual(['active', 'active']);
  });

  it('materialises at most 24 past renewals when cycles are very short', async () => {
    const shortCycles = await startPaymentBook();
    shortCycles.ctx.lifecycle = { ...shortCycles.ctx.lifecycle, subscriptionCycleMs: 60_000 };
    try {
      await shortCycles.simulator.simulate({
        ...input('sim-sub-3', { kind: 'subscription' }),
        at: shortCycles.clock.now() - 90 * day,
      });
      const response = await shortCycles.call('/api/transaction/status', meta('sim-sub-3'));
      expect(at(response.json, 'data.operations')).toHaveLength(25);
    } finally {
      await shortCycles.close();
    }
  });

  it('refuses a reference it already has', async () => {
    await sandbox.simulator.simulate(input('sim-dup'));
    await expect(sandbox.simulator.simulate(input('sim-dup'))).rejects.toThrow(/already exists/);
  });
});

describe('forceStatus', () => {
  it('sets a documented status, with or without a webhook, and stops the planned lifecycle', async () => {
    const { providerId } = await sandbox.simulator.simulate(input('force-1', { at: sandbox.clock.now() }));
    expect(sandbox.simulator.forceStatus(providerId, 'failed', { notify: false })).toBe(true);
    expect(sandbox.webhooks.statuses()).toEqual(['created']);
    expect(await statusOf('force-1')).toMatchObject({ data: { status: 'failed', unified_error_code: 999 } });
    await sandbox.scheduler.advance(lifecycle.processingAfterMs + lifecycle.settleAfterMs);
    expect(at(await statusOf('force-1'), 'data.status')).toBe('failed');

    expect(sandbox.simulator.forceStatus(providerId, 'success', { notify: true })).toBe(true);
    expect(sandbox.webhooks.statuses()).toEqual(['created', 'success']);
  });

  it('refuses unknown objects and statuses', async () => {
    const { providerId } = await sandbox.simulator.simulate(input('force-2'));
    expect(sandbox.simulator.forceStatus('01KS8KBXCYQ25ZB8CNCD0D3C23', 'success', { notify: false })).toBe(
      false,
    );
    expect(sandbox.simulator.forceStatus(providerId, 'approved', { notify: false })).toBe(false);
  });
});
