/**
 * Payment Book's reference data as the sandbox serves it: public countries and currencies, the payment
 * methods a service can offer, and the unified codes and messages from the STATUSES section of
 * payment-book-api.txt.
 */
import { currencyExponent } from '@paydesk/domain';

/** Timestamps in the provider's two formats: "2024-11-13 11:18:09" and "2024-10-19T21:24:12.000000Z". */
export function sqlTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

/** When the catalog rows were "created" (fixed, so answers are stable across runs). */
const catalogTime = '2026-05-20 12:00:00';

export const currencies = [
  ['EUR', 'Euro'],
  ['USD', 'US Dollar'],
  ['GBP', 'Pound Sterling'],
  ['CHF', 'Swiss Franc'],
  ['PLN', 'Polish Zloty'],
  ['CZK', 'Czech Koruna'],
  ['SEK', 'Swedish Krona'],
  ['NOK', 'Norwegian Krone'],
  ['DKK', 'Danish Krone'],
  ['HUF', 'Hungarian Forint'],
  ['RON', 'Romanian Leu'],
  ['CAD', 'Canadian Dollar'],
  ['JPY', 'Yen'],
  ['KWD', 'Kuwaiti Dinar'],
  ['BHD', 'Bahraini Dinar'],
] as const;

export type PbCurrency = (typeof currencies)[number][0];

export function isSupportedCurrency(code: string): code is PbCurrency {
  return currencies.some(([known]) => known === code);
}

export function publicCurrencies(): unknown[] {
  return currencies.map(([code, name], index) => ({
    id: index + 1,
    name,
    code,
    fiat: 'yes',
    decimals: currencyExponent(code),
    params: [],
    status: 'active',
    created_at: catalogTime,
    updated_at: catalogTime,
  }));
}

const countries = [
  ['United Kingdom', 'GB', 'GBR', '+44', 'Europe', 'Europe/London'],
  ['United States', 'US', 'USA', '+1', 'Americas', 'America/New_York'],
  ['Latvia', 'LV', 'LVA', '+371', 'Europe', 'Europe/Riga'],
  ['Lithuania', 'LT', 'LTU', '+370', 'Europe', 'Europe/Vilnius'],
  ['Estonia', 'EE', 'EST', '+372', 'Europe', 'Europe/Tallinn'],
  ['Germany', 'DE', 'DEU', '+49', 'Europe', 'Europe/Berlin'],
  ['France', 'FR', 'FRA', '+33', 'Europe', 'Europe/Paris'],
  ['Netherlands', 'NL', 'NLD', '+31', 'Europe', 'Europe/Amsterdam'],
  ['Belgium', 'BE', 'BEL', '+32', 'Europe', 'Europe/Brussels'],
  ['Spain', 'ES', 'ESP', '+34', 'Europe', 'Europe/Madrid'],
  ['Italy', 'IT', 'ITA', '+39', 'Europe', 'Europe/Rome'],
  ['Poland', 'PL', 'POL', '+48', 'Europe', 'Europe/Warsaw'],
  ['Czechia', 'CZ', 'CZE', '+420', 'Europe', 'Europe/Prague'],
  ['Sweden', 'SE', 'SWE', '+46', 'Europe', 'Europe/Stockholm'],
  ['Ireland', 'IE', 'IRL', '+353', 'Europe', 'Europe/Dublin'],
  ['Switzerland', 'CH', 'CHE', '+41', 'Europe', 'Europe/Zurich'],
  ['Japan', 'JP', 'JPN', '+81', 'Asia', 'Asia/Tokyo'],
  ['Kuwait', 'KW', 'KWT', '+965', 'Asia', 'Asia/Kuwait'],
] as const;

export function publicCountries(): unknown[] {
  return countries.map(([name, alpha2, alpha3, dialing, region, timezone], index) => ({
    id: index + 1,
    name,
    iso_alpha2: alpha2,
    iso_alpha3: alpha3,
    dialing_code: dialing,
    region,
    timezone,
    status: 'active',
    created_at: catalogTime,
    updated_at: catalogTime,
  }));
}

export type MethodKind = 'card' | 'bank_transfer' | 'wallet';

