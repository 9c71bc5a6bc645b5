/**
 * What must never leave an adapter in `raw` or `metadata`: credentials, tokens and card numbers.
 * Card numbers are recognised anywhere in free text by their shape and the Luhn check, and shown as
 * PCI DSS allows: the first six and the last four digits.
 */

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Luhn-valid runs of 13–19 digits: what a card number looks like inside free text. */
export function maskCardNumbers(text: string): string {
  return text.replace(/\d(?:[ -]?\d){12,18}/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return luhn(digits) ? `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}` : match;
  });
}

/**
 * For raw JSON kept as received: masks card numbers that are whole string values (`"4111 1111…"`),
 * the only way providers send them, and leaves everything else byte for byte — hex signatures and
 * millisecond timestamps contain Luhn-valid digit runs that are not cards.
 */
export function maskCardValuesInJson(json: string): string {
  return json.replace(/"(\d(?:[ -]?\d){12,18})"/g, (whole, value: string) => {
    const digits = value.replace(/\D/g, '');
    return luhn(digits)
      ? `"${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}"`
      : whole;
  });
}

/** A deep copy with the values of keys matching `secretKey` replaced and card numbers masked. */
export function redactWith(secretKey: RegExp): (value: unknown) => unknown {
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return maskCardNumbers(value);
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === 'object' && value !== null) {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        result[key] = secretKey.test(key) ? (item === null ? null : '[redacted]') : redact(item);
      }
      return result;
    }
    return value;
  };
  return redact;
}
