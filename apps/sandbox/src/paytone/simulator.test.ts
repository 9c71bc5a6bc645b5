import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedTransaction } from '../core/contract.ts';
import { startPaytone, testLifecycle, uniqueReference, type PaytoneHarness } from './test-context.ts';

let paytone: PaytoneHarness;
beforeEach(async () => {
  paytone = await startPaytone();
});
afterEach(async () => {
  await paytone.close();
});

const day = 24 * 60 * 60_000;
const { processingAfterMs, settleAfterMs, expireAfterMs } = testLifecycle;

function transaction(overrides: Partial<SimulatedTransaction> = {}): SimulatedTransaction {
  return {
    kind: 'payment',
    reference: uniqueReference('sim'),
    at: paytone.now(),
    amountMinor: 10_050n,
    currency: 'EUR',
    customer: { email: 'jane@example.com', name: 'Jane Doe', country: 'LV' },
    method: 'card',
    card: { number: '4111111111111111', brand: 'visa' },
    outcome: 'success',
    refunds: [],
    webhookUrl: 'http://127.0.0.1:9/inbound/paytone',
    ...overrides,
  };
}

describe('simulate: payments', () => {
  it('runs a live payment through its lifecycle with a callback per step', async () => {
    const { providerId } = await paytone.simulator.simulate(transaction());
    expect(providerId).toMatch(/^cpi_/);
    expect(await paytone.attributesOf(providerId)).toMatchObject({
      status: 'process_pending',
      amount: 100.5,
      test_mode: true,
    });
    await paytone.advance(processingAfterMs);
    expect(await paytone.attributesOf(providerId)).toMatchObject({ status: 'processing' });
    await paytone.advance(settleAfterMs);
    expect(await paytone.attributesOf(providerId)).toMatchObject({
      status: 'processed',
      payload: { payment_card: { first: '411111', last: '1111', brand: 'visa' } },
    });
    expect(paytone.callbackStatuses(providerId)).toEqual(['process_pending', 'processing', 'processed']);
  });

  it('applies a backdated history at once and reports only its latest state', async () => {
    const at = paytone.now() - day;
    const input = transaction({ at, refunds: [2_000n, 1_000n] });
    const { providerId } = await paytone.simulator.simulate(input);
    const settledAt = at + processingAfterMs + settleAfterMs;
    expect(await paytone.attributesOf(providerId)).toMatchObject({
      status: 'partially_refunded',
      created: Math.floor(at / 1000),
      processed: Math.floor(settledAt / 1000),
      updated: Math.floor((settledAt + 4 * settleAfterMs) / 1000),
      refunded_amount: 30,
    });
    expect(paytone.callbackStatuses(providerId)).toEqual(['partially_refunded']);
    const record = paytone.simulator.records().find((candidate) => candidate.providerId === providerId);
    expect(record).toEqual({
      provider: 'paytone',
      providerId,
      reference: input.reference,
      kind: 'payment',
      status: 'partially_refunded',
      amountMinor: 10_050n,
      refundedMinor: 3_000n,
      currency: 'EUR',
      customerEmail: 'jane@example.com',
      createdAt: at,
      updatedAt: settledAt + 4 * settleAfterMs,
    });
  });

  it('refunds everything to refunded', async () => {
    const { providerId } = await paytone.simulator.simulate(
      transaction({ at: paytone.now() - day, refunds: [10_050n] }),
    );
    expect(await paytone.attributesOf(providerId)).toMatchObject({
      status: 'refunded',
      refunded_amount: 100.5,
    });
  });

  it('finishes a half-done history on schedule', async () => {
    // Created 1.5 s ago: processing already started, settling still ahead.
    const { providerId } = await paytone.simulator.simulate(transaction({ at: paytone.now() - 1_500 }));
    expect(await paytone.attributesOf(providerId)).toMatchObject({ status: 'processing' });
    await paytone.advance(settleAfterMs - 500);
    expect(await paytone.attributesOf(providerId)).toMatchObject({ status: 'processed' });
    expect(paytone.callbackStatuses(providerId)).toEqual(['processing', 'processed']);
  });

  it.each([
    [
      'declined',
      'process_failed',
      ['declined', 'insufficient_funds', 'card_expired', 'do_not_honor', 'suspected_fraud'],
    ],
    ['failed', 'process_failed', ['provider_error', 'timeout', 'acquirer_unavailable']],
    ['expired', 'expired', ['expired']],
    ['pending', 'processing', ['ok']],
    ['action_required', 'process_pending', ['ok']],
  ] as const)('outcome %s ends in %s', async (outcome, status, resolutions) => {
    const { providerId } = await paytone.simulator.simulate(
      transaction({ outcome, at: paytone.now() - day }),
    );
    const found = await paytone.attributesOf(providerId);
    expect(found.status).toBe(status);
    expect(resolutions).toContain(found.resolution);
    if (outcome === 'action_required') {
      expect(found.flow_data).toMatchObject({ action: `${paytone.baseUrl}/hpp/${providerId}/3ds` });
      const page = await paytone.request('GET', `/hpp/${providerId}/3ds`);
      expect(page.text).toContain('3-D Secure');
    }
    await paytone.advance(expireAfterMs * 2);
    expect((await paytone.attributesOf(providerId)).status).toBe(status);
  });

  it('uses the bank transfer and wallet services for those methods', async () => {
    const bank = await paytone.simulator.simulate(transaction({ method: 'bank_transfer', card: undefined }));
    const wallet = await paytone.simulator.simulate(
      transaction({ method: 'wallet', currency: 'JPY', amountMinor: 1500n }),
    );
    expect(await paytone.attributesOf(bank.providerId)).toMatchObject({ payload: null });
    const bankInvoice = await paytone.api('GET', `/api/payment-invoices/${bank.providerId}`);
    expect(bankInvoice.json.data.relationships['payment-service']?.data.id).toBe('bank_transfer_eur_hpp');
    const walletInvoice = await paytone.api('GET', `/api/payment-invoices/${wallet.providerId}`);
    expect(walletInvoice.json.data.relationships['payment-service']?.data.id).toBe('applepay_jpy_hpp');
    expect(walletInvoice.json.data.attributes.amount).toBe(1500);
  });

  it('sends no callbacks without a webhook URL', async () => {
    const { providerId } = await paytone.simulator.simulate(
      transaction({ webhookUrl: undefined, at: paytone.now() - day }),
    );
    expect(paytone.callbackStatuses(providerId)).toEqual([]);
  });

  it.each([
    ['a subscription', { kind: 'subscription' as const }, 'Paytone has no subscriptions'],
    ['an unknown currency', { currency: 'XXX' }, 'no payment service for XXX'],
    ['refunds above the amount', { refunds: [10_051n] }, 'exceed what was paid'],
    [
      'refunds of a declined payment',
      { outcome: 'declined' as const, refunds: [1n] },
      'exceed what was paid',
    ],
    ['an amount of zero', { amountMinor: 0n }, 'outside'],
  ])('rejects %s', async (_name, overrides, message) => {
    await expect(paytone.simulator.simulate(transaction(overrides))).rejects.toThrow(message);
  });

  it('rejects a reference that is taken', async () => {
    const input = transaction();
    await paytone.simulator.simulate(input);
    await expect(paytone.simulator.simulate({ ...input })).rejects.toThrow('is taken');
  });
});

