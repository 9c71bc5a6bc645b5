/**
 * One transaction as the drill-down shows it: the summary with what is still refundable, its
 * operations, its timeline, the webhook deliveries about it, and the provider's payload with
 * secrets and card numbers redacted. Also the customer view: one e-mail across every provider.
 */
import { and, asc, count, desc, eq, inArray, isNull, max, or, sql } from 'drizzle-orm';
import { executeRows, type Db } from '@paydesk/db';
import {
  connections,
  openRefundIntentStates,
  operations,
  refundIntents,
  timelineEvents,
  transactions,
  webhookDeliveries,
} from '@paydesk/db/schema';
import { maskCardValuesInJson, redactWith } from '@paydesk/providers';
import { AppError } from '../../errors.ts';

/** Timeline events shown on the page; older ones are summarised as a count. */
const timelineLimit = 500;
const deliveryLimit = 100;

/** Keys whose values never leave the BFF, whatever a provider chose to echo back. */
const redactKeys = redactWith(
  /secret|token|signature|password|passwd|authorization|api[-_]?key|private|credential|cvv|cvc|pan$|card[-_]?number/i,
);

/** Paydesk's own inbound URLs carry their connection's secret token: providers echo them back. */
const inboundToken = /\/hooks\/[A-Za-z0-9_-]{8,}/g;

export function redactPayload(value: unknown): unknown {
  const redacted = JSON.stringify(redactKeys(value));
  if (redacted === undefined) return value;
  return JSON.parse(redacted.replace(inboundToken, '/hooks/[token]')) as unknown;
}

function notFound(): AppError {
  return new AppError('not_found', 'There is no transaction with this id.');
}

/** Refunds not yet final hold their amount: it cannot be refunded a second time meanwhile. */
const openOperationStatuses = ['pending', 'processing', 'unknown'];
const refundableStatuses = new Set(['succeeded', 'partially_refunded', 'partially_charged_back']);

export async function getTransaction(db: Db, id: string) {
  const [row] = await db
    .select({ transaction: transactions, connectionName: connections.name, enabled: connections.enabled })
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(eq(transactions.id, id));
  if (!row) throw notFound();
  const { transaction } = row;

  const [operationRows, events, [eventCount], deliveries] = await Promise.all([
    db
      .select()
      .from(operations)
      .where(eq(operations.transactionId, id))
      .orderBy(asc(operations.providerCreatedAt), asc(operations.createdAt)),
    db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.transactionId, id))
      .orderBy(desc(timelineEvents.at), desc(timelineEvents.id))
      .limit(timelineLimit),
    db.select({ value: count() }).from(timelineEvents).where(eq(timelineEvents.transactionId, id)),
    db
      .select({
        id: webhookDeliveries.id,
        receivedAt: webhookDeliveries.receivedAt,
        state: webhookDeliveries.state,
        rejectReason: webhookDeliveries.rejectReason,
        rejectDetail: webhookDeliveries.rejectDetail,
        verifiedWith: webhookDeliveries.verifiedWith,
        duplicates: webhookDeliveries.duplicates,
        body: webhookDeliveries.body,
        headers: webhookDeliveries.headers,
      })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.connectionId, transaction.connectionId),
          or(
            eq(webhookDeliveries.transactionId, id),
            // Rejected or not yet applied: matched by the reference it claimed.
            and(
              isNull(webhookDeliveries.transactionId),
              eq(webhookDeliveries.reference, transaction.reference),
            ),
          ),
        ),
      )
      .orderBy(desc(webhookDeliveries.receivedAt))
      .limit(deliveryLimit),
  ]);

  // Refunds asked for through Paydesk and not yet final hold their amount (see services/refunds).
  const [openIntents] = await db
    .select({ value: sql<string>`coalesce(sum(${refundIntents.amountMinor}), 0)::text` })
    .from(refundIntents)
    .where(
      and(eq(refundIntents.transactionId, id), inArray(refundIntents.state, [...openRefundIntentStates])),
    );
  const pendingOperationsMinor = operationRows
    .filter((op) => op.type === 'refund' && openOperationStatuses.includes(op.status))
    .reduce((sum, op) => sum + op.amountMinor, 0n);
  const openIntentsMinor = BigInt(openIntents?.value ?? '0');
  const pendingRefundsMinor =
    openIntentsMinor > pendingOperationsMinor ? openIntentsMinor : pendingOperationsMinor;
  const refundableMinor = refundableStatuses.has(transaction.status)
    ? transaction.amountMinor - transaction.refundedMinor - pendingRefundsMinor
    : 0n;

  return {
    transaction,
    connection: { id: transaction.connectionId, name: row.connectionName, enabled: row.enabled },
    pendingRefundsMinor,
    refundableMinor: refundableMinor > 0n ? refundableMinor : 0n,
    operations: operationRows,
    timeline: events,
    timelineTotal: eventCount?.value ?? 0,
    deliveries: deliveries.map((delivery) => ({
      ...delivery,
      body: redactBody(delivery.body),
      headers: redactPayload(delivery.headers),
    })),
    raw: transaction.raw === null ? null : redactPayload(transaction.raw),
    metadata: transaction.metadata === null ? null : redactPayload(transaction.metadata),
  };
}

