/**
 * The reference data the ledger seeder draws from: customers' names and countries, prices per
 * currency, the shape of a trading day, and each provider's decline codes and messages as its
 * document (shared/providers) and its adapter's normalizer describe them.
 */
import { currencyExponents, type CurrencyCode } from '@paydesk/domain';

export const firstNames = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elena',
  'Farid',
  'Greta',
  'Hiro',
  'Ingrid',
  'Jānis',
  'Kenji',
  'Laura',
  'Mateo',
  'Nadia',
  'Oliver',
  'Priya',
  'Quentin',
  'Rosa',
  'Sofia',
  'Tomasz',
  'Ulla',
  'Viktor',
  'Wei',
  'Yasmin',
  'Zoë',
  'Aisha',
  'Björn',
  'Carmen',
  'Dmitri',
  'Emma',
  'Fatima',
  'Lars',
  'Mia',
  'Noah',
  'Amélie',
  'Bruno',
  'Camille',
  'Daniel',
  'Eva',
  'Felix',
  'Hannah',
  'Isabel',
  'Jakob',
  'Julia',
  'Karim',
  'Léa',
  'Lucas',
  'Maja',
  'Marta',
  'Max',
  'Nina',
  'Oscar',
  'Paula',
  'Rafael',
  'Sara',
  'Simon',
  'Thomas',
  'Valentina',
  'William',
  'Yuki',
  'Ahmed',
  'Chen',
  'Diego',
  'Emil',
  'Giulia',
  'Ieva',
  'Kaito',
  'Leila',
  'Mohammed',
  'Olga',
  'Pierre',
  'Sakura',
  'Sebastian',
  'Tereza',
  'Ana',
  'Grace',
  'James',
  'Lina',
  'Omar',
  'Zofia',
] as const;

export const lastNames = [
  'Andersson',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lambert',
  'Müller',
  'Novak',
  "O'Brien",
  'Petrova',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ušakovs',
  'Virtanen',
  'Williams',
  'Yamamoto',
  'Zieliński',
  'Al-Sabah',
  'Bērziņš',
  'Nakamura',
  'Smith',
  'Weber',
  'Bauer',
  'Brown',
  'Castillo',
  'Dvořák',
  'Fernández',
  'Fontaine',
  'Gruber',
  'Haddad',
  'Horvath',
  'Jones',
  'Kaur',
  'Kim',
  'Kozlov',
  'Larsen',
  'Lefèvre',
  'Lindqvist',
  'López',
  'Martin',
  'Meyer',
  'Mori',
  'Nielsen',
  'Nowak',
  'Olsen',
  'Papadopoulos',
  'Peeters',
  'Pereira',
  'Richter',
  'Romano',
  'Sato',
  'Schneider',
  'Silva',
  'Sokolova',
  'Suzuki',
  'Taylor',
  'Thompson',
  'Varga',
  'Vogel',
  'Wagner',
  'Walsh',
  'Wang',
  'Wolf',
  'Yilmaz',
  'Al-Khalifa',
  'Ozoliņa',
  'Kazlauskas',
  'Murphy',
  'Nguyen',
  'Rahman',
  'Santos',
  'Moreau',
  'De Vries',
] as const;

/** Reserved example domains only: a seeded address can never reach a real mailbox. */
export const emailDomains = [
  'example.com',
  'example.net',
  'example.org',
  'mail.example',
  'inbox.example',
  'post.example',
] as const;

/** "Jānis O'Brien" → "janis" / "obrien": e-mail local parts stay plain ASCII. */
export function asciiLower(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** Where customers live, the currency their checkout shows, and how common they are. */
export const countries: readonly (readonly [country: string, currency: CurrencyCode, weight: number])[] = [
  ['DE', 'EUR', 16],
  ['FR', 'EUR', 9],
  ['NL', 'EUR', 4],
  ['LV', 'EUR', 3],
  ['US', 'USD', 16],
  ['GB', 'GBP', 11],
  ['JP', 'JPY', 7],
  ['KW', 'KWD', 4],
  ['BH', 'BHD', 2],
  ['PL', 'PLN', 6],
  ['SE', 'SEK', 5],
  ['CH', 'CHF', 4],
  ['CA', 'CAD', 4],
];

/** Rough units of each currency per euro, only to make prices look plausible. */
export const perEuro: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 1.1,
  GBP: 0.85,
  JPY: 160,
  KWD: 0.34,
  BHD: 0.41,
  PLN: 4.3,
  SEK: 11.5,
  CHF: 0.95,
  CAD: 1.5,
};