describe('simulate: payouts', () => {
  it.each([
    ['success', 'processed'],
    ['declined', 'process_failed'],
    ['failed', 'process_failed'],
    ['expired', 'expired'],
    ['pending', 'processing'],
    ['action_required', 'process_pending'],
  ] as const)('outcome %s ends in %s', async (outcome, status) => {
    const input = transaction({ kind: 'payout', outcome, at: paytone.now() - day });
    const { providerId } = await paytone.simulator.simulate(input);
    expect(providerId).toMatch(/^cpoi_/);
    expect(await paytone.attributesOf(providerId)).toMatchObject({ status, amount: 100.5, currency: 'EUR' });
    const record = paytone.simulator.records().find((candidate) => candidate.providerId === providerId);
    expect(record).toMatchObject({ kind: 'payout', status, reference: input.reference, refundedMinor: 0n });
  });

  it('masks the card and fills recipient details per method', async () => {
    const card = await paytone.simulator.simulate(transaction({ kind: 'payout' }));
    expect(await paytone.attributesOf(card.providerId)).toMatchObject({
      service_fields: { card_number: '411111******1111' },
    });
    const bank = await paytone.simulator.simulate(transaction({ kind: 'payout', method: 'bank_transfer' }));
    expect(await paytone.attributesOf(bank.providerId)).toMatchObject({
      service: 'bank_transfer_eur_direct',
      service_fields: { account_number: expect.stringMatching(/^LV\d{2}PAYD\d{13}$/) as unknown },
    });
    const wallet = await paytone.simulator.simulate(transaction({ kind: 'payout', method: 'wallet' }));
    expect(await paytone.attributesOf(wallet.providerId)).toMatchObject({
      service: 'paypal_eur_direct',
      service_fields: { email: 'jane@example.com' },
    });
  });
});

describe('forceStatus', () => {
  it('changes the status silently and abandons the planned lifecycle', async () => {
    const { providerId } = await paytone.simulator.simulate(transaction());
    expect(paytone.simulator.forceStatus(providerId, 'charged_back', { notify: false })).toBe(true);
    await paytone.advance(day);
    expect(await paytone.attributesOf(providerId)).toMatchObject({ status: 'charged_back' });
    expect(paytone.callbackStatuses(providerId)).toEqual(['process_pending']);
  });

  it('notifies when asked, with the forced status and a fresh updated time', async () => {
    const { providerId } = await paytone.simulator.simulate(
      transaction({ kind: 'payout', at: paytone.now() - day }),
    );
    await paytone.advance(60_000);
    expect(paytone.simulator.forceStatus(providerId, 'canceled', { notify: true })).toBe(true);
    const [, last] = paytone.deliveries.filter((delivery) => delivery.objectKey === providerId);
    const sent = (
      JSON.parse(last?.body ?? '{}') as { data: { attributes: { status: string; updated: number } } }
    ).data.attributes;
    expect(sent).toMatchObject({ status: 'canceled', updated: Math.floor(paytone.now() / 1000) });
  });

  it('answers false for an unknown id', () => {
    expect(paytone.simulator.forceStatus('cpi_unknown', 'processed', { notify: true })).toBe(false);
  });
});

describe('determinism', () => {
  it('reproduces ids and choices from the same seed', async () => {
    const run = async () => {
      const harness = await startPaytone({ seed: 7 });
      try {
        const seen: unknown[] = [];
        for (const [index, outcome] of (['declined', 'failed', 'success'] as const).entries()) {
          const input = {
            ...transaction({ outcome, at: harness.now() - day }),
            reference: `seeded-${index}`,
          };
          const { providerId } = await harness.simulator.simulate(input);
          const invoice = await harness.api('GET', `/api/payment-invoices/${providerId}`);
          const { status, resolution, rrn } = invoice.json.data.attributes;
          seen.push({ providerId, status, resolution, rrn });
        }
        return seen;
      } finally {
        await harness.close();
      }
    };
    expect(await run()).toEqual(await run());
  });
});
