/**
 * Plans a merchant's traffic as a list of `SimulatedTransaction`s. Pure: the same options (seed
 * included) give the same list, which is what makes a generated data set reproducible.
 */
import { currencyExponent } from '@paydesk/domain';
import type { ProviderName, SimulatedOutcome, SimulatedTransaction } from '../core/contract.ts';
import { createRandom, type Random, type Seed } from '../core/random.ts';
import { countries, emailDomains, firstNames, lastNames, perEuro } from './data.ts';

export interface PlannedTransaction {
  provider: ProviderName;
  input: SimulatedTransaction;
}

export interface Customer {
  email: string;
  name: string;
  country: string;
  currency: string;
}

export interface PlanOptions {
  seed: Seed;
  count: number;
  /** Transactions are spread over this many days before `now`. */
  days: number;
  now: number;
  providers: readonly ProviderName[];
  webhookUrls?: Partial<Record<ProviderName, string>>;
}

const dayMs = 86_400_000;
/** Historical traffic is at least this old, so every lifecycle is over. */
const minAgeMs = 15 * 60_000;

const providerWeights: Record<ProviderName, number> = { gate: 35, 'payment-book': 35, paytone: 30 };

/** A stable tag for references, so two seeds can share one sandbox without clashing. */
export function seedTag(seed: Seed): string {
  return createRandom(seed, 'tag').hex(6);
}

export function planCustomers(random: Random, size = 48): Customer[] {
  const customers: Customer[] = [];
  const taken = new Set<string>();
  while (customers.length < size) {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const { country, currency } = random.weighted(countries);
    const base = `${ascii(first)}.${ascii(last)}`;
    let email = `${base}@${random.pick(emailDomains)}`;
    for (let n = 2; taken.has(email); n++) email = `${base}${n}@${email.split('@')[1] ?? 'example.com'}`;
    taken.add(email);
    customers.push({ email, name: `${first} ${last}`, country, currency });
  }
  return customers;
}

/** "Jānis O'Brien" → "janis" / "obrien": e-mail local parts stay plain ASCII. */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export function planTraffic(options: PlanOptions): PlannedTransaction[] {
  const random = createRandom(options.seed, 'generator');
  const customers = planCustomers(random.fork('customers'));
  const tag = seedTag(options.seed);
  const times: number[] = [];
  for (let i = 0; i < options.count; i++) times.push(historicalTime(random, options.now, options.days));
  times.sort((a, b) => a - b);
  return times.map((at, index) =>
    planOne(random, {
      customers,
      providers: options.providers,
      at,
      now: options.now,
      reference: `${tag}-${String(index + 1).padStart(5, '0')}`,
      webhookUrls: options.webhookUrls ?? {},
    }),
  );
}

/** A time in the last `days`, busier in the afternoon and evening as shops are. */
function historicalTime(random: Random, now: number, days: number): number {
  const dayStart = Math.floor(now / dayMs) * dayMs - random.int(0, Math.max(0, days - 1)) * dayMs;
  const hour = random.weighted(
    Array.from({ length: 24 }, (_, h) => [h, h < 7 ? 1 : h < 12 ? 4 : h < 23 ? 7 : 2] as const),
  );
  const at = dayStart + hour * 3_600_000 + random.int(0, 3_599_999);
  // Today's hours that have not come yet move a week back instead.
  return at > now - minAgeMs ? at - 7 * dayMs : at;
}

export interface PlanOneOptions {
  customers: readonly Customer[];
  providers: readonly ProviderName[];
  at: number;
  now: number;
  reference: string;
  webhookUrls: Partial<Record<ProviderName, string>>;
}

