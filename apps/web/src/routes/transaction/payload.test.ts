import { describe, expect, it } from 'vitest';
import { isEmptyPayload, prettyPayload } from './payload.ts';
import { customerPath, isTransactionId, transactionsOfCustomerPath } from './links.ts';

describe('prettyPayload', () => {
  it('pretty-prints JSON, whether parsed or still a string', () => {
    expect(prettyPayload({ a: 1, b: [true] })).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(prettyPayload('{"a":1}')).toBe('{\n  "a": 1\n}');
  });

  it('shows a body that is not JSON as received', () => {
    expect(prettyPayload('status=paid&id=7')).toBe('status=paid&id=7');
  });

  it('knows an empty payload', () => {
    expect(isEmptyPayload(null)).toBe(true);
    expect(isEmptyPayload({})).toBe(true);
    expect(isEmptyPayload('')).toBe(true);
    expect(isEmptyPayload({ a: 1 })).toBe(false);
  });
});

describe('links', () => {
  it('encodes the e-mail in the customer view and the grid search', () => {
    expect(customerPath('ann+vip@example.com')).toBe('/customers/ann%2Bvip%40example.com');
    expect(transactionsOfCustomerPath('ann+vip@example.com')).toBe('/transactions?q=ann%2Bvip%40example.com');
  });

  it('accepts only Paydesk ids (UUIDs) as transaction ids', () => {
    expect(isTransactionId('89dd21ee-f210-4fb1-a477-5a23ba81b642')).toBe(true);
    expect(isTransactionId('ord-live-2288a5-000026')).toBe(false);
    expect(isTransactionId(undefined)).toBe(false);
  });
});
