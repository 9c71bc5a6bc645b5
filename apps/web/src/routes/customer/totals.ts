import type { RouterOutputs } from '../../lib/trpc.ts';
import { providerLabel } from '../transactions/labels.ts';

export type CustomerSummary = RouterOutputs['transaction']['customer'];
export type ProviderRow = CustomerSummary['perProvider'][number];

export interface CustomerTotals {
  transactions: number;
  succeeded: number;
  providers: number;
  lastAt: string | null;
  /** Succeeded amounts, one per currency (amounts in different currencies are never added). */
  amounts: { currency: string; amountMinor: string }[];
}

export function customerTotals(rows: readonly ProviderRow[]): CustomerTotals {
  const byCurrency = new Map<string, bigint>();
  let lastAt: string | null = null;
  for (const row of rows) {
    byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0n) + BigInt(row.amountMinor));
    if (row.lastAt && (!lastAt || Date.parse(row.lastAt) > Date.parse(lastAt))) lastAt = row.lastAt;
  }
  return {
    transactions: rows.reduce((sum, row) => sum + row.transactions, 0),
    succeeded: rows.reduce((sum, row) => sum + row.succeeded, 0),
    providers: new Set(rows.map((row) => row.provider)).size,
    lastAt,
    amounts: [...byCurrency]
      .filter(([, amount]) => amount !== 0n)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => ({ currency, amountMinor: amount.toString() })),
  };
}

/** One bar group per provider and currency: "Gate · EUR". */
export function chartRows(rows: readonly ProviderRow[]) {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.provider, (counts.get(row.provider) ?? 0) + 1);
  return rows.map((row) => ({
    label:
      counts.get(row.provider)! > 1
        ? `${providerLabel(row.provider)} · ${row.currency}`
        : providerLabel(row.provider),
    transactions: row.transactions,
    succeeded: row.succeeded,
    other: row.transactions - row.succeeded,
  }));
}

/** Loose on purpose: the server checks the address; this only spares it an obvious miss. */
export function looksLikeEmail(value: string | undefined): value is string {
  return value !== undefined && value.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
