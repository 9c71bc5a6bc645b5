import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A saved grid view: filters, sort, columns and density under a name. Personal to its owner, or
 * shared with everyone once an admin publishes it.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    /** Which grid it belongs to (`transactions` today). */
    grid: text('grid').notNull(),
    name: text('name').notNull(),
    shared: boolean('shared').notNull().default(false),
    state: jsonb('state').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('saved_views_owner_name_key').on(t.ownerId, t.grid, t.name),
    index('saved_views_shared_idx')
      .on(t.grid)
      .where(sql`${t.shared}`),
  ],
);

/** A user's remembered layout of a grid: visible columns, their order and width, row density. */
export const gridPreferences = pgTable(
  'grid_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    grid: text('grid').notNull(),
    layout: jsonb('layout').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('grid_preferences_key').on(t.userId, t.grid)],
);
