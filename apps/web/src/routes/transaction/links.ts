/** Where the drill-down links to: the customer view and the grid searched by the e-mail. */

export function customerPath(email: string): string {
  return `/customers/${encodeURIComponent(email)}`;
}

export function transactionsOfCustomerPath(email: string): string {
  return `/transactions?${new URLSearchParams({ q: email }).toString()}`;
}

export function transactionPath(id: string): string {
  return `/transactions/${encodeURIComponent(id)}`;
}

/** Opens the refund dialog on arrival (`/transactions/<id>?refund=1`), as the grid's refund action does. */
export const refundParam = 'refund';

export function refundPath(id: string): string {
  return `${transactionPath(id)}?${refundParam}=1`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Paydesk's transaction ids are UUIDs: anything else is not found without asking the server. */
export function isTransactionId(value: string | undefined): value is string {
  return value !== undefined && uuidPattern.test(value);
}
