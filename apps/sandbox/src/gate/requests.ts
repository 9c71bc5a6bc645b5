/**
 * Validation of Gate request bodies, in the order Gate reports problems, each mapped to its error
 * code. Bodies are parsed with lossless-json so an int64 `amount` arrives exactly (as a bigint).
 */
import { isCurrencyCode } from '@paydesk/domain';
import { cardBrand, type CardBrand } from './cards.ts';
import { GateError } from './errors.ts';

const int64Max = 9_223_372_036_854_775_807n;
const int32Max = 2_147_483_647n;
export const gatePaymentMethods = ['card_basic'] as const;

export interface GateCard {
  number: string;
  brand: CardBrand;
  expMonth?: number;
  expYear?: number;
}

export interface GateReturnUrls {
  default?: string;
  success?: string;
  failure?: string;
}

export interface CreateRequest {
  referenceId: string;
  amount: bigint;
  currencyCode: string;
  description: string | null;
  webhookUrl?: string;
  merchantMetadata: Record<string, unknown>;
  customerEmail?: string;
  card?: GateCard;
  returnUrls: GateReturnUrls;
  /** Hosted page lifetime from `paymentPageSettings.lifetime` (seconds). */
  lifetimeMs?: number;
}

export interface RefundRequest {
  referenceId: string;
  amount: bigint;
  currencyCode: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function body(value: unknown): Json {
  if (!isObject(value)) throw new GateError(1002, 'The request body must be a JSON object.');
  return value;
}

/** Absent and JSON null are the same for Gate's nullable fields. */
function optionalString(json: Json, field: string): string | undefined {
  const value = json[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new GateError(1002, `The ${field} field must be a string.`);
  return value;
}

function referenceId(json: Json): string {
  const value = optionalString(json, 'referenceId');
  if (value === undefined || value.trim() === '')
    throw new GateError(1002, 'The referenceId field is required.');
  if (value.length > 128) throw new GateError(1002, 'The referenceId field must be at most 128 characters.');
  return value;
}

function amount(json: Json, max: bigint): bigint {
  const value = json.amount;
  if (value === undefined || value === null) throw new GateError(1002, 'The amount field is required.');
  if (typeof value !== 'bigint')
    throw new GateError(1008, 'The amount must be an integer number of minor units.');
  if (value <= 0n) throw new GateError(1008, 'The amount must be greater than zero.');
  if (value > max) throw new GateError(1008, 'The amount is too large.');
  return value;
}

function currencyCode(json: Json): string {
  const value = optionalString(json, 'currencyCode');
  if (value === undefined) throw new GateError(1002, 'The currencyCode field is required.');
  if (!/^[A-Z]{3}$/.test(value))
    throw new GateError(1007, `${JSON.stringify(value)} is not an ISO 4217 currency code.`);
  if (!isCurrencyCode(value))
    throw new GateError(1006, `The currency ${value} is not supported by this terminal.`);
  return value;
}

function webhookUrl(json: Json): string | undefined {
  const value = optionalString(json, 'webhookUrl');
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GateError(1002, 'The webhookUrl field must be an absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GateError(1002, 'The webhookUrl field must be an http(s) URL.');
  }
  return value;
}

function paymentMethod(json: Json, required: boolean): string | undefined {
  const value = optionalString(json, 'paymentMethod');
  if (value === undefined) {
    if (required) throw new GateError(1002, 'The paymentMethod field is required.');
    return undefined;
  }
  if (!(gatePaymentMethods as readonly string[]).includes(value)) {
    throw new GateError(1005, `The payment method ${JSON.stringify(value)} is not supported.`);
  }
  return value;
}

function twoPhase(json: Json): void {
  const options = json.paymentMethodOptions;
  const cardBasic = isObject(options) ? options.cardBasic : undefined;
  if (isObject(cardBasic) && cardBasic.isTwoPhase === true) {
    throw new GateError(1009, 'Two-phase payments are not available on this terminal.');
  }
}

function integerField(value: unknown): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d{1,4}$/.test(value)) return Number(value);
  return undefined;
}

