/**
 * What an unverified webhook claims to be about. Nothing in it is believed: it only tells Paydesk which
 * transaction to look up at the provider with its own credentials (a bad signature, for instance, may
 * be a misconfigured secret hiding a real status change).
 */
import type { ProviderName } from '@paydesk/domain';

export interface WebhookHint {
  reference?: string;
  providerId?: string;
}

const safeId = /^[\w.:@/+-]{1,128}$/;

function pick(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof text === 'string' && safeId.test(text.trim()) ? text.trim() : undefined;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function unverifiedWebhookHint(provider: ProviderName, rawBody: Uint8Array): WebhookHint | null {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return null;
  }
  let hint: WebhookHint;
  switch (provider) {
    case 'gate': {
      const reference = pick(field(json, 'referenceId'));
      hint = reference ? { reference, providerId: reference } : {};
      break;
    }
    case 'payment-book': {
      const reference =
        pick(field(json, 'meta', 'reference_id')) ?? pick(field(json, 'data', 'transaction_reference_id'));
      hint = reference ? { reference } : {};
      break;
    }
    case 'paytone': {
      const providerId = pick(field(json, 'data', 'id'));
      const reference = pick(field(json, 'data', 'attributes', 'reference_id'));
      hint = {
        ...(reference ? { reference } : {}),
        ...(providerId && /^cpo?i_/.test(providerId) ? { providerId } : {}),
      };
      break;
    }
  }
  return hint.reference ? hint : null;
}