export function planOne(random: Random, options: PlanOneOptions): PlannedTransaction {
  const provider = random.weighted(options.providers.map((name) => [name, providerWeights[name]] as const));
  const customer = random.pick(options.customers);
  const kind = random.weighted<SimulatedTransaction['kind']>(
    provider === 'payment-book'
      ? [
          ['payment', 80],
          ['subscription', 12],
          ['payout', 8],
        ]
      : [
          ['payment', 90],
          ['payout', 10],
        ],
  );
  // Gate is a card gateway; "wallet" there means its hosted page.
  const method = random.weighted<SimulatedTransaction['method']>(
    provider === 'gate'
      ? [
          ['card', 75],
          ['wallet', 25],
        ]
      : [
          ['card', 65],
          ['bank_transfer', 15],
          ['wallet', 20],
        ],
  );
  const currency = random.chance(0.85) ? customer.currency : random.pick(['EUR', 'USD']);
  const amountMinor = price(random, currency, kind);
  const recent = options.now - options.at < 3 * dayMs;
  const outcome = planOutcome(random, kind, recent);

  const input: SimulatedTransaction = {
    kind,
    reference: `${kind === 'payment' ? 'ord' : kind === 'payout' ? 'po' : 'sub'}-${options.reference}`,
    at: options.at,
    amountMinor,
    currency,
    customer: { email: customer.email, name: customer.name, country: customer.country },
    method: kind === 'payment' ? method : 'card',
    outcome,
    refunds: kind === 'payment' && outcome === 'success' ? planRefunds(random, provider, amountMinor) : [],
  };
  if (input.method === 'card') input.card = card(random);
  if (kind === 'subscription' && random.chance(0.6)) input.cancelAfterCycles = random.int(1, 6);
  const webhookUrl = options.webhookUrls[provider];
  if (webhookUrl) input.webhookUrl = webhookUrl;
  return { provider, input };
}

function planOutcome(random: Random, kind: SimulatedTransaction['kind'], recent: boolean): SimulatedOutcome {
  if (kind === 'payout')
    return random.weighted<SimulatedOutcome>([
      ['success', 92],
      ['declined', 5],
      ['failed', 3],
    ]);
  if (kind === 'subscription')
    return random.weighted<SimulatedOutcome>([
      ['success', 88],
      ['declined', 12],
    ]);
  const outcome = random.weighted<SimulatedOutcome>([
    ['success', 85],
    ['declined', 9],
    ['failed', 2],
    ['expired', 2],
    ['pending', 1],
    ['action_required', 1],
  ]);
  // Only recent payments can still be waiting; older ones have long been settled.
  return !recent && (outcome === 'pending' || outcome === 'action_required') ? 'success' : outcome;
}

/** A shop price: log-uniform between about 3 and 600 euros, ending the way prices do. */
function price(random: Random, currency: string, kind: SimulatedTransaction['kind']): bigint {
  const euros =
    kind === 'subscription'
      ? random.pick([4.99, 9.99, 14.99, 29])
      : Math.exp(random.next() * Math.log(200)) * 3;
  const major = euros * (perEuro[currency] ?? 1);
  const exponent = currencyExponent(currency);
  const unit = 10 ** exponent;
  let minor: number;
  if (exponent === 0) {
    // Yen-like prices end in tens or hundreds.
    minor = Math.max(100, Math.round(major / 10) * 10);
  } else {
    const whole = Math.max(1, Math.floor(major));
    const ending = random.weighted([
      [unit - unit / 100, 5],
      [0, 4],
      [unit / 2, 2],
    ] as const);
    minor = whole * unit + ending;
  }
  return BigInt(Math.round(minor));
}

function planRefunds(random: Random, provider: ProviderName, amountMinor: bigint): bigint[] {
  if (!random.chance(0.09)) return [];
  // Gate refunds in full only.
  if (provider === 'gate' || random.chance(0.6) || amountMinor < 10n) return [amountMinor];
  const first = (amountMinor * BigInt(random.int(20, 60))) / 100n;
  if (provider === 'paytone' && random.chance(0.4)) {
    const second = ((amountMinor - first) * BigInt(random.int(20, 80))) / 100n;
    return second > 0n ? [first, second] : [first];
  }
  return [first];
}

/** A Luhn-valid card number of the brand, not one of Gate's decline test cards. */
function card(random: Random): NonNullable<SimulatedTransaction['card']> {
  const brand = random.weighted<'visa' | 'mastercard' | 'amex'>([
    ['visa', 55],
    ['mastercard', 35],
    ['amex', 10],
  ]);
  const prefix =
    brand === 'visa' ? '4' : brand === 'mastercard' ? `5${random.int(1, 5)}` : random.pick(['34', '37']);
  const length = brand === 'amex' ? 15 : 16;
  let digits = prefix;
  while (digits.length < length - 1) digits += String(random.int(0, 9));
  return { number: digits + luhnDigit(digits), brand };
}

function luhnDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let digit = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}
