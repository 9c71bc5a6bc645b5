/**
 * Writes what Paydesk learned about transactions into the ledger: the transaction rows, their
 * operations and timeline events, by the rules in `fold.ts`. Idempotent and forward-only. Runs inside
 * the caller's database transaction with the transaction rows locked, so concurrent appliers of the
 * same object take turns.
 *
 * A batch (the webhook inbox applies fifty deliveries at once) costs a handful of statements whatever
 * its size: lock the rows it names, insert the new ones, read their operations, fold every observation
 * in memory in order, then write the changed rows, operations, events and counters back.
 */
import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { executeRows, insertJsonRows, setFromExcluded, type Tx } from '@paydesk/db';
import { operations, timelineEvents, transactions } from '@paydesk/db/schema';
import type { NormalizedTransaction } from '@paydesk/providers';
import { bumpCounter } from './counters.ts';
import {
  foldDiscovery,
  foldObservation,
  newTransactionRow,
  type FoldOutput,
  type LedgerEntry,
  type ObservationSource,
  type OperationDraft,
  type TransactionRow,
} from './fold.ts';

export {
  nextCheckDelayMs,
  observedColumns,
  observedOperationColumns,
  type ObservationSource,
} from './fold.ts';

export interface ObservationContext {
  connectionId: string;
  now: Date;
  source: ObservationSource;
  deliveryId?: number;
}

/** One observation of a batch: what a provider said about one of its objects on one connection. */
export interface ObservationItem {
  connectionId: string;
  observed: NormalizedTransaction;
  deliveryId?: number;
}

export interface ApplyResult {
  transactionId: string;
  created: boolean;
  statusChanged: boolean;
  stale: boolean;
}

interface ObjectKey {
  connectionId: string;
  providerId: string;
}

const keyOf = (key: ObjectKey) => `${key.connectionId}/${key.providerId}`;
const objectOf = (item: ObservationItem): ObjectKey => ({
  connectionId: item.connectionId,
  providerId: item.observed.providerId,
});

/** Locks the rows of these objects that exist, in one order every process uses (no deadlocks). */
async function lockExisting(tx: Tx, keys: ObjectKey[]): Promise<TransactionRow[]> {
  if (keys.length === 0) return [];
  const pairs = sql.join(
    keys.map((key) => sql`(${key.connectionId}::uuid, ${key.providerId})`),
    sql`, `,
  );
  return tx
    .select()
    .from(transactions)
    .where(sql`(${transactions.connectionId}, ${transactions.providerId}) IN (${pairs})`)
    .orderBy(transactions.connectionId, transactions.providerId)
    .for('update');
}

const transactionUpdate = setFromExcluded(transactions, ['id', 'createdAt']);
const operationUpdate = setFromExcluded(operations, ['transactionId', 'providerId', 'createdAt']);

