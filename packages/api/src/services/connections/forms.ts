/** What the SPA's "Add connection" form asks for each provider, served so it never drifts from the schemas. */
import type { ProviderName } from '@paydesk/domain';
import { secretFields, webhookSigning } from './credentials.ts';

export interface CredentialField {
  name: string;
  label: string;
  secret: boolean;
  type: 'text' | 'number';
  required: boolean;
  help?: string;
}

export interface ProviderForm {
  provider: ProviderName;
  label: string;
  fields: CredentialField[];
  webhookSigning: 'none' | 'optional' | 'required';
  webhookSecretHelp: string;
}

const field = (
  provider: ProviderName,
  name: string,
  label: string,
  extra: Partial<CredentialField> = {},
): CredentialField => ({
  name,
  label,
  secret: secretFields[provider].includes(name),
  type: 'text',
  required: true,
  ...extra,
});

export const providerForms: ProviderForm[] = [
  {
    provider: 'gate',
    label: 'Gate',
    fields: [field('gate', 'apiKey', 'Terminal API key', { help: 'The bearer key of the terminal.' })],
    webhookSigning: webhookSigning.gate,
    webhookSecretHelp:
      'Gate does not sign webhooks. Paydesk treats each one as a hint and looks the payment up with the API key.',
  },
  {
    provider: 'payment-book',
    label: 'Payment Book',
    fields: [
      field('payment-book', 'tokenName', 'API token name'),
      field('payment-book', 'tokenSecret', 'API token secret'),
      field('payment-book', 'serviceId', 'Service id', { type: 'number' }),
      field('payment-book', 'balanceId', 'Balance id for payouts', {
        type: 'number',
        required: false,
        help: 'Defaults to the service id.',
      }),
    ],
    webhookSigning: webhookSigning['payment-book'],
    webhookSecretHelp:
      'The secret of the token that signs webhooks. Leave empty when it is the API token above.',
  },
  {
    provider: 'paytone',
    label: 'Paytone',
    fields: [
      field('paytone', 'publicKey', 'Public key'),
      field('paytone', 'commerceAccountId', 'Commerce account id'),
      field('paytone', 'apiKey', 'Private API key'),
    ],
    webhookSigning: webhookSigning.paytone,
    webhookSecretHelp: 'The secret key of this mode (sk_test_… or sk_live_…): it signs callbacks.',
  },
];
