/**
 * Request validation. The provider's 422 body is a flat map of field → message in Symfony's wording
 * (`{"errors":{"amount":"This value should be greater than 0."}}`), so zod is told to speak it, and
 * what zod cannot see (service, currency exponent, limits, service fields) is checked after it.
 */
import { floatToMinor, minorToFloat, MoneyError } from '@paydesk/domain';
import { z } from 'zod';
import type { FieldErrors } from './documents.ts';
import { paymentStatuses, payoutStatuses } from './model.ts';
import type { CustomerInput } from './store.ts';
import { findPaymentService, findPayoutService, type ServiceDefinition } from './services.ts';

const blank = 'This value should not be blank.';

function typed(type: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined || issue.input === null ? blank : `This value should be of type ${type}.`,
  };
}

const text = (max: number) =>
  z.string(typed('string')).max(max, `This value is too long. It should have ${max} characters or less.`);
const requiredText = (max: number) => text(max).min(1, blank);
/** Optional, but when present it must not be empty. */
const optionalText = (max: number) => requiredText(max).nullish();

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = z.string(typed('string')).refine(isHttpUrl, 'This value is not a valid URL.');
const email = z
  .string(typed('string'))
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'This value is not a valid email address.');
const record = z.record(z.string(), z.unknown(), typed('object'));
const stringRecord = z.record(z.string(), z.string(typed('string')), typed('object'));

const customer = z.object(
  {
    reference_id: requiredText(255),
    name: optionalText(255),
    email: email.nullish(),
    phone: optionalText(32),
    individual_tax_id: optionalText(64),
    date_of_birth: optionalText(32),
    metadata: record.nullish(),
    address: z
      .object(
        {
          country: optionalText(2),
          region: optionalText(255),
          city: optionalText(255),
          street: optionalText(255),
          full_address: optionalText(255),
          post_code: optionalText(32),
        },
        typed('object'),
      )
      .nullish(),
  },
  typed('object'),
);

const amount = z.number(typed('float')).gt(0, 'This value should be greater than 0.');
const currency = z.string(typed('string')).regex(/^[A-Z]{3}$/, 'This value is not a valid currency.');

/** Fields of a payment invoice common to the public and private APIs. */
const paymentInvoiceFields = {
  reference_id: optionalText(255),
  amount,
  currency,
  service: requiredText(64),
  flow: z.enum(['charge', 'verify'], { error: 'The value you selected is not a valid choice.' }).nullish(),
  description: optionalText(255),
  service_fields: stringRecord.nullish(),
  customer: customer.nullish(),
  metadata: record.nullish(),
  return_url: httpUrl.nullish(),
  return_urls: z
    .object({ success: httpUrl.nullish(), fail: httpUrl.nullish(), pending: httpUrl }, typed('object'))
    .nullish(),
  callback_url: httpUrl.nullish(),
  gateway_options: record.nullish(),
  expires: z.string(typed('string')).nullish(),
};

/**
 * JSON:API `type`. The provider's own documents disagree on its number (`payment-invoices` in the
 * invoice sample, `payout-invoice` and `refund` in the others), so both spellings are accepted.
 */
const resourceType = (singular: string) =>
  z.enum([singular, `${singular}s`], { error: `This value should be equal to "${singular}s".` });

const document = <T extends z.ZodRawShape>(type: string, attributes: T) =>
  z.object(
    {
      data: z.object(
        { type: resourceType(type), attributes: z.object(attributes, typed('object')) },
        typed('object'),
      ),
    },
    typed('object'),
  );

export const privatePaymentInvoiceRequest = document('payment-invoice', {
  ...paymentInvoiceFields,
  test_mode: z.boolean(typed('boolean')).nullish(),
});

export const publicPaymentInvoiceRequest = z.object(paymentInvoiceFields, typed('object'));

export const refundRequest = document('refund', {
  invoiceId: optionalText(64),
  amount,
  reference_id: requiredText(255),
  description: optionalText(255),
});

