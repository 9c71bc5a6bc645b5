/**
 * Fills the ledger with realistic history for benchmarks and development: `count` transactions over
 * the last 90 days, with their operations and timeline events, at three connections ("Seed Gate",
 * "Seed Payment Book", "Seed Paytone") created through the connection service (credentials sealed,
 * audited) and left disabled, since nothing answers at their base URL and reconciliation must not
 * try.
 *
 * Rows are what `recordObservation` writes for what each provider's adapter normalizes from the
 * stored payload (`raw`): each provider's own status words, ids (Gate's referenceIds, ULIDs, `cpi_…`),
 * decline codes and messages, fees, methods and timestamps; Gate rows have no card, fee or method
 * (Gate's payment object has none) and learn the customer from the shop's metadata, as Paytone's do.
 * Customers come from a fixed pool (150,000 by default) shared by every run; some of them pay at two
 * or three providers. No webhook deliveries are stored: the events name none.
 *
 * The rows are generated inside the database, one `INSERT … SELECT` statement per chunk, from
 * generate_series and SHA-512 of the seed and the row's number: the same seed, count and `now` give the
 * same rows. A second run adds rows numbered after those already at the seed connections, so it
 * never collides with the first; its rows are spread over the 90 days before its own `now`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { transactionExecutor, type OpenDb } from '@paydesk/db';
import { connections } from '@paydesk/db/schema';
import type { ProviderName } from '@paydesk/domain';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../../secret-box.ts';
import { systemActor, type Actor } from '../audit.ts';
import { createConnection, setConnectionEnabled, type ConnectionDeps } from '../connections/connections.ts';
import * as data from './seed-data.ts';

export const seedConnectionNames: Readonly<Record<ProviderName, string>> = {
  gate: 'Seed Gate',
  'payment-book': 'Seed Payment Book',
  paytone: 'Seed Paytone',
};

/** Nothing listens here: a seeded connection can never reach a provider. */
export const seedBaseUrl = 'http://127.0.0.1:1';

export interface SeedLedgerOptions {
  /** Transactions to add. */
  count: number;
  /** Any text; the same seed (with the same count and `now`) gives the same rows. */
  seed?: string;
  /** Seals the seed connections' dummy credentials. */
  secrets: SecretBox;
  /** The end of the 90 days the rows are spread over (default: the current time). */
  now?: Date;
  /** Who the connection audit rows name. */
  actor?: Actor;
  /** Rows per statement. */
  chunkSize?: number;
  /** Chunk statements run at once (default 2 on PostgreSQL, 1 on PGlite). */
  concurrency?: number;
  /** Size of the customer pool (a multiple of 20). */
  customers?: number;
  onProgress?(done: number, total: number): void;
}

export interface SeedTableCounts {
  transactions: number;
  operations: number;
  timelineEvents: number;
}

export interface SeedLedgerResult {
  connections: Record<ProviderName, string>;
  /** Number of the first row added (row numbers continue across runs). */
  firstRow: number;
  inserted: SeedTableCounts;
  /** Rows in the whole ledger afterwards. */
  totals: SeedTableCounts;
  elapsedMs: number;
}

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const days = 90;
/** The newest row is this old, so even its first webhook has arrived. */
const newestAgeMs = 60_000;
const maxCount = 50_000_000;

// ---- SQL text helpers -------------------------------------------------------------------------------

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]) => `(ARRAY[${values.map(literal).join(', ')}]::text[])`;

/** CASE picking one of `items` (SQL expressions) by weight, with `draw` uniform in [0, 1). */
function weighted(draw: string, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let cumulative = 0;
  const whens = items.slice(0, -1).map(([value, weight]) => {
    cumulative += weight;
    return `WHEN ${draw} < ${cumulative / total} THEN ${value}`;
  });
  return `CASE ${whens.join(' ')} ELSE ${items.at(-1)![0]} END`;
}

const frac = (x: string) => `((${x}) - floor(${x}))`;
/** One of the 24 independent 16-bit draws the row's hash `h` holds, in [0, 1). */
const draw = (k: number) => `((get_byte(h, ${2 * k}) * 256 + get_byte(h, ${2 * k + 1}))::float8 / 65536)`;
/** A webhook's delivery plus the apply job's latency, in seconds, varying per row and per event `j`. */
const latency = (j: number) =>
  `(0.4 + 4 * ${frac(`u15 * ${(7.31 * j).toFixed(2)} + u16 * ${(3.17 * j).toFixed(2)}`)} + 0.03 + 0.35 * ${frac(`u16 * ${(5.3 * j).toFixed(2)}`)})`;

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const crockfordLetters = 'ABCDEFGHJKMNPQRSTVWXYZ';
const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `hash`'s bytes from `offset` (0-based), `length` of them. */
const bytesOf = (hash: string, offset: number, length: number) =>
  `substring(${hash} from ${offset + 1} for ${length})`;

/**
 * A ULID (Payment Book's ids): 48-bit millisecond time, then 16 characters from 12 bytes of `hash` at
 * `offset` and two more as letters, so no id ever holds a run of digits as long as a card number.
 */
function ulidSql(ms: string, hash: string, offset: number): string {
  const time = Array.from(
    { length: 10 },
    (_, k) => `substr('${crockford}', ((${ms}) >> ${5 * (9 - k)} & 31)::int + 1, 1)`,
  );
  const random = `translate(encode(${bytesOf(hash, offset, 12)}, 'base64'), '${base64Alphabet}', '${crockford}${crockford}')`;
  const letter = (k: number) => `substr('${crockfordLetters}', get_byte(${hash}, ${offset + k}) % 22 + 1, 1)`;
  return `(${time.join(' || ')} || substr(${random}, 1, 5) || ${letter(12)} || substr(${random}, 7, 5) || ${letter(13)} || substr(${random}, 13, 4))`;
}

/** 16 alphanumerics from 12 bytes of `hash`, as Paytone's serial numbers (the tail of `cpi_…`, `cus_…`). */
const serialSql = (hash: string, offset: number) =>
  `translate(encode(${bytesOf(hash, offset, 12)}, 'base64'), '+/', 'xQ')`;

/** A version 4 UUID (what gen_random_uuid gives) from 16 bytes of `hash`. */
function uuidV4Sql(hash: string, offset: number): string {
  const set = (bytes: string, k: number, mask: number, bits: number) =>
    `set_byte(${bytes}, ${k}, (get_byte(${hash}, ${offset + k}) & ${mask}) | ${bits})`;
  return `encode(${set(set(bytesOf(hash, offset, 16), 6, 15, 64), 8, 63, 128)}, 'hex')::uuid`;
}

/** A version 7 UUID (time-ordered, Gate's referenceId style) from a millisecond time and 10 bytes of `hash`. */
function uuidV7Sql(ms: string, hash: string, offset: number): string {
  const time = `lpad(to_hex(${ms}), 12, '0')`;
  const hex = `encode(${bytesOf(hash, offset, 9)}, 'hex')`;
  return `(substr(${time}, 1, 8) || '-' || substr(${time}, 9, 4) || '-7' || substr(${hex}, 1, 3) || '-'
    || substr('89ab', get_byte(${hash}, ${offset + 9}) % 4 + 1, 1) || substr(${hex}, 4, 3) || '-' || substr(${hex}, 7, 12))`;
}

/** 64 bytes from SHA-512 of the text. */
const sha512 = (text: string) => `sha512(convert_to(${text}, 'UTF8'))`;

