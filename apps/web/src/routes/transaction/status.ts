import { operationStatuses, providerNames, type OperationStatus, type ProviderName } from '@paydesk/domain';
import { statusOf, type ChipColor } from '../transactions/labels.ts';

export type StatusTone = ChipColor;

export interface StatusLook {
  label: string;
  tone: StatusTone;
}

const operationLooks: Readonly<Record<OperationStatus, StatusLook>> = {
  pending: { label: 'Pending', tone: 'default' },
  processing: { label: 'Processing', tone: 'primary' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'error' },
  cancelled: { label: 'Cancelled', tone: 'default' },
  expired: { label: 'Expired', tone: 'default' },
  unknown: { label: 'Unknown', tone: 'default' },
};

/** "partially_refunded" → "Partially refunded": for values outside the known unions. */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}

const isOperationStatus = (value: string): value is OperationStatus =>
  (operationStatuses as readonly string[]).includes(value);

/** The grid's chips (one map for both screens), so a status looks the same wherever it is shown. */
export function transactionStatusLook(status: string): StatusLook {
  const { label, color } = statusOf(status);
  return { label, tone: color };
}

/** An operation status the API sends as a string: a newer server may know one this page does not. */
export function operationStatusLook(status: string): StatusLook {
  return isOperationStatus(status) ? operationLooks[status] : { label: humanize(status), tone: 'default' };
}

/** The card as Paydesk may show it: its BIN, the last four and the brand, never more. */
export function maskedCard(card: {
  cardBin: string | null;
  cardLast4: string | null;
  cardBrand: string | null;
}): string | null {
  if (!card.cardLast4 && !card.cardBin) return null;
  const number = [card.cardBin, '••••', card.cardLast4].filter(Boolean).join(' ');
  return card.cardBrand ? `${number} (${humanize(card.cardBrand)})` : number;
}

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}
