/**
 * What staff read when a provider call fails: the kind of failure in plain words, never the provider's
 * body or a credential. Adapter messages start with the operation's name (`refund: …`), which is for
 * logs; it is dropped here.
 */
import { isProviderError } from '@paydesk/providers';
import { describeProviderFailure } from './connections/connections.ts';

export function providerFailureMessage(error: unknown): string {
  if (!isProviderError(error)) return 'The provider call failed inside Paydesk; see the server log.';
  const text = describeProviderFailure(error).replace(/^[a-z][\w.]*: /i, '');
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
