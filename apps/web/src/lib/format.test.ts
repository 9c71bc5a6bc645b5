import { describe, expect, it } from 'vitest';
import {
  dayStartIso,
  formatDateTime,
  formatDateTimeIn,
  formatMinor,
  formatRelative,
  nextDayStartIso,
  parseDay,
} from './format.ts';

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

describe('money from minor units', () => {
  it('places the decimal point by the currency’s exponent', () => {
    expect(formatMinor('123456', 'EUR')).toBe('€1,234.56');
    expect(formatMinor('123456', 'JPY')).toBe('¥123,456');
    expect(formatMinor('123456', 'KWD')).toMatch(/^KWD\s123\.456$/);
    expect(formatMinor('5', 'USD')).toBe('$0.05');
    expect(formatMinor('-5', 'USD')).toBe('-$0.05');
    expect(formatMinor(0n, 'GBP')).toBe('£0.00');
  });

  it('is exact beyond what a float can hold', () => {
    // 2^53 + 1 cents: a float would print …992.
    expect(formatMinor('900719925474099301', 'USD')).toBe('$9,007,199,254,740,993.01');
  });

  it('says what it cannot place instead of guessing', () => {
    expect(formatMinor('100', 'XTS')).toBe('100 (minor units) XTS');
    expect(formatMinor('12.5', 'EUR')).toBe('—');
  });
});

describe('instants in a chosen time zone', () => {
  it('shows the wall-clock time of that zone', () => {
    expect(formatDateTimeIn('2026-03-01T23:30:00Z', 'UTC')).toMatch(/Mar 1, 2026.*11:30:00/);
    expect(formatDateTimeIn('2026-03-01T23:30:00Z', 'Europe/Berlin')).toMatch(/Mar 2, 2026.*12:30:00/);
    expect(formatDateTimeIn(null, 'UTC')).toBe('—');
  });
});
