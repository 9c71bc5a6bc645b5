import { describe, expect, it } from 'vitest';
import { checkRefundForm, toMinorUnits, type RefundQuote } from './model.ts';

const quote = (refundable: string, refundableMinor: string, currency = 'EUR') =>
  ({ refundable, refundableMinor, currency }) as RefundQuote;

describe('checkRefundForm', () => {
  it('accepts an amount within the remainder with a reason', () => {
    expect(
      checkRefundForm({ amount: '12.5', reason: 'duplicate', note: '' }, quote('50.00', '5000')),
    ).toEqual({});
    expect(
      checkRefundForm({ amount: '50.00', reason: 'duplicate', note: '' }, quote('50.00', '5000')),
    ).toEqual({});
  });

  it('names the remainder when the amount is beyond it', () => {
    expect(
      checkRefundForm({ amount: '50.01', reason: 'duplicate', note: '' }, quote('50.00', '5000')).amount,
    ).toBe('At most 50.00 EUR can be refunded.');
  });

  it('refuses more decimals than the currency has, zero, and text', () => {
    const yen = quote('7500', '7500', 'JPY');
    expect(checkRefundForm({ amount: '1.5', reason: 'duplicate', note: '' }, yen).amount).toBe(
      'JPY has no decimal places.',
    );
    expect(
      checkRefundForm({ amount: '0.00', reason: 'duplicate', note: '' }, quote('5.00', '500')).amount,
    ).toBe('A refund must be more than zero.');
    expect(
      checkRefundForm({ amount: '1,50', reason: 'duplicate', note: '' }, quote('5.00', '500')).amount,
    ).toBe('Enter an amount such as 12.50.');
  });

  it('asks for a reason, and a note when the reason is other', () => {
    const errors = checkRefundForm({ amount: '1', reason: '', note: '' }, quote('5.00', '500'));
    expect(errors.reason).toBe('Choose why the money goes back.');
    expect(checkRefundForm({ amount: '1', reason: 'other', note: ' ' }, quote('5.00', '500')).note).toBe(
      'Say why, when the reason is “Other”.',
    );
  });
});

describe('toMinorUnits', () => {
  it('converts exactly, without floating point', () => {
    expect(toMinorUnits('0.29', 2)).toBe(29n);
    expect(toMinorUnits('123456789012345.67', 2)).toBe(12345678901234567n);
    expect(toMinorUnits('7', 0)).toBe(7n);
    expect(toMinorUnits('7.001', 2)).toBeNull();
  });
});
