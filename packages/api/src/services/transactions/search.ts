/**
 * The one search box: what the agent typed, recognised as a kind of identifier. Every kind is an
 * exact match on an indexed column, across all providers at once.
 */
export type SearchKind = 'paydesk_id' | 'email' | 'card' | 'last4' | 'identifier';

export type SearchTerm =
  | { kind: 'paydesk_id'; id: string }
  | { kind: 'email'; email: string }
  | { kind: 'card'; bin: string; last4: string }
  | { kind: 'last4'; last4: string }
  /** A provider id (`cpi_…`, a ULID, Payment Book's number, Gate's `referenceId`) or a merchant reference. */
  | { kind: 'identifier'; value: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const email = /^[^\s@]+@[^\s@]+$/;
/** "424242******4242", "4242 42•• •••• 4242", "424242…4242": BIN and last four as cards are shown. */
const maskedCard = /^(\d{4}\s?\d{2})[\s*•.…xX-]+(\d{4})$/;
const lastFour = /^(?:[*•.…xX\s-]*)(\d{4})$/;

export function classifySearch(text: string): SearchTerm | null {
  const value = text.trim();
  if (!value) return null;
  if (uuid.test(value)) return { kind: 'paydesk_id', id: value.toLowerCase() };
  if (email.test(value)) return { kind: 'email', email: value.toLowerCase() };
  const card = maskedCard.exec(value);
  if (card) return { kind: 'card', bin: card[1]!.replace(/\s/g, ''), last4: card[2]! };
  const last4 = lastFour.exec(value);
  if (last4) return { kind: 'last4', last4: last4[1]! };
  return { kind: 'identifier', value };
}

export const searchKindLabels: Readonly<Record<SearchKind, string>> = {
  paydesk_id: 'Paydesk id',
  email: 'customer e-mail',
  card: 'card BIN and last four',
  last4: 'card last four (or an id of four digits)',
  identifier: 'provider id or merchant reference',
};