export const seededCurrencies = Object.keys(perEuro).map((code) => ({
  code,
  exponent: currencyExponents[code as CurrencyCode],
  perEuro: perEuro[code]!,
}));

/** Relative traffic per UTC hour: a European shop, quiet at night, busiest after work. */
export const hourWeights = [
  0.18, 0.12, 0.1, 0.1, 0.12, 0.2, 0.35, 0.55, 0.8, 0.95, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.05, 1.1, 1.2,
  1.25, 1.2, 1.0, 0.7, 0.4,
] as const;

/** Relative traffic per UTC weekday, Sunday first. */
export const weekdayWeights = [0.8, 1.0, 1.0, 1.0, 1.02, 1.08, 0.9] as const;

/** Gate's `declineReason` codes (integers) and descriptions, with how often each is seen. */
export const gateDeclines: readonly (readonly [code: number, description: string, weight: number])[] = [
  [4001, 'Declined by issuer', 30],
  [4002, 'Insufficient funds', 25],
  [4003, 'Invalid card number', 5],
  [4004, 'Card expired', 8],
  [4005, 'Card limits reached', 6],
  [4006, 'Card reported stolen', 2],
  [4007, 'Invalid security code', 8],
  [3001, 'Declined by acquirer', 6],
  [5001, '3-D Secure was not completed', 10],
];

/** Gate's processing error: a technical failure (`failed`), not a refusal. */
export const gateProcessingError = { code: 1000, description: 'Processing error' } as const;
export const gatePageExpired = { code: 1000, description: 'The payment page expired' } as const;

/** Payment Book's unified transaction codes and messages (STATUSES section of its document). */
export const paymentBookUnified = {
  declined: ['100', 'General decline.'],
  cancelledByUser: ['100', 'Cancelled by user.'],
  gateError: ['320', 'Gate error.'],
  gateTimeout: ['330', 'Gate timeout.'],
  timeout: ['120', 'Timeout: final status not obtained within the expected time.'],
} as const;

/** Operation codes: the acquirer's raw ISO 8583 responses for card declines, else the provider's 28xxx. */
export const paymentBookCardDeclines: readonly (readonly [code: number, message: string])[] = [
  [5, 'Do not honour'],
  [51, 'Insufficient funds'],
  [54, 'Expired card'],
  [57, 'Transaction not permitted to cardholder'],
  [61, 'Exceeds withdrawal amount limit'],
];
export const paymentBookOperationErrors = {
  declinedOther: [28104, 'Operation failed.'],
  payoutBalance: [28102, "Don't have enough available balance."],
  gateError: [28108, 'Wrong gate status: error.'],
  gateTimeout: [28107, 'General network error. [gate.payment-book.com:443]'],
  expired: [28105, 'Timeout: final status for the operation was not obtained within 1800 seconds.'],
} as const;

/** Paytone's free-form `resolution` when an issuer refuses, and when the processing itself fails. */
export const paytoneDeclineResolutions = [
  'declined',
  'insufficient_funds',
  'card_expired',
  'do_not_honor',
  'suspected_fraud',
] as const;
export const paytoneFailureResolutions = ['provider_error', 'timeout', 'acquirer_unavailable'] as const;

/** Paytone service fee rates in basis points, by method (the commerce account's tariff). */
export const paytonePaymentFeeBp = { payment_card: 250, bank_transfer: 100, applepay: 290 } as const;
export const paytonePayoutFeeBp = { payment_card: 150, bank_transfer: 50, paypal: 200 } as const;