/** A stored webhook body (card numbers already masked): JSON is redacted by key too; anything else as is. */
function redactBody(body: string): unknown {
  try {
    return redactPayload(JSON.parse(body) as unknown);
  } catch {
    return maskCardValuesInJson(body).slice(0, 20_000);
  }
}

/** The customer view: where this e-mail paid, at every provider. */
export async function customerSummary(db: Db, email: string) {
  const normalized = email.trim().toLowerCase();
  const byEmail = sql`lower(${transactions.customerEmail}) = ${normalized}`;
  const [perProvider, [name]] = await Promise.all([
    db
      .select({
        provider: transactions.provider,
        currency: transactions.currency,
        transactions: count(),
        succeeded: sql<number>`count(*) FILTER (WHERE ${inArray(transactions.status, ['succeeded', 'partially_refunded', 'refunded'])})::int`,
        amountMinor: sql<string>`sum(${transactions.amountMinor}) FILTER (WHERE ${inArray(transactions.status, ['succeeded', 'partially_refunded', 'refunded'])})::text`,
        lastAt: max(transactions.occurredAt),
      })
      .from(transactions)
      .where(byEmail)
      .groupBy(transactions.provider, transactions.currency)
      .orderBy(transactions.provider, transactions.currency),
    db
      .select({ name: transactions.customerName })
      .from(transactions)
      .where(and(byEmail, sql`${transactions.customerName} IS NOT NULL`))
      .orderBy(desc(transactions.occurredAt))
      .limit(1),
  ]);
  return { email: normalized, name: name?.name ?? null, perProvider };
}

/**
 * The filter menus' choices: every connection, and the currencies and methods present in the ledger
 * (read by skipping along their indexes, so a million rows cost a few dozen index probes).
 */
export async function transactionFacets(db: Db) {
  const distinct = async (column: 'currency' | 'method') => {
    const rows = await executeRows<{ value: string }>(
      db,
      sql.raw(`WITH RECURSIVE found AS (
         (SELECT ${column} AS value FROM transactions WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
         UNION ALL
         SELECT (SELECT ${column} FROM transactions WHERE ${column} > found.value ORDER BY ${column} LIMIT 1)
           FROM found WHERE found.value IS NOT NULL)
       SELECT value FROM found WHERE value IS NOT NULL`),
    );
    return rows.map((row) => row.value);
  };
  const [connectionRows, currencies, methods] = await Promise.all([
    db
      .select({
        id: connections.id,
        name: connections.name,
        provider: connections.provider,
        enabled: connections.enabled,
      })
      .from(connections)
      .orderBy(connections.name),
    distinct('currency'),
    distinct('method'),
  ]);
  return { connections: connectionRows, currencies, methods };
}

export async function transactionExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: transactions.id }).from(transactions).where(eq(transactions.id, id));
  return Boolean(row);
}
