/**
 * The transactions grid's view, kept in the URL so a reload or a copied link shows exactly what the
 * agent saw: `?q=ann@example.com&from=2026-03-01&to=2026-03-31&tz=Asia/Tokyo&provider=gate&status=failed`.
 * Lists are repeated keys (`status=failed&status=declined`), so any value round-trips exactly.
 */
import {
  currencyExponents,
  providerNames,
  transactionKinds,
  transactionStatuses,
  type CurrencyCode,
  type ProviderName,
  type TransactionKind,
  type TransactionStatus,
} from '@paydesk/domain';
import { parsePage, parsePageSize } from '../../lib/grid-url.ts';
import { dayEndInZone, dayStartInZone, isKnownZone, parseCalendarDay } from './time-zone.ts';

export const pageSizes = [25, 50, 100] as const;
export type PageSize = (typeof pageSizes)[number];

/** The fields the API can sort by (an index serves each); every other column is not sortable. */
export const sortFields = [
  'occurredAt',
  'amount',
  'status',
  'provider',
  'customerEmail',
  'updatedAt',
] as const;
export type SortField = (typeof sortFields)[number];
export interface Sort {
  field: SortField;
  direction: 'asc' | 'desc';
}
/** What the server does with no sort asked for. */
export const defaultSort: Sort = { field: 'occurredAt', direction: 'desc' };

/** The API pages through the first 10,000 matches only. */
export const maxRows = 10_000;

export const keys = {
  q: 'q',
  from: 'from',
  to: 'to',
  zone: 'tz',
  providers: 'provider',
  connectionIds: 'connection',
  statuses: 'status',
  kinds: 'kind',
  currencies: 'currency',
  methods: 'method',
  amountMin: 'min',
  amountMax: 'max',
  sort: 'sort',
  page: 'page',
  pageSize: 'size',
} as const;

export interface TransactionsView {
  q: string;
  /** Calendar days (YYYY-MM-DD) of `zone`; `to` is included. */
  from: string;
  to: string;
  /** The zone the agent chose, or null for the browser's own. */
  zone: string | null;
  providers: ProviderName[];
  connectionIds: string[];
  statuses: TransactionStatus[];
  kinds: TransactionKind[];
  currencies: CurrencyCode[];
  methods: string[];
  /** Major units as typed ("12.50"); checked by `filterProblems`, not dropped, so the field shows why. */
  amountMin: string;
  amountMax: string;
  sort: Sort | null;
  page: number;
  pageSize: PageSize;
}

export type ListFilter = 'providers' | 'connectionIds' | 'statuses' | 'kinds' | 'currencies' | 'methods';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const decimal = /^\d+(\.\d{1,8})?$/;
const currencyCodes = Object.keys(currencyExponents) as CurrencyCode[];

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): value is T => (allowed as readonly string[]).includes(value);
}

/** The repeated values of a key that pass `accept`, in order, each once, at most `max`. */
function listOf<T extends string>(
  params: URLSearchParams,
  key: string,
  accept: (value: string) => value is T,
  max: number,
): T[] {
  const seen = new Set<T>();
  for (const raw of params.getAll(key)) {
    const value = raw.trim();
    if (accept(value)) seen.add(value);
    if (seen.size >= max) break;
  }
  return [...seen];
}

export function parseSortParam(value: string | null): Sort | null {
  const match = /^(\w+)\.(asc|desc)$/.exec(value ?? '');
  if (!match || !oneOf(sortFields)(match[1] ?? '')) return null;
  return { field: match[1] as SortField, direction: match[2] === 'asc' ? 'asc' : 'desc' };
}

export function formatSortParam(sort: Sort | null): string | null {
  if (!sort || (sort.field === defaultSort.field && sort.direction === defaultSort.direction)) return null;
  return `${sort.field}.${sort.direction}`;
}

export function readTransactionsView(params: URLSearchParams): TransactionsView {
  const day = (key: string) => {
    const value = (params.get(key) ?? '').trim();
    return parseCalendarDay(value) ? value : '';
  };
  const zone = (params.get(keys.zone) ?? '').trim();
  const amount = (key: string) => (params.get(key) ?? '').trim().slice(0, 24);
  return {
    q: (params.get(keys.q) ?? '').trim().slice(0, 320),
    from: day(keys.from),
    to: day(keys.to),
    zone: isKnownZone(zone) ? zone : null,
    providers: listOf(params, keys.providers, oneOf(providerNames), providerNames.length),
    connectionIds: listOf(params, keys.connectionIds, (value): value is string => uuid.test(value), 50).map(
      (id) => id.toLowerCase(),
    ),
    statuses: listOf(params, keys.statuses, oneOf(transactionStatuses), transactionStatuses.length),
    kinds: listOf(params, keys.kinds, oneOf(transactionKinds), transactionKinds.length),
    currencies: listOf(params, keys.currencies, oneOf(currencyCodes), currencyCodes.length),
    methods: listOf(
      params,
      keys.methods,
      (value): value is string => value.length > 0 && value.length <= 40,
      20,
    ),
    amountMin: amount(keys.amountMin),
    amountMax: amount(keys.amountMax),
    sort: parseSortParam(params.get(keys.sort)),
    page: parsePage(params.get(keys.page)),
    pageSize: parsePageSize(params.get(keys.pageSize), pageSizes, 25),
  };
}

