/**
 * Inbound webhooks: `POST /hooks/:token`. The delivery is verified on its raw bytes, stored in the
 * durable inbox (deduplicated by the provider's event identity) with its apply job in the same
 * transaction, and only then answered 2xx. Rejected deliveries are stored too, with the reason.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { timelineEvents, transactions, webhookDeliveries } from '@paydesk/db/schema';
import {
  maskCardValuesInJson,
  parseGateWebhook,
  parsePaymentBookWebhook,
  parsePaytoneCallback,
  unverifiedWebhookHint,
  type WebhookResult,
} from '@paydesk/providers';
import type { Logger } from '../../context.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { SecretBox } from '../../secret-box.ts';
import { webhookSecrets } from '../connections/adapters.ts';
import { webhookConnection, type WebhookConnection } from './connection-cache.ts';
import { bumpCounter } from './counters.ts';
import {
  storeAcceptedDelivery,
  upsertDeliveries,
  type AcceptedDelivery,
  type StoredDelivery,
} from './inbox-writer.ts';
import { jobNames } from './job-names.ts';
import { toObservationJson } from './observation.ts';

export interface IngestDeps {
  db: Db;
  secrets: SecretBox;
  jobs: JobQueue;
  log: Logger;
  now(): Date;
}

export interface IngestAnswer {
  status: number;
  body: { ok: boolean; delivery?: number; duplicate?: boolean; error?: string };
}

/** Header names kept with a delivery (values are not secret; the body's card numbers are masked). */
const keptHeaders = ['content-type', 'user-agent', 'x-signature', 'x-request-id', 'x-forwarded-for'];

function verify(
  { row, secrets }: WebhookConnection,
  body: Uint8Array,
  headers: Record<string, string | undefined>,
  now: Date,
): { result: WebhookResult; verifiedWith: string | null } {
  if (row.provider === 'gate') {
    const result = parseGateWebhook(body);
    return { result, verifiedWith: result.verified ? 'none' : null };
  }
  const candidates = webhookSecrets(secrets, now);
  if (candidates.length === 0) {
    return {
      result: {
        verified: false,
        reason: 'missing_signature',
        detail: 'this connection has no webhook secret',
      },
      verifiedWith: null,
    };
  }
  let first: WebhookResult | undefined;
  for (const candidate of candidates) {
    const result =
      row.provider === 'payment-book'
        ? parsePaymentBookWebhook(body, {
            secret: candidate.secret,
            serviceId: Number((row.settings as Record<string, unknown>).serviceId),
          })
        : parsePaytoneCallback(body, headers, {
            testSecretKey: candidate.secret,
            liveSecretKey: candidate.secret,
          });
    if (result.verified) return { result, verifiedWith: candidate.which };
    first ??= result;
    // Only a signature mismatch is worth trying the previous secret for.
    if (result.reason !== 'bad_signature') break;
  }
  return { result: first!, verifiedWith: null };
}

/**
 * The transaction an unverified webhook names: by the provider's id where it gives one (a shop may reuse
 * its reference for a second attempt after a decline), else the newest with that reference.
 */
async function hintedTransaction(
  tx: Tx,
  connectionId: string,
  hint: { reference: string; providerId?: string | null | undefined },
): Promise<{ id: string } | undefined> {
  if (hint.providerId) {
    const [byId] = await tx
      .select({ id: transactions.id })
      .from(transactions)
      .where(and(eq(transactions.connectionId, connectionId), eq(transactions.providerId, hint.providerId)));
    if (byId) return byId;
  }
  const [byReference] = await tx
    .select({ id: transactions.id })
    .from(transactions)
    .where(and(eq(transactions.connectionId, connectionId), eq(transactions.reference, hint.reference)))
    .orderBy(desc(transactions.occurredAt), desc(transactions.id))
    .limit(1);
  return byReference;
}

function statusFor(reason: string): number {
  return reason === 'bad_signature' || reason === 'missing_signature' ? 401 : 400;
}

