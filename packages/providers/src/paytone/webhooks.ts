/**
 * Paytone callbacks: the invoice's JSON:API document, signed in `X-Signature` (see signature.ts) with
 * the test or live secret key matching the invoice's `test_mode`. A verified callback is authoritative:
 * its document is normalized and applied without a look-up (if its `updated` is not older than what
 * is stored — callbacks may come twice, late and out of order).
 */
import type { PaytoneCredentials, WebhookResult } from '../adapter.ts';
import { isProviderError } from '../errors.ts';
import { normalizeDocument } from './normalize.ts';
import { callbackModeSchema } from './schemas.ts';
import { verifyCallback } from './signature.ts';

export function parsePaytoneCallback(
  rawBody: Uint8Array,
  headers: Record<string, string | undefined>,
  secrets: Pick<PaytoneCredentials, 'testSecretKey' | 'liveSecretKey'>,
): WebhookResult {
  const signature = headers['x-signature']?.trim();
  if (!signature) return { verified: false, reason: 'missing_signature', detail: 'no X-Signature header' };

  // The signature covers the exact bytes; bytes that are not UTF-8 cannot be what Paytone signed.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(rawBody);
  } catch {
    return { verified: false, reason: 'malformed', detail: 'the body is not UTF-8 text' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { verified: false, reason: 'malformed', detail: 'the body is not JSON' };
  }
  // `test_mode` is read before the signature is checked only to choose which secret checks it.
  const mode = callbackModeSchema.safeParse(json);
  if (!mode.success) {
    return { verified: false, reason: 'unknown_shape', detail: 'the body is not a JSON:API document' };
  }
  const secret = mode.data.data.attributes.test_mode === true ? secrets.testSecretKey : secrets.liveSecretKey;
  if (!verifyCallback(text, signature, secret)) {
    return { verified: false, reason: 'bad_signature', detail: 'X-Signature does not match the body' };
  }

  let document;
  try {
    document = normalizeDocument(json);
  } catch (error) {
    const detail = isProviderError(error) ? error.message : 'the document is not a Paytone invoice';
    return { verified: false, reason: 'unknown_shape', detail };
  }
  if (document.type !== 'transaction') {
    return { verified: false, reason: 'unknown_shape', detail: 'the callback is not about an invoice' };
  }
  const { transaction } = document;
  const updated = transaction.updatedAt ? Math.floor(transaction.updatedAt.getTime() / 1000) : 'none';
  return {
    verified: true,
    eventId: `paytone:${transaction.providerId}:${transaction.rawStatus}:${updated}`,
    reference: transaction.reference,
    providerId: transaction.providerId,
    transaction,
    lookupRequired: false,
  };
}
