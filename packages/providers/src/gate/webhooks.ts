/**
 * Gate webhooks are unsigned and undocumented (README decision): anyone who learns the inbound URL
 * could post one. So a Gate webhook is only a hint — its `referenceId` is taken, everything else is
 * ignored, and the payment is fetched with the bearer key before anything is believed.
 */
import { createHash } from 'node:crypto';
import type { WebhookResult } from '../adapter.ts';
import { gateWebhookHintSchema } from './schemas.ts';

/** Gate's own limit on a referenceId; anything longer cannot name a payment. */
const maxReferenceLength = 128;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function parseGateWebhook(rawBody: Uint8Array): WebhookResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return { verified: false, reason: 'malformed', detail: 'the body is not UTF-8 text' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { verified: false, reason: 'malformed', detail: 'the body is not JSON' };
  }
  const parsed = gateWebhookHintSchema.safeParse(json);
  if (!parsed.success) {
    return { verified: false, reason: 'unknown_shape', detail: 'the body has no referenceId' };
  }
  const reference = parsed.data.referenceId;
  // It ends up in a look-up URL and in logs: refuse what cannot be a real reference.
  if (reference.trim() === '' || reference.length > maxReferenceLength || hasControlCharacter(reference)) {
    return { verified: false, reason: 'malformed', detail: 'the referenceId is not a valid reference' };
  }
  // Deliveries of the same bytes collapse into one event; a later status of the same payment does not
  // (the inbox would otherwise swallow it), yet nothing of the body but the reference is trusted.
  const digest = createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
  return {
    verified: true,
    eventId: `gate:${reference}:${digest}`,
    reference,
    providerId: reference,
    lookupRequired: true,
  };
}
