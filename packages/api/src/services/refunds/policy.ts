/**
 * The refund approval policy (four eyes): which refunds need a second person before anything is sent.
 * Kept in the settings table beside the security policy; changed by administrators, audited.
 */
import { z } from 'zod';
import type { Db } from '@paydesk/db';
import { decimalToMinor, isCurrencyCode, minorToDecimal, type Money } from '@paydesk/domain';
import type { Actor } from '../audit.ts';
import { defineSetting } from '../settings.ts';

export const refundPolicySchema = z
  .object({
    /** Per currency, in major units ("500.00"): a refund of at least this much needs approval. */
    thresholds: z.record(
      z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
      z.string().regex(/^\d{1,15}(\.\d{1,8})?$/, 'a decimal amount such as 500.00'),
    ),
    /** A refund of more than this share of the payment (percent) needs approval; null: no such rule. */
    maxSharePercent: z.number().min(0).max(100).nullable(),
  })
  .superRefine((policy, ctx) => {
    for (const [currency, amount] of Object.entries(policy.thresholds)) {
      if (!isCurrencyCode(currency)) {
        ctx.addIssue({ code: 'custom', path: ['thresholds', currency], message: 'an unsupported currency' });
        continue;
      }
      try {
        decimalToMinor(amount, currency);
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', currency],
          message: `more decimals than ${currency} has`,
        });
      }
    }
  });
export type RefundPolicy = z.infer<typeof refundPolicySchema>;

export const defaultRefundPolicy: RefundPolicy = {
  thresholds: { EUR: '500.00', USD: '500.00', GBP: '500.00', CHF: '500.00', JPY: '75000' },
  maxSharePercent: null,
};
const refundPolicy = defineSetting('refund_approval', refundPolicySchema, defaultRefundPolicy);

export const getRefundPolicy = refundPolicy.get;

export function updateRefundPolicy(
  db: Db,
  actor: Actor,
  policy: RefundPolicy,
  now: Date,
): Promise<RefundPolicy> {
  return refundPolicy.set(db, actor, policy, now, { action: 'settings.refundApproval.update' });
}

export interface ApprovalVerdict {
  required: boolean;
  /** The rule that asks for approval, in words ("refunds of 500.00 EUR or more"). */
  rule: string | null;
}

/** Whether refunding `amount` of a payment of `capturedMinor` needs a second person. */
export function approvalVerdict(policy: RefundPolicy, amount: Money, capturedMinor: bigint): ApprovalVerdict {
  const threshold = policy.thresholds[amount.currency];
  if (threshold !== undefined) {
    const limit = decimalToMinor(threshold, amount.currency);
    if (amount.amountMinor >= limit) {
      return {
        required: true,
        rule: `refunds of ${minorToDecimal(limit, amount.currency)} ${amount.currency} or more need approval`,
      };
    }
  }
  if (policy.maxSharePercent !== null && capturedMinor > 0n) {
    // Basis points keep the comparison in integers: amount / captured > percent / 100.
    const basisPoints = BigInt(Math.round(policy.maxSharePercent * 100));
    if (amount.amountMinor * 10_000n > capturedMinor * basisPoints) {
      return {
        required: true,
        rule: `refunds of more than ${policy.maxSharePercent}% of the payment need approval`,
      };
    }
  }
  return { required: false, rule: null };
}