const at = (seconds: string) => `to_timestamp(${seconds})`;
const isoMillis = (ms: string) =>
  `to_char(to_timestamp((${ms})::float8 / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Payment Book's "2024-11-13 11:18:09". */
const sqlTime = (seconds: string) =>
  `to_char(to_timestamp(floor(${seconds})) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;
/** Minor units as a decimal string ("6.00", "600", "1.250"). */
const decimal = (minor: string) => `round((${minor})::numeric / unit, e)::text`;
/** Minor units as a JSON number in major units (Paytone's 13, 6.56). */
const float = (minor: string) => `trim_scale(round((${minor})::numeric / unit, e))`;

// ---- statuses per provider -------------------------------------------------------------------------

/**
 * A row's life is one of these phases, named by the unified status it shows in; each provider words
 * it in its own raw status, for the transaction and its main operation.
 */
function rawStatusSql(phase: string): string {
  return `CASE provider
    WHEN 'gate' THEN CASE ${phase} WHEN 'created' THEN 'none' WHEN 'processing' THEN 'pending'
      WHEN 'action_required' THEN 'action_required' WHEN 'succeeded' THEN 'success' WHEN 'refunded' THEN 'success'
      ELSE 'declined' END
    WHEN 'payment-book' THEN CASE ${phase} WHEN 'action_required' THEN 'created' WHEN 'succeeded' THEN 'success'
      WHEN 'declined' THEN 'failed' WHEN 'cancelled' THEN 'canceled' ELSE ${phase} END
    ELSE CASE ${phase} WHEN 'action_required' THEN 'process_pending' WHEN 'succeeded' THEN 'processed'
      WHEN 'declined' THEN 'process_failed' WHEN 'failed' THEN 'process_failed' ELSE ${phase} END
  END`;
}

function operationRawSql(phase: string): string {
  return `CASE provider
    WHEN 'payment-book' THEN CASE ${phase} WHEN 'created' THEN 'created' WHEN 'action_required' THEN 'awaiting_confirmation'
      WHEN 'processing' THEN CASE WHEN u23 < 0.3 THEN 'external_processing' ELSE 'processing' END
      WHEN 'declined' THEN 'failed' WHEN 'failed' THEN CASE pb_failure WHEN 'cancelled_by_user' THEN 'cancelled' ELSE 'failed' END
      WHEN 'expired' THEN 'expired' ELSE 'success' END
    ELSE ${rawStatusSql(phase)}
  END`;
}

function operationStatusSql(phase: string): string {
  return `CASE ${phase} WHEN 'created' THEN 'pending' WHEN 'action_required' THEN 'pending'
    WHEN 'processing' THEN 'processing' WHEN 'declined' THEN 'failed'
    WHEN 'failed' THEN CASE WHEN provider = 'payment-book' AND pb_failure = 'cancelled_by_user' THEN 'cancelled' ELSE 'failed' END
    WHEN 'expired' THEN 'expired' ELSE 'succeeded' END`;
}
// ---- the statement --------------------------------------------------------------------------------

/** Nested projections; `OFFSET 0` keeps each one a fence, so every expression is computed once. */
function layered(source: string, layers: readonly (readonly string[])[]): string {
  return layers.reduce(
    (from, columns, index) =>
      `SELECT l${index}.*,\n  ${columns.join(',\n  ')}\nFROM (${from}) AS l${index} OFFSET 0`,
    source,
  );
}

/** Payment Book's operation object as its status answer nests it. */
function paymentBookOperationJson(o: {
  id: string;
  ulid: string;
  type: string;
  status: string;
  amount: string;
  fee: string;
  code: string;
  message: string;
  direction: string;
  created: string;
  updated: string;
  metadata: string;
}): string {
  return `jsonb_build_object('id', ${o.id}, 'ulid', ${o.ulid}, 'type', ${o.type}, 'status', ${o.status},
    'amount', ${decimal(o.amount)}, 'fee', ${decimal(o.fee)}, 'currency', cur, 'code', ${o.code},
    'message', ${o.message}, 'direction', ${o.direction}, 'created_at', ${sqlTime(o.created)},
    'updated_at', ${sqlTime(o.updated)},
    'confirmed_at', CASE WHEN ${o.status} = 'success' THEN ${sqlTime(o.updated)} END,
    'metadata', ${o.metadata})`;
}

/**
 * One chunk of rows, as one statement. Parameters: $1 seed, $2 rows at the seed connections before
 * this run, $3 now (epoch seconds), $4–$6 the Gate, Payment Book and Paytone connection ids, $7–$10
 * this chunk's hour buckets (first and last row, start and length in ms; array literals), $11 the
 * seed's reference tag, $12 the customer pool size.
 */
function chunkStatement(): string {
  const firsts = data.firstNames;
  const lasts = data.lastNames;
  const firstsAscii = textArray(firsts.map(data.asciiLower));
  const lastsAscii = textArray(lasts.map(data.asciiLower));
  const countryItems = data.countries.map(([country, , weight]) => [literal(country), weight] as const);
  const currencyItems = data.countries.map(([, currency, weight]) => [literal(currency), weight] as const);
  const currencyCase = (pick: (c: (typeof data.seededCurrencies)[number]) => number) =>
    `CASE cur ${data.seededCurrencies.map((c) => `WHEN '${c.code}' THEN ${pick(c)}`).join(' ')} END`;
  const customerDraw = '((get_byte(hc, 0) * 256 + get_byte(hc, 1))::float8 / 65536)';
  const digit = (k: number) => `(get_byte(hc, cb + ${k}) % 10)::text`;
  const gateDescription = `CASE gate_code ${data.gateDeclines
    .map(([code, text]) => `WHEN ${code} THEN ${literal(text)}`)
    .join(' ')} END`;
  const cardDeclines = data.paymentBookCardDeclines;
  const cardDecline = `floor(u11 * ${cardDeclines.length})::int + 1`;
  const errors = data.paymentBookOperationErrors;
  const unified = data.paymentBookUnified;
  const feeCase = (table: Readonly<Record<string, number>>) =>
    `CASE method ${Object.entries(table)
      .map(([method, bp]) => `WHEN '${method}' THEN ${bp}`)
      .join(' ')} END`;
  const cardMeta = `jsonb_build_object('card_meta', jsonb_build_object('mask', card_bin || repeat('*', mask_stars) || card_last4,
    'type', card_brand, 'holder', first_name || ' ' || last_name, 'expiration', NULL))`;

  const source = `SELECT i, $2::bigint + i + 1 AS n, b.start_ms, b.len_ms, $3::float8 AS now_s, $12::bigint AS pool
    FROM unnest($7::bigint[], $8::bigint[], $9::float8[], $10::float8[]) AS b(lo, hi, start_ms, len_ms)
    CROSS JOIN LATERAL generate_series(b.lo, b.hi) AS i`;

  const rows = layered(source, [
    [`${sha512(`$1::text || ':draws:' || n`)} AS h`],
    Array.from({ length: 24 }, (_, k) => `${draw(k)} AS u${k}`),
    [
      `(start_ms + floor(u22 * (len_ms - 1)))::bigint AS t0ms`,
      `${weighted('u0', [
        [`'gate'`, 35],
        [`'payment-book'`, 35],
        [`'paytone'`, 30],
      ])} AS provider`,
    ],
    [
      `CASE provider
        WHEN 'gate' THEN ${weighted('u1', [
          [`'payment'`, 92],
          [`'payout'`, 8],
        ])}
        WHEN 'payment-book' THEN ${weighted('u1', [
          [`'payment'`, 80],
          [`'subscription'`, 12],
          [`'payout'`, 8],
        ])}
        ELSE ${weighted('u1', [
          [`'payment'`, 90],
          [`'payout'`, 10],
        ])} END AS kind`,
      // The customer, in blocks of 20: slots 0–1 pay at all three providers, 2 at Gate and Payment
      // Book, 3 at Gate and Paytone, 4 at Payment Book and Paytone, 5–9, 10–14 and 15–19 at Gate, Payment
      // Book or Paytone only. The skewed draw makes some of them regulars.
      `floor(pool / 20 * power(u6, 1.15))::bigint * 20 + (CASE provider
        WHEN 'gate' THEN ARRAY[0, 1, 2, 3, 5, 6, 7, 8, 9]
        WHEN 'payment-book' THEN ARRAY[0, 1, 2, 4, 10, 11, 12, 13, 14]
        ELSE ARRAY[0, 1, 3, 4, 15, 16, 17, 18, 19] END)[floor(u7 * 9)::int + 1] AS c`,
      `t0ms::float8 / 1000 AS t0`,
    ],
    [
      // The customer's own bytes: 0–15 who they are and their card, 16–31 their second card, 32– their
      // Paytone customer id.
      `${sha512(`'paydesk-seed-customer:' || c`)} AS hc`,
      // A permutation of the pool (1000003 is prime, so coprime with any pool it accepts).
      `(c * 1000003 + 12345) % pool AS ck`,
      `CASE kind
        WHEN 'payment' THEN ${weighted('u2', [
          [`'success'`, 86],
          [`'declined'`, 8.5],
          [`'failed'`, 2],
          [`'expired'`, 3.45],
          [`'stuck'`, 0.05],
        ])}
        WHEN 'payout' THEN ${weighted('u2', [
          [`'success'`, 92],
          [`'declined'`, 5],
          [`'failed'`, 3],
        ])}
        ELSE ${weighted('u2', [
          [`'success'`, 88],
          [`'declined'`, 12],
        ])} END AS outcome`,
      `${weighted(
        'u11',
        data.gateDeclines.map(([code, , weight]) => [String(code), weight] as const),
      )} AS gate_code`,
    ],
    [
      `(ck % ${firsts.length})::int + 1 AS fi`,
      `((ck / ${firsts.length}) % ${lasts.length})::int + 1 AS li`,
      `(ck / ${firsts.length * lasts.length})::int AS twin`,
      `${weighted(customerDraw, countryItems)} AS country`,
      `${weighted(customerDraw, currencyItems)} AS customer_currency`,
      // Three customers in ten have a second card, which they use about a third of the time.
      `CASE WHEN get_byte(hc, 15) < 77 AND u20 < 0.35 THEN 16 ELSE 0 END AS cb`,
      `CASE
        WHEN kind <> 'payment' THEN 'processing'
        WHEN outcome = 'expired' THEN CASE WHEN u17 < 0.5 THEN 'action_required' ELSE 'created' END
        WHEN provider = 'gate' AND outcome = 'declined' AND gate_code = 5001 THEN 'action_required'
        ELSE ${weighted('u17', [
          [`'action_required'`, 35],
          [`'processing'`, 55],
          [`'created'`, 10],
        ])} END AS inter_phase`,
    ],
    [
      `${textArray(firsts)}[fi] AS first_name`,
      `${textArray(lasts)}[li] AS last_name`,
      `CASE WHEN get_byte(hc, 2) < 8 THEN initcap(${firstsAscii}[fi]) ELSE ${firstsAscii}[fi] END AS first_ascii`,
      `CASE WHEN get_byte(hc, 2) < 8 THEN initcap(${lastsAscii}[li]) ELSE ${lastsAscii}[li] END AS last_ascii`,
      `CASE WHEN u8 < 0.85 THEN customer_currency
        WHEN u8 < 0.925 THEN 'EUR' ELSE 'USD' END AS cur`,
      `CASE WHEN get_byte(hc, cb + 5) < 141 THEN 'visa' WHEN get_byte(hc, cb + 5) < 230 THEN 'mastercard'
        ELSE 'amex' END AS card_brand`,
    ],
    [
      `${currencyCase((c) => c.exponent)} AS e`,
      // Namesakes (same first and last name) get different address forms and domains, and numbers
      // only past those; some people add a year. Unique in the pool, also as lower() compares them.
      `CASE twin % 4
          WHEN 0 THEN first_ascii || '.' || last_ascii WHEN 1 THEN first_ascii || '_' || last_ascii
          WHEN 2 THEN first_ascii || last_ascii ELSE last_ascii || '.' || first_ascii END
        || CASE WHEN twin >= ${4 * data.emailDomains.length} THEN (twin / ${4 * data.emailDomains.length})::text
          WHEN get_byte(hc, 3) < 40 THEN (60 + get_byte(hc, 3))::text ELSE '' END
        || '@' || ${textArray(data.emailDomains)}[(twin / 4) % ${data.emailDomains.length} + 1] AS email`,
      `${currencyCase((c) => c.perEuro)} AS rate`,
      `CASE card_brand WHEN 'visa' THEN '4' || ${digit(6)}
        WHEN 'mastercard' THEN '5' || (1 + get_byte(hc, cb + 6) % 5)::text
        ELSE '3' || CASE WHEN get_byte(hc, cb + 6) % 2 = 0 THEN '4' ELSE '7' END END
        || ${digit(7)} || ${digit(8)} || ${digit(9)} || ${digit(10)} AS card_bin`,
      `${digit(11)} || ${digit(12)} || ${digit(13)} || ${digit(14)} AS card_last4`,
      `CASE provider
        WHEN 'gate' THEN NULL
        WHEN 'payment-book' THEN CASE
          WHEN kind <> 'payment' OR u5 < 0.65 THEN 'card'
          WHEN u5 < 0.8 THEN CASE WHEN cur IN ('EUR', 'GBP', 'PLN') THEN 'open_banking' ELSE 'card' END
          WHEN cur = 'EUR' THEN ${weighted(frac('u5 * 13'), [
            [`'paypal'`, 50],
            [`'skrill'`, 30],
            [`'neteller'`, 20],
          ])}
          WHEN cur IN ('USD', 'GBP') THEN 'paypal'
          ELSE 'card' END
        ELSE CASE WHEN kind = 'payout' THEN ${weighted('u5', [
          [`'payment_card'`, 70],
          [`'bank_transfer'`, 20],
          [`'paypal'`, 10],
        ])} ELSE ${weighted('u5', [
          [`'payment_card'`, 65],
          [`'bank_transfer'`, 15],
          [`'applepay'`, 20],
        ])} END END AS method`,
      // Only a customer on a payment page can cancel; a payout fails at the gateway.
      `CASE WHEN kind = 'payout' THEN ${weighted('u11', [
        [`'gate_error'`, 55],
        [`'gate_timeout'`, 45],
      ])} ELSE ${weighted('u11', [
        [`'gate_error'`, 45],
        [`'gate_timeout'`, 35],
        [`'cancelled_by_user'`, 20],
      ])} END AS pb_failure`,
    ],
    [
      `CASE e WHEN 0 THEN 1 WHEN 2 THEN 100 ELSE 1000 END AS unit`,
      // Shop prices: log-uniform between about 3 and 600 euros (payouts 10 to 1,500), subscriptions
      // at a few plan prices; converted roughly into the currency.
      `(CASE kind WHEN 'subscription' THEN ${weighted('u9', [
        ['4.99', 1],
        ['9.99', 1],
        ['14.99', 1],
        ['29', 1],
      ])} WHEN 'payout' THEN 10 * exp(u9 * ln(150)) ELSE 3 * exp(u9 * ln(200)) END) * rate AS major`,
      `CASE WHEN card_brand = 'amex' THEN 5 ELSE 6 END AS mask_stars`,
      `round(0.3 * power(10, e))::bigint AS pb_cost`,
      `CASE WHEN kind = 'payout' THEN ${feeCase(data.paytonePayoutFeeBp)} ELSE ${feeCase(data.paytonePaymentFeeBp)} END AS paytone_fee_bp`,
      `kind = 'payment' AND outcome = 'success' AND u12 < 0.09 AS refund_planned`,
      `provider = 'paytone' AND kind = 'payment' AND method = 'payment_card' AND outcome = 'success'
        AND u12 >= 0.09 AND u18 < 0.002 AS chargeback_planned`,
      `kind = 'subscription' AND outcome = 'success' AND u18 < 0.35 AS cancel_planned`,
    ],
    [
      // Prices end as prices do (.99, .00, .50; yen in tens).
      `(CASE WHEN e = 0 THEN greatest(100, round(major / 10) * 10)
        ELSE greatest(1, floor(major)) * unit + CASE WHEN kind = 'subscription' THEN unit - unit / 100
          ELSE ${weighted('u10', [
            ['unit - unit / 100', 5],
            ['0', 4],
            ['unit / 2', 2],
          ])} END END)::bigint AS amount`,
      `CASE
        WHEN kind = 'subscription' THEN 6
        WHEN kind = 'payout' THEN 10 + 14400 * u4 * u4 * u4
        WHEN outcome = 'expired' THEN CASE provider WHEN 'paytone' THEN 3600 ELSE 1800 END + 2 * u4
        WHEN inter_phase = 'action_required' THEN 20 + 340 * u4
        ELSE 2 + 88 * u4 * u4 END AS settle_delay`,
    ],
    [
      `t0 + settle_delay AS t_settle`,
      `t0 + settle_delay + ${latency(2)} AS settled_at`,
      // Refunds come two hours to a month after the payment, chargebacks after five to sixty days.
      `t0 + settle_delay + 7200 * exp(u13 * ln(360)) AS t_refund`,
      `t0 + settle_delay + 86400 * (5 + 55 * u19) AS t_chargeback`,
      `t0 + CASE WHEN u19 < 0.5 THEN 1 ELSE 2 END * 2592000 - 86400 * (1 + 3 * ${frac('u19 * 5.3')}) AS t_cancel`,
      `CASE WHEN provider <> 'gate' AND u14 < 0.4 THEN greatest(1, floor(amount * (0.2 + u14)))::bigint
        ELSE amount END AS refund_amount`,
      `CASE WHEN provider = 'payment-book' AND kind <> 'payout' THEN amount + pb_cost ELSE amount END AS op_amount`,
      `CASE provider WHEN 'payment-book' THEN pb_cost WHEN 'paytone' THEN (amount * paytone_fee_bp + 5000) / 10000 END AS fee`,
    ],
    [
      `outcome <> 'stuck' AND settled_at <= now_s AS final_known`,
      `t_refund + ${latency(3)} AS refund_at`,
      `t_chargeback + ${latency(4)} AS chargeback_at`,
      `t_cancel + ${latency(4)} AS cancel_at`,
      `t0 + 2592000 + 6 + ${latency(5)} AS charge2_at`,
      `t0 + 5184000 + 6 + ${latency(6)} AS charge3_at`,
      `CASE
        WHEN outcome = 'success' THEN CASE kind WHEN 'subscription' THEN 'active' ELSE 'succeeded' END
        WHEN outcome = 'stuck' THEN inter_phase
        WHEN outcome = 'declined' AND provider = 'paytone' AND kind = 'payout' THEN 'failed'
        WHEN outcome = 'expired' AND provider = 'gate' THEN 'failed'
        ELSE outcome END AS settled_phase`,
      `CASE provider
        WHEN 'payment-book' THEN CASE WHEN kind = 'payout' THEN pb_cost ELSE (op_amount * 21 + 500) / 1000 END
        WHEN 'paytone' THEN fee END AS op1_fee`,
    ],
    [
      `final_known AND refund_planned AND refund_at <= now_s AS refunded`,
      `final_known AND chargeback_planned AND chargeback_at <= now_s AS charged_back`,
      `cancel_planned AND cancel_at <= now_s AS cancelled`,
      `kind = 'subscription' AND outcome = 'success' AND charge2_at <= now_s
        AND (NOT cancel_planned OR t0 + 2592000 < t_cancel) AS charge2`,
      `kind = 'subscription' AND outcome = 'success' AND charge3_at <= now_s
        AND (NOT cancel_planned OR t0 + 5184000 < t_cancel) AS charge3`,
    ],
    [
      // Learned of at its first webhook, or only once settled. Money that came back later is
      // learned of settled, so no transaction has more than four events.
      `NOT final_known OR (kind <> 'subscription' AND NOT refunded AND NOT charged_back
        AND (u3 < 0.45 OR (outcome = 'expired' AND u3 < 0.8))) AS early`,
      `CASE WHEN NOT final_known THEN inter_phase
        WHEN refunded THEN CASE WHEN refund_amount < amount THEN 'partially_refunded' ELSE 'refunded' END
        WHEN charged_back THEN 'charged_back'
        WHEN cancelled THEN 'cancelled'
        ELSE settled_phase END AS phase`,
      `CASE WHEN refunded THEN refund_at WHEN charged_back THEN chargeback_at WHEN cancelled THEN cancel_at END AS changed_at`,
      `CASE WHEN refunded THEN t_refund WHEN charged_back THEN t_chargeback WHEN cancelled THEN t_cancel
        WHEN final_known THEN t_settle ELSE t0 + 2 END AS provider_changed`,
      `(refunded AND provider <> 'paytone') OR charge2 AS op2`,
      // The customer never got past the payment page: no card was entered.
      `NOT (inter_phase = 'created' AND (NOT final_known OR outcome = 'expired')) AS card_known`,
      `(CASE kind WHEN 'payment' THEN 'ord-' WHEN 'payout' THEN 'po-' ELSE 'sub-' END) || $11::text || '-'
        || lpad(n::text, 7, '0') AS order_ref`,
      // Provider ids' random parts: the transaction's (0–15), then each operation's (16, 32, 48).
      `${sha512(`$1::text || ':provider-ids:' || n`)} AS hp`,
      // Paydesk's own ids: the transaction's (0–15), then each operation's (16, 32, 48).
      `${sha512(`$1::text || ':ids:' || n`)} AS hi`,
    ],
    [
      `CASE WHEN early THEN t0 + least(${latency(1)}, settle_delay / 2) ELSE settled_at END AS discovered_at`,
      `CASE WHEN early THEN inter_phase ELSE settled_phase END AS discovered_phase`,
      `CASE WHEN kind = 'subscription' THEN charge2_at ELSE refund_at END AS op2_at`,
      `CASE WHEN phase IN ('declined', 'failed', 'expired') THEN CASE provider
        WHEN 'gate' THEN CASE outcome WHEN 'declined' THEN gate_code::text ELSE '1000' END
        WHEN 'payment-book' THEN CASE
          WHEN phase = 'declined' THEN '${unified.declined[0]}'
          WHEN phase = 'expired' THEN '${unified.timeout[0]}'
          WHEN pb_failure = 'gate_error' THEN '${unified.gateError[0]}'
          WHEN pb_failure = 'gate_timeout' THEN '${unified.gateTimeout[0]}'
          ELSE '${unified.cancelledByUser[0]}' END
        ELSE CASE outcome
          WHEN 'declined' THEN ${textArray(data.paytoneDeclineResolutions)}[floor(u11 * ${data.paytoneDeclineResolutions.length})::int + 1]
          WHEN 'failed' THEN ${textArray(data.paytoneFailureResolutions)}[floor(u11 * ${data.paytoneFailureResolutions.length})::int + 1]
          ELSE 'expired' END END END AS decline_code`,
      `CASE WHEN phase IN ('declined', 'failed', 'expired') THEN CASE provider
        WHEN 'gate' THEN CASE outcome WHEN 'declined' THEN ${gateDescription}
          WHEN 'expired' THEN ${literal(data.gatePageExpired.description)}
          ELSE ${literal(data.gateProcessingError.description)} END
        WHEN 'payment-book' THEN CASE
          WHEN phase = 'declined' THEN ${literal(unified.declined[1])}
          WHEN phase = 'expired' THEN ${literal(unified.timeout[1])}
          WHEN pb_failure = 'gate_error' THEN ${literal(unified.gateError[1])}
          WHEN pb_failure = 'gate_timeout' THEN ${literal(unified.gateTimeout[1])}
          ELSE ${literal(unified.cancelledByUser[1])} END END END AS decline_message`,
      `${rawStatusSql('phase')} AS raw_status`,
      `${operationRawSql('phase')} AS op1_raw`,
      `${operationStatusSql('phase')} AS op1_status`,
      `${rawStatusSql('settled_phase')} AS settled_raw`,
      `${operationRawSql('settled_phase')} AS op1_settled_raw`,
      `${operationStatusSql('settled_phase')} AS op1_settled_status`,
    ],
    [
      `${rawStatusSql('discovered_phase')} AS discovered_raw`,
      `${operationRawSql('discovered_phase')} AS op1_discovered_raw`,
      `${operationStatusSql('discovered_phase')} AS op1_discovered_status`,
      `CASE provider
        WHEN 'gate' THEN CASE kind WHEN 'payout' THEN 'payout-' || to_char(to_timestamp(t0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
          || '-' || lpad(n::text, 7, '0') ELSE ${uuidV7Sql('t0ms', 'hp', 0)} END
        WHEN 'payment-book' THEN ${ulidSql('t0ms', 'hp', 0)}
        ELSE CASE kind WHEN 'payout' THEN 'cpoi_' ELSE 'cpi_' END || ${serialSql('hp', 0)} END AS provider_id`,
      `CASE WHEN provider = 'payment-book' THEN ${ulidSql('(t0ms + 2000)', 'hp', 16)} END AS pb_op1_ulid`,
      `CASE WHEN provider = 'payment-book' AND op2 THEN ${ulidSql(
        `(CASE WHEN kind = 'subscription' THEN (t0 + 2592000) * 1000 ELSE t_refund * 1000 END)::bigint`,
        'hp',
        32,
      )} END AS pb_op2_ulid`,
      `CASE WHEN charge3 THEN ${ulidSql('((t0 + 5184000) * 1000)::bigint', 'hp', 48)} END AS pb_op3_ulid`,
      `CASE WHEN provider = 'payment-book' THEN CASE
          WHEN phase = 'declined' THEN CASE WHEN kind = 'payout' THEN ${errors.payoutBalance[0]}
            WHEN method = 'card' THEN (ARRAY[${cardDeclines.map(([code]) => code).join(', ')}])[${cardDecline}]
            ELSE ${errors.declinedOther[0]} END
          WHEN phase = 'expired' THEN ${errors.expired[0]}
          WHEN phase = 'failed' AND pb_failure = 'gate_error' THEN ${errors.gateError[0]}
          WHEN phase = 'failed' AND pb_failure = 'gate_timeout' THEN ${errors.gateTimeout[0]} END END AS pb_op1_code`,
      `CASE WHEN provider = 'payment-book' THEN CASE
          WHEN phase = 'declined' THEN CASE WHEN kind = 'payout' THEN ${literal(errors.payoutBalance[1])}
            WHEN method = 'card' THEN ${textArray(cardDeclines.map(([, message]) => message))}[${cardDecline}]
            ELSE ${literal(errors.declinedOther[1])} END
          WHEN phase = 'expired' THEN ${literal(errors.expired[1])}
          WHEN phase = 'failed' AND pb_failure = 'gate_error' THEN ${literal(errors.gateError[1])}
          WHEN phase = 'failed' AND pb_failure = 'gate_timeout' THEN ${literal(errors.gateTimeout[1])}
          WHEN phase = 'failed' THEN ${literal(unified.cancelledByUser[1])} END END AS pb_op1_message`,
      `COALESCE(changed_at, CASE WHEN early AND final_known THEN settled_at ELSE discovered_at END) AS last_change`,
    ],
  ]);

  /** The chosen columns of every row, kept once for the three inserts. */
  const p = `SELECT n, ${uuidV4Sql('hi', 0)} AS tx_id, ${uuidV4Sql('hi', 16)} AS op1_id,
      CASE WHEN op2 THEN ${uuidV4Sql('hi', 32)} END AS op2_id,
      CASE WHEN charge3 THEN ${uuidV4Sql('hi', 48)} END AS op3_id,
      provider, kind, phase, raw_status, cur, e, unit, amount, refund_amount, fee, op_amount, op1_fee, pb_cost,
      provider_id, CASE WHEN provider = 'gate' THEN provider_id ELSE order_ref END AS reference, order_ref,
      t0, t0ms, t_settle, t_refund, provider_changed, now_s, c, country, first_name, last_name, email,
      card_known, card_bin, card_last4, card_brand, mask_stars, method, inter_phase, u23,
      decline_code, decline_message, final_known, early, refunded, charged_back, cancelled, charge2, charge3, op2,
      discovered_at, discovered_phase, discovered_raw, settled_at, settled_phase, settled_raw, changed_at, last_change, op2_at,
      charge2_at, charge3_at, op1_raw, op1_status, op1_discovered_raw, op1_discovered_status,
      op1_settled_raw, op1_settled_status, pb_op1_ulid, pb_op2_ulid, pb_op3_ulid, pb_op1_code, pb_op1_message,
      CASE WHEN provider = 'paytone' AND kind = 'payment' THEN 'cus_' || ${serialSql('hc', 32)} END AS cus_id
    FROM (${rows}) AS r`;

  // Payment Book names the customer of a payment (its request's user); Gate's payments and Paytone's
  // invoices carry them in the shop's metadata; payouts Paydesk sends through Gate carry nobody.
  const hasCustomer = `CASE provider WHEN 'paytone' THEN true ELSE kind <> 'payout' END`;
  const customerMetadata = `jsonb_build_object('customerEmail', email, 'customerName', first_name || ' ' || last_name)`;
  const hasCard = `card_known AND ((provider = 'payment-book' AND kind <> 'payout' AND method = 'card')
    OR (provider = 'paytone' AND method = 'payment_card'))`;
  const nonFinal = `phase IN ('created', 'action_required', 'processing', 'active')`;
  /** Reconciliation's look-ups since the last change: after 1, 2, 4… minutes, then every 6 hours. */
  const elapsedMinutes = `greatest(0, (now_s - last_change) / 60)`;
  const checkAttempts = `(CASE WHEN ${elapsedMinutes} < 511 THEN floor(ln(${elapsedMinutes} + 1) / ln(2))
    ELSE 9 + floor((${elapsedMinutes} - 511) / 360) END)::int`;

  const pbOpMetadata = `CASE WHEN NOT card_known AND method = 'card' THEN NULL
    WHEN method = 'card' THEN ${cardMeta}
    WHEN method = 'open_banking' THEN jsonb_build_object('open_banking', jsonb_build_object('bank_id', 'revolut', 'account_currency', cur))
    ELSE jsonb_build_object('wallet', jsonb_build_object('alias', method)) END`;
  const pbOperations = `jsonb_build_array(${paymentBookOperationJson({
    id: 'n * 3 + 1',
    ulid: 'pb_op1_ulid',
    type: 'kind',
    status: 'op1_raw',
    amount: 'op_amount',
    fee: 'op1_fee',
    code: 'coalesce(pb_op1_code, 0)',
    message: `coalesce(pb_op1_message, '')`,
    direction: `CASE WHEN kind = 'payout' THEN 'out' ELSE 'in' END`,
    created: 'floor(t0) + 2',
    updated: 'CASE WHEN final_known THEN t_settle ELSE t0 + 2 END',
    metadata: pbOpMetadata,
  })})
    || CASE WHEN refunded THEN jsonb_build_array(${paymentBookOperationJson({
      id: 'n * 3 + 2',
      ulid: 'pb_op2_ulid',
      type: `'refund'`,
      status: `'success'`,
      amount: 'refund_amount',
      fee: '0',
      code: '0',
      message: `''`,
      direction: `'out'`,
      created: 't_refund',
      updated: 't_refund + 3',
      metadata: 'NULL::jsonb',
    })}) ELSE '[]'::jsonb END
    || CASE WHEN charge2 THEN jsonb_build_array(${paymentBookOperationJson({
      id: 'n * 3 + 2',
      ulid: 'pb_op2_ulid',
      type: `'subscription'`,
      status: `'success'`,
      amount: 'op_amount',
      fee: 'op1_fee',
      code: '0',
      message: `''`,
      direction: `'in'`,
      created: 't0 + 2592000',
      updated: 't0 + 2592004',
      metadata: cardMeta,
    })}) ELSE '[]'::jsonb END
    || CASE WHEN charge3 THEN jsonb_build_array(${paymentBookOperationJson({
      id: 'n * 3 + 3',
      ulid: 'pb_op3_ulid',
      type: `'subscription'`,
      status: `'success'`,
      amount: 'op_amount',
      fee: 'op1_fee',
      code: '0',
      message: `''`,
      direction: `'in'`,
      created: 't0 + 5184000',
      updated: 't0 + 5184004',
      metadata: cardMeta,
    })}) ELSE '[]'::jsonb END`;
  const subscriptionMetadata = `jsonb_build_object('end_date', 'Infinite (until cancellation/expiration)', 'days_cycle', 30,
    'start_date', to_char(to_timestamp(t0) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'trial_days', 0)`;

  const gateRaw = `jsonb_build_object('referenceId', provider_id, 'amount', amount, 'currencyCode', cur, 'status', raw_status,
    'customerAction', CASE WHEN raw_status = 'action_required' THEN jsonb_build_object(
        'type', CASE WHEN u23 < 0.5 THEN 'three_ds' ELSE 'redirect' END,
        'data', jsonb_build_object('redirectionUrl', '${seedBaseUrl}/session/' || provider_id, 'httpMethod', 'GET',
          'targetUrl', '${seedBaseUrl}/session/' || provider_id))
      ELSE '{"type": "none", "data": {}}'::jsonb END,
    'merchantMetadata', CASE WHEN kind = 'payout' THEN '{"paydeskKind": "payout"}'::jsonb
      ELSE jsonb_build_object('orderId', order_ref) || ${customerMetadata} END,
    'actualAmount', CASE WHEN raw_status = 'success' THEN CASE WHEN refunded THEN 0 ELSE amount END END,
    'declineReason', CASE WHEN raw_status = 'declined' THEN jsonb_build_object('code', decline_code::int, 'description', decline_message) END,
    'createdAt', ${isoMillis('t0ms')})`;
  const pbRaw = `jsonb_build_object('id', n, 'ulid', provider_id,
    'type', CASE kind WHEN 'payment' THEN 'purchase' WHEN 'payout' THEN 'withdrawal' ELSE 'recurring' END,
    'status', raw_status, 'amount', ${decimal('amount')}, 'cost', ${decimal('pb_cost')}, 'currency', cur,
    'reference_id', order_ref, 'service_id', 9, 'merchant_id', 1,
    'customer_id', CASE WHEN kind <> 'payout' THEN c + 1 END,
    'unified_error_code', CASE WHEN raw_status = 'created' THEN NULL ELSE coalesce(decline_code::int, 0) END,
    'unified_error_message', CASE WHEN raw_status = 'created' THEN NULL ELSE coalesce(decline_message, '') END,
    'metadata', CASE WHEN kind = 'subscription' THEN ${subscriptionMetadata} END,
    'redirect_url', CASE WHEN raw_status = 'created' THEN '${seedBaseUrl}/payment/purchase/' || provider_id END,
    'created_at', ${sqlTime('t0')}, 'updated_at', ${sqlTime('provider_changed')},
    'request', jsonb_build_object('meta', jsonb_build_object('service_id', 9, 'reference_id', order_ref))
      || CASE WHEN kind = 'payout' THEN jsonb_build_object('withdrawal',
          jsonb_build_object('amount', ${decimal('amount')}, 'currency', cur, 'balance_id', 9))
        ELSE jsonb_build_object('user', jsonb_build_object('email', email, 'first_name', first_name,
          'last_name', last_name, 'country', country),
          'payment', jsonb_build_object('amount', ${decimal('amount')}, 'currency', cur)) END,
    'operations', ${pbOperations})`;
  const processed = `raw_status IN ('processed', 'refunded', 'partially_refunded', 'charged_back')`;
  const paytoneRaw = `jsonb_build_object('id', provider_id,
    'type', CASE kind WHEN 'payout' THEN 'payout-invoices' ELSE 'payment-invoices' END,
    'links', jsonb_build_object('self', CASE kind WHEN 'payout' THEN '/api/payout-invoices/' ELSE '/api/payment-invoices/' END || provider_id),
    'attributes', jsonb_build_object('reference_id', order_ref, 'serial_number', substr(provider_id, strpos(provider_id, '_') + 1),
      'status', raw_status, 'resolution', coalesce(decline_code, 'ok'), 'amount', ${float('amount')}, 'currency', cur,
      'fee', ${float('fee')}, 'processed_fee', CASE WHEN ${processed} THEN ${float('fee')} END,
      'processed_amount', CASE WHEN ${processed} THEN ${float('amount')} END,
      'refunded_amount', CASE WHEN refunded THEN ${float('refund_amount')} END,
      'created', floor(t0)::bigint, 'updated', floor(provider_changed)::bigint,
      'processed', CASE WHEN ${processed} THEN floor(t_settle)::bigint END,
      'test_mode', false, 'service', method || '_' || lower(cur) || CASE kind WHEN 'payout' THEN '_direct' ELSE '_hpp' END,
      'service_method', method, 'flow', CASE kind WHEN 'payout' THEN 'direct' ELSE 'hpp' END,
      'description', CASE kind WHEN 'payout' THEN 'Payout ' ELSE 'Order ' END || order_ref,
      'payload', CASE WHEN card_known AND method = 'payment_card' THEN jsonb_build_object('payment_card', jsonb_build_object(
        'first', card_bin, 'last', card_last4, 'mask', card_bin || repeat('*', mask_stars) || card_last4,
        'brand', card_brand, 'network', card_brand, 'holder', CASE WHEN kind = 'payout' THEN first_name || ' ' || last_name END)) END,
      'hpp_url', CASE WHEN kind = 'payment' THEN '${seedBaseUrl}/hpp/' || provider_id END,
      'service_fields', CASE WHEN method = 'paypal' THEN jsonb_build_object('email', email) END,
      'callback_url', '[redacted]', 'metadata', ${customerMetadata}),
    'relationships', CASE WHEN kind = 'payment' THEN jsonb_build_object(
        'customer', jsonb_build_object('data', jsonb_build_object('id', cus_id, 'type', 'customers')),
        'payment-method', jsonb_build_object('data', jsonb_build_object('id', method, 'type', 'payment-methods')))
      ELSE jsonb_build_object('payment-method', jsonb_build_object('data', jsonb_build_object('id', method, 'type', 'payment-methods'))) END)`;

  return `WITH p AS MATERIALIZED (${p}),
tx AS (
  INSERT INTO transactions (id, connection_id, provider, provider_id, reference, kind, status, raw_status, currency,
    amount_minor, refunded_minor, fee_minor, customer_email, customer_name, card_bin, card_last4, card_brand, method,
    decline_code, decline_message, test_mode, provider_created_at, provider_updated_at, created_at, updated_at,
    occurred_at, metadata, raw, next_check_at, check_attempts)
  SELECT tx_id,
    CASE provider WHEN 'gate' THEN $4::uuid WHEN 'payment-book' THEN $5::uuid ELSE $6::uuid END,
    provider, provider_id, reference, kind, phase, raw_status, cur, amount,
    CASE WHEN refunded THEN refund_amount ELSE 0 END, fee,
    CASE WHEN ${hasCustomer} THEN email END, CASE WHEN ${hasCustomer} THEN first_name || ' ' || last_name END,
    CASE WHEN ${hasCard} THEN card_bin END, CASE WHEN ${hasCard} THEN card_last4 END,
    CASE WHEN ${hasCard} THEN card_brand END,
    CASE WHEN provider = 'payment-book' AND method = 'card' AND NOT card_known THEN NULL ELSE method END,
    decline_code, decline_message, CASE WHEN provider = 'paytone' THEN 'live' END,
    ${at(`CASE WHEN provider = 'gate' THEN t0 ELSE floor(t0) END`)},
    CASE WHEN provider <> 'gate' THEN ${at('floor(provider_changed)')} END,
    ${at('discovered_at')}, ${at('last_change')},
    ${at(`CASE WHEN provider = 'gate' THEN t0 ELSE floor(t0) END`)},
    CASE WHEN provider = 'gate' AND kind = 'payment' THEN jsonb_build_object('orderId', order_ref) || ${customerMetadata}
      WHEN provider = 'paytone' THEN ${customerMetadata}
      WHEN kind = 'subscription' THEN ${subscriptionMetadata} END,
    CASE provider WHEN 'gate' THEN ${gateRaw} WHEN 'payment-book' THEN ${pbRaw} ELSE ${paytoneRaw} END,
    CASE WHEN ${nonFinal} THEN ${at(`last_change + 60 * CASE WHEN ${checkAttempts} < 9 THEN power(2, ${checkAttempts} + 1) - 1
      ELSE 511 + 360 * (${checkAttempts} - 8) END`)} END,
    CASE WHEN ${nonFinal} THEN ${checkAttempts} ELSE 0 END
  FROM p
  RETURNING 1
),
ops AS (
  INSERT INTO operations (id, transaction_id, provider_id, type, status, raw_status, currency, amount_minor, fee_minor,
    decline_code, decline_message, provider_created_at, provider_updated_at, created_at, updated_at)
  SELECT o.id, p.tx_id, o.provider_id, o.type, o.status, o.raw_status, p.cur,
    o.amount, o.fee, o.decline_code, o.decline_message, ${at('o.provider_created')}, ${at('o.provider_updated')},
    ${at('o.created')}, ${at('o.updated')}
  FROM p CROSS JOIN LATERAL (VALUES
    (true, p.op1_id,
      CASE p.provider WHEN 'payment-book' THEN p.pb_op1_ulid ELSE p.provider_id END,
      p.kind, p.op1_status, p.op1_raw, p.op_amount, p.op1_fee,
      CASE p.provider WHEN 'payment-book' THEN p.pb_op1_code::text ELSE p.decline_code END,
      CASE p.provider WHEN 'payment-book' THEN CASE WHEN p.pb_op1_code IS NOT NULL THEN p.pb_op1_message END
        WHEN 'gate' THEN p.decline_message END,
      CASE p.provider WHEN 'gate' THEN p.t0 WHEN 'payment-book' THEN floor(p.t0) + 2 ELSE floor(p.t0) END,
      CASE p.provider WHEN 'gate' THEN NULL
        WHEN 'payment-book' THEN CASE WHEN p.final_known THEN floor(p.t_settle) ELSE floor(p.t0) + 2 END
        ELSE floor(p.provider_changed) END,
      p.discovered_at,
      CASE WHEN p.early AND p.final_known THEN p.settled_at
        WHEN p.provider = 'paytone' AND p.changed_at IS NOT NULL THEN p.changed_at ELSE p.discovered_at END),
    (p.op2, p.op2_id,
      CASE WHEN p.provider = 'gate' THEN p.provider_id || '/refund' ELSE p.pb_op2_ulid END,
      CASE WHEN p.kind = 'subscription' THEN 'subscription' ELSE 'refund' END,
      'succeeded', CASE WHEN p.provider = 'gate' THEN 'refunded' ELSE 'success' END,
      CASE WHEN p.kind = 'subscription' THEN p.op_amount ELSE p.refund_amount END,
      CASE WHEN p.provider = 'gate' THEN NULL WHEN p.kind = 'subscription' THEN p.op1_fee ELSE 0 END,
      NULL, NULL,
      CASE WHEN p.provider = 'gate' THEN NULL WHEN p.kind = 'subscription' THEN floor(p.t0) + 2592000 ELSE floor(p.t_refund) END,
      CASE WHEN p.provider = 'gate' THEN NULL WHEN p.kind = 'subscription' THEN floor(p.t0) + 2592004 ELSE floor(p.t_refund) + 3 END,
      p.op2_at, p.op2_at),
    (p.charge3, p.op3_id, p.pb_op3_ulid, 'subscription', 'succeeded', 'success', p.op_amount, p.op1_fee, NULL, NULL,
      floor(p.t0) + 5184000, floor(p.t0) + 5184004, p.charge3_at, p.charge3_at)
  ) AS o(present, id, provider_id, type, status, raw_status, amount, fee, decline_code, decline_message,
    provider_created, provider_updated, created, updated)
  WHERE o.present
  RETURNING 1
),
events AS (
  INSERT INTO timeline_events (transaction_id, at, type, source, summary, details)
  SELECT p.tx_id, ${at('ev.at')}, ev.type, 'webhook',
    CASE ev.type
      WHEN 'discovered' THEN 'Learned of it from a webhook: ' || ev.to_status
      WHEN 'status_changed' THEN ev.from_status || ' → ' || ev.to_status || ' (webhook)'
      WHEN 'operation_added' THEN ev.op_type || ' ' || ev.to_status
      ELSE ev.op_type || ' ' || ev.from_status || ' → ' || ev.to_status END,
    CASE ev.type
      WHEN 'discovered' THEN jsonb_build_object('status', ev.to_status, 'rawStatus', ev.raw_status)
      WHEN 'status_changed' THEN jsonb_build_object('from', ev.from_status, 'to', ev.to_status, 'rawStatus', ev.raw_status)
      WHEN 'operation_added' THEN jsonb_build_object('operation', ev.operation, 'status', ev.to_status,
        'rawStatus', ev.raw_status, 'amountMinor', ev.amount::text, 'currency', p.cur)
      ELSE jsonb_build_object('operation', ev.operation, 'from', ev.from_status, 'to', ev.to_status,
        'rawStatus', ev.raw_status) END
  FROM p CROSS JOIN LATERAL (VALUES
    (true, p.discovered_at, 0, 'discovered', NULL::text, p.discovered_phase, p.discovered_raw, NULL::text, NULL::text, NULL::bigint),
    (true, p.discovered_at, 2, 'operation_added', NULL, p.op1_discovered_status, p.op1_discovered_raw,
      CASE p.provider WHEN 'payment-book' THEN p.pb_op1_ulid ELSE p.provider_id END, p.kind, p.op_amount),
    (p.early AND p.final_known, p.settled_at, 1, 'status_changed', p.discovered_phase, p.settled_phase, p.settled_raw,
      NULL, NULL, NULL),
    (p.early AND p.final_known, p.settled_at, 3, 'operation_changed', p.op1_discovered_status, p.op1_settled_status,
      p.op1_settled_raw, CASE p.provider WHEN 'payment-book' THEN p.pb_op1_ulid ELSE p.provider_id END, p.kind, NULL),
    (p.changed_at IS NOT NULL, p.changed_at, 1, 'status_changed', p.settled_phase, p.phase, p.raw_status, NULL, NULL, NULL),
    (p.provider = 'paytone' AND p.changed_at IS NOT NULL, p.changed_at, 3, 'operation_changed', p.op1_settled_status,
      p.op1_status, p.op1_raw, p.provider_id, p.kind, NULL),
    (p.op2, p.op2_at, 4, 'operation_added', NULL, 'succeeded',
      CASE WHEN p.provider = 'gate' THEN 'refunded' ELSE 'success' END,
      CASE WHEN p.provider = 'gate' THEN p.provider_id || '/refund' ELSE p.pb_op2_ulid END,
      CASE WHEN p.kind = 'subscription' THEN 'subscription' ELSE 'refund' END,
      CASE WHEN p.kind = 'subscription' THEN p.op_amount ELSE p.refund_amount END),
    (p.charge3, p.charge3_at, 5, 'operation_added', NULL, 'succeeded', 'success', p.pb_op3_ulid, 'subscription', p.op_amount)
  ) AS ev(present, at, ord, type, from_status, to_status, raw_status, operation, op_type, amount)
  WHERE ev.present
  ORDER BY p.n, ev.at, ev.ord
  RETURNING 1
)
SELECT (SELECT count(*) FROM tx) AS transactions, (SELECT count(*) FROM ops) AS operations,
  (SELECT count(*) FROM events) AS timeline_events`;
}

// ---- time ------------------------------------------------------------------------------------------

interface HourBucket {
  /** Rows `first` to `last` (run-relative, inclusive) happened in this hour. */
  first: number;
  last: number;
  startMs: number;
  lengthMs: number;
}

function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Spreads `count` rows over the hours of the 90 days before `now`: later days a little busier, a
 * European shop's day and week, and some noise per day. Rows are numbered in time order, so each
 * chunk appends to the time indexes instead of scattering over them.
 */
function hourBuckets(count: number, nowMs: number, seed: string): HourBucket[] {
  const endMs = nowMs - newestAgeMs;
  const firstHour = Math.floor((endMs - days * dayMs) / hourMs) + 1;
  const lastHour = Math.floor(endMs / hourMs);
  const hours: { startMs: number; lengthMs: number; weight: number }[] = [];
  for (let hour = firstHour; hour <= lastHour; hour++) {
    const startMs = hour * hourMs;
    const lengthMs = Math.min(hourMs, endMs - startMs);
    if (lengthMs <= 0) continue;
    const date = new Date(startMs);
    const age = (endMs - startMs) / (days * dayMs);
    const day = Math.floor(startMs / dayMs);
    const weight =
      (1.5 - 0.5 * age) *
      data.hourWeights[date.getUTCHours()]! *
      data.weekdayWeights[date.getUTCDay()]! *
      (0.88 + 0.24 * unitHash(`${seed}:day:${day}`)) *
      (lengthMs / hourMs);
    hours.push({ startMs, lengthMs, weight });
  }
  const total = hours.reduce((sum, hour) => sum + hour.weight, 0);
  const buckets: HourBucket[] = [];
  let cumulative = 0;
  let next = 0;
  for (const hour of hours) {
    cumulative += hour.weight;
    const end = Math.min(count, Math.round((count * cumulative) / total));
    if (end > next) {
      buckets.push({ first: next, last: end - 1, startMs: hour.startMs, lengthMs: hour.lengthMs });
      next = end;
    }
  }
  if (next < count) {
    const lastBucket = hours.at(-1)!;
    buckets.push({
      first: next,
      last: count - 1,
      startMs: lastBucket.startMs,
      lengthMs: lastBucket.lengthMs,
    });
  }
  return buckets;
}

// ---- connections -----------------------------------------------------------------------------------

function dummySecret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}

