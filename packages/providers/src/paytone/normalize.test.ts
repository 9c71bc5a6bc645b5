import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProviderError } from '../errors.ts';
import {
  cardSummary,
  normalizeDocument,
  paymentInvoiceStatus,
  paymentOperationStatus,
  payoutInvoiceStatus,
  payoutOperationStatus,
  refundStatus,
} from './normalize.ts';
import { knownPaymentInvoiceStatuses, knownPayoutInvoiceStatuses, knownRefundStatuses } from './schemas.ts';

const json = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

function transaction(name: string) {
  const document = normalizeDocument(json(name));
  if (document.type !== 'transaction') throw new Error(`${name} is not an invoice`);
  return document.transaction;
}

function refund(name: string) {
  const document = normalizeDocument(json(name));
  if (document.type !== 'refund') throw new Error(`${name} is not a refund`);
  return document.refund;
}

describe('Paytone statuses', () => {
  const facts = [
    { processed_amount: null, refunded_amount: null, hpp_url: null, resolution: 'ok' },
    { processed_amount: 10, refunded_amount: 5, hpp_url: 'https://pay.example/hpp', resolution: 'declined' },
  ];

  it('maps every documented payment invoice status to a unified one, never unknown', () => {
    for (const status of knownPaymentInvoiceStatuses) {
      for (const fact of facts) {
        expect(paymentInvoiceStatus({ status, ...fact }), status).not.toBe('unknown');
      }
      expect(paymentOperationStatus(status), status).not.toBe('unknown');
    }
  });

  it('maps every documented payout invoice status to a unified one, never unknown', () => {
    for (const status of knownPayoutInvoiceStatuses) {
      for (const fact of facts) {
        expect(payoutInvoiceStatus({ status, ...fact }), status).not.toBe('unknown');
        expect(payoutOperationStatus({ status, ...fact }), status).not.toBe('unknown');
      }
    }
  });

  it('maps every refund status it knows', () => {
    for (const status of knownRefundStatuses) expect(refundStatus(status), status).not.toBe('unknown');
    expect(refundStatus('something_new')).toBe('unknown');
  });

  it.each([
    ['created', {}, 'created'],
    ['expired', {}, 'expired'],
    ['terminated', {}, 'cancelled'],
    ['processing', {}, 'processing'],
    ['process_pending', { hpp_url: 'https://pay.example/hpp' }, 'action_required'],
    ['process_pending', {}, 'processing'],
    ['process_error', {}, 'processing'],
    ['processed', {}, 'succeeded'],
    ['partially_processed', {}, 'succeeded'],
    ['process_failed', { resolution: 'insufficient_funds' }, 'declined'],
    ['process_failed', { resolution: 'EXPIRED' }, 'expired'],
    ['process_failed', { resolution: 'provider_error' }, 'failed'],
    ['verified', {}, 'succeeded'],
    ['verify_failed', { resolution: '3ds_failed' }, 'declined'],
    ['refunding', {}, 'succeeded'],
    ['refunding', { refunded_amount: 5 }, 'partially_refunded'],
    ['refund_pending', {}, 'succeeded'],
    ['refund_error', { refunded_amount: 5 }, 'partially_refunded'],
    ['partially_refunded', {}, 'partially_refunded'],
    ['refunded', {}, 'refunded'],
    ['refund_failed', {}, 'succeeded'],
    ['charged_back', {}, 'charged_back'],
    ['partially_charged_back', {}, 'partially_charged_back'],
    ['rejected', {}, 'declined'],
    ['brand_new_status', {}, 'unknown'],
  ])('payment invoice %s (%o) → %s', (status, extra, expected) => {
    expect(paymentInvoiceStatus({ status, ...extra })).toBe(expected);
  });

  it.each([
    ['created', {}, 'created'],
    ['processing', {}, 'processing'],
    ['process_pending', {}, 'processing'],
    ['process_failed', {}, 'failed'],
    ['process_failed', { resolution: 'expired' }, 'expired'],
    ['processed', {}, 'succeeded'],
    ['canceling', {}, 'processing'],
    ['canceling', { processed_amount: 50 }, 'succeeded'],
    ['cancel_failed', { processed_amount: 50 }, 'succeeded'],
    ['cancel_failed', {}, 'failed'],
    ['partially_canceled', { processed_amount: 50 }, 'partially_refunded'],
    ['canceled', {}, 'cancelled'],
    ['canceled', { processed_amount: 50 }, 'refunded'],
  ])('payout invoice %s (%o) → %s', (status, extra, expected) => {
    expect(payoutInvoiceStatus({ status, ...extra })).toBe(expected);
  });
});

