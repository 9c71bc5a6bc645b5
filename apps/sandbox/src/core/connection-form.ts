import type { ProviderCredentials, ProviderName } from './contract.ts';

/**
 * What Paydesk's "add a connection" form needs to reach one of the sandbox's providers with its
 * credentials: the demo, the e2e specs and the API tests all connect this way.
 */
export function connectionForm(
  credentials: ProviderCredentials,
  provider: ProviderName,
): { credentials: Record<string, unknown>; webhookSecret?: string } {
  switch (provider) {
    case 'gate':
      return { credentials: { apiKey: credentials.gate.bearerKeys[0] } };
    case 'payment-book': {
      const token = credentials['payment-book'].tokens[0]!;
      return {
        credentials: { tokenName: token.name, tokenSecret: token.secret, serviceId: token.serviceId },
      };
    }
    case 'paytone':
      return {
        credentials: {
          publicKey: credentials.paytone.publicKey,
          commerceAccountId: credentials.paytone.commerceAccountId,
          apiKey: credentials.paytone.apiKey,
        },
        // The sandbox's merchant trades in test mode: its callbacks are signed with the test key.
        webhookSecret: credentials.paytone.testSecretKey,
      };
  }
}