export async function ingestWebhook(
  deps: IngestDeps,
  token: string,
  rawBody: Uint8Array,
  headers: Record<string, string | undefined>,
): Promise<IngestAnswer> {
  const now = deps.now();
  const connection = await webhookConnection(deps.db, deps.secrets, token);
  if (!connection) return { status: 404, body: { ok: false, error: 'unknown webhook URL' } };
  const { row } = connection;

  const bodyText = maskCardValuesInJson(Buffer.from(rawBody).toString('utf8'));
  const kept = Object.fromEntries(
    keptHeaders.filter((name) => headers[name]).map((name) => [name, headers[name]]),
  );
  const { result, verifiedWith } = verify(connection, rawBody, headers, now);

  const rejection = !row.enabled
    ? { reason: 'connection_disabled', detail: 'the connection is disabled', status: 503 }
    : !result.verified
      ? { reason: result.reason, detail: result.detail, status: statusFor(result.reason) }
      : null;

  if (rejection || !result.verified) {
    const reject = rejection!;
    const hint = unverifiedWebhookHint(row.provider, rawBody);
    const id = await deps.db.transaction(async (tx) => {
      const [delivery] = await tx
        .insert(webhookDeliveries)
        .values({
          connectionId: row.id,
          provider: row.provider,
          receivedAt: now,
          state: 'rejected',
          rejectReason: reject.reason,
          rejectDetail: reject.detail,
          reference: hint?.reference ?? null,
          providerObjectId: hint?.providerId ?? null,
          body: bodyText,
          headers: kept,
        })
        .returning({ id: webhookDeliveries.id });
      await bumpCounter(tx, row.id, 'webhooks_rejected', now);
      if (hint?.reference) {
        // Nothing in it is believed, but the transaction it names is worth a look with our credentials.
        const known = await hintedTransaction(tx, row.id, { ...hint, reference: hint.reference });
        if (known) {
          await tx.insert(timelineEvents).values({
            transactionId: known.id,
            at: now,
            type: 'webhook_rejected',
            source: 'webhook',
            summary: `A webhook was rejected: ${reject.detail}`,
            details: { reason: reject.reason },
            deliveryId: delivery!.id,
          });
        }
        if (row.enabled) {
          await deps.jobs.sendInTx(
            tx,
            jobNames.lookup,
            { connectionId: row.id, reference: hint.reference, providerId: hint.providerId ?? null },
            // A provider retrying a rejected delivery asks for the same look-up: one a minute is enough.
            { singletonKey: `${row.id}:${hint.reference}`, singletonSeconds: 60 },
          );
        }
      }
      return delivery!.id;
    });
    deps.log.warn(
      { connectionId: row.id, provider: row.provider, delivery: id, reason: reject.reason },
      'webhook rejected',
    );
    return { status: reject.status, body: { ok: false, delivery: id, error: reject.detail } };
  }

  // What the provider's webhook says is the state itself: stored with one INSERT (shared with the
  // deliveries arriving meanwhile), applied from the inbox by the drain. A hint needs a look-up first:
  // its job is queued in the same transaction.
  const observation =
    result.transaction && !result.lookupRequired ? toObservationJson(result.transaction) : null;
  const delivery: AcceptedDelivery = {
    connectionId: row.id,
    provider: row.provider,
    receivedAt: now,
    eventId: result.eventId,
    state: 'pending',
    verifiedWith,
    reference: result.reference,
    providerObjectId: result.providerId ?? null,
    observation,
    body: bodyText,
    headers: kept,
  };
  let stored: StoredDelivery;
  if (observation) {
    stored = await storeAcceptedDelivery(deps.db, delivery);
    if (stored.inserted) deps.jobs.nudge(jobNames.drainInbox);
  } else {
    stored = await deps.db.transaction(async (tx) => {
      const [inboxed] = await upsertDeliveries(tx, [delivery]);
      const { id, inserted } = inboxed!;
      if (inserted) await deps.jobs.sendInTx(tx, jobNames.applyDelivery, { deliveryId: id });
      return { id, inserted };
    });
    if (stored.inserted) deps.jobs.nudge(jobNames.applyDelivery);
  }
  return { status: 200, body: { ok: true, delivery: stored.id, duplicate: !stored.inserted } };
}
