/**
 * Opens a connection's sealed secrets and builds its provider adapter. The only place secrets are
 * decrypted; what it returns never leaves the server.
 */
import { createHash } from 'node:crypto';
import type { ConnectionConfig, ProviderAdapter, ProviderCredentials } from '@paydesk/providers';
import { createGateAdapter, createPaymentBookAdapter, createPaytoneAdapter } from '@paydesk/providers';
import type { connections } from '@paydesk/db/schema';
import type { ProviderName } from '@paydesk/domain';
import type { SecretBox } from '../../secret-box.ts';
import { adapterCredentials } from './credentials.ts';

export type ConnectionRow = typeof connections.$inferSelect;

/** Associated data binds each sealed value to its row and purpose: it cannot be moved to another. */
export const sealedFor = {
  credentials: (id: string) => `connection:${id}:credentials`,
  webhookSecret: (id: string) => `connection:${id}:webhook-secret`,
  webhookToken: (id: string) => `connection:${id}:webhook-token`,
};

export function hashWebhookToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function openCredentials(secrets: SecretBox, row: ConnectionRow): Record<string, string> {
  return JSON.parse(secrets.open(row.credentialsSealed, sealedFor.credentials(row.id))) as Record<
    string,
    string
  >;
}

export interface WebhookSecret {
  which: 'current' | 'previous';
  secret: string;
}

/** A connection's webhook secrets, opened: the current one, and the previous one until its overlap ends. */
export interface OpenedWebhookSecrets {
  current: string | null;
  previous: { secret: string; until: Date } | null;
}

export function openWebhookSecrets(secrets: SecretBox, row: ConnectionRow): OpenedWebhookSecrets {
  return {
    current: row.webhookSecretSealed
      ? secrets.open(row.webhookSecretSealed, sealedFor.webhookSecret(row.id))
      : null,
    previous:
      row.previousWebhookSecretSealed && row.previousWebhookSecretUntil
        ? {
            secret: secrets.open(row.previousWebhookSecretSealed, sealedFor.webhookSecret(row.id)),
            until: row.previousWebhookSecretUntil,
          }
        : null,
  };
}

/** The secrets a webhook may be signed with now: the current one, and the previous within its overlap. */
export function webhookSecrets(opened: OpenedWebhookSecrets, now: Date): WebhookSecret[] {
  const list: WebhookSecret[] = [];
  if (opened.current !== null) list.push({ which: 'current', secret: opened.current });
  if (opened.previous && opened.previous.until > now) {
    list.push({ which: 'previous', secret: opened.previous.secret });
  }
  return list;
}

export function webhookUrl(publicUrl: string, secrets: SecretBox, row: ConnectionRow): string {
  const token = secrets.open(row.webhookTokenSealed, sealedFor.webhookToken(row.id));
  return `${publicUrl.replace(/\/+$/, '')}/hooks/${token}`;
}

export interface AdapterOptions {
  onExchange?: ConnectionConfig['onExchange'];
  timeoutMs?: number;
  retries?: number;
}

export function buildAdapter(
  provider: ProviderName,
  config: Omit<ConnectionConfig, 'credentials'>,
  credentials: ProviderCredentials,
  settings: Record<string, unknown>,
): ProviderAdapter {
  switch (credentials.provider) {
    case 'gate':
      return createGateAdapter({ ...config, credentials });
    case 'payment-book': {
      const balanceId = Number(settings.balanceId);
      return createPaymentBookAdapter(
        { ...config, credentials },
        Number.isInteger(balanceId) && balanceId > 0 ? { balanceId } : {},
      );
    }
    case 'paytone':
      return createPaytoneAdapter({ ...config, credentials });
  }
  throw new Error(`no adapter for ${provider}`);
}

export function adapterFor(
  secrets: SecretBox,
  row: ConnectionRow,
  options: AdapterOptions = {},
): ProviderAdapter {
  const settings = (row.settings ?? {}) as Record<string, unknown>;
  const webhookSecret = row.webhookSecretSealed
    ? secrets.open(row.webhookSecretSealed, sealedFor.webhookSecret(row.id))
    : null;
  const credentials = adapterCredentials(
    row.provider,
    settings,
    openCredentials(secrets, row),
    webhookSecret,
  );
  return buildAdapter(
    row.provider,
    {
      baseUrl: row.baseUrl,
      mode: row.mode,
      ...(options.onExchange ? { onExchange: options.onExchange } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
    },
    credentials,
    settings,
  );
}
