/**
 * The commerce account's payment and payout services. The real catalogue depends on the account's
 * contract; the sandbox offers every currency Paydesk handles, so any generated traffic has a service.
 */
import { createHash } from 'node:crypto';
import { currencyExponents } from '@paydesk/domain';

export type ServiceMethod = 'payment_card' | 'bank_transfer' | 'applepay' | 'paypal' | 'test';

export interface ServiceField {
  key: string;
  type: 'string';
  label: string;
  hint: string;
  regexp: string;
  required: boolean;
}

export interface ServiceDefinition {
  /** `comcps_…` for payment services; payout services are addressed by code only. */
  id: string;
  code: string;
  kind: 'payment' | 'payout';
  method: ServiceMethod;
  flow: 'hpp' | 'direct' | 'test';
  currency: string;
  /** Fee rate in basis points (the API shows percent: 250 → `fee_rate: 2.5`). */
  feeRateBp: number;
  amountMinMinor: bigint;
  amountMaxMinor: bigint;
  fields: ServiceField[];
}

export interface PaymentMethodInfo {
  code: ServiceMethod;
  category: 'payment_card' | 'bank_transfer' | 'wallet' | 'alternative';
  name: string;
}

export const paymentMethods: Record<ServiceMethod, PaymentMethodInfo> = {
  payment_card: { code: 'payment_card', category: 'payment_card', name: 'Payment card' },
  bank_transfer: { code: 'bank_transfer', category: 'bank_transfer', name: 'Bank transfer' },
  applepay: { code: 'applepay', category: 'wallet', name: 'Apple Pay' },
  paypal: { code: 'paypal', category: 'wallet', name: 'PayPal' },
  test: { code: 'test', category: 'alternative', name: 'Test' },
};

// `status` is the documented field of the provider's `test` services: it names the final status.
const statusField: ServiceField = {
  key: 'status',
  type: 'string',
  label: 'Status',
  hint: 'Enter Status',
  regexp: '^[a-zA-Z_]*$',
  required: true,
};
const cardNumberField: ServiceField = {
  key: 'card_number',
  type: 'string',
  label: 'Card number',
  hint: 'Enter the card number',
  regexp: '^[0-9]{12,19}$',
  required: true,
};
const accountNumberField: ServiceField = {
  key: 'account_number',
  type: 'string',
  label: 'Account number',
  hint: 'Enter the IBAN',
  regexp: '^[A-Z]{2}[0-9A-Z]{10,32}$',
  required: true,
};
const emailField: ServiceField = {
  key: 'email',
  type: 'string',
  label: 'E-mail',
  hint: 'Enter the PayPal e-mail',
  regexp: '^[^@\\s]+@[^@\\s]+$',
  required: true,
};

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable `comcps_` id, so service ids survive a restart of the sandbox. */
function stableServiceId(code: string): string {
  const bytes = createHash('sha1').update(code).digest();
  let token = '';
  for (let i = 0; i < 16; i++) token += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return `comcps_${token}`;
}

function define(
  kind: ServiceDefinition['kind'],
  method: ServiceMethod,
  flow: ServiceDefinition['flow'],
  currency: string,
  feeRateBp: number,
  fields: ServiceField[],
): ServiceDefinition {
  const exponent = currencyExponents[currency as keyof typeof currencyExponents];
  const code = `${method}_${currency.toLowerCase()}_${flow}`;
  return {
    id: stableServiceId(`${kind}:${code}`),
    code,
    kind,
    method,
    flow,
    currency,
    feeRateBp,
    // The smallest unit the currency has, up to one million in major units.
    amountMinMinor: 1n,
    amountMaxMinor: 1_000_000n * 10n ** BigInt(exponent),
    fields,
  };
}

const currencies = Object.keys(currencyExponents).sort();

export const paymentServices: readonly ServiceDefinition[] = currencies.flatMap((currency) => [
  define('payment', 'payment_card', 'hpp', currency, 250, []),
  define('payment', 'bank_transfer', 'hpp', currency, 100, []),
  define('payment', 'applepay', 'hpp', currency, 290, []),
  define('payment', 'test', 'test', currency, 0, [statusField]),
]);

export const payoutServices: readonly ServiceDefinition[] = currencies.flatMap((currency) => [
  define('payout', 'payment_card', 'direct', currency, 150, [cardNumberField]),
  define('payout', 'bank_transfer', 'direct', currency, 50, [accountNumberField]),
  define('payout', 'paypal', 'direct', currency, 200, [emailField]),
  define('payout', 'test', 'test', currency, 0, [statusField]),
]);

const paymentByCode = new Map(paymentServices.map((service) => [service.code, service]));
const paymentById = new Map(paymentServices.map((service) => [service.id, service]));
const payoutByCode = new Map(payoutServices.map((service) => [service.code, service]));

export function findPaymentService(code: string): ServiceDefinition | undefined {
  return paymentByCode.get(code);
}

export function findPaymentServiceById(id: string): ServiceDefinition | undefined {
  return paymentById.get(id);
}

export function findPayoutService(code: string): ServiceDefinition | undefined {
  return payoutByCode.get(code);
}

/** Fee in minor units, rounded half up to the currency's minor unit. */
export function feeFor(service: ServiceDefinition, amountMinor: bigint): bigint {
  return (amountMinor * BigInt(service.feeRateBp) + 5_000n) / 10_000n;
}
