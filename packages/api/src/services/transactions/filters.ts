/**
 * The transactions grid's question, as the browser asks it (every field optional, kept in the URL),
 * checked here with a message per field, then turned into SQL over the ledger's indexes.
 */
import { z } from 'zod';
import {
  currencyExponents,
  providerNames,
  transactionKinds,
  transactionStatuses,
  type CurrencyCode,
} from '@paydesk/domain';

export const transactionSortFields = [
  'occurredAt',
  'amount',
  'status',
  'provider',
  'customerEmail',
  'updatedAt',
] as const;
export type TransactionSortField = (typeof transactionSortFields)[number];

/** Deep pages are slow and never what an agent wants: past this many rows, narrow the filters. */
export const maxListOffset = 10_000;
/** With no dates and no search, the grid opens on this many days; an empty window widens to all time. */
export const defaultWindowDays = 30;

const currencyCodes = Object.keys(currencyExponents) as [CurrencyCode, ...CurrencyCode[]];
const decimalAmount = z
  .string()
  .trim()
  .max(24, 'an amount is at most 24 characters')
  .regex(/^\d+(\.\d{1,8})?$/, 'an amount is digits with an optional decimal point, like 12.50');

function list<T extends z.ZodType>(item: T, max: number, what: string) {
  return z.array(item).max(max, `at most ${max} ${what}`).optional();
}

export const transactionFilterSchema = z
  .object({
    q: z.string().trim().max(320, 'the search is at most 320 characters').optional(),
    from: z.iso.datetime({ offset: true, message: 'a date and time with its UTC offset' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'a date and time with its UTC offset' }).optional(),
    providers: list(z.enum(providerNames), providerNames.length, 'providers'),
    connectionIds: list(z.string().uuid('a connection id'), 50, 'connections'),
    statuses: list(z.enum(transactionStatuses), transactionStatuses.length, 'statuses'),
    kinds: list(z.enum(transactionKinds), transactionKinds.length, 'kinds'),
    currencies: list(z.enum(currencyCodes), currencyCodes.length, 'currencies'),
    amountMin: decimalAmount.optional(),
    amountMax: decimalAmount.optional(),
    methods: list(z.string().trim().min(1).max(40, 'a method is at most 40 characters'), 20, 'methods'),
  })
  .superRefine((filter, ctx) => {
    if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end must be after the start' });
    if (filter.amountMin && filter.amountMax && compareDecimals(filter.amountMin, filter.amountMax) > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['amountMax'],
        message: 'the largest amount must not be below the smallest',
      });
  });
export type TransactionFilter = z.infer<typeof transactionFilterSchema>;

export const transactionSortSchema = z.object({
  field: z.enum(transactionSortFields, {
    message: `sort by one of: ${transactionSortFields.join(', ')}`,
  }),
  direction: z.enum(['asc', 'desc'], { message: 'the direction is asc or desc' }),
});
export type TransactionSort = z.infer<typeof transactionSortSchema>;

export const transactionListSchema = transactionFilterSchema.and(
  z
    .object({
      sort: transactionSortSchema.optional(),
      page: z.number().int().min(0, 'the page is 0 or more'),
      pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)], {
        message: 'a page holds 25, 50 or 100 rows',
      }),
    })
    .refine((paging) => paging.page * paging.pageSize < maxListOffset, {
      path: ['page'],
      message: `only the first ${maxListOffset.toLocaleString('en')} rows can be paged through: narrow the filters`,
    }),
);
export type TransactionListInput = z.infer<typeof transactionListSchema>;

/** "12.5" vs "12.50": compares two non-negative decimals exactly. */
function compareDecimals(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  const width = Math.max(aFraction.length, bFraction.length);
  const left = BigInt(aWhole + aFraction.padEnd(width, '0'));
  const right = BigInt(bWhole + bFraction.padEnd(width, '0'));
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * A major-unit bound → minor units of a currency with `exponent` decimals: a lower bound rounds up
 * and an upper bound rounds down, so "10.005" JPY matches from 11 and up to 10.
 */
export function boundToMinor(decimal: string, exponent: number, bound: 'min' | 'max'): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const kept = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  const dropped = /[1-9]/.test(fraction.slice(exponent));
  return bound === 'min' && dropped ? kept + 1n : kept;
}
