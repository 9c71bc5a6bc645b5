/**
 * The providers Paydesk speaks to, and what each can do. The UI reads this matrix to offer only what a
 * provider supports, and to say why an action is missing.
 */
export const providerNames = ['gate', 'payment-book', 'paytone'] as const;
export type ProviderName = (typeof providerNames)[number];

export const providerLabels: Readonly<Record<ProviderName, string>> = {
  gate: 'Gate',
  'payment-book': 'Payment Book',
  paytone: 'Paytone',
};

export interface ProviderCapabilities {
  /** Look a transaction up by the merchant's reference (and by the provider's id where it has one). */
  lookup: boolean;
  /** `full`: only the whole remaining amount; `partial`: any amount up to what is left. */
  refund: 'full' | 'partial' | false;
  cancelSubscription: boolean;
  receipt: boolean;
  paymentLink: boolean;
  payout: boolean;
  /** List transactions changed since a cursor (reconciliation without webhooks). */
  listChangedSince: boolean;
  /** `signed`: a verified webhook is trusted; `hint`: only its reference is used, then looked up. */
  webhooks: 'signed' | 'hint';
}

export const providerCapabilities: Readonly<Record<ProviderName, ProviderCapabilities>> = {
  gate: {
    lookup: true,
    refund: 'full',
    cancelSubscription: false,
    receipt: false,
    paymentLink: true,
    payout: true,
    listChangedSince: false,
    webhooks: 'hint',
  },
  'payment-book': {
    lookup: true,
    refund: 'partial',
    cancelSubscription: true,
    receipt: true,
    paymentLink: true,
    payout: true,
    listChangedSince: false,
    webhooks: 'signed',
  },
  paytone: {
    lookup: true,
    refund: 'partial',
    cancelSubscription: false,
    receipt: false,
    paymentLink: true,
    payout: true,
    listChangedSince: true,
    webhooks: 'signed',
  },
};

/** Why an action is not offered, for the tooltip beside the missing button. */
export const capabilityGaps: Readonly<
  Record<ProviderName, Partial<Record<keyof ProviderCapabilities, string>>>
> = {
  gate: {
    refund: 'Gate refunds only the full amount.',
    cancelSubscription: 'Gate has no subscriptions.',
    receipt: 'Gate issues no receipts; Paydesk renders its own.',
    listChangedSince: 'Gate cannot list transactions; Paydesk learns of them from webhooks and look-ups.',
  },
  'payment-book': {
    listChangedSince:
      'Payment Book cannot list transactions; Paydesk learns of them from webhooks and look-ups.',
  },
  paytone: {
    cancelSubscription: 'Paytone has no subscriptions.',
    receipt: 'Paytone issues no receipts; Paydesk renders its own.',
  },
};
