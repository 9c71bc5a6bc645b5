import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Workspace-wide settings, one JSON value per key; each key's shape is parsed by its service. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedBy: uuid('updated_by'),
});