/** Loads (locking) or creates the transaction of every object the batch names. */
async function loadEntries(tx: Tx, now: Date, items: ObservationItem[]) {
  const firstOf = new Map<string, ObservationItem>();
  for (const item of items) {
    const key = keyOf(objectOf(item));
    if (!firstOf.has(key)) firstOf.set(key, item);
  }
  const keys = [...firstOf.values()].map(objectOf);
  const entries = new Map<string, LedgerEntry>();
  const entryOf = (row: TransactionRow): LedgerEntry => ({
    row,
    operations: new Map(),
    rowChanged: false,
    changedOperations: new Set(),
  });
  for (const row of await lockExisting(tx, keys)) entries.set(keyOf(row), entryOf(row));
  const existingIds = [...entries.values()].map((entry) => entry.row.id);

  // The rest are new, unless another process inserted one since: those are locked like the others.
  const missing = [...firstOf.entries()]
    .filter(([key]) => !entries.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
  const created = new Set<string>();
  if (missing.length > 0) {
    const fresh: TransactionRow[] = missing.map((item) => ({
      id: randomUUID(),
      ...newTransactionRow(item.connectionId, item.observed, now),
    }));
    const inserted = await executeRows<{ id: string }>(
      tx,
      insertJsonRows(
        transactions,
        fresh,
        sql`ON CONFLICT (connection_id, provider_id) DO NOTHING RETURNING id`,
      ),
    );
    const insertedIds = new Set(inserted.map((row) => row.id));
    for (const row of fresh.filter((candidate) => insertedIds.has(candidate.id))) {
      entries.set(keyOf(row), entryOf(row));
      created.add(keyOf(row));
    }
    const raced = missing.map(objectOf).filter((key) => !entries.has(keyOf(key)));
    for (const row of await lockExisting(tx, raced)) {
      entries.set(keyOf(row), entryOf(row));
      existingIds.push(row.id);
    }
  }

  if (existingIds.length > 0) {
    const byTransaction = new Map([...entries.values()].map((entry) => [entry.row.id, entry]));
    const stored = await tx.select().from(operations).where(inArray(operations.transactionId, existingIds));
    for (const { id: _id, ...operation } of stored) {
      byTransaction.get(operation.transactionId)?.operations.set(operation.providerId, operation);
    }
  }
  return { entries, created };
}

async function writeBack(tx: Tx, now: Date, entries: Iterable<LedgerEntry>, out: FoldOutput): Promise<void> {
  const rows: TransactionRow[] = [];
  const changedOperations: OperationDraft[] = [];
  for (const entry of entries) {
    if (entry.rowChanged) rows.push(entry.row);
    for (const providerId of entry.changedOperations)
      changedOperations.push(entry.operations.get(providerId)!);
  }
  if (rows.length > 0) {
    await tx.execute(
      insertJsonRows(transactions, rows, sql`ON CONFLICT (id) DO UPDATE SET ${transactionUpdate}`),
    );
  }
  if (changedOperations.length > 0) {
    await tx.execute(
      insertJsonRows(
        operations,
        changedOperations,
        sql`ON CONFLICT (transaction_id, provider_id) DO UPDATE SET ${operationUpdate}`,
      ),
    );
  }
  if (out.events.length > 0) await tx.execute(insertJsonRows(timelineEvents, out.events));
  const counts = new Map<string, FoldOutput['counters'][number] & { by: number }>();
  for (const counter of out.counters) {
    const key = `${counter.connectionId}/${counter.name}`;
    const known = counts.get(key);
    if (known) known.by += 1;
    else counts.set(key, { ...counter, by: 1 });
  }
  for (const key of [...counts.keys()].sort()) {
    const { connectionId, name, by } = counts.get(key)!;
    await bumpCounter(tx, connectionId, name, now, by);
  }
}

/**
 * Records a batch of observations, in the order given (a later one for the same object sees what the
 * earlier ones left), and answers for each what it did.
 */
export async function recordObservations(
  tx: Tx,
  at: { now: Date; source: ObservationSource },
  items: ObservationItem[],
): Promise<ApplyResult[]> {
  if (items.length === 0) return [];
  const { entries, created } = await loadEntries(tx, at.now, items);
  const out: FoldOutput = { events: [], counters: [] };
  const results = items.map((item) => {
    const key = keyOf(objectOf(item));
    const entry = entries.get(key);
    if (!entry) throw new Error('the transaction vanished between insert and select');
    const ctx = { now: at.now, source: at.source, deliveryId: item.deliveryId };
    const discovered = created.delete(key);
    const folded = discovered
      ? foldDiscovery(entry, ctx, out, item.observed)
      : foldObservation(entry, ctx, out, item.observed);
    return { transactionId: entry.row.id, created: discovered, ...folded };
  });
  await writeBack(tx, at.now, entries.values(), out);
  return results;
}

/** Records one observation (a look-up, a provider's answer to an action). */
export async function recordObservation(
  tx: Tx,
  ctx: ObservationContext,
  observed: NormalizedTransaction,
): Promise<ApplyResult> {
  const [result] = await recordObservations(tx, { now: ctx.now, source: ctx.source }, [
    { connectionId: ctx.connectionId, observed, deliveryId: ctx.deliveryId },
  ]);
  return result!;
}