export const payoutInvoiceRequest = document('payout-invoice', {
  reference_id: optionalText(255),
  amount,
  currency,
  service: requiredText(64),
  service_fields: stringRecord.nullish(),
  token: optionalText(255),
  callback_url: httpUrl.nullish(),
  options: z.object({ auto_process: z.boolean(typed('boolean')).nullish() }, typed('object')).nullish(),
  description: optionalText(255),
  customer: customer.nullish(),
  metadata: record.nullish(),
  test_mode: z.boolean(typed('boolean')).nullish(),
});

/**
 * zod issues → the provider's map. For JSON:API bodies the `data.attributes.` prefix is dropped, so a
 * bad amount is reported as `amount` as in the provider's sample. The first message per field wins.
 */
export function fieldErrors(error: z.ZodError, options: { jsonApi: boolean }): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    let path = issue.path.map(String);
    if (options.jsonApi && path[0] === 'data' && path[1] === 'attributes' && path.length > 2) {
      path = path.slice(2);
    }
    const key = path.join('.') || (options.jsonApi ? 'data' : 'body');
    errors[key] ??= issue.message;
  }
  return errors;
}

// --- checks beyond the shape -------------------------------------------------------------------

/** The amount in minor units, or the message for `amount`. */
export function amountInService(value: number, service: ServiceDefinition): bigint | string {
  let minor: bigint;
  try {
    minor = floatToMinor(value, service.currency);
  } catch (error) {
    if (error instanceof MoneyError) return `This value is not a valid amount in ${service.currency}.`;
    throw error;
  }
  if (minor < service.amountMinMinor || minor > service.amountMaxMinor) {
    const min = minorToFloat(service.amountMinMinor, service.currency);
    const max = minorToFloat(service.amountMaxMinor, service.currency);
    return `This value should be between ${min} and ${max}.`;
  }
  return minor;
}

/** Statuses a `test` service may be asked to end in. */
const testTargets = {
  payment: new Set<string>(paymentStatuses),
  payout: new Set<string>(payoutStatuses),
};

/** Required service fields, their patterns, and the `test` services' target status. */
export function serviceFieldErrors(
  service: ServiceDefinition,
  fields: Record<string, string> | null | undefined,
  errors: FieldErrors,
  options: { satisfiedByToken?: boolean } = {},
): void {
  for (const field of service.fields) {
    const value = fields?.[field.key];
    const key = `service_fields.${field.key}`;
    if (value === undefined || value === '') {
      if (field.required && !options.satisfiedByToken) errors[key] = blank;
    } else if (!new RegExp(field.regexp).test(value)) {
      errors[key] = 'This value is not valid.';
    } else if (service.method === 'test' && field.key === 'status' && !testTargets[service.kind].has(value)) {
      errors[key] = 'The value you selected is not a valid choice.';
    }
  }
}

const minExpiryMs = 14 * 60_000;
const maxExpiryMs = 2 * 24 * 60 * 60_000;

/** `expires` must be a date-time between 14 minutes and 2 days after creation. */
export function expiryMs(expires: string, nowMs: number): number | string {
  const at = Date.parse(expires);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(expires) || Number.isNaN(at)) return 'This value is not a valid datetime.';
  if (at < nowMs + minExpiryMs || at > nowMs + maxExpiryMs) {
    return 'This value should be between 14 minutes and 2 days from the invoice creation.';
  }
  return at;
}

export interface PaymentDraft {
  referenceId: string | null;
  service: ServiceDefinition;
  amountMinor: bigint;
  paymentFlow: 'charge' | 'verify';
  testMode: boolean;
  description: string | null;
  serviceFields: Record<string, string> | null;
  customer: CustomerInput | null;
  metadata: Record<string, unknown> | null;
  returnUrl: string | null;
  returnUrls: { success: string | null; fail: string | null; pending: string } | null;
  callbackUrl: string | null;
  expiresMs: number | null;
}

