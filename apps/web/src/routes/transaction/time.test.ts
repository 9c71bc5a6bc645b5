import { describe, expect, it } from 'vitest';
import { formatInstant, instantParts } from './time.ts';

describe('formatInstant', () => {
  it('shows the second and names the time zone', () => {
    const iso = '2026-03-12T14:03:04.567Z';
    expect(formatInstant(iso, { locale: 'en-GB', timeZone: 'UTC' })).toBe('12 Mar 2026, 14:03:04 UTC');
    expect(formatInstant(iso, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe(
      'Mar 12, 2026, 11:03:04 PM GMT+9',
    );
  });

  it('shows a dash for a missing or unreadable time', () => {
    expect(formatInstant(null)).toBe('—');
    expect(formatInstant('not a time')).toBe('—');
  });

  it('splits an instant into its day and its time of day', () => {
    expect(instantParts('2026-03-12T14:03:04Z', { locale: 'en-GB', timeZone: 'UTC' })).toEqual({
      day: '12 Mar 2026',
      clock: '14:03:04 UTC',
    });
    expect(instantParts('nope')).toBeNull();
  });
});
