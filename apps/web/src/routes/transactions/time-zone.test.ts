import { describe, expect, it } from 'vitest';
import {
  dayEndInZone,
  dayInZone,
  dayStartInZone,
  isKnownZone,
  isoInZone,
  zoneOffsetMinutes,
  zoneOptions,
} from './time-zone.ts';

describe('days of a chosen time zone', () => {
  it('knows the zones Intl knows', () => {
    expect(isKnownZone('Europe/Berlin')).toBe(true);
    expect(isKnownZone('UTC')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
    const options = zoneOptions('Etc/GMT+5');
    expect(options[0]).toBe('UTC');
    expect(options).toContain('Asia/Tokyo');
    expect(options).toContain('Etc/GMT+5');
  });

  it('reads a zone’s offset at an instant, summer time included', () => {
    expect(zoneOffsetMinutes(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(zoneOffsetMinutes(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(Date.parse('2026-07-15T12:00:00.999Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });

  it('writes an instant as the zone’s wall clock with its offset', () => {
    expect(isoInZone(Date.parse('2026-03-01T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-02T08:30:00+09:00');
    expect(isoInZone(Date.parse('2026-03-01T02:00:00Z'), 'America/Sao_Paulo')).toBe(
      '2026-02-28T23:00:00-03:00',
    );
    expect(isoInZone(Date.parse('2026-03-01T00:00:00Z'), 'UTC')).toBe('2026-03-01T00:00:00+00:00');
  });

  it('spans whole days of the zone, across a change of offset', () => {
    expect(dayStartInZone('2026-03-29', 'Europe/Berlin')).toBe('2026-03-29T00:00:00+01:00');
    // The day summer time starts has 23 hours: it ends at midnight summer time.
    expect(dayEndInZone('2026-03-29', 'Europe/Berlin')).toBe('2026-03-30T00:00:00+02:00');
    expect(dayEndInZone('2026-12-31', 'Pacific/Auckland')).toBe('2027-01-01T00:00:00+13:00');
    expect(dayStartInZone('2026-02-30', 'UTC')).toBeUndefined();
  });

  it('starts a day whose midnight does not exist at the first instant it has', () => {
    // Chile skips from 00:00 to 01:00 on 6 September 2026.
    expect(dayStartInZone('2026-09-06', 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });

  it('names the day an instant falls on in a zone', () => {
    expect(dayInZone('2026-03-01T23:30:00Z', 'Asia/Tokyo')).toBe('2026-03-02');
    expect(dayInZone('2026-03-01T23:30:00Z', 'UTC')).toBe('2026-03-01');
    expect(dayInZone('nope', 'UTC')).toBe('');
  });
});
