/**
 * The transactions grid: one page of the ledger for a filter, search and sort, with a count capped
 * where counting further would cost more than it tells. Every condition is written so an index of
 * migrations 0002–0003 serves it; `listQueries` is exported so the benchmark can time the same SQL
 * without the HTTP and tRPC layers around it.
 */
import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@paydesk/db';
import { connections, operations, transactions } from '@paydesk/db/schema';
import { currencyExponents, type CurrencyCode } from '@paydesk/domain';
import {
  boundToMinor,
  defaultWindowDays,
  maxListOffset,
  type TransactionFilter,
  type TransactionListInput,
  type TransactionSort,
  type TransactionSortField,
} from './filters.ts';
import { classifySearch, type SearchTerm } from './search.ts';

const sortColumns = {
  occurredAt: transactions.occurredAt,
  amount: transactions.amountMinor,
  status: transactions.status,
  provider: transactions.provider,
  customerEmail: transactions.customerEmail,
  updatedAt: transactions.updatedAt,
} satisfies Record<TransactionSortField, unknown>;

function searchCondition(term: SearchTerm): SQL {
  switch (term.kind) {
    case 'paydesk_id':
      return or(
        eq(transactions.id, term.id),
        eq(transactions.providerId, term.id),
        eq(transactions.reference, term.id),
      )!;
    case 'email':
      return sql`lower(${transactions.customerEmail}) = ${term.email}`;
    case 'card':
      return and(eq(transactions.cardLast4, term.last4), eq(transactions.cardBin, term.bin))!;
    case 'last4':
      return or(
        eq(transactions.cardLast4, term.last4),
        eq(transactions.providerId, term.last4),
        eq(transactions.reference, term.last4),
      )!;
    case 'identifier':
      // One set of ids from three index look-ups: as an OR with a subquery, PostgreSQL would scan the
      // whole table. A refund's or operation's own id finds the transaction it belongs to.
      return inArray(
        transactions.id,
        sql`(SELECT ${transactions.id} FROM ${transactions} WHERE ${transactions.providerId} = ${term.value}
          UNION ALL SELECT ${transactions.id} FROM ${transactions} WHERE ${transactions.reference} = ${term.value}
          UNION ALL SELECT ${operations.transactionId} FROM ${operations} WHERE ${operations.providerId} = ${term.value})`,
      );
  }
}

/** Amount bounds are in major units; each currency group compares in its own minor units. */
function amountCondition(filter: TransactionFilter): SQL | undefined {
  if (!filter.amountMin && !filter.amountMax) return undefined;
  const currencies = filter.currencies?.length
    ? filter.currencies
    : (Object.keys(currencyExponents) as CurrencyCode[]);
  const byExponent = new Map<number, CurrencyCode[]>();
  for (const currency of currencies) {
    const exponent = currencyExponents[currency];
    byExponent.set(exponent, [...(byExponent.get(exponent) ?? []), currency]);
  }
  const groups = [...byExponent].map(([exponent, codes]) =>
    and(
      inArray(transactions.currency, codes),
      filter.amountMin
        ? gte(transactions.amountMinor, boundToMinor(filter.amountMin, exponent, 'min'))
        : undefined,
      filter.amountMax
        ? sql`${transactions.amountMinor} <= ${boundToMinor(filter.amountMax, exponent, 'max')}`
        : undefined,
    ),
  );
  return or(...groups);
}

export interface ResolvedWindow {
  from: Date | null;
  to: Date | null;
  /** True when no window was asked for and the default one applies. */
  isDefault: boolean;
}

export function resolveWindow(filter: TransactionFilter, now: Date, widened = false): ResolvedWindow {
  if (filter.from || filter.to) {
    return {
      from: filter.from ? new Date(filter.from) : null,
      to: filter.to ? new Date(filter.to) : null,
      isDefault: false,
    };
  }
  // A search looks everywhere: the agent is after one payment, whenever it was.
  if (filter.q?.trim() || widened) return { from: null, to: null, isDefault: false };
  return { from: new Date(now.getTime() - defaultWindowDays * 86_400_000), to: null, isDefault: true };
}