type PaymentFields = z.infer<typeof publicPaymentInvoiceRequest>;

function customerInput(value: PaymentFields['customer']): CustomerInput | null {
  if (!value) return null;
  return {
    referenceId: value.reference_id,
    name: value.name,
    email: value.email,
    phone: value.phone,
    country: value.address?.country,
  };
}

const unavailableService = { service: 'This service is not available.' };

/** What every invoice checks: the currency is its service's and the amount fits it. Null when not. */
function amountOfInvoice(
  service: ServiceDefinition,
  fields: { currency: string; amount: number },
  errors: FieldErrors,
): bigint | null {
  if (fields.currency !== service.currency) {
    errors.currency = `This value should be equal to "${service.currency}".`;
  }
  const minor = amountInService(fields.amount, service);
  if (typeof minor !== 'string') return minor;
  errors.amount = minor;
  return null;
}

/** Shape-valid payment invoice fields → a draft, or the 422 map. */
export function paymentDraft(
  fields: PaymentFields,
  options: { testMode: boolean; nowMs: number },
): { ok: true; draft: PaymentDraft } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const service = findPaymentService(fields.service);
  if (!service) return { ok: false, errors: unavailableService };
  const minor = amountOfInvoice(service, fields, errors);
  serviceFieldErrors(service, fields.service_fields, errors);
  let expiresMs: number | null = null;
  if (fields.expires) {
    const expiry = expiryMs(fields.expires, options.nowMs);
    if (typeof expiry === 'string') errors.expires = expiry;
    else expiresMs = expiry;
  }
  if (Object.keys(errors).length > 0 || minor === null) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      referenceId: fields.reference_id ?? null,
      service,
      amountMinor: minor,
      paymentFlow: fields.flow ?? 'charge',
      testMode: options.testMode,
      description: fields.description ?? null,
      serviceFields: fields.service_fields ?? null,
      customer: customerInput(fields.customer),
      metadata: fields.metadata ?? null,
      returnUrl: fields.return_url ?? null,
      returnUrls: fields.return_urls
        ? {
            success: fields.return_urls.success ?? null,
            fail: fields.return_urls.fail ?? null,
            pending: fields.return_urls.pending,
          }
        : null,
      callbackUrl: fields.callback_url ?? null,
      expiresMs,
    },
  };
}

export interface PayoutDraft {
  referenceId: string | null;
  service: ServiceDefinition;
  amountMinor: bigint;
  testMode: boolean;
  autoProcess: boolean;
  serviceFields: Record<string, string> | null;
  token: string | null;
  description: string | null;
  customer: CustomerInput | null;
  metadata: Record<string, unknown> | null;
  callbackUrl: string | null;
}

type PayoutAttributes = z.infer<typeof payoutInvoiceRequest>['data']['attributes'];

export function payoutDraft(
  attributes: PayoutAttributes,
): { ok: true; draft: PayoutDraft } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const service = findPayoutService(attributes.service);
  if (!service) return { ok: false, errors: unavailableService };
  const minor = amountOfInvoice(service, attributes, errors);
  // A card payout may name a stored card by `token` instead of sending the number.
  serviceFieldErrors(service, attributes.service_fields, errors, {
    satisfiedByToken: service.method === 'payment_card' && Boolean(attributes.token),
  });
  if (Object.keys(errors).length > 0 || minor === null) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      referenceId: attributes.reference_id ?? null,
      service,
      amountMinor: minor,
      testMode: attributes.test_mode ?? false,
      autoProcess: attributes.options?.auto_process ?? false,
      serviceFields: attributes.service_fields ?? null,
      token: attributes.token ?? null,
      description: attributes.description ?? null,
      customer: customerInput(attributes.customer),
      metadata: attributes.metadata ?? null,
      callbackUrl: attributes.callback_url ?? null,
    },
  };
}
