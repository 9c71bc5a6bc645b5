/**
 * Payment Book's answers as zod sees them (payment-book-api.txt). Objects are loose because the whole
 * provider object is kept (redacted) as `raw`, and enums are plain strings: a status or type the
 * provider adds tomorrow must reach normalize.ts, which maps what it knows and keeps the raw value.
 *
 * The provider is not consistent across endpoints: create answers amounts with 8 decimals, status with
 * the currency's, recurring cancel and refund use an older serializer (float amounts, `uuid` for the
 * transaction id, ISO dates), and PHP sends an empty associative array as `[]`. The schemas accept all
 * of it and leave the conversions to normalize.ts.
 */
import { z } from 'zod';

/** Documented values; anything else is accepted and normalized to `unknown` or `other`. */
export const transactionTypes = ['purchase', 'withdrawal', 'recurring'] as const;
export const transactionStatuses = [
  'created',
  'processing',
  'success',
  'refunded',
  'partially_refunded',
  'failed',
  'expired',
  'active',
  'canceled',
] as const;
export const operationTypes = ['payment', 'payout', 'subscription', 'refund'] as const;
export const operationStatuses = [
  'created',
  'awaiting_confirmation',
  'processing',
  'external_processing',
  'success',
  'partial_success',
  'expired',
  'failed',
  'cancelled',
] as const;
/** Unified transaction error codes ("Error Codes (Unified)"); 0 is success. */
export const unifiedErrorCodes = [100, 110, 120, 310, 320, 330, 999] as const;

export type PbTransactionType = (typeof transactionTypes)[number];
export type PbTransactionStatus = (typeof transactionStatuses)[number];
export type PbOperationType = (typeof operationTypes)[number];
export type PbOperationStatus = (typeof operationStatuses)[number];

/** A decimal string ("100.00", "10.00000000") or, from the older serializer, a JSON number (12.32). */
export const pbAmount = z.union([z.string(), z.number()]);
/** Codes arrive as integers, numeric strings ("93107" in `errors[]`) or null. */
const pbCode = z.union([z.number(), z.string()]).nullish();
const text = z.string().nullish();

export const pbOperationSchema = z.looseObject({
  id: z.number().optional(),
  ulid: z.string().optional(),
  type: z.string(),
  status: z.string(),
  amount: pbAmount,
  currency: z.string().optional(),
  fee: pbAmount.nullish(),
  total_fee: pbAmount.nullish(),
  code: pbCode,
  message: text,
  metadata: z.unknown().optional(),
  errors: z.unknown().optional(),
  confirmed_at: text,
  created_at: text,
  updated_at: text,
});
export type PbOperation = z.infer<typeof pbOperationSchema>;

export const pbCustomerSchema = z.looseObject({
  email: text,
  first_name: text,
  last_name: text,
});

export const pbTransactionSchema = z
  .looseObject({
    id: z.number().optional(),
    ulid: z.string().optional(),
    /** recurring/cancel's older serializer names the transaction's id `uuid`. */
    uuid: z.string().optional(),
    reference_id: z.string().optional(),
    service_id: z.number().optional(),
    type: z.string(),
    status: z.string(),
    amount: pbAmount,
    cost: pbAmount.nullish(),
    currency: z.string(),
    unified_error_code: pbCode,
    unified_error_message: text,
    redirect_url: text,
    request: z.unknown().optional(),
    metadata: z.unknown().optional(),
    customer: pbCustomerSchema.nullish(),
    operations: z.array(pbOperationSchema).optional(),
    /** Only in the refund answer's embedded transaction. */
    refunded_amount: pbAmount.nullish(),
    created_at: text,
    updated_at: text,
  })
  .refine((transaction) => Boolean(transaction.ulid ?? transaction.uuid), {
    message: 'a transaction needs a ulid (or uuid)',
    path: ['ulid'],
  });
export type PbTransaction = z.infer<typeof pbTransactionSchema>;

/** `{meta:{code, success, message, response_time}, data | errors}`, the envelope of every JSON answer. */
export const pbEnvelopeSchema = z.looseObject({
  meta: z.looseObject({
    code: pbCode,
    success: z.boolean().optional(),
    message: text,
  }),
  data: z.unknown().optional(),
  errors: z.unknown().optional(),
});
export type PbEnvelope = z.infer<typeof pbEnvelopeSchema>;

/** purchase/create and recurring/create. */
export const pbCreatedSchema = z.looseObject({
  redirect_url: z.string().min(1),
  ulid: z.string().min(1),
  reference_id: z.string().optional(),
  status: z.string(),
});

/** transaction/refund: the refund operation, with its parent in the older serializer. */
export const pbRefundAnswerSchema = z.looseObject({
  message: text,
  operation: pbOperationSchema.extend({
    /** The document's example has no `type` on the refund operation. */
    type: z.string().optional(),
    /** The operation's own id in the older serializer (not the merchant's reference). */
    reference_id: z.string().optional(),
    transaction: z.unknown().optional(),
  }),
});

/** A signed `transaction.status` (or future `operation.status`) webhook, before its payload is checked. */
export const pbWebhookSchema = z.looseObject({
  meta: z.looseObject({
    signature: z.unknown().optional(),
    reference_id: z.unknown().optional(),
    service_id: z.unknown().optional(),
  }),
  data: z.unknown().optional(),
  transaction: z.unknown().optional(),
});

/** Laravel's `errors` on a 422: attribute path → messages. */
export const pbValidationErrorsSchema = z.record(z.string(), z.array(z.string()));

/** The operation-level `errors` list: `[{code: "93107", name, message}]`. */
export const pbOperationErrorsSchema = z.array(z.looseObject({ code: pbCode, name: text, message: text }));