export function filterCondition(filter: TransactionFilter, window: ResolvedWindow): SQL | undefined {
  const term = filter.q ? classifySearch(filter.q) : null;
  return and(
    term ? searchCondition(term) : undefined,
    window.from ? gte(transactions.occurredAt, window.from) : undefined,
    window.to ? lt(transactions.occurredAt, window.to) : undefined,
    filter.providers?.length ? inArray(transactions.provider, filter.providers) : undefined,
    filter.connectionIds?.length ? inArray(transactions.connectionId, filter.connectionIds) : undefined,
    filter.statuses?.length ? inArray(transactions.status, filter.statuses) : undefined,
    filter.kinds?.length ? inArray(transactions.kind, filter.kinds) : undefined,
    filter.currencies?.length ? inArray(transactions.currency, filter.currencies) : undefined,
    filter.methods?.length ? inArray(transactions.method, filter.methods) : undefined,
    amountCondition(filter),
  );
}

function orderBy(sort: TransactionSort | undefined): SQL[] {
  const { field, direction } = sort ?? { field: 'occurredAt', direction: 'desc' };
  const by = direction === 'asc' ? asc : desc;
  const column = sortColumns[field];
  // The id breaks ties so pages never overlap or skip a row.
  return field === 'occurredAt'
    ? [by(column), by(transactions.id)]
    : [by(column), desc(transactions.occurredAt), desc(transactions.id)];
}

export const listColumns = {
  id: transactions.id,
  occurredAt: transactions.occurredAt,
  updatedAt: transactions.updatedAt,
  provider: transactions.provider,
  connectionId: transactions.connectionId,
  connectionName: connections.name,
  providerId: transactions.providerId,
  reference: transactions.reference,
  kind: transactions.kind,
  status: transactions.status,
  rawStatus: transactions.rawStatus,
  currency: transactions.currency,
  amountMinor: transactions.amountMinor,
  refundedMinor: transactions.refundedMinor,
  feeMinor: transactions.feeMinor,
  customerEmail: transactions.customerEmail,
  customerName: transactions.customerName,
  cardBin: transactions.cardBin,
  cardLast4: transactions.cardLast4,
  cardBrand: transactions.cardBrand,
  method: transactions.method,
  declineCode: transactions.declineCode,
  testMode: transactions.testMode,
};

/** The page query and the capped count query of one grid request, as the BFF runs them. */
export function listQueries(db: Db, input: TransactionListInput, window: ResolvedWindow) {
  const condition = filterCondition(input, window);
  const page = db
    .select(listColumns)
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(condition)
    .orderBy(...orderBy(input.sort))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize);
  // Counted newest first, like the default page: that reads an (…, occurred_at, id) index in order and
  // stops at the cap. Unordered, the planner may scan the table from its oldest rows for a recent window.
  const capped = db
    .select({ one: sql`1` })
    .from(transactions)
    .where(condition)
    .orderBy(desc(transactions.occurredAt), desc(transactions.id))
    .limit(maxListOffset + 1)
    .as('capped');
  const count = db.select({ value: sql<number>`count(*)::int` }).from(capped);
  return { page, count };
}

export interface TransactionListResult {
  rows: Awaited<ReturnType<ReturnType<typeof listQueries>['page']['execute']>>;
  /** Rows matching, counted up to `maxListOffset + 1`. */
  total: number;
  totalIsCapped: boolean;
  window: { from: string | null; to: string | null; isDefault: boolean; widened: boolean };
}

export async function listTransactions(
  db: Db,
  input: TransactionListInput,
  now: Date,
): Promise<TransactionListResult> {
  let window = resolveWindow(input, now);
  let { page, count } = listQueries(db, input, window);
  let [rows, [counted]] = await Promise.all([page, count]);
  let widened = false;
  if (rows.length === 0 && window.isDefault && input.page === 0) {
    // Nothing in the default window: look at all time rather than show an empty grid, and say so.
    window = resolveWindow(input, now, true);
    ({ page, count } = listQueries(db, input, window));
    [rows, [counted]] = await Promise.all([page, count]);
    widened = rows.length > 0;
  }
  const total = counted?.value ?? 0;
  return {
    rows,
    total: Math.min(total, maxListOffset),
    totalIsCapped: total > maxListOffset,
    window: {
      from: window.from?.toISOString() ?? null,
      to: window.to?.toISOString() ?? null,
      isDefault: window.isDefault,
      widened,
    },
  };
}
