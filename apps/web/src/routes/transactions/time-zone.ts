/**
 * Days picked in the grid's date fields are days of a chosen time zone, not of the browser: an agent in
 * Lisbon answering a customer in Tokyo asks for "March 1st in Tokyo". Converted here to instants with
 * that zone's UTC offset, which is what the API takes, with no time-zone library: Intl knows the zones.
 */

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The browser's own zone ("Europe/Berlin"), the default until the agent picks another. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether Intl knows the zone; a hand-edited link may carry anything. */
export function isKnownZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** Every zone the browser knows, UTC first, for the zone picker. */
export function zoneOptions(...mustInclude: string[]): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const rest = new Set([...known, ...mustInclude].filter((zone) => zone !== 'UTC'));
  return ['UTC', ...[...rest].sort()];
}

/** Minutes the zone is ahead of UTC at an instant (+60 for Berlin in winter, -300 for New York). */
export function zoneOffsetMinutes(instantMs: number, zone: string): number {
  const parts = partsFormat(zone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wallAsUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const wholeSeconds = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return Math.round((wallAsUtc - wholeSeconds) / 60_000);
}

/**
 * The instant a wall-clock time of a zone names. Around a DST change the offset is re-read at the
 * first guess; a time that does not exist (the skipped hour) lands just after the gap.
 */
export function zonedWallTimeToInstant(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number },
  zone: string,
): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0);
  const firstOffset = zoneOffsetMinutes(asUtc, zone);
  const guess = asUtc - firstOffset * 60_000;
  const secondOffset = zoneOffsetMinutes(guess, zone);
  if (secondOffset === firstOffset) return guess;
  const retry = asUtc - secondOffset * 60_000;
  // In a gap neither offset maps back onto the wall time; the later instant is the one after the gap.
  return zoneOffsetMinutes(retry, zone) === secondOffset ? retry : Math.max(guess, retry);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** "2026-03-01T00:00:00+01:00": the instant as the zone's wall clock and its offset, as the API takes it. */
export function isoInZone(instantMs: number, zone: string): string {
  const offset = zoneOffsetMinutes(instantMs, zone);
  const wall = new Date(instantMs + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** "2026-03-01" → its parts, or null when it is not a calendar day (2026-02-31, "yesterday"). */
export function parseCalendarDay(day: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === date && year >= 1970
    ? { year, month, day: date }
    : null;
}

/** The first instant of a day in a zone, with the zone's offset. */
export function dayStartInZone(day: string, zone: string): string | undefined {
  const parts = parseCalendarDay(day);
  return parts ? isoInZone(zonedWallTimeToInstant(parts, zone), zone) : undefined;
}

/** The first instant of the next day in a zone: the exclusive end of a range that includes `day`. */
export function dayEndInZone(day: string, zone: string): string | undefined {
  const parts = parseCalendarDay(day);
  if (!parts) return undefined;
  const next = new Date(Date.UTC(parts.year, parts.month - 1, parts.day + 1));
  return isoInZone(
    zonedWallTimeToInstant(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() },
      zone,
    ),
    zone,
  );
}

/** An instant as the calendar day it falls on in a zone ("2026-03-01"), for showing a window's start. */
export function dayInZone(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return isoInZone(ms, zone).slice(0, 10);
}
