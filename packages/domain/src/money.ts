/**
 * Money is an integer count of minor units plus an ISO 4217 code. Provider forms (decimal strings,
 * JSON floats) are converted here, exactly, and an amount that is not exact in its currency is refused.
 */

/** ISO 4217 minor-unit exponents for the currencies Paydesk handles. */
export const currencyExponents = {
  AED: 2,
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  KZT: 2,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PLN: 2,
  RON: 2,
  RUB: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  UAH: 2,
  USD: 2,
  VND: 0,
  ZAR: 2,
} as const satisfies Record<string, 0 | 2 | 3>;

export type CurrencyCode = keyof typeof currencyExponents;

export interface Money {
  amountMinor: bigint;
  currency: CurrencyCode;
}

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(currencyExponents, code);
}

export function currencyExponent(currency: string): 0 | 2 | 3 {
  if (!isCurrencyCode(currency)) throw new MoneyError(`unsupported currency ${JSON.stringify(currency)}`);
  return currencyExponents[currency];
}

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "100.00", "10.00000000", "1" → minor units. Extra decimals are accepted only when they are zeros,
 * so "10.50000000" EUR is 1050 but "10.505" EUR is refused.
 */
export function decimalToMinor(decimal: string, currency: string): bigint {
  const exponent = currencyExponent(currency);
  const match = decimalPattern.exec(decimal.trim());
  if (!match) throw new MoneyError(`${JSON.stringify(decimal)} is not a decimal amount`);
  const [, sign, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    throw new MoneyError(`${decimal} has more decimals than ${currency} allows (${exponent})`);
  }
  const minor = BigInt(whole + significant.padEnd(exponent, '0'));
  return sign ? -minor : minor;
}

/** Minor units → "100.00" (as many decimals as the currency has, or `decimals` when given). */
export function minorToDecimal(amountMinor: bigint, currency: string, decimals?: number): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  let fraction = digits.slice(digits.length - exponent);
  if (decimals !== undefined) {
    if (decimals < exponent) throw new MoneyError(`cannot show ${currency} with ${decimals} decimals`);
    fraction = fraction.padEnd(decimals, '0');
  }
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A JSON float in major units (Paytone's 123.45) → minor units. The float's shortest round-trip form
 * (what JSON carried) is read as a decimal, so 0.1 + 0.2 style noise is refused, never rounded.
 */
export function floatToMinor(value: number, currency: string): bigint {
  if (!Number.isFinite(value)) throw new MoneyError(`${value} is not an amount`);
  const text = value.toString();
  if (/e/i.test(text)) {
    // toString switches to exponent form below 1e-6 and from 1e21: far outside any amount.
    throw new MoneyError(`${text} is not an amount ${currency} can hold`);
  }
  return decimalToMinor(text, currency);
}

/** Minor units → the JSON float that carries exactly that decimal. */
export function minorToFloat(amountMinor: bigint, currency: string): number {
  const value = Number(minorToDecimal(amountMinor, currency));
  if (!Number.isSafeInteger(Number(amountMinor))) {
    throw new MoneyError(`${amountMinor} ${currency} is too large to send as a float`);
  }
  return value;
}
