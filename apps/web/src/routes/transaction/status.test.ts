import { describe, expect, it } from 'vitest';
import { humanize, maskedCard, operationStatusLook, transactionStatusLook } from './status.ts';

describe('status looks', () => {
  it('maps statuses to their chips, and survives one this page does not know', () => {
    expect(transactionStatusLook('declined')).toEqual({ label: 'Declined', tone: 'error' });
    expect(operationStatusLook('succeeded')).toEqual({ label: 'Succeeded', tone: 'success' });
    expect(operationStatusLook('on_hold')).toEqual({ label: 'On hold', tone: 'default' });
  });

  it('humanizes provider words', () => {
    expect(humanize('partially_charged_back')).toBe('Partially charged back');
    expect(humanize('apple-pay')).toBe('Apple pay');
    expect(humanize('')).toBe('');
  });
});

describe('maskedCard', () => {
  it('shows the BIN, the last four and the brand, never more', () => {
    expect(maskedCard({ cardBin: '424242', cardLast4: '4242', cardBrand: 'visa' })).toBe(
      '424242 •••• 4242 (Visa)',
    );
    expect(maskedCard({ cardBin: null, cardLast4: '0005', cardBrand: null })).toBe('•••• 0005');
    expect(maskedCard({ cardBin: null, cardLast4: null, cardBrand: 'visa' })).toBeNull();
  });
});