function seedConnectionForm(provider: ProviderName) {
  switch (provider) {
    case 'gate':
      return { credentials: { apiKey: dummySecret('seed_gate_') } };
    case 'payment-book':
      return {
        credentials: { tokenName: 'paydesk-seed', tokenSecret: dummySecret('seed_pb_'), serviceId: 9 },
      };
    case 'paytone':
      return {
        credentials: {
          publicKey: 'pk_live_seed',
          commerceAccountId: 'coma_seed',
          apiKey: dummySecret('seed_pt_'),
        },
        webhookSecret: dummySecret('sk_live_'),
      };
  }
}

/** The three seed connections, found by name or created (sealed, audited) and disabled. */
async function ensureSeedConnections(
  database: OpenDb,
  secrets: SecretBox,
  actor: Actor,
  now: Date,
): Promise<Record<ProviderName, string>> {
  const deps: ConnectionDeps = { db: database.db, secrets, publicUrl: seedBaseUrl, now, actor };
  const existing = await database.db
    .select({ id: connections.id, provider: connections.provider, name: connections.name })
    .from(connections)
    .where(
      inArray(
        sql`lower(${connections.name})`,
        Object.values(seedConnectionNames).map((name) => name.toLowerCase()),
      ),
    );
  const ids = {} as Record<ProviderName, string>;
  for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
    const name = seedConnectionNames[provider];
    const found = existing.find((each) => each.name.toLowerCase() === name.toLowerCase());
    if (found) {
      if (found.provider !== provider) {
        throw new AppError(
          'conflict',
          `The connection "${found.name}" is a ${found.provider} connection, not ${provider}: rename it before seeding.`,
        );
      }
      ids[provider] = found.id;
      continue;
    }
    const created = await createConnection(deps, {
      provider,
      name,
      mode: 'live',
      baseUrl: seedBaseUrl,
      ...seedConnectionForm(provider),
    });
    await setConnectionEnabled(
      deps,
      created.id,
      false,
      'Seeded data: no provider answers at this address, so reconciliation leaves it alone.',
    );
    ids[provider] = created.id;
  }
  return ids;
}

