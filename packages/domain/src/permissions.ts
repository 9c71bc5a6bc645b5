/**
 * Roles are sets of `resource.action` permissions, defined here once. The server checks them in one
 * place (the base procedures of packages/api); the SPA reads the same table to hide what a role
 * cannot do.
 */

export const roles = ['viewer', 'support', 'finance', 'admin'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'transaction.read',
  'transaction.refresh',
  'refund.create',
  'refund.approve',
  'subscription.cancel',
  'receipt.download',
  'paymentLink.create',
  'payout.create',
  'analytics.read',
  'report.export',
  'connection.read',
  'connection.manage',
  'webhook.read',
  'webhook.manage',
  'user.read',
  'user.manage',
  'audit.read',
  'audit.export',
  'settings.manage',
  'savedView.publish',
] as const;
export type Permission = (typeof permissions)[number];

const viewer: readonly Permission[] = ['transaction.read', 'analytics.read'];
const support: readonly Permission[] = [
  ...viewer,
  'transaction.refresh',
  'refund.create',
  'subscription.cancel',
  'receipt.download',
  'paymentLink.create',
];
const finance: readonly Permission[] = [
  ...viewer,
  'transaction.refresh',
  'refund.approve',
  'receipt.download',
  'payout.create',
  'report.export',
];

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  viewer,
  support,
  finance,
  admin: permissions,
};

export const roleLabels: Readonly<Record<Role, string>> = {
  viewer: 'Viewer',
  support: 'Support agent',
  finance: 'Finance',
  admin: 'Administrator',
};

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
