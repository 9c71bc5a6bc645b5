/**
 * Gate's documents (gate-api.txt): every endpoint answers with the same payment object, and every
 * refusal with one error envelope. Enums stay open: a status Gate adds tomorrow must still parse, and
 * normalize.ts decides what an unknown one means. Objects are loose so new fields pass through to `raw`.
 */
import { z } from 'zod';

/** The statuses Gate is known to send (providers/README.md); others are possible. */
export const knownGateStatuses = ['none', 'action_required', 'pending', 'success', 'declined'] as const;
export type KnownGateStatus = (typeof knownGateStatuses)[number];

/** Gate's error codes (`code` is a string in the envelope, an integer in `declineReason.code`). */
export const knownGateErrorCodes = {
  '1000': 'processing_error',
  '1002': 'incorrect_request',
  '1003': 'unauthorized',
  '1004': 'duplicate_request',
  '1005': 'payment_method_not_supported',
  '1006': 'currency_not_supported',
  '1007': 'invalid_currency',
  '1008': 'invalid_amount',
  '1009': 'interface_operation_not_supported',
  '1010': 'bin_not_found',
  '1104': 'payment_not_found',
  '1105': 'invalid_payment_state',
  '1106': 'payout_not_found',
  '3001': 'declined_by_acquirer',
  '4001': 'declined_by_issuer',
  '4002': 'issuer_insufficient_funds',
  '4003': 'issuer_invalid_card_number',
  '4004': 'issuer_card_expired',
  '4005': 'issuer_limits_reached',
  '4006': 'issuer_card_stolen',
  '4007': 'issuer_invalid_security_code',
  '5001': 'declined_by_3ds',
} as const;

const code = z.union([z.string(), z.number()]);

export const gatePaymentSchema = z.looseObject({
  referenceId: z.string().min(1),
  /** Integer minor units (int64); exactness is checked when normalizing, not here. */
  amount: z.number(),
  currencyCode: z.string(),
  status: z.string(),
  customerAction: z
    .looseObject({
      type: z.string().nullish(),
      data: z
        .looseObject({
          redirectionUrl: z.string().nullish(),
          threeDsSessionId: z.string().nullish(),
          threeDsSessionUrl: z.string().nullish(),
          httpMethod: z.string().nullish(),
          targetUrl: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  merchantMetadata: z.record(z.string(), z.unknown()).nullish(),
  actualAmount: z.number().nullish(),
  declineReason: z.looseObject({ code: code.nullish(), description: z.string().nullish() }).nullish(),
  createdAt: z.string().nullish(),
});
export type GatePayment = z.infer<typeof gatePaymentSchema>;

export const gateErrorSchema = z.looseObject({
  code,
  name: z.string().nullish(),
  description: z.string().nullish(),
});
export type GateErrorEnvelope = z.infer<typeof gateErrorSchema>;

/** All Paydesk reads of a Gate webhook (an unsigned hint): the payment's reference, nothing else. */
export const gateWebhookHintSchema = z.looseObject({ referenceId: z.string() });