// ---- the run ---------------------------------------------------------------------------------------

async function tableCounts(database: OpenDb): Promise<SeedTableCounts> {
  const { rows } = await database.execute(
    `SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM operations) AS operations,
      (SELECT count(*) FROM timeline_events) AS timeline_events`,
  );
  const row = rows[0] ?? {};
  return {
    transactions: Number(row.transactions),
    operations: Number(row.operations),
    timelineEvents: Number(row.timeline_events),
  };
}

export async function seedLedger(database: OpenDb, options: SeedLedgerOptions): Promise<SeedLedgerResult> {
  const started = performance.now();
  const { count } = options;
  if (!Number.isSafeInteger(count) || count < 1 || count > maxCount) {
    throw new AppError(
      'validation_failed',
      `count must be a whole number from 1 to ${maxCount.toLocaleString('en')}`,
    );
  }
  const pool = options.customers ?? 150_000;
  if (!Number.isSafeInteger(pool) || pool < 20 || pool % 20 !== 0 || pool >= 1_000_003) {
    throw new AppError('validation_failed', 'customers must be a multiple of 20 below 1,000,000');
  }
  const chunkSize = Math.max(1, options.chunkSize ?? 50_000);
  const seed = options.seed ?? 'paydesk';
  const now = options.now ?? new Date();

  const connectionIds = await ensureSeedConnections(
    database,
    options.secrets,
    options.actor ?? { ...systemActor, email: 'system (seed)' },
    now,
  );
  const ids = [connectionIds.gate, connectionIds['payment-book'], connectionIds.paytone];
  const before = await database.execute(
    'SELECT count(*) AS n FROM transactions WHERE connection_id = ANY($1::uuid[])',
    [`{${ids.join(',')}}`],
  );
  const offset = Number(before.rows[0]?.n ?? 0);
  // A later run hashes with its starting row too: even after an interrupted run, no id comes twice.
  const runKey = offset === 0 ? seed : `${seed}+${offset}`;
  const tag = createHash('sha256').update(runKey).digest('hex').slice(0, 6);
  const buckets = hourBuckets(count, now.getTime(), seed);
  const statement = chunkStatement();

  const chunks: { lo: number; hi: number }[] = [];
  for (let lo = 0; lo < count; lo += chunkSize) chunks.push({ lo, hi: Math.min(count, lo + chunkSize) - 1 });
  const inserted: SeedTableCounts = { transactions: 0, operations: 0, timelineEvents: 0 };
  let done = 0;
  let failed = false;
  const insertChunk = async ({ lo, hi }: { lo: number; hi: number }) => {
    const inChunk = buckets
      .filter((bucket) => bucket.last >= lo && bucket.first <= hi)
      .map((bucket) => ({ ...bucket, first: Math.max(bucket.first, lo), last: Math.min(bucket.last, hi) }));
    const list = (pick: (bucket: HourBucket) => number) => `{${inChunk.map(pick).join(',')}}`;
    const values = [
      runKey,
      offset,
      now.getTime() / 1000,
      connectionIds.gate,
      connectionIds['payment-book'],
      connectionIds.paytone,
      list((bucket) => bucket.first),
      list((bucket) => bucket.last),
      list((bucket) => bucket.startMs),
      list((bucket) => bucket.lengthMs),
      tag,
      pool,
    ];
    const counts = await database.db.transaction(async (tx) => {
      const run = transactionExecutor(tx);
      // The chunk's rows are kept once for three inserts: in memory rather than in temporary files.
      await run.executeSql(`SET LOCAL work_mem = '256MB'`);
      // Compiling this long statement (JIT) takes seconds, more than it could ever save.
      await run.executeSql('SET LOCAL jit = off');
      const { rows } = await run.executeSql(statement, values);
      return rows[0] ?? {};
    });
    inserted.transactions += Number(counts.transactions);
    inserted.operations += Number(counts.operations);
    inserted.timelineEvents += Number(counts.timeline_events);
    done += hi - lo + 1;
    options.onProgress?.(done, count);
  };
  // Two statements at once keep both cores of a small server busy; PGlite has one connection.
  const concurrency = Math.max(1, options.concurrency ?? (database.driver === 'postgres' ? 2 : 1));
  let next = 0;
  const worker = async () => {
    while (!failed && next < chunks.length) {
      const chunk = chunks[next++]!;
      try {
        await insertChunk(chunk);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  options.onProgress?.(0, count);
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  await database.execute('ANALYZE transactions, operations, timeline_events');

  return {
    connections: connectionIds,
    firstRow: offset + 1,
    inserted,
    totals: await tableCounts(database),
    elapsedMs: Math.round(performance.now() - started),
  };
}
