export const jobNames = {
  /** Apply one stored hint delivery to the ledger, after a look-up at the provider. */
  applyDelivery: 'ledger.apply-delivery',
  /** Apply the authoritative deliveries waiting in the inbox, a batch at a time (a drain, not a queue). */
  drainInbox: 'ledger.drain-inbox',
  /** Look one transaction up at the provider (hints: unsigned or rejected webhooks). */
  lookup: 'ledger.lookup',
  /** Re-query due non-final transactions, list what is listable, re-queue stuck deliveries. */
  reconcile: 'ledger.reconcile',
} as const;
