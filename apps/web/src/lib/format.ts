/** Dates, times and money, formatted in one place in the user's locale and time zone. */

import { currencyExponents, isCurrencyCode, minorToDecimal } from '@paydesk/domain';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return (options.seconds ? dateTimeSeconds : dateTime).format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 hours". */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return relative.format(0, 'second');
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

/**
 * A day picked in a date field ("2026-03-01") is a whole local day: from its first instant to the
 * first instant of the next day, which the API's `to` excludes. Both as ISO instants for the API.
 */
export function dayStartIso(day: string): string | undefined {
  const date = parseDay(day);
  return date ? date.toISOString() : undefined;
}

export function nextDayStartIso(day: string): string | undefined {
  const date = parseDay(day);
  if (!date) return undefined;
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

export function parseDay(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Number(y), Number(m) - 1, Number(d));
  // Rejects 2026-02-31, which Date would roll over into March.
  return date.getDate() === Number(d) && date.getMonth() === Number(m) - 1 ? date : null;
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/** Like `formatDateTime`, in a chosen IANA time zone (with seconds: support matches payments to the second). */
export function formatDateTimeIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  let format = zonedFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
    zonedFormats.set(timeZone, format);
  }
  return format.format(date);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount the API sends as a string of minor units ("123456" EUR) → "€1,234.56", exactly: the
 * decimal is built from the digits with the currency's exponent and handed to Intl as a string, so no
 * float ever holds money. An amount Paydesk cannot place (unknown currency) is shown as it came.
 */
export function formatMinor(amountMinor: string | bigint, currency: string): string {
  let minor: bigint;
  try {
    minor = typeof amountMinor === 'bigint' ? amountMinor : BigInt(amountMinor);
  } catch {
    return '—';
  }
  if (!isCurrencyCode(currency)) return `${minor.toString()} (minor units) ${currency}`;
  const exponent = currencyExponents[currency];
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      // Our table, not Intl's, decides the decimals (they differ for a few currencies, e.g. HUF).
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    moneyFormats.set(currency, format);
  }
  return format.format(minorToDecimal(minor, currency) as `${number}`);
}
