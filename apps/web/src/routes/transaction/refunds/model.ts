import type { RouterOutputs } from '../../../lib/trpc.ts';
import type { StatusLook } from '../status.ts';

export type RefundIntent = RouterOutputs['refund']['list'][number];
export type RefundQuote = RouterOutputs['refund']['quote'];
export type RefundReason = RefundIntent['reason'];
export type RefundState = RefundIntent['state'];

/** In the order the reason menu offers them. */
export const refundReasonLabels: Readonly<Record<RefundReason, string>> = {
  requested_by_customer: 'Requested by the customer',
  duplicate: 'Duplicate payment',
  product_not_delivered: 'Product not delivered',
  fraudulent: 'Fraudulent payment',
  other: 'Other (say why)',
};

const stateLooks: Readonly<Record<RefundState, StatusLook>> = {
  awaiting_approval: { label: 'Awaiting approval', tone: 'warning' },
  queued: { label: 'Queued', tone: 'default' },
  sending: { label: 'Sending', tone: 'primary' },
  processing: { label: 'Processing at provider', tone: 'primary' },
  unknown_outcome: { label: 'Outcome unknown', tone: 'warning' },
  succeeded: { label: 'Refunded', tone: 'success' },
  failed: { label: 'Failed', tone: 'error' },
  rejected: { label: 'Rejected', tone: 'default' },
};

export function refundStateLook(state: RefundState): StatusLook {
  return stateLooks[state];
}

export interface RefundFormValues {
  amount: string;
  reason: RefundReason | '';
  note: string;
}

export type RefundFormErrors = Partial<Record<keyof RefundFormValues, string>>;

const decimal = /^\d{1,15}(\.\d{1,8})?$/;

/** Decimal places a currency allows, read from how the server wrote the refundable remainder. */
function exponentOf(refundable: string): number {
  return refundable.split('.')[1]?.length ?? 0;
}

/** "12.5" → 1250n at exponent 2; null when it has more decimals than the currency has. */
export function toMinorUnits(amount: string, exponent: number): bigint | null {
  const [whole = '0', fraction = ''] = amount.split('.');
  if (fraction.length > exponent) return null;
  return BigInt(whole + fraction.padEnd(exponent, '0'));
}

/**
 * What the form can tell before asking the server (which checks everything again, and alone knows
 * what other agents refunded meanwhile): an amount within the remainder, a reason, a note for "other".
 */
export function checkRefundForm(values: RefundFormValues, quote: RefundQuote): RefundFormErrors {
  const errors: RefundFormErrors = {};
  const amount = values.amount.trim();
  const exponent = exponentOf(quote.refundable);
  if (!decimal.test(amount)) {
    errors.amount = `Enter an amount such as ${exponent ? `12.${'5'.padEnd(exponent, '0')}` : '1250'}.`;
  } else {
    const minor = toMinorUnits(amount, exponent);
    if (minor === null) errors.amount = `${quote.currency} has ${exponent || 'no'} decimal places.`;
    else if (minor <= 0n) errors.amount = 'A refund must be more than zero.';
    else if (minor > BigInt(quote.refundableMinor))
      errors.amount = `At most ${quote.refundable} ${quote.currency} can be refunded.`;
  }
  if (!values.reason) errors.reason = 'Choose why the money goes back.';
  if (values.reason === 'other' && !values.note.trim()) errors.note = 'Say why, when the reason is “Other”.';
  if (values.note.length > 500) errors.note = 'A note is at most 500 characters.';
  return errors;
}