describe('payment invoices', () => {
  it('normalizes the documented create answer: waiting for the customer on the hosted page', () => {
    const invoice = transaction('payment-invoice-created.json');
    expect(invoice).toMatchObject({
      provider: 'paytone',
      providerId: 'cpi_HeSWMM9LvQonCcQc',
      reference: '70d42236-2cc4-4e26-8f2f-987fd8fbc276',
      kind: 'payment',
      status: 'action_required',
      rawStatus: 'process_pending',
      amount: { amountMinor: 10000n, currency: 'USD' },
      refundedMinor: 0n,
      fee: { amountMinor: 0n, currency: 'USD' },
      actionUrl: 'https://pay.psp.name/redirect/hpp/?cpi=cpi_HeSWMM9LvQonCcQc',
      method: 'payment_card',
      testMode: true,
      createdAt: new Date(1597833098 * 1000),
      updatedAt: new Date(1597833098 * 1000),
      metadata: { key: 'value', merchant_url: 'https://lets.doc.it' },
    });
    expect(invoice.operations).toEqual([
      {
        providerId: 'cpi_HeSWMM9LvQonCcQc',
        type: 'payment',
        status: 'pending',
        rawStatus: 'process_pending',
        amount: { amountMinor: 10000n, currency: 'USD' },
        fee: { amountMinor: 0n, currency: 'USD' },
        createdAt: new Date(1597833098 * 1000),
        updatedAt: new Date(1597833098 * 1000),
      },
    ]);
  });

  it('normalizes the documented processed invoice with its card (BIN, last four, brand only)', () => {
    const invoice = transaction('payment-invoice-processed.json');
    expect(invoice).toMatchObject({
      status: 'succeeded',
      rawStatus: 'processed',
      card: { bin: '512381', last4: '0000', brand: 'mastercard' },
      updatedAt: new Date(1597833207 * 1000),
    });
    expect(invoice.actionUrl).toBeUndefined();
    expect(invoice.declineCode).toBeUndefined();
  });

  it('reads the customer from a compound document, and amounts and fees exactly', () => {
    const invoice = transaction('payment-invoice-included-customer.json');
    expect(invoice).toMatchObject({
      amount: { amountMinor: 4999n, currency: 'EUR' },
      fee: { amountMinor: 125n, currency: 'EUR' },
      customer: { email: 'john.wick@example.com', name: 'John Wick' },
      card: { bin: '411111', last4: '1111', brand: 'visa' },
      testMode: false,
    });
  });

  it('counts what was refunded', () => {
    const invoice = transaction('payment-invoice-partially-refunded.json');
    expect(invoice.status).toBe('partially_refunded');
    expect(invoice.refundedMinor).toBe(2000n);
  });

  it('keeps the resolution of a failed invoice as its decline code', () => {
    const invoice = transaction('payment-invoice-declined.json');
    expect(invoice).toMatchObject({ status: 'declined', declineCode: 'insufficient_funds' });
    expect(invoice.operations[0]).toMatchObject({ status: 'failed', declineCode: 'insufficient_funds' });
    expect(invoice.actionUrl).toBeUndefined();
  });

  it('takes what arrived as the amount of a partially processed invoice', () => {
    expect(transaction('payment-invoice-partially-processed.json').amount).toEqual({
      amountMinor: 6050n,
      currency: 'USD',
    });
  });

  it('keeps an undocumented status raw and unknown', () => {
    expect(transaction('payment-invoice-unknown-status.json')).toMatchObject({
      status: 'unknown',
      rawStatus: 'awaiting_moderation',
    });
  });

  it.each([
    ['payment-invoice-inexact-amount.json', /not an exact amount in USD/],
    ['payment-invoice-inexact-jpy.json', /not an exact amount in JPY/],
  ])('refuses %s as a schema error', (name, message) => {
    try {
      normalizeDocument(json(name));
      expect.unreachable();
    } catch (error) {
      expect(isProviderError(error) && error.kind).toBe('schema');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('strips tokens, card numbers and the callback URL from raw', () => {
    const invoice = transaction('payment-invoice-leaky-card.json');
    expect(invoice.card).toEqual({ bin: '411111', last4: '1111', brand: 'mastercard' });
    const stored = JSON.stringify([invoice.raw, invoice.metadata, invoice.card]);
    expect(stored).not.toMatch(/4111111111111111|4111-1111-1111-1111/);
    expect(stored).not.toContain('tok_card_8f2b1c');
    expect(stored).not.toContain('eyJ0eXAiOiJKV1Qi');
    expect(stored).not.toContain('whk_7d1e0f3c9a2b4e58');
    expect(invoice.metadata).toEqual({ order: 'A-1', note: 'paid with 411111******1111' });
  });

  it('keeps the documented public fields in raw', () => {
    const raw = transaction('payment-invoice-processed.json').raw as { attributes: Record<string, unknown> };
    expect(raw.attributes.reference_id).toBe('70d42236-2cc4-4e26-8f2f-987fd8fbc276');
    expect(raw.attributes.callback_url).toBe('[redacted]');
  });
});

describe('card summaries', () => {
  it.each([
    [
      { first: '512381', last: '0000', brand: 'mastercard' },
      { bin: '512381', last4: '0000', brand: 'mastercard' },
    ],
    [
      { first: '51238100', last: '0000' },
      { bin: '51238100', last4: '0000' },
    ],
    [
      { mask: '512381******0000', network: 'mastercard' },
      { bin: '512381', last4: '0000', brand: 'mastercard' },
    ],
    [
      { first: '5123810000000000', last: '5123810000000000' },
      { bin: '512381', last4: '0000' },
    ],
    [{ first: '51', last: '0' }, undefined],
    [null, undefined],
  ])('%o → %o', (card, expected) => {
    expect(cardSummary(card)).toEqual(expected);
  });
});

describe('payout invoices', () => {
  it('normalizes a processed card payout', () => {
    const payout = transaction('payout-invoice-processed.json');
    expect(payout).toMatchObject({
      providerId: 'cpoi_Wq8sLp3Nd7XzKf2M',
      reference: 'payout-2025-09-29-001',
      kind: 'payout',
      status: 'succeeded',
      amount: { amountMinor: 5000n, currency: 'USD' },
      fee: { amountMinor: 75n, currency: 'USD' },
      card: { bin: '411111', last4: '1111', brand: 'visa' },
      customer: { name: 'MARK TWAIN' },
      method: 'payment_card',
    });
    expect(payout.operations[0]).toMatchObject({ type: 'payout', status: 'succeeded' });
    const raw = payout.raw as { attributes: { service_fields: Record<string, unknown> } };
    expect(raw.attributes.service_fields.card_number).toBe('[redacted]');
  });

  it('reads a PayPal payout’s e-mail and shows a cancelled paid payout as refunded', () => {
    const payout = transaction('payout-invoice-canceled.json');
    expect(payout).toMatchObject({
      status: 'refunded',
      refundedMinor: 5000n,
      customer: { email: 'affiliate@example.com' },
    });
    expect(payout.operations[0]?.status).toBe('cancelled');
  });
});

describe('refunds', () => {
  it('normalizes the documented refund answer', () => {
    expect(refund('refund.json')).toEqual({
      providerId: 'ref_Lm3Qx9Tz2Kd8Ws1B',
      reference: 'rf_intent_1',
      status: 'pending',
      rawStatus: 'processing',
      amount: { amountMinor: 1050n, currency: 'USD' },
      fee: { amountMinor: 0n, currency: 'USD' },
    });
    expect(refund('refund-processed.json').status).toBe('succeeded');
  });
});

describe('normalizeDocument', () => {
  it('refuses a document of an unknown type', () => {
    expect(() => normalizeDocument({ data: { type: 'customers', id: 'cus_1', attributes: {} } })).toThrow(
      /unknown type/,
    );
  });
});
