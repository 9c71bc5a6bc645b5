import { describe, expect, it } from 'vitest';
import { canAdvance, transactionStatuses } from './statuses.ts';

describe('status transitions', () => {
  it('moves forward through a payment’s life', () => {
    expect(canAdvance('created', 'processing')).toBe(true);
    expect(canAdvance('processing', 'succeeded')).toBe(true);
    expect(canAdvance('succeeded', 'partially_refunded')).toBe(true);
    expect(canAdvance('partially_refunded', 'refunded')).toBe(true);
    expect(canAdvance('active', 'cancelled')).toBe(true);
  });

  it('never moves back, and never out of a final status', () => {
    expect(canAdvance('succeeded', 'processing')).toBe(false);
    expect(canAdvance('refunded', 'partially_refunded')).toBe(false);
    expect(canAdvance('declined', 'succeeded')).toBe(false);
    expect(canAdvance('succeeded', 'cancelled')).toBe(false);
    for (const status of transactionStatuses) expect(canAdvance(status, 'unknown')).toBe(false);
  });

  it('lets anything replace unknown', () => {
    for (const status of transactionStatuses.filter((s) => s !== 'unknown'))
      expect(canAdvance('unknown', status)).toBe(true);
  });
});
