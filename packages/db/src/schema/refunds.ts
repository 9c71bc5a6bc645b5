import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';
import { transactions } from './ledger.ts';
import { users } from './users.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The life of a refund intent. Open states hold their amount (it cannot be refunded again meanwhile);
 * final states (succeeded, failed, rejected) never change.
 *
 * ```
 * request ─┬─ the policy asks for approval ─► awaiting_approval ─┬─ reject ──► rejected
 *          │                                                     └─ approve ─┐
 *          └─ no approval needed ────────────────────────────────────────────┴─► queued
 * queued ── claimed (committed with a lease) ──► sending ── the provider's answer:
 *     refund done ───────────────────────────────────────────────► succeeded
 *     accepted, not final yet ───────────────────────────────────► processing
 *     refused (declined, invalid, credentials) ──────────────────► failed
 *     nothing reached the provider (429, unreachable) ───────────► queued (again later; failed after 5)
 *     answer lost (timeout, 5xx, no body, process died: lease over) ► unknown_outcome
 * processing | unknown_outcome ── look-up, or Paytone's deduplicated resend, with backoff:
 *     ──► succeeded | processing | failed (the provider has no trace of it well after the call)
 * ```
 */
export const refundIntentStates = [
  'awaiting_approval',
  'queued',
  'sending',
  'processing',
  'unknown_outcome',
  'succeeded',
  'failed',
  'rejected',
] as const;
export type RefundIntentState = (typeof refundIntentStates)[number];

/** Hold their amount: the database counts them against what can still be refunded. */
export const openRefundIntentStates = [
  'awaiting_approval',
  'queued',
  'sending',
  'processing',
  'unknown_outcome',
] as const satisfies readonly RefundIntentState[];

export const refundReasons = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'product_not_delivered',
  'other',
] as const;
export type RefundReason = (typeof refundReasons)[number];

/**
 * The intent journal: every refund Paydesk was asked to make, written before the provider is called and
 * settled from its answer (or from a look-up when the answer was lost). A trigger (migration
 * 0004_refunds) refuses any row that would let succeeded and open intents, or what the ledger already
 * knows was refunded, exceed the payment's captured amount.
 */
export const refundIntents = pgTable(
  'refund_intents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    provider: text('provider', { enum: ['gate', 'payment-book', 'paytone'] }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason', { enum: refundReasons }).notNull(),
    note: text('note'),
    /** Chosen by the client (one per refund dialog): a double click or a second tab finds the same intent. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** Sent to the provider: Paytone deduplicates by it; Gate refunds by the payment's own reference. */
    providerReference: text('provider_reference').notNull(),
    state: text('state', { enum: refundIntentStates }).notNull(),
    /** The approval policy's verdict when the intent was written, and the rule that asked for it. */
    approvalRequired: boolean('approval_required').notNull(),
    approvalRule: text('approval_rule'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedByEmail: text('requested_by_email').notNull(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedByEmail: text('decided_by_email'),
    decisionReason: text('decision_reason'),
    decidedAt: at('decided_at'),
    providerRefundId: text('provider_refund_id'),
    providerStatus: text('provider_status'),
    /** Why it failed or is not settled yet, in words safe to show (never a provider body). */
    lastError: text('last_error'),
    /** Calls that may have reached the provider (a retry is made only when nothing did). */
    attempts: integer('attempts').notNull().default(0),
    /** Look-ups made to settle an unknown or processing outcome. */
    checks: integer('checks').notNull().default(0),
    /** While `sending`: the call is presumed alive until then; after it, the sweep calls it unknown. */
    leaseUntil: at('lease_until'),
    /** When the job should next send (queued) or look up (unknown_outcome, processing). */
    nextAttemptAt: at('next_attempt_at'),
    sentAt: at('sent_at'),
    settledAt: at('settled_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('refund_intents_idempotency_key').on(t.transactionId, t.idempotencyKey),
    // Gate's is the payment's own reference (shared by a failed intent and its successor).
    uniqueIndex('refund_intents_provider_reference_key')
      .on(t.providerReference)
      .where(sql`${t.provider} <> 'gate'`),
    // Gate refunds only the whole payment: one live refund per payment at most.
    uniqueIndex('refund_intents_gate_one_live')
      .on(t.transactionId)
      .where(sql`${t.provider} = 'gate' AND ${t.state} NOT IN ('failed', 'rejected')`),
    // One provider refund settles one intent (look-ups match refunds by amount).
    uniqueIndex('refund_intents_provider_refund_key')
      .on(t.transactionId, t.providerRefundId)
      .where(sql`${t.providerRefundId} IS NOT NULL`),
    index('refund_intents_transaction_idx').on(t.transactionId, t.createdAt),
    index('refund_intents_awaiting_idx')
      .on(t.createdAt)
      .where(sql`${t.state} = 'awaiting_approval'`),
    index('refund_intents_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.state} IN ('queued', 'processing', 'unknown_outcome')`),
    index('refund_intents_lease_idx')
      .on(t.leaseUntil)
      .where(sql`${t.state} = 'sending'`),
    check('refund_intents_amount_positive', sql`${t.amountMinor} > 0`),
    check(
      'refund_intents_note_for_other',
      sql`${t.reason} <> 'other' OR length(btrim(coalesce(${t.note}, ''))) > 0`,
    ),
    check(
      'refund_intents_state_known',
      sql`${t.state} IN ('awaiting_approval', 'queued', 'sending', 'processing', 'unknown_outcome', 'succeeded', 'failed', 'rejected')`,
    ),
    check(
      'refund_intents_reason_known',
      sql`${t.reason} IN ('duplicate', 'fraudulent', 'requested_by_customer', 'product_not_delivered', 'other')`,
    ),
    check('refund_intents_decided', sql`${t.state} <> 'rejected' OR ${t.decidedBy} IS NOT NULL`),
  ],
);
