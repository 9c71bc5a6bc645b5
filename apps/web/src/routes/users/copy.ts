import type { Role } from '@paydesk/domain';

/** What each role may do, in words, for the role pickers. The permissions themselves live in packages/domain. */
export const roleDescriptions: Readonly<Record<Role, string>> = {
  viewer: 'Sees transactions and analytics. Cannot change anything.',
  support: 'Finds payments, refunds them, cancels subscriptions and sends receipts.',
  finance: 'Sees analytics, exports reports, approves refunds and makes payouts.',
  admin: 'Everything, including provider connections, users, security settings and the audit log.',
};

export type UserStatus = 'invited' | 'active' | 'deactivated';

export const userStatuses: Readonly<
  Record<UserStatus, { label: string; color: 'default' | 'success' | 'warning' }>
> = {
  invited: { label: 'Invited', color: 'warning' },
  active: { label: 'Active', color: 'success' },
  deactivated: { label: 'Deactivated', color: 'default' },
};
