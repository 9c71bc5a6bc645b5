import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A provider account Paydesk talks to. Secrets (API credentials, webhook secrets, the inbound URL's
 * token) are sealed with the master key (AES-256-GCM, see SecretBox); only their last four characters
 * are kept in clear, for the UI. The inbound webhook token is found by its SHA-256.
 */
export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider', { enum: ['gate', 'payment-book', 'paytone'] }).notNull(),
    name: text('name').notNull(),
    mode: text('mode', { enum: ['test', 'live'] }).notNull(),
    baseUrl: text('base_url').notNull(),
    /** Non-secret settings of the account (Payment Book service and balance ids, Paytone account id…). */
    settings: jsonb('settings').notNull().default({}),
    credentialsSealed: text('credentials_sealed').notNull(),
    /** `{ field: last four characters }` of each secret credential. */
    credentialHints: jsonb('credential_hints').notNull().default({}),
    webhookSecretSealed: text('webhook_secret_sealed'),
    webhookSecretHint: text('webhook_secret_hint'),
    /** The secret before the last rotation: still accepted until `previous_webhook_secret_until`. */
    previousWebhookSecretSealed: text('previous_webhook_secret_sealed'),
    previousWebhookSecretUntil: at('previous_webhook_secret_until'),
    webhookTokenHash: text('webhook_token_hash').notNull(),
    webhookTokenSealed: text('webhook_token_sealed').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    lastTestAt: at('last_test_at'),
    lastTestOk: boolean('last_test_ok'),
    lastTestMessage: text('last_test_message'),
    /** Paytone listing position: invoices after this one have not been listed yet. */
    syncCursor: text('sync_cursor'),
    lastSyncAt: at('last_sync_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('connections_webhook_token_key').on(t.webhookTokenHash),
    uniqueIndex('connections_name_key').on(sql`lower(${t.name})`),
    index('connections_provider_idx').on(t.provider),
  ],
);
