/**
 * Stores accepted webhook deliveries in the inbox with group commit. While one INSERT is in flight, the
 * deliveries that arrive wait in a queue; when it returns, the next INSERT takes all of them (up to
 * `maxRows`) in one multi-row statement, and each waiting request gets its own row back, matched by
 * (connection, event). A delivery after a quiet moment is written at once: no timer waits for company,
 * batches form only from the requests that came during the previous round trip. A statement outside a
 * transaction commits on its own, so a request is answered only once its row is durable.
 *
 * PostgreSQL refuses to update one row twice in one `ON CONFLICT DO UPDATE`: of two waiting copies of
 * an event, the later one waits for the next statement (and is then counted as a duplicate). If a
 * statement fails, its rows are tried again one by one, so one bad row fails only its own request.
 *
 * One writer per database handle, with one statement in flight: two in flight could each hold a copy
 * of the other's events and deadlock. (Statements of two processes still can, rarely; the one PostgreSQL
 * aborts is then retried row by row like any failed statement.)
 */
import { sql } from 'drizzle-orm';
import { executeRows, insertJsonRows, type Db, type Tx } from '@paydesk/db';
import { webhookDeliveries } from '@paydesk/db/schema';

/** A verified delivery: it has the provider's event identity, which deduplicates it. */
export type AcceptedDelivery = typeof webhookDeliveries.$inferInsert & {
  connectionId: string;
  eventId: string;
};

export interface StoredDelivery {
  id: number;
  /** False when the event was already in the inbox: its `duplicates` was counted instead. */
  inserted: boolean;
}

const maxRows = 200;

/** Inserts the deliveries; an event already stored counts a duplicate and returns its existing row. */
export async function upsertDeliveries(
  db: Db | Tx,
  rows: AcceptedDelivery[],
): Promise<{ id: number; inserted: boolean; connectionId: string; eventId: string | null }[]> {
  const stored = await executeRows(
    db,
    insertJsonRows(
      webhookDeliveries,
      rows,
      sql`ON CONFLICT (connection_id, event_id) WHERE event_id IS NOT NULL
          DO UPDATE SET duplicates = webhook_deliveries.duplicates + 1, last_duplicate_at = excluded.received_at
          RETURNING id::text AS id, (xmax = 0) AS inserted, connection_id::text AS connection_id, event_id`,
    ),
  );
  return stored.map((row) => ({
    id: Number(row.id),
    inserted: row.inserted === true,
    connectionId: String(row.connection_id),
    eventId: typeof row.event_id === 'string' ? row.event_id : null,
  }));
}

interface Waiting {
  row: AcceptedDelivery;
  key: string;
  resolve(stored: StoredDelivery): void;
  reject(error: unknown): void;
}

const keyOf = (connectionId: string, eventId: string | null) => JSON.stringify([connectionId, eventId]);

class InboxWriter {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  store(row: AcceptedDelivery): Promise<StoredDelivery> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, key: keyOf(row.connectionId, row.eventId), resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    void this.write(this.take()).finally(() => {
      this.writing = false;
      this.next();
    });
  }

  /** The oldest waiting deliveries, at most one per event; the rest keep their place in the queue. */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const waiting of this.queue) {
      if (batch.length < maxRows && !keys.has(waiting.key)) {
        keys.add(waiting.key);
        batch.push(waiting);
      } else {
        rest.push(waiting);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const rows = batch.map((waiting) => waiting.row);
      settle(batch, await upsertDeliveries(this.db, rows));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          settle([waiting], await upsertDeliveries(this.db, [waiting.row]));
        } catch (own) {
          waiting.reject(own);
        }
      }
    }
  }
}

function settle(batch: Waiting[], stored: Awaited<ReturnType<typeof upsertDeliveries>>): void {
  const byKey = new Map(stored.map((row) => [keyOf(row.connectionId, row.eventId), row]));
  for (const waiting of batch) {
    const row = byKey.get(waiting.key);
    if (row) waiting.resolve({ id: row.id, inserted: row.inserted });
    else waiting.reject(new Error('the inbox INSERT returned no row for this delivery'));
  }
}

const writers = new WeakMap<Db, InboxWriter>();

/** Stores an accepted delivery, in one statement with those that arrive while another is in flight. */
export function storeAcceptedDelivery(db: Db, row: AcceptedDelivery): Promise<StoredDelivery> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new InboxWriter(db);
    writers.set(db, writer);
  }
  return writer.store(row);
}
