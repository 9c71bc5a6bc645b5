import { readFileSync } from 'node:fs';
import { transactionStatuses } from '@paydesk/domain';
import { describe, expect, it } from 'vitest';
import { isProviderError } from '../errors.ts';
import { gateOperationStatus, gateTransactionStatus, normalizeGatePayment } from './normalize.ts';
import { gatePaymentSchema, knownGateStatuses } from './schemas.ts';

/** Parsed with JSON.parse, as the HTTP layer does, so what a JS number cannot hold is lost here too. */
function fixture(name: string) {
  return gatePaymentSchema.parse(
    JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')),
  );
}

function normalizeError(name: string) {
  try {
    normalizeGatePayment(fixture(name));
  } catch (error) {
    return error;
  }
  throw new Error(`${name} was accepted`);
}

describe('Gate statuses', () => {
  it('maps every documented status to a unified one, never unknown', () => {
    for (const status of knownGateStatuses) {
      const unified = gateTransactionStatus({ status, amount: 100, actualAmount: null, declineReason: null });
      expect(transactionStatuses).toContain(unified);
      expect(unified).not.toBe('unknown');
      expect(gateOperationStatus(status)).not.toBe('unknown');
    }
  });

  it('keeps an undocumented status raw and unknown (not final, nothing advances on it)', () => {
    const payment = normalizeGatePayment(fixture('payment-unknown-status.json'));
    expect(payment.status).toBe('unknown');
    expect(payment.rawStatus).toBe('chargeback_review');
    expect(payment.operations[0]?.status).toBe('unknown');
  });

  it.each([
    ['payment-none.json', 'created', 'none', 'pending'],
    ['payment-pending.json', 'processing', 'pending', 'processing'],
    ['session-action-required.json', 'action_required', 'action_required', 'pending'],
    ['payment-success.json', 'succeeded', 'success', 'succeeded'],
    ['payment-declined.json', 'declined', 'declined', 'failed'],
    ['payment-declined-processing-error.json', 'failed', 'declined', 'failed'],
    ['payment-refunded.json', 'refunded', 'success', 'succeeded'],
  ])('%s → %s', (name, status, rawStatus, operationStatus) => {
    const payment = normalizeGatePayment(fixture(name));
    expect(payment.status).toBe(status);
    expect(payment.rawStatus).toBe(rawStatus);
    expect(payment.operations[0]?.status).toBe(operationStatus);
  });
});