function card(json: Json): GateCard {
  const data = json.paymentMethodData;
  const cardBasic = isObject(data) ? data.cardBasic : undefined;
  if (!isObject(cardBasic)) throw new GateError(1002, 'The paymentMethodData.cardBasic field is required.');
  const number = typeof cardBasic.cardNumber === 'string' ? cardBasic.cardNumber.replace(/[\s-]/g, '') : '';
  if (!/^\d{12,19}$/.test(number)) throw new GateError(1002, 'The cardNumber field must be 12 to 19 digits.');
  const brand = cardBrand(number);
  if (!brand) throw new GateError(1010, `No card scheme is known for BIN ${number.slice(0, 6)}.`);
  const result: GateCard = { number, brand };
  const expMonth = integerField(cardBasic.expMonth);
  const expYear = integerField(cardBasic.expYear);
  if (expMonth !== undefined) result.expMonth = expMonth;
  if (expYear !== undefined) result.expYear = expYear < 100 ? 2000 + expYear : expYear;
  return result;
}

function common(json: Json, max: bigint): Omit<CreateRequest, 'card'> {
  const request: Omit<CreateRequest, 'card'> = {
    referenceId: referenceId(json),
    amount: amount(json, max),
    currencyCode: currencyCode(json),
    description: optionalString(json, 'description') ?? null,
    merchantMetadata: isObject(json.merchantMetadata) ? json.merchantMetadata : {},
    returnUrls: {},
  };
  const url = webhookUrl(json);
  if (url) request.webhookUrl = url;
  const customer = json.customer;
  if (isObject(customer) && typeof customer.email === 'string') request.customerEmail = customer.email;
  const settings = json.paymentPageSettings;
  if (isObject(settings)) {
    const lifetime = integerField(settings.lifetime);
    if (lifetime !== undefined && lifetime > 0) request.lifetimeMs = lifetime * 1000;
    const urls = settings.returnUrls;
    if (isObject(urls)) {
      for (const key of ['default', 'success', 'failure'] as const) {
        const value = urls[key];
        if (typeof value === 'string' && value !== '') request.returnUrls[key] = value;
      }
    }
  }
  return request;
}

/** `POST /api/v1/api/payments`: a direct card payment. */
export function parsePayment(raw: unknown): CreateRequest {
  const json = body(raw);
  const request: CreateRequest = common(json, int64Max);
  paymentMethod(json, false);
  twoPhase(json);
  request.card = card(json);
  return request;
}

/** `POST /api/v1/api/payments/initiate-session`: the customer pays on Gate's hosted page. */
export function parseSession(raw: unknown): CreateRequest {
  const json = body(raw);
  const request = common(json, int64Max);
  const methods = json.paymentMethods;
  if (methods !== undefined && methods !== null) {
    if (!Array.isArray(methods)) throw new GateError(1002, 'The paymentMethods field must be a list.');
    for (const method of methods) {
      if (typeof method !== 'string' || !(gatePaymentMethods as readonly string[]).includes(method)) {
        throw new GateError(1005, `The payment method ${JSON.stringify(method)} is not supported.`);
      }
    }
  }
  twoPhase(json);
  return request;
}

/** `POST /api/v1/api/payments/payout`: money to a card. */
export function parsePayout(raw: unknown): CreateRequest {
  const json = body(raw);
  const request: CreateRequest = common(json, int64Max);
  paymentMethod(json, true);
  request.card = card(json);
  return request;
}

/** `POST /api/v1/api/payments/refund`: `amount` is an int32 in Gate's schema. */
export function parseRefund(raw: unknown): RefundRequest {
  const json = body(raw);
  return { referenceId: referenceId(json), amount: amount(json, int32Max), currencyCode: currencyCode(json) };
}
