import type { GateDeclineCode } from './errors.ts';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover';

/**
 * Test cards: the number decides what the issuer does. Any other Luhn-valid number with a known BIN
 * succeeds without 3-D Secure.
 */
export const gateTestCards: Record<
  string,
  { outcome: 'success' | 'three_ds' | GateDeclineCode; note: string }
> = {
  '4111111111111111': { outcome: 'success', note: 'Visa, approved' },
  '5555555555554444': { outcome: 'success', note: 'Mastercard, approved' },
  '378282246310005': { outcome: 'success', note: 'Amex, approved' },
  '4000000000003220': {
    outcome: 'three_ds',
    note: '3-D Secure challenge, then approved (or 5001 if failed)',
  },
  '4000000000000002': { outcome: 4001, note: 'declined_by_issuer' },
  '4000000000009995': { outcome: 4002, note: 'issuer_insufficient_funds' },
  '4000000000000069': { outcome: 4004, note: 'issuer_card_expired' },
  '4000000000009987': { outcome: 4005, note: 'issuer_limits_reached' },
  '4000000000009979': { outcome: 4006, note: 'issuer_card_stolen' },
  '4000000000000127': { outcome: 4007, note: 'issuer_invalid_security_code' },
  '4000000000000119': { outcome: 3001, note: 'declined_by_acquirer' },
};

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Brand from the BIN, or undefined when the sandbox's BIN table does not know it (error 1010). */
export function cardBrand(number: string): CardBrand | undefined {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^6(011|5)/.test(number)) return 'discover';
  return undefined;
}
