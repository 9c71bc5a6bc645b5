import {
  providerLabels,
  transactionStatuses,
  type ProviderName,
  type TransactionKind,
  type TransactionStatus,
} from '@paydesk/domain';
import type { RouterOutputs } from '../../lib/trpc.ts';

export type TransactionRow = RouterOutputs['transaction']['list']['rows'][number];
export type SearchKind = NonNullable<RouterOutputs['transaction']['list']['searchKind']>;

/** Outlined chips' text must keep 4.5:1 on white, which MUI's `info` does not: no `info` here. */
export type ChipColor = 'default' | 'primary' | 'secondary' | 'success' | 'warning' | 'error';

/** The unified statuses, one entry each (the compiler refuses a missing one). */
export const transactionStatusLabels: Readonly<
  Record<TransactionStatus, { label: string; color: ChipColor }>
> = {
  created: { label: 'Created', color: 'default' },
  action_required: { label: 'Action required', color: 'warning' },
  processing: { label: 'Processing', color: 'primary' },
  active: { label: 'Active', color: 'primary' },
  succeeded: { label: 'Succeeded', color: 'success' },
  declined: { label: 'Declined', color: 'error' },
  failed: { label: 'Failed', color: 'error' },
  expired: { label: 'Expired', color: 'default' },
  cancelled: { label: 'Cancelled', color: 'default' },
  partially_refunded: { label: 'Partially refunded', color: 'secondary' },
  refunded: { label: 'Refunded', color: 'secondary' },
  partially_charged_back: { label: 'Partially charged back', color: 'warning' },
  charged_back: { label: 'Charged back', color: 'error' },
  unknown: { label: 'Unknown', color: 'default' },
};

/** The ledger stores statuses as text; one it does not know reads as "Unknown", never as a crash. */
export function statusOf(status: string): { label: string; color: ChipColor } {
  return (transactionStatuses as readonly string[]).includes(status)
    ? transactionStatusLabels[status as TransactionStatus]
    : transactionStatusLabels.unknown;
}

export function providerLabel(provider: string): string {
  return Object.hasOwn(providerLabels, provider) ? providerLabels[provider as ProviderName] : provider;
}

export const transactionKindLabels: Readonly<Record<TransactionKind, string>> = {
  payment: 'Payment',
  payout: 'Payout',
  subscription: 'Subscription',
};

/** How the one search box understood what was typed, as the API reports it. */
export const searchKindLabels: Readonly<Record<SearchKind, string>> = {
  paydesk_id: 'a Paydesk id',
  email: 'a customer e-mail',
  card: 'a card’s BIN and last four digits',
  last4: 'a card’s last four digits (or an id of four digits)',
  identifier: 'a provider id or merchant reference',
};

/** Only the BIN and the last four digits, which is all the ledger keeps: "424242 •••• 4242". */
export function maskedCard(row: Pick<TransactionRow, 'cardBin' | 'cardLast4'>): string {
  if (!row.cardLast4) return '—';
  return row.cardBin ? `${row.cardBin} •••• ${row.cardLast4}` : `•••• ${row.cardLast4}`;
}
