import { providerLabels, type ProviderName } from '@paydesk/domain';
import type { ConnectionRow, ProviderForm } from './types.ts';

export const modes = ['test', 'live'] as const;
export type Mode = (typeof modes)[number];

export const modeCopy: Record<Mode, { label: string; chip: string; help: string }> = {
  test: {
    label: 'Test',
    chip: 'Test mode',
    help: 'The provider’s test environment: no real money moves.',
  },
  live: {
    label: 'Live',
    chip: 'Live',
    help: 'Real payments, refunds and payouts go through this account.',
  },
};

export function providerLabel(provider: ProviderName, forms: readonly ProviderForm[] = []): string {
  return forms.find((f) => f.provider === provider)?.label ?? providerLabels[provider];
}

/** How the connection's inbound webhooks are authenticated, in one sentence. */
export function signingSummary(connection: ConnectionRow, form: ProviderForm | undefined): string {
  switch (connection.webhookSigning) {
    case 'none':
      return form?.webhookSecretHelp ?? 'This provider does not sign its webhooks.';
    case 'optional':
    case 'required':
      return connection.webhookSecretHint
        ? `Signed: verified with the secret ending ${connection.webhookSecretHint.replace(/^•+/, '')}.`
        : 'Not verified: no webhook secret is set.';
  }
}
