/**
 * Fills the ledger with realistic history for benchmarks and development: `count` transactions over
 * the last 90 days, with their operations and timeline events, at three connections ("Seed Gate",
 * "Seed Payment Book", "Seed Paytone") created through the connection service (credentials sealed,
 * audited) and left disabled, since nothing answers at their base URL and reconciliation must not
 * try.
 *
 * Rows are what `recordObservation` writes for what each provider's adapter normalizes: Gate rows
 * carry no customer, card, fee or method (Gate's payment object has none), Payment Book's and
 * Paytone's carry their own status words, ids (ULIDs, `cpi_…`), decline codes, fees and timestamps
 * to the second. Customers come from a fixed pool (150,000 by default) shared by every run; some of
 * them pay at both providers that report customers.
 *
 * The rows are generated inside the database, one `INSERT … SELECT` statement per chunk, from
 * generate_series and md5 of the seed and the row's number: the same seed, count and `now` give the
 * same rows. A second run adds rows numbered after those already at the seed connections, so it
 * never collides with the first; its rows are spread over the 90 days before its own `now`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { transactionExecutor, type OpenDb } from '@paydesk/db';
import type { ProviderName } from '@paydesk/domain';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../../secret-box.ts';
import { systemActor, type Actor } from '../audit.ts';
import {
  createConnection,
  listConnections,
  setConnectionEnabled,
  type ConnectionDeps,
} from '../connections/connections.ts';
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
const textArray = (values: readonly string[]) => `ARRAY[${values.map(literal).join(', ')}]::text[]`;

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
const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const letters = alphanumerics.slice(0, 52);

/**
 * A ULID (Payment Book's ids): 48-bit millisecond time and 80 bits from `bytes`. Two of the random
 * characters are always letters, so no id ever holds a run of digits as long as a card number.
 */
function ulidSql(ms: string, bytes: string): string {
  const time = Array.from(
    { length: 10 },
    (_, k) => `substr('${crockford}', ((${ms}) >> ${5 * (9 - k)} & 31)::int + 1, 1)`,
  );
  const random = Array.from({ length: 16 }, (_, k) =>
    k === 5 || k === 11
      ? `substr('${crockfordLetters}', get_byte(${bytes}, ${k}) % 22 + 1, 1)`
      : `substr('${crockford}', get_byte(${bytes}, ${k}) % 32 + 1, 1)`,
  );
  return `(${[...time, ...random].join(' || ')})`;
}

/** 16 alphanumerics from `bytes`, as Paytone's serial numbers (the tail of `cpi_…`, `cus_…`). */
function serialSql(bytes: string): string {
  return `(${Array.from({ length: 16 }, (_, k) =>
    k === 7
      ? `substr('${letters}', get_byte(${bytes}, ${k}) % 52 + 1, 1)`
      : `substr('${alphanumerics}', get_byte(${bytes}, ${k}) % 62 + 1, 1)`,
  ).join(' || ')})`;
}

/** A version 4 UUID (what gen_random_uuid gives) from 32 hex digits. */
function uuidV4Sql(hex: string): string {
  return `(substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-4' || substr(${hex}, 14, 3) || '-' || substr('89ab', (strpos('0123456789abcdef', substr(${hex}, 17, 1)) - 1) % 4 + 1, 1) || substr(${hex}, 18, 3) || '-' || substr(${hex}, 21, 12))::uuid`;
}

/** A version 7 UUID (time-ordered, Gate's referenceId style) from a millisecond time and 32 hex digits. */
function uuidV7Sql(ms: string, hex: string): string {
  const time = `lpad(to_hex(${ms}), 12, '0')`;
  return `(substr(${time}, 1, 8) || '-' || substr(${time}, 9, 4) || '-7' || substr(${hex}, 1, 3) || '-' || substr('89ab', (strpos('0123456789abcdef', substr(${hex}, 4, 1)) - 1) % 4 + 1, 1) || substr(${hex}, 5, 3) || '-' || substr(${hex}, 8, 12))`;
}

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

