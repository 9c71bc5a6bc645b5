/**
 * Instants on the drill-down: to the second and with the time zone named, because support compares
 * them with a customer's account of events and with provider dashboards in other zones.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
    formatters.set(key, found);
  }
  return found;
}

/** "Mar 12, 2026, 02:03:04 PM UTC", or "—" when there is no time. */
export function formatInstant(
  iso: string | null | undefined,
  options: { locale?: string; timeZone?: string } = {},
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return formatter(options.locale, options.timeZone).format(date);
}

/** The browser's time zone, as IANA names it ("Europe/Paris"). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const clockFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  locale: string | undefined,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, ...(timeZone ? { timeZone } : {}) });
    cache.set(key, found);
  }
  return found;
}

/** The same instant in two parts for narrow table cells: "Mar 12, 2026" and "02:03:04 PM UTC". */
export function instantParts(
  iso: string,
  options: { locale?: string; timeZone?: string } = {},
): { day: string; clock: string } | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return {
    day: cached(dayFormatters, options.locale, options.timeZone, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
    }).format(date),
    clock: cached(clockFormatters, options.locale, options.timeZone, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    }).format(date),
  };
}
