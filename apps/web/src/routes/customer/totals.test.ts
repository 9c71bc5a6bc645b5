import { describe, expect, it } from 'vitest';
import { chartRows, customerTotals, looksLikeEmail, type ProviderRow } from './totals.ts';

const rows: ProviderRow[] = [
  {
    provider: 'gate',
    currency: 'EUR',
    transactions: 3,
    succeeded: 2,
    amountMinor: '9007199254740993',
    lastAt: '2026-03-02T10:00:00.000Z',
  },
  {
    provider: 'gate',
    currency: 'JPY',
    transactions: 1,
    succeeded: 0,
    amountMinor: '0',
    lastAt: '2026-03-05T10:00:00.000Z',
  },
  { provider: 'paytone', currency: 'EUR', transactions: 2, succeeded: 2, amountMinor: '7', lastAt: null },
];

describe('customerTotals', () => {
  it('counts across providers and sums amounts per currency, exactly', () => {
    expect(customerTotals(rows)).toEqual({
      transactions: 6,
      succeeded: 4,
      providers: 2,
      lastAt: '2026-03-05T10:00:00.000Z',
      amounts: [{ currency: 'EUR', amountMinor: '9007199254741000' }],
    });
  });

  it('is all zeros for a customer with no transactions', () => {
    expect(customerTotals([])).toEqual({
      transactions: 0,
      succeeded: 0,
      providers: 0,
      lastAt: null,
      amounts: [],
    });
  });
});

describe('chartRows', () => {
  it('names a bar by provider, and by currency when the provider has several', () => {
    expect(chartRows(rows)).toEqual([
      { label: 'Gate · EUR', transactions: 3, succeeded: 2, other: 1 },
      { label: 'Gate · JPY', transactions: 1, succeeded: 0, other: 1 },
      { label: 'Paytone', transactions: 2, succeeded: 2, other: 0 },
    ]);
  });
});

describe('looksLikeEmail', () => {
  it('spares the server an obvious miss', () => {
    expect(looksLikeEmail('ann@example.com')).toBe(true);
    expect(looksLikeEmail('ann')).toBe(false);
    expect(looksLikeEmail('ann@@example')).toBe(false);
    expect(looksLikeEmail(undefined)).toBe(false);
  });
});
