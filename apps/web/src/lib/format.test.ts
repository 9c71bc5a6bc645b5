import { describe, expect, it } from 'vitest';
import { nextDayStartIso, dayStartIso, formatDateTime, formatRelative, parseDay } from './format.ts';

// vitest.config.ts runs the tests with TZ=UTC, so local days are UTC days here.
describe('day ranges', () => {
  it('spans the whole local day, up to the next one', () => {
    expect(dayStartIso('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(nextDayStartIso('2026-03-01')).toBe('2026-03-02T00:00:00.000Z');
    expect(nextDayStartIso('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('refuses what is not a calendar day', () => {
    expect(parseDay('2026-02-31')).toBeNull();
    expect(parseDay('yesterday')).toBeNull();
    expect(dayStartIso('')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('shows a dash for missing or invalid instants', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('nope')).toBe('—');
    expect(formatDateTime('2026-03-01T10:00:00Z')).toMatch(/2026/);
  });

  it('describes time relative to now', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(formatRelative('2026-03-01T11:57:00Z', now)).toMatch(/3 minutes ago/);
    expect(formatRelative('2026-03-01T14:00:00Z', now)).toMatch(/in 2 hours/);
    expect(formatRelative('2026-03-01T12:00:10Z', now)).toMatch(/now/);
  });
});
