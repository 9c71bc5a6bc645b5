export const jobNames = {
  /** Apply one stored webhook delivery to the ledger. */
  applyDelivery: 'ledger.apply-delivery',
  /** Look one transaction up at the provider (hints: unsigned or rejected webhooks). */
  lookup: 'ledger.lookup',
  /** Re-query due non-final transactions, list what is listable, re-queue stuck deliveries. */
  reconcile: 'ledger.reconcile',
} as const;
