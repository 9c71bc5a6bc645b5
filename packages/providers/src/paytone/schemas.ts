/**
 * Paytone's JSON:API documents (paytone-api.txt, providers/README.md), only the fields Paydesk reads.
 * Objects are loose (new fields pass through to `raw`) and enums open: a status Paytone adds must parse,
 * and normalize.ts decides what it means. Amounts are floats in major units, times unix seconds.
 */
import { z } from 'zod';

/** Payment invoice statuses in the documents (✔ final, see README). */
export const knownPaymentInvoiceStatuses = [
  'created',
  'expired',
  'terminated',
  'processing',
  'process_pending',
  'process_error',
  'processed',
  'partially_processed',
  'process_failed',
  'verified',
  'verify_failed',
  'refunding',
  'refund_pending',
  'refund_error',
  'partially_refunded',
  'refunded',
  'refund_failed',
  'charged_back',
  'partially_charged_back',
  'rejected',
] as const;
export type KnownPaymentInvoiceStatus = (typeof knownPaymentInvoiceStatuses)[number];

export const knownPayoutInvoiceStatuses = [
  'created',
  'expired',
  'terminated',
  'processing',
  'process_error',
  'process_pending',
  'process_failed',
  'processed',
  'partially_processed',
  'canceling',
  'cancel_pending',
  'cancel_error',
  'cancel_failed',
  'partially_canceled',
  'canceled',
] as const;
export type KnownPayoutInvoiceStatus = (typeof knownPayoutInvoiceStatuses)[number];

/**
 * Refund statuses are not listed anywhere; refunds share the invoices' vocabulary (`processing`,
 * `processed`…), so these are the ones of it that can apply to a refund.
 */
export const knownRefundStatuses = [
  'created',
  'processing',
  'process_pending',
  'process_error',
  'processed',
  'process_failed',
  'rejected',
  'expired',
  'terminated',
] as const;
export type KnownRefundStatus = (typeof knownRefundStatuses)[number];

const nullableNumber = z.number().nullish();
const nullableString = z.string().nullish();
const looseRecord = z.record(z.string(), z.unknown());

/** `payload.payment_card`: BIN, last four and brand (plus a mask, the holder, the expiry). */
export const paytoneCardSchema = z.looseObject({
  first: nullableString,
  last: nullableString,
  mask: nullableString,
  brand: nullableString,
  network: nullableString,
  holder: nullableString,
});

const customerFields = z.looseObject({ email: nullableString, name: nullableString });

const relationship = z.looseObject({
  data: z.looseObject({ type: z.string(), id: z.string() }).nullish(),
});

export const paymentInvoiceAttributesSchema = z.looseObject({
  status: z.string(),
  resolution: nullableString,
  amount: z.number(),
  payment_amount: nullableNumber,
  currency: z.string(),
  reference_id: z.string(),
  test_mode: z.boolean().nullish(),
  fee: nullableNumber,
  processed_amount: nullableNumber,
  refunded_amount: nullableNumber,
  processed_fee: nullableNumber,
  created: z.number(),
  updated: nullableNumber,
  payload: z.looseObject({ payment_card: paytoneCardSchema.nullish() }).nullish(),
  metadata: looseRecord.nullish(),
  flow_data: z.looseObject({ action: nullableString, method: nullableString }).nullish(),
  hpp_url: nullableString,
  description: nullableString,
  service: nullableString,
  service_method: nullableString,
  payment_flow: nullableString,
  /** Not in the documented resource, but read when an account's API includes it. */
  customer: customerFields.nullish(),
});

export const payoutInvoiceAttributesSchema = z.looseObject({
  status: z.string(),
  resolution: nullableString,
  amount: z.number(),
  currency: z.string(),
  reference_id: z.string(),
  test_mode: z.boolean().nullish(),
  fee: nullableNumber,
  processed_amount: nullableNumber,
  processed_fee: nullableNumber,
  created: z.number(),
  updated: nullableNumber,
  payload: z.looseObject({ payment_card: paytoneCardSchema.nullish() }).nullish(),
  metadata: looseRecord.nullish(),
  description: nullableString,
  service: nullableString,
  service_method: nullableString,
  service_fields: z.record(z.string(), z.unknown()).nullish(),
  options: z.looseObject({ auto_process: z.boolean().nullish() }).nullish(),
  customer: customerFields.nullish(),
});

export const paymentInvoiceResourceSchema = z.looseObject({
  type: z.string(),
  id: z.string().min(1),
  attributes: paymentInvoiceAttributesSchema,
  relationships: z.record(z.string(), relationship).nullish(),
});
export type PaymentInvoiceResource = z.infer<typeof paymentInvoiceResourceSchema>;

export const payoutInvoiceResourceSchema = z.looseObject({
  type: z.string(),
  id: z.string().min(1),
  attributes: payoutInvoiceAttributesSchema,
  relationships: z.record(z.string(), relationship).nullish(),
});
export type PayoutInvoiceResource = z.infer<typeof payoutInvoiceResourceSchema>;

export const refundResourceSchema = z.looseObject({
  type: z.string(),
  id: z.string().min(1),
  attributes: z.looseObject({
    reference_id: z.string(),
    original_id: nullableString,
    description: nullableString,
    status: z.string(),
    amount: z.number(),
    fee: nullableNumber,
    currency: z.string(),
    created: nullableNumber,
  }),
});
export type RefundResource = z.infer<typeof refundResourceSchema>;

/** A compound document's `included` resources: where a customer's e-mail and name may be found. */
export const includedSchema = z
  .array(z.looseObject({ type: z.string(), id: z.string(), attributes: looseRecord.nullish() }))
  .nullish();
export type Included = z.infer<typeof includedSchema>;

/** Any single-resource document; the resource is read by its `type` afterwards. */
export const documentSchema = z.looseObject({
  data: z.looseObject({ type: z.string(), id: z.string(), attributes: looseRecord }),
  included: includedSchema,
});

export const paymentInvoiceListSchema = z.looseObject({
  meta: z.looseObject({ before: nullableString, after: nullableString }).nullish(),
  links: z.looseObject({ next: nullableString, prev: nullableString }).nullish(),
  data: z.array(paymentInvoiceResourceSchema),
  included: includedSchema,
});

/** 401/404/405/500: `{"errors":[{"status":"Unauthorized","code":"401"}]}`, with title/detail on 500. */
export const statusErrorsSchema = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        status: z.union([z.string(), z.number()]).nullish(),
        code: z.union([z.string(), z.number()]).nullish(),
        title: nullableString,
        detail: nullableString,
      }),
    )
    .min(1),
});

/** 422: `{"errors":{"amount":"This value should be greater than 0."}}`. */
export const fieldErrorsSchema = z.looseObject({
  errors: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});

/**
 * A callback: the invoice's JSON:API document. Only `test_mode` is read before the signature check;
 * absent, it is false, as Paytone documents for the invoice itself.
 */
export const callbackModeSchema = z.looseObject({
  data: z.looseObject({ attributes: z.looseObject({ test_mode: z.boolean().nullish() }) }),
});
