import { sql } from 'drizzle-orm';
import {
  type ExtraConfigColumn,
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { connections } from './connections.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const minor = (name: string) => bigint(name, { mode: 'bigint' });
/** An index column in the order `ORDER BY column DESC` reads (PostgreSQL puts nulls first there). */
const newestFirst = (column: ExtraConfigColumn) => column.desc().nullsFirst();

/**
 * Every inbound webhook delivery, accepted or rejected, kept as received (card numbers masked).
 * Verified deliveries are deduplicated by the provider's event identity; `state` follows the apply job.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    provider: text('provider').notNull(),
    receivedAt: at('received_at').notNull(),
    /** The provider's event identity; null for a rejected delivery (nothing in it can be trusted). */
    eventId: text('event_id'),
    state: text('state', { enum: ['pending', 'applied', 'rejected', 'failed'] }).notNull(),
    rejectReason: text('reject_reason'),
    rejectDetail: text('reject_detail'),
    /** Which webhook secret verified it: `current`, `previous` (rotation overlap) or `none` (unsigned). */
    verifiedWith: text('verified_with'),
    reference: text('reference'),
    providerObjectId: text('provider_object_id'),
    /** The normalized state it carried (authoritative webhooks) — what the apply job writes. */
    observation: jsonb('observation'),
    body: text('body').notNull(),
    headers: jsonb('headers').notNull(),
    duplicates: integer('duplicates').notNull().default(0),
    lastDuplicateAt: at('last_duplicate_at'),
    attempts: integer('attempts').notNull().default(0),
    /** After a failed apply: not taken from the inbox again before this (backoff). */
    nextAttemptAt: at('next_attempt_at'),
    appliedAt: at('applied_at'),
    lastError: text('last_error'),
    transactionId: uuid('transaction_id'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_key')
      .on(t.connectionId, t.eventId)
      .where(sql`${t.eventId} IS NOT NULL`),
    index('webhook_deliveries_received_idx').on(t.connectionId, t.receivedAt.desc()),
    index('webhook_deliveries_open_idx')
      .on(t.receivedAt)
      .where(sql`${t.state} = 'pending'`),
    // The inbox drain takes the oldest authoritative deliveries waiting (see services/ledger/inbox.ts).
    index('webhook_deliveries_inbox_idx')
      .on(t.id)
      .where(sql`${t.state} = 'pending' AND ${t.observation} IS NOT NULL`),
  ],
);

/** The ledger: what Paydesk knows of each transaction, payout and subscription at every provider. */
export const transactions = pgTable(
  'transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    provider: text('provider').notNull(),
    providerId: text('provider_id').notNull(),
    reference: text('reference').notNull(),
    kind: text('kind', { enum: ['payment', 'payout', 'subscription'] }).notNull(),
    status: text('status').notNull(),
    rawStatus: text('raw_status').notNull(),
    currency: text('currency').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    refundedMinor: minor('refunded_minor')
      .notNull()
      .default(sql`0`),
    feeMinor: minor('fee_minor'),
    customerEmail: text('customer_email'),
    customerName: text('customer_name'),
    cardBin: text('card_bin'),
    cardLast4: text('card_last4'),
    cardBrand: text('card_brand'),
    method: text('method'),
    declineCode: text('decline_code'),
    declineMessage: text('decline_message'),
    testMode: text('test_mode'),
    providerCreatedAt: at('provider_created_at'),
    providerUpdatedAt: at('provider_updated_at'),
    /** When Paydesk first learned of it, and last changed it. */
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    /** The time the grid sorts by: the provider's creation time, else when Paydesk learned of it. */
    occurredAt: at('occurred_at').notNull(),
    metadata: jsonb('metadata'),
    raw: jsonb('raw'),
    /** Reconciliation: when to look this (non-final) transaction up again, and how often it was. */
    nextCheckAt: at('next_check_at'),
    checkAttempts: integer('check_attempts').notNull().default(0),
  },
  (t) => [
    uniqueIndex('transactions_provider_object_key').on(t.connectionId, t.providerId),
    index('transactions_reference_idx').on(t.connectionId, t.reference),
    // Newest first as the grid orders (`occurred_at DESC, id DESC`, whose nulls come first in
    // PostgreSQL): an index in another null order would not be read for it, and a page would be sorted.
    // Migration 0005 adds INCLUDE (currency, amount_minor), which drizzle cannot say: the amount filter
    // (compared per currency) is then counted from the index alone.
    index('transactions_occurred_idx').on(newestFirst(t.occurredAt), newestFirst(t.id)),
    index('transactions_status_occurred_idx').on(t.status, newestFirst(t.occurredAt), newestFirst(t.id)),
    index('transactions_provider_occurred_idx').on(t.provider, newestFirst(t.occurredAt), newestFirst(t.id)),
    // The grid's filters, each with the default sort so a page is read off the index in order.
    index('transactions_connection_occurred_idx').on(
      t.connectionId,
      newestFirst(t.occurredAt),
      newestFirst(t.id),
    ),
    index('transactions_currency_occurred_idx').on(t.currency, newestFirst(t.occurredAt), newestFirst(t.id)),
    index('transactions_kind_occurred_idx').on(t.kind, newestFirst(t.occurredAt), newestFirst(t.id)),
    index('transactions_method_occurred_idx').on(t.method, newestFirst(t.occurredAt), newestFirst(t.id)),
    // The search box: e-mail (case-insensitive) and card last four, newest first.
    index('transactions_customer_email_occurred_idx').on(
      sql`lower(${t.customerEmail})`,
      newestFirst(t.occurredAt),
      newestFirst(t.id),
    ),
    index('transactions_card_last4_occurred_idx').on(
      t.cardLast4,
      newestFirst(t.occurredAt),
      newestFirst(t.id),
    ),
    index('transactions_reference_lookup_idx').on(t.reference),
    index('transactions_provider_id_lookup_idx').on(t.providerId),
    index('transactions_due_check_idx')
      .on(t.nextCheckAt)
      .where(sql`${t.nextCheckAt} IS NOT NULL`),
  ],
);

/** A transaction's operations at the provider: payment, refunds, each subscription charge… */
export const operations = pgTable(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id),
    providerId: text('provider_id').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    rawStatus: text('raw_status').notNull(),
    currency: text('currency').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    feeMinor: minor('fee_minor'),
    declineCode: text('decline_code'),
    declineMessage: text('decline_message'),
    providerCreatedAt: at('provider_created_at'),
    providerUpdatedAt: at('provider_updated_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('operations_transaction_provider_key').on(t.transactionId, t.providerId),
    // A refund's or charge's own id finds its transaction from the search box.
    index('operations_provider_id_idx').on(t.providerId),
  ],
);

/** Everything that happened to a transaction, as Paydesk saw it: webhooks, status changes, look-ups. */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => transactions.id),
    at: at('at').notNull(),
    type: text('type').notNull(),
    source: text('source').notNull(),
    summary: text('summary').notNull(),
    details: jsonb('details'),
    deliveryId: bigint('delivery_id', { mode: 'number' }),
  },
  (t) => [index('timeline_events_transaction_idx').on(t.transactionId, t.at, t.id)],
);

/** Health counters per connection (missed webhooks, rejected deliveries…), read by the health board. */
export const ledgerCounters = pgTable(
  'ledger_counters',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    name: text('name').notNull(),
    value: bigint('value', { mode: 'number' }).notNull().default(0),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.name] })],
);
