/**
 * What each provider's account needs, split into what is secret (sealed, write-only, shown as its last
 * four characters) and what is not (shown as it is). One zod schema per provider, so a bad form gets
 * an error naming the field.
 */
import { z } from 'zod';
import type { ProviderName } from '@paydesk/domain';
import type { ProviderCredentials } from '@paydesk/providers';

const secret = (label: string) =>
  z
    .string()
    .trim()
    .min(8, `${label} is too short to be real (at least 8 characters)`)
    .max(512, `${label} is too long (at most 512 characters)`)
    .refine((value) => !/\s/.test(value), `${label} cannot contain spaces`);

const plain = (label: string) =>
  z.string().trim().min(1, `${label} is required`).max(200, `${label} is too long (at most 200 characters)`);

const positiveId = (label: string) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .positive(`${label} must be greater than zero`);

export const gateCredentialsSchema = z.object({ apiKey: secret('API key') });
export const paymentBookCredentialsSchema = z.object({
  tokenName: plain('Token name'),
  tokenSecret: secret('Token secret'),
  serviceId: positiveId('Service id'),
  balanceId: positiveId('Balance id').optional(),
});
export const paytoneCredentialsSchema = z.object({
  publicKey: plain('Public key'),
  commerceAccountId: plain('Commerce account id'),
  apiKey: secret('API key'),
});

export const credentialsSchemas = {
  gate: gateCredentialsSchema,
  'payment-book': paymentBookCredentialsSchema,
  paytone: paytoneCredentialsSchema,
} as const;

export const webhookSecretSchema = secret('Webhook secret');

/** Fields of each provider's credentials that are secret; every other field is shown in clear. */
export const secretFields: Record<ProviderName, readonly string[]> = {
  gate: ['apiKey'],
  'payment-book': ['tokenSecret'],
  paytone: ['apiKey'],
};

/**
 * How each provider authenticates its webhooks, for the form and the inbox:
 * Gate signs nothing (each webhook is looked up before it is believed), Payment Book signs with a token
 * secret (by default the API token's), Paytone with the secret key of the connection's mode.
 */
export const webhookSigning: Record<ProviderName, 'none' | 'optional' | 'required'> = {
  gate: 'none',
  'payment-book': 'optional',
  paytone: 'required',
};

export function lastFour(value: string): string {
  return value.length <= 4 ? '••••' : `••••${value.slice(-4)}`;
}

export interface SplitCredentials {
  secrets: Record<string, string>;
  settings: Record<string, string | number>;
  hints: Record<string, string>;
}

export function splitCredentials(provider: ProviderName, values: Record<string, unknown>): SplitCredentials {
  const secrets: Record<string, string> = {};
  const settings: Record<string, string | number> = {};
  const hints: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    // The provider's schema has parsed them: strings and numbers only.
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    if (secretFields[provider].includes(field)) {
      secrets[field] = String(value);
      hints[field] = lastFour(String(value));
    } else {
      settings[field] = value;
    }
  }
  return { secrets, settings, hints };
}

/** The adapter's credentials from a connection's settings, opened secrets and webhook secret. */
export function adapterCredentials(
  provider: ProviderName,
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
  webhookSecret: string | null,
): ProviderCredentials {
  const text = (value: unknown) =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  switch (provider) {
    case 'gate':
      return { provider, apiKey: text(secrets.apiKey) };
    case 'payment-book':
      return {
        provider,
        tokenName: text(settings.tokenName),
        tokenSecret: text(secrets.tokenSecret),
        serviceId: Number(settings.serviceId),
      };
    case 'paytone':
      return {
        provider,
        publicKey: text(settings.publicKey),
        commerceAccountId: text(settings.commerceAccountId),
        apiKey: text(secrets.apiKey),
        // One connection is one mode: its secret key verifies its callbacks.
        testSecretKey: webhookSecret ?? '',
        liveSecretKey: webhookSecret ?? '',
      };
  }
}
