import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { ledgerCounters } from '@paydesk/db/schema';

/** Health counters a later board reads: what went wrong, per connection. */
export type LedgerCounter =
  | 'webhooks_rejected'
  | 'missed_webhooks'
  | 'stale_webhooks'
  | 'lookups_failed'
  | 'discovered_by_reconciliation';

export async function bumpCounter(db: Db | Tx, connectionId: string, name: LedgerCounter, now: Date, by = 1) {
  await db
    .insert(ledgerCounters)
    .values({ connectionId, name, value: by, updatedAt: now })
    .onConflictDoUpdate({
      target: [ledgerCounters.connectionId, ledgerCounters.name],
      set: { value: sql`${ledgerCounters.value} + ${by}`, updatedAt: now },
    });
}
