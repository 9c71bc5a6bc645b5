export const refundJobNames = {
  /** Send one queued intent (a retry after nothing reached the provider, or one its request left). */
  send: 'refund.send',
  /** Settle one intent whose outcome is unknown or still processing at the provider. */
  settle: 'refund.settle',
  /** Every minute: calls stuck past their lease unknown, and queues what is due. */
  sweep: 'refund.sweep',
} as const;