describe('normalizeGatePayment', () => {
  it('normalizes a successful payment from the documented object', () => {
    expect(normalizeGatePayment(fixture('payment-success.json'))).toEqual({
      provider: 'gate',
      providerId: '0197c226-4815-799e-8882-390ff54e971d',
      reference: '0197c226-4815-799e-8882-390ff54e971d',
      kind: 'payment',
      status: 'succeeded',
      rawStatus: 'success',
      amount: { amountMinor: 10000n, currency: 'USD' },
      refundedMinor: 0n,
      customer: {},
      createdAt: new Date('2025-12-07T10:00:59.366Z'),
      operations: [
        {
          providerId: '0197c226-4815-799e-8882-390ff54e971d',
          type: 'payment',
          status: 'succeeded',
          rawStatus: 'success',
          amount: { amountMinor: 10000n, currency: 'USD' },
          createdAt: new Date('2025-12-07T10:00:59.366Z'),
        },
      ],
      metadata: { key1: 'value1', key2: 'value2' },
      raw: fixture('payment-success.json'),
    });
  });

  it('reads amounts as minor units in the currency’s exponent', () => {
    expect(normalizeGatePayment(fixture('payment-jpy.json')).amount).toEqual({
      amountMinor: 1500n,
      currency: 'JPY',
    });
    expect(normalizeGatePayment(fixture('payment-kwd.json')).amount).toEqual({
      amountMinor: 12345n,
      currency: 'KWD',
    });
  });

  it('keeps the decline code and description of a declined payment', () => {
    const payment = normalizeGatePayment(fixture('payment-declined.json'));
    expect(payment).toMatchObject({
      status: 'declined',
      declineCode: '4002',
      declineMessage: 'Insufficient funds',
      amount: { amountMinor: 2500n, currency: 'GBP' },
    });
    expect(payment.operations[0]).toMatchObject({
      declineCode: '4002',
      declineMessage: 'Insufficient funds',
    });
  });

  it('treats a decline with 1000 processing_error as a failure, not a refusal', () => {
    expect(normalizeGatePayment(fixture('payment-declined-processing-error.json'))).toMatchObject({
      status: 'failed',
      declineCode: '1000',
      declineMessage: 'The payment page expired',
    });
  });

  it('gives the hosted page or 3-D Secure URL while the customer must act', () => {
    expect(normalizeGatePayment(fixture('session-action-required.json')).actionUrl).toBe(
      'https://pay.gate.example/pay/gs_3f9c2a71b0d84e6a9c1d2e3f',
    );
    expect(normalizeGatePayment(fixture('payment-three-ds.json')).actionUrl).toBe(
      'https://acs.gate.example/3ds/gs_a1b2c3d4e5f6a7b8c9d0e1f2',
    );
    expect(normalizeGatePayment(fixture('payment-success.json')).actionUrl).toBeUndefined();
  });

  it('shows a refund (actualAmount 0) as refunded in full, with a refund operation', () => {
    const payment = normalizeGatePayment(fixture('payment-refunded.json'));
    expect(payment.status).toBe('refunded');
    expect(payment.refundedMinor).toBe(10000n);
    expect(payment.operations).toEqual([
      expect.objectContaining({ type: 'payment', status: 'succeeded' }),
      {
        providerId: 'order-7784/refund',
        type: 'refund',
        status: 'succeeded',
        rawStatus: 'refunded',
        amount: { amountMinor: 10000n, currency: 'USD' },
      },
    ]);
  });

  it('recognizes a payout by Paydesk’s mark in merchantMetadata, and hides the mark', () => {
    const payout = normalizeGatePayment(fixture('payout-success.json'));
    expect(payout.kind).toBe('payout');
    expect(payout.operations[0]?.type).toBe('payout');
    expect(payout.metadata).toEqual({ orderId: 'ORD-1001', campaign: 'AffiliateSeptember' });
    expect(normalizeGatePayment(fixture('payment-success.json'), { kind: 'payout' }).kind).toBe('payout');
  });

  it.each([
    ['payment-inexact-amount.json', /not an exact integer/],
    ['payment-unsafe-amount.json', /not an exact integer/],
    ['payment-unsupported-currency.json', /unsupported currency/],
  ])('refuses %s as a schema error', (name, message) => {
    const error = normalizeError(name);
    expect(isProviderError(error) && error.kind).toBe('schema');
    expect((error as Error).message).toMatch(message);
  });

  it('refuses an object without a status at the schema', () => {
    const raw: unknown = JSON.parse(
      readFileSync(new URL('./__fixtures__/payment-missing-status.json', import.meta.url), 'utf8'),
    );
    expect(gatePaymentSchema.safeParse(raw).success).toBe(false);
  });

  it('strips card numbers and security codes from raw and metadata', () => {
    const payment = normalizeGatePayment(fixture('payment-card-in-metadata.json'));
    const text = JSON.stringify(payment.raw) + JSON.stringify(payment.metadata);
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('5555555555554444');
    expect(text).not.toContain('"123"');
    expect(payment.metadata).toEqual({
      note: 'customer card 411111******1111 exp 12/29',
      cvv: '[redacted]',
      cardNumber: '[redacted]',
      orderId: 'ORD-7786',
      // Not a Luhn-valid card number: a phone number stays as it is.
      phone: '+447932484444',
    });
  });
});