interface PaymentMethod {
  id: number;
  name: string;
  description: string;
  alias: string;
  kind: MethodKind;
  behavior: 'redirect' | 'form';
  /** Currency → whether it is enabled for the method. */
  currencies: Partial<Record<PbCurrency, boolean>>;
  /** Countries it is offered in; undefined: everywhere. */
  countries?: readonly string[];
}

const everyCurrency = Object.fromEntries(currencies.map(([code]) => [code, true])) as Record<
  PbCurrency,
  boolean
>;
const sepa = ['LV', 'LT', 'EE', 'DE', 'FR', 'NL', 'BE', 'ES', 'IT', 'PL', 'CZ', 'SE', 'IE', 'GB'] as const;

export const paymentMethods: readonly PaymentMethod[] = [
  {
    id: 1,
    name: 'Cards',
    description: 'Pay by card',
    alias: 'card',
    kind: 'card',
    behavior: 'form',
    currencies: everyCurrency,
  },
  {
    id: 251,
    name: 'Skrill',
    description: 'Pay by Skrill',
    alias: 'skrill',
    kind: 'wallet',
    behavior: 'redirect',
    currencies: { EUR: true, USD: false },
  },
  {
    id: 252,
    name: 'Neteller',
    description: 'Pay by Neteller',
    alias: 'neteller',
    kind: 'wallet',
    behavior: 'redirect',
    currencies: { EUR: true },
  },
  {
    id: 253,
    name: 'PayPal',
    description: 'Pay by PayPal',
    alias: 'paypal',
    kind: 'wallet',
    behavior: 'redirect',
    currencies: { EUR: true, USD: true, GBP: true },
  },
  {
    id: 254,
    name: 'Open Banking',
    description: 'Pay from your bank account',
    alias: 'volt',
    kind: 'bank_transfer',
    behavior: 'redirect',
    currencies: { EUR: true, GBP: true, PLN: true },
    countries: sepa,
  },
];

export function methodFor(kind: MethodKind, currency: string): PaymentMethod {
  return (
    paymentMethods.find(
      (method) => method.kind === kind && method.currencies[currency as PbCurrency] === true,
    ) ?? (paymentMethods[0] as PaymentMethod)
  );
}

export function methodById(id: number): PaymentMethod | undefined {
  return paymentMethods.find((method) => method.id === id);
}

/** `currency`/`country` narrow the list the way a checkout asks "what can this customer use?". */
export function listPaymentMethods(filter: { currency?: string; country?: string }): unknown[] {
  return paymentMethods
    .filter((method) => !filter.currency || method.currencies[filter.currency as PbCurrency] !== undefined)
    .filter((method) => !filter.country || !method.countries || method.countries.includes(filter.country))
    .map((method) => ({
      id: method.id,
      name: method.name,
      description: method.description,
      public_data: null,
      alias: method.alias,
      logo: '',
      is_public: 'yes',
      pp_behavior: method.behavior,
      timeout: 0,
      currencies: Object.entries(method.currencies).map(([code, enabled], index) => ({
        id: method.id * 100 + index,
        payment_method_id: method.id,
        currency: code,
        status: enabled ? 'active' : 'disabled',
        created_at: '2026-01-20T14:28:06.000000Z',
        updated_at: '2026-01-20T14:28:06.000000Z',
      })),
      request_params: [],
      created_at: '2026-01-20T09:35:47.000000Z',
      updated_at: '2026-01-20T09:53:55.000000Z',
    }));
}

/** Unified transaction errors (code, message) from the STATUSES section. */
export const unified = {
  success: [0, ''],
  declined: [100, 'General decline.'],
  cancelledByUser: [100, 'Cancelled by user.'],
  gateError: [320, 'Gate error.'],
  gateTimeout: [330, 'Gate timeout.'],
  timeout: [120, 'Timeout: final status not obtained within the expected time.'],
  notProvided: [999, 'Error: message not provided.'],
} as const satisfies Record<string, readonly [number, string]>;

/**
 * Operation codes: the provider's own 28xxx codes, or the raw code of the processor behind it (the card
 * declines below are ISO 8583 response codes, as an acquirer would return them).
 */
export const cardDeclines: readonly (readonly [number, string])[] = [
  [5, 'Do not honour'],
  [51, 'Insufficient funds'],
  [54, 'Expired card'],
  [57, 'Transaction not permitted to cardholder'],
  [61, 'Exceeds withdrawal amount limit'],
];
