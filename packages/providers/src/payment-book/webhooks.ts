/**
 * Payment Book's `transaction.status` webhook: the same HMAC as requests, in `meta.signature`, checked
 * on the raw bytes (JSON.parse would lose `0` vs `0.0`, which the signature tells apart). A verified
 * webhook is authoritative: it carries the whole transaction with its operations.
 *
 * Two shapes are accepted: the documented one with the transaction under `data`, and the provider's
 * own shop plugin's reading, `transaction.status` / `transaction.ulid`. The `operation.status` event
 * ("not available yet") carries a single operation: it is taken as a hint to look the transaction up.
 */
import { createHash } from 'node:crypto';
import type { WebhookResult } from '../adapter.ts';
import { isProviderError } from '../errors.ts';
import { normalizeTransaction } from './normalize.ts';
import { pbWebhookSchema } from './schemas.ts';
import { verifyPayload } from './signature.ts';

export interface PaymentBookWebhookOptions {
  /** The token secret the webhook is signed with (the one named by `webhook.token_name`). */
  secret: string;
  /** When given, a webhook for another service is refused. */
  serviceId?: number;
}

type Rejection = Extract<WebhookResult, { verified: false }>;

function reject(reason: Rejection['reason'], detail: string): Rejection {
  return { verified: false, reason, detail };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** An operation names its transaction; a transaction lists its operations. */
function isOperation(value: Record<string, unknown> | undefined): boolean {
  return (
    value !== undefined &&
    text(value.status) !== undefined &&
    !Array.isArray(value.operations) &&
    (text(value.transaction_reference_id) !== undefined || text(value.transaction_id) !== undefined)
  );
}

function isTransaction(value: Record<string, unknown> | undefined): value is Record<string, unknown> {
  return (
    value !== undefined &&
    !isOperation(value) &&
    text(value.status) !== undefined &&
    text(value.ulid ?? value.uuid) !== undefined
  );
}

/**
 * The same state delivered twice (retries, duplicates) gets the same id; any change of the
 * transaction's status or of one of its operations' gives a new one.
 */
export function webhookEventId(transaction: Record<string, unknown>): string {
  const operations = Array.isArray(transaction.operations) ? transaction.operations : [];
  const states = operations
    .map((operation) => {
      const fields = record(operation) ?? {};
      return `${text(fields.ulid) ?? text(fields.id) ?? '?'}=${text(fields.status) ?? '?'}`;
    })
    .join(',');
  const digest = createHash('sha256').update(states).digest('hex').slice(0, 16);
  return `payment-book:${text(transaction.ulid ?? transaction.uuid) ?? '?'}:${text(transaction.status) ?? '?'}:${digest}`;
}

export function parsePaymentBookWebhook(
  rawBody: Uint8Array,
  options: PaymentBookWebhookOptions,
): WebhookResult {
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return reject('malformed', 'the body is not UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return reject('malformed', 'the body is not JSON');
  }
  const parsed = pbWebhookSchema.safeParse(json);
  if (!parsed.success) {
    return record(json)
      ? reject('missing_signature', 'the body has no meta object')
      : reject('malformed', 'the body is not a JSON object');
  }
  const body = parsed.data;
  const signature = body.meta.signature;
  if (typeof signature !== 'string' || signature.trim() === '') {
    return reject('missing_signature', 'meta.signature is missing');
  }
  if (!verifyPayload(raw, options.secret)) {
    return reject('bad_signature', 'meta.signature does not match the body');
  }
  const serviceId = text(body.meta.service_id);
  if (options.serviceId !== undefined && serviceId !== undefined && serviceId !== String(options.serviceId)) {
    // Signed with our secret but about another service: not this connection's to apply.
    return reject('bad_signature', `the webhook is for service ${serviceId}, not ${options.serviceId}`);
  }

  const data = record(body.data);
  const transaction = isTransaction(data)
    ? data
    : isTransaction(record(body.transaction))
      ? record(body.transaction)
      : undefined;
  if (transaction) {
    try {
      const normalized = normalizeTransaction(transaction, {
        ...(text(body.meta.reference_id) ? { reference: text(body.meta.reference_id) } : {}),
      });
      return {
        verified: true,
        eventId: webhookEventId(transaction),
        reference: normalized.reference,
        providerId: normalized.providerId,
        transaction: normalized,
        lookupRequired: false,
      };
    } catch (error) {
      if (isProviderError(error)) return reject('malformed', error.message);
      throw error;
    }
  }

  if (data && isOperation(data)) {
    const reference = text(data.transaction_reference_id) ?? text(body.meta.reference_id);
    if (reference) {
      return {
        verified: true,
        eventId: `payment-book:operation:${text(data.ulid) ?? text(data.id) ?? '?'}:${text(data.status) ?? '?'}`,
        reference,
        lookupRequired: true,
      };
    }
  }
  return reject('unknown_shape', 'neither data nor transaction holds a transaction with status and ulid');
}