/** How many filters (not the search) narrow the grid, for the "More filters" badge and "Clear filters". */
export function activeFilterCount(view: TransactionsView): number {
  return [
    view.from || view.to,
    view.providers.length,
    view.connectionIds.length,
    view.statuses.length,
    view.kinds.length,
    view.currencies.length,
    view.methods.length,
    view.amountMin || view.amountMax,
  ].filter(Boolean).length;
}

export function hasFilters(view: TransactionsView): boolean {
  return activeFilterCount(view) > 0;
}

export interface FilterProblems {
  to?: string;
  amountMin?: string;
  amountMax?: string;
}

/** What the API would refuse, said beside the field instead of as a failed load. */
export function filterProblems(view: TransactionsView): FilterProblems {
  const problems: FilterProblems = {};
  if (view.from && view.to && view.from > view.to) problems.to = 'Must be on or after the “From” day.';
  const format = 'Digits with an optional decimal point, like 12.50.';
  if (view.amountMin && !decimal.test(view.amountMin)) problems.amountMin = format;
  if (view.amountMax && !decimal.test(view.amountMax)) problems.amountMax = format;
  if (
    !problems.amountMin &&
    !problems.amountMax &&
    view.amountMin &&
    view.amountMax &&
    compareDecimals(view.amountMin, view.amountMax) > 0
  ) {
    problems.amountMax = 'Must not be below the minimum.';
  }
  return problems;
}

/** "12.5" vs "12.50", exactly (both already match `decimal`). */
export function compareDecimals(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const width = Math.max(aFraction.length, bFraction.length);
  const left = BigInt(aWhole + aFraction.padEnd(width, '0'));
  const right = BigInt(bWhole + bFraction.padEnd(width, '0'));
  return left < right ? -1 : left > right ? 1 : 0;
}

export interface ListInput {
  q?: string;
  from?: string;
  to?: string;
  providers?: ProviderName[];
  connectionIds?: string[];
  statuses?: TransactionStatus[];
  kinds?: TransactionKind[];
  currencies?: CurrencyCode[];
  methods?: string[];
  amountMin?: string;
  amountMax?: string;
  sort?: Sort;
  page: number;
  pageSize: PageSize;
}

/** The view as `transaction.list` takes it: days of `zone` as instants with its offset, `to` exclusive. */
export function listInput(view: TransactionsView, zone: string): ListInput {
  const input: ListInput = {
    // Past the first 10,000 rows the API refuses: a stale deep link lands on the last page it serves.
    page: Math.min(view.page, Math.floor((maxRows - 1) / view.pageSize)),
    pageSize: view.pageSize,
  };
  if (view.q) input.q = view.q;
  const from = view.from ? dayStartInZone(view.from, zone) : undefined;
  const to = view.to ? dayEndInZone(view.to, zone) : undefined;
  if (from) input.from = from;
  if (to) input.to = to;
  for (const key of ['providers', 'connectionIds', 'statuses', 'kinds', 'currencies', 'methods'] as const) {
    if (view[key].length) Object.assign(input, { [key]: view[key] });
  }
  if (view.amountMin) input.amountMin = view.amountMin;
  if (view.amountMax) input.amountMax = view.amountMax;
  if (view.sort) input.sort = view.sort;
  return input;
}

/** Replaces every value of a repeated key. Returns a new URLSearchParams. */
export function withList(current: URLSearchParams, key: string, values: readonly string[]): URLSearchParams {
  const next = new URLSearchParams(current);
  next.delete(key);
  for (const value of values) next.append(key, value);
  return next;
}

/** Adds a value to a repeated key, or removes it if it is there. */
export function withToggled(current: URLSearchParams, key: string, value: string): URLSearchParams {
  const values = current.getAll(key);
  return withList(
    current,
    key,
    values.includes(value) ? values.filter((v) => v !== value) : [...values, value],
  );
}

const filterKeys = [
  keys.from,
  keys.to,
  keys.providers,
  keys.connectionIds,
  keys.statuses,
  keys.kinds,
  keys.currencies,
  keys.methods,
  keys.amountMin,
  keys.amountMax,
];

/** Every filter gone (and back to the first page); the search, zone, sort and page size stay. */
export function withoutFilters(current: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const key of [...filterKeys, keys.page]) next.delete(key);
  return next;
}

/**
 * What a saved view keeps of the URL: everything but the page, in a stable order, so that the view a
 * link shows can be recognised among the saved ones.
 */
export function canonicalSearch(search: string | URLSearchParams): string {
  const entries = [...new URLSearchParams(search)]
    .filter(([key, value]) => key !== keys.page && value.trim() !== '')
    .sort(([aKey, aValue], [bKey, bValue]) =>
      aKey === bKey ? aValue.localeCompare(bValue) : aKey.localeCompare(bKey),
    );
  return new URLSearchParams(entries).toString();
}