/**
 * Parameters: $1 seed, $2 rows before this run, $3 now (epoch seconds), $4–$6 the Gate, Payment Book
 * and Paytone connection ids, $7–$10 the hour buckets of this chunk (first and last row, start and
 * length in ms, as array literals), $11 the seed's reference tag, $12 the customer pool size.
 */
function chunkStatement(): string {
  const firsts = data.firstNames;
  const lasts = data.lastNames;
  const countryItems = data.countries.map(([country, , weight]) => [literal(country), weight] as const);
  const currencyItems = data.countries.map(([, currency, weight]) => [literal(currency), weight] as const);
  const exponentCase = `CASE cur ${data.seededCurrencies.map((c) => `WHEN '${c.code}' THEN ${c.exponent}`).join(' ')} END`;
  const rateCase = `CASE cur ${data.seededCurrencies.map((c) => `WHEN '${c.code}' THEN ${c.perEuro}`).join(' ')} END`;
  const customerDraw = '((get_byte(hc, 0) * 256 + get_byte(hc, 1))::float8 / 65536)';
  const digit = (k: number) => `(get_byte(hc, cb + ${k}) % 10)::text`;
  const gateCodes = data.gateDeclines.map(([code, , weight]) => [String(code), weight] as const);
  const gateDescription = `CASE gate_code ${data.gateDeclines.map(([code, text]) => `WHEN ${code} THEN ${literal(text)}`).join(' ')} END`;
  const pbCardDecline = (part: 0 | 1) =>
    `(${part === 0 ? 'ARRAY[' + data.paymentBookCardDeclines.map(([code]) => code).join(', ') + ']' : textArray(data.paymentBookCardDeclines.map(([, message]) => message))})[floor(u11 * ${data.paymentBookCardDeclines.length})::int + 1]`;
  const pbErrors = data.paymentBookOperationErrors;
  const unified = data.paymentBookUnified;
  const paytoneFeeCase = `CASE WHEN kind = 'payout' THEN CASE method ${Object.entries(data.paytonePayoutFeeBp)
    .map(([method, bp]) => `WHEN '${method}' THEN ${bp}`)
    .join(' ')} END ELSE CASE method ${Object.entries(data.paytonePaymentFeeBp)
    .map(([method, bp]) => `WHEN '${method}' THEN ${bp}`)
    .join(' ')} END END`;

  const layers: string[][] = [
    [`decode(md5($1 || ':a:' || n) || md5($1 || ':b:' || n) || md5($1 || ':c:' || n), 'hex') AS h`],
    Array.from({ length: 24 }, (_, k) => `${draw(k)} AS u${k}`),
    [
      `(start_ms + floor(u22 * (len_ms - 1)))::bigint AS t0ms`,
      `${weighted('u0', [
        [`'gate'`, 35],
        [`'payment-book'`, 35],
        [`'paytone'`, 30],
      ])} AS provider`,
      `${weighted('u21', currencyItems)} AS gate_currency`,
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
      // Customer c: blocks of 20, slots 0–3 pay at both providers that report customers, 4–11 only
      // at Payment Book, 12–19 only at Paytone. Squaring the draw makes some customers regulars.
      `CASE provider WHEN 'gate' THEN NULL ELSE floor($12 / 20 * u6 * u6)::bigint * 20 + CASE
        WHEN provider = 'payment-book' OR floor(u7 * 12) < 4 THEN floor(u7 * 12)::int ELSE floor(u7 * 12)::int + 8 END END AS c`,
      `t0ms::float8 / 1000 AS t0`,
    ],
    [
      `decode(md5('paydesk-seed-customer:' || c) || md5('paydesk-seed-card:' || c), 'hex') AS hc`,
      // A permutation of the pool (1000003 is prime, so coprime with any pool size below it).
      `(c * 1000003 + 12345) % $12 AS ck`,
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
      `${weighted('u11', gateCodes)}::int AS gate_code`,
    ],
    [
      `(ck % ${firsts.length})::int + 1 AS fi`,
      `((ck / ${firsts.length}) % ${lasts.length})::int + 1 AS li`,
      `(ck / ${firsts.length * lasts.length})::int AS twin`,
      `${weighted(customerDraw, countryItems)} AS country`,
      `${weighted(customerDraw, currencyItems)} AS customer_currency`,
      // Three customers in ten have a second card; they use it about a third of the time.
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
      `CASE WHEN get_byte(hc, 2) < 8 THEN initcap(${textArray(firsts.map(data.asciiLower))}[fi]) ELSE ${textArray(firsts.map(data.asciiLower))}[fi] END
        || CASE WHEN get_byte(hc, 3) < 64 THEN '_' ELSE '.' END
        || CASE WHEN get_byte(hc, 2) < 8 THEN initcap(${textArray(lasts.map(data.asciiLower))}[li]) ELSE ${textArray(lasts.map(data.asciiLower))}[li] END
        || CASE WHEN twin > 0 THEN twin::text ELSE '' END
        || '@' || ${textArray(data.emailDomains)}[get_byte(hc, 4) % ${data.emailDomains.length} + 1] AS email`,
      `CASE WHEN provider = 'gate' THEN gate_currency WHEN u8 < 0.85 THEN customer_currency WHEN u8 < 0.925 THEN 'EUR' ELSE 'USD' END AS cur`,
      `CASE WHEN get_byte(hc, cb + 5) < 141 THEN 'visa' WHEN get_byte(hc, cb + 5) < 230 THEN 'mastercard' ELSE 'amex' END AS card_brand`,
    ],
    [
      `${exponentCase} AS e`,
      `${rateCase} AS rate`,
      `CASE WHEN card_brand = 'visa' THEN '4' || ${digit(6)}
        WHEN card_brand = 'mastercard' THEN '5' || (1 + get_byte(hc, cb + 6) % 5)::text
        ELSE '3' || CASE WHEN get_byte(hc, cb + 6) % 2 = 0 THEN '4' ELSE '7' END END
        || ${digit(7)} || ${digit(8)} || ${digit(9)} || ${digit(10)} AS card_bin`,
      `${digit(11)} || ${digit(12)} || ${digit(13)} || ${digit(14)} AS card_last4`,
      `CASE provider
        WHEN 'gate' THEN NULL
        WHEN 'payment-book' THEN CASE
          WHEN kind <> 'payment' THEN 'card'
          WHEN u5 < 0.65 THEN 'card'
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
      `${weighted('u11', [
        [`'gate_error'`, 45],
        [`'gate_timeout'`, 35],
        [`'cancelled_by_user'`, 20],
      ])} AS pb_failure`,
    ],
    [
      `CASE e WHEN 0 THEN 1 WHEN 2 THEN 100 ELSE 1000 END AS unit`,
      // Shop prices: log-uniform between about 3 and 600 euros (payouts 10–1,500), ending as prices
      // do (.99, .00, .50; yen in tens); subscriptions at a few plan prices.
      `(CASE kind WHEN 'subscription' THEN ${weighted('u9', [
        ['4.99', 1],
        ['9.99', 1],
        ['14.99', 1],
        ['29', 1],
      ])} WHEN 'payout' THEN 10 * exp(u9 * ln(150)) ELSE 3 * exp(u9 * ln(200)) END) * rate AS major`,
      `CASE WHEN card_brand = 'amex' THEN 5 ELSE 6 END AS mask_stars`,
      `(round(0.3 * power(10, e)))::bigint AS pb_cost`,
      `${paytoneFeeCase} AS paytone_fee_bp`,
    ],
    [
      `(CASE WHEN e = 0 THEN greatest(100, round(major / 10) * 10)
        ELSE greatest(1, floor(major)) * unit + CASE WHEN kind = 'subscription' THEN unit - unit / 100 ELSE ${weighted(
          'u10',
          [
            ['unit - unit / 100', 5],
            ['0', 4],
            ['unit / 2', 2],
          ],
        )} END END)::bigint AS amount`,
      `CASE
        WHEN kind = 'subscription' THEN 6
        WHEN kind = 'payout' THEN 10 + 14400 * u4 * u4 * u4
        WHEN outcome = 'expired' THEN CASE provider WHEN 'paytone' THEN 3600 ELSE 1800 END + 2 * u4
        WHEN inter_phase = 'action_required' THEN 20 + 340 * u4
        ELSE 2 + 88 * u4 * u4 END AS settle_delay`,
      `kind = 'payment' AND outcome = 'success' AND u12 < 0.09 AS refund_planned`,
      `provider = 'paytone' AND kind = 'payment' AND method = 'payment_card' AND outcome = 'success' AND u12 >= 0.09 AND u18 < 0.002 AS chargeback_planned`,
      `kind = 'subscription' AND outcome = 'success' AND u18 < 0.35 AS cancel_planned`,
    ],
    [
      `t0 + settle_delay AS t_settle`,
      `t0 + settle_delay + ${latency(2)} AS settled_at`,
      `t0 + settle_delay + 7200 * exp(u13 * ln(360)) AS t_refund`,
      `t0 + settle_delay + 86400 * (5 + 55 * u19) AS t_chargeback`,
      `t0 + CASE WHEN u19 < 0.5 THEN 1 ELSE 2 END * 2592000 - 86400 * (1 + 3 * ${frac('u19 * 5.3')}) AS t_cancel`,
      `CASE WHEN provider <> 'gate' AND u14 < 0.4 THEN greatest(1, floor(amount * (0.2 + u14)))::bigint ELSE amount END AS refund_amount`,
      `CASE provider WHEN 'payment-book' THEN CASE WHEN kind = 'payout' THEN amount ELSE amount + pb_cost END ELSE amount END AS op_amount`,
    ],
    [
      `outcome <> 'stuck' AND settled_at <= $3 AS final_known`,
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
    ],
    [
      `final_known AND refund_planned AND refund_at <= $3 AS refunded`,
      `final_known AND chargeback_planned AND chargeback_at <= $3 AS charged_back`,
      `cancel_planned AND cancel_at <= $3 AS cancelled`,
      `kind = 'subscription' AND outcome = 'success' AND charge2_at <= $3 AND (NOT cancel_planned OR t0 + 2592000 < t_cancel) AS charge2`,
      `kind = 'subscription' AND outcome = 'success' AND charge3_at <= $3 AND (NOT cancel_planned OR t0 + 5184000 < t_cancel) AS charge3`,
    ],
    [
      // Learned of early (at its first webhook) or only once settled; a row whose money later came
      // back is learned of settled, so it keeps within four events.
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
      `NOT (inter_phase = 'created' AND (NOT final_known OR outcome = 'expired')) AS card_known`,
    ],
    [
      `CASE WHEN early THEN t0 + ${latency(1)} ELSE settled_at END AS discovered_at`,
      `CASE WHEN early THEN inter_phase ELSE settled_phase END AS discovered_phase`,
      `${rawStatusSql('phase')} AS raw_status`,
      `${operationRawSql('phase')} AS op1_raw`,
      `${operationStatusSql('phase')} AS op1_status`,
      `(CASE kind WHEN 'payment' THEN 'ord-' WHEN 'payout' THEN 'po-' ELSE 'sub-' END) || $11 || '-' || lpad(n::text, 7, '0') AS order_ref`,
      `md5($1 || ':tx:' || n) AS tx_hex`,
      `md5($1 || ':op1:' || n) AS op1_hex`,
      `CASE WHEN op2 THEN md5($1 || ':op2:' || n) END AS op2_hex`,
      `CASE WHEN charge3 THEN md5($1 || ':op3:' || n) END AS op3_hex`,
      `CASE WHEN provider <> 'gate' THEN decode(md5($1 || ':pid:' || n) || md5($1 || ':ops:' || n), 'hex') END AS pid_bytes`,
      `CASE WHEN provider = 'gate' THEN md5($1 || ':ref:' || n) END AS gate_hex`,
      `CASE WHEN provider = 'paytone' AND kind = 'payment' THEN decode(md5('paydesk-seed-cus:' || c), 'hex') END AS cus_bytes`,
      `CASE WHEN cur_declines(phase) THEN 1 END AS _`,
    ],
  ];
  // (placeholder removed below)
  void layers;
  return '';
}
