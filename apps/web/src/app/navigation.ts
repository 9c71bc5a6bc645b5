import type { Permission } from '@paydesk/domain';

/**
 * Every screen of the app, once: the router guards each path with its permission and the drawer shows
 * only what the signed-in user's permissions allow. The server checks the same permissions again.
 */
export interface Screen {
  id: ScreenId;
  path: string;
  label: string;
  permission: Permission;
  section: 'main' | 'settings';
}

export type ScreenId =
  | 'transactions'
  | 'approvals'
  | 'analytics'
  | 'reports'
  | 'connections'
  | 'webhooks'
  | 'users'
  | 'refunds-settings'
  | 'security'
  | 'audit-log';

export const screens: readonly Screen[] = [
  {
    id: 'transactions',
    path: '/transactions',
    label: 'Transactions',
    permission: 'transaction.read',
    section: 'main',
  },
  {
    id: 'approvals',
    path: '/refunds/approvals',
    label: 'Refund approvals',
    permission: 'refund.approve',
    section: 'main',
  },
  { id: 'analytics', path: '/analytics', label: 'Analytics', permission: 'analytics.read', section: 'main' },
  { id: 'reports', path: '/reports', label: 'Reports', permission: 'report.export', section: 'main' },
  {
    id: 'connections',
    path: '/settings/connections',
    label: 'Connections',
    permission: 'connection.read',
    section: 'settings',
  },
  {
    id: 'webhooks',
    path: '/settings/webhooks',
    label: 'Webhooks',
    permission: 'webhook.read',
    section: 'settings',
  },
  { id: 'users', path: '/settings/users', label: 'Users', permission: 'user.read', section: 'settings' },
  {
    id: 'refunds-settings',
    path: '/settings/refunds',
    label: 'Refunds & receipts',
    permission: 'settings.manage',
    section: 'settings',
  },
  {
    id: 'security',
    path: '/settings/security',
    label: 'Security',
    permission: 'settings.manage',
    section: 'settings',
  },
  {
    id: 'audit-log',
    path: '/settings/audit-log',
    label: 'Audit log',
    permission: 'audit.read',
    section: 'settings',
  },
];

export const sessionsPath = '/account/sessions';

export function screen(id: ScreenId): Screen {
  const found = screens.find((s) => s.id === id);
  if (!found) throw new Error(`unknown screen ${id}`);
  return found;
}

export function visibleScreens(granted: readonly Permission[]): { main: Screen[]; settings: Screen[] } {
  const allowed = screens.filter((s) => granted.includes(s.permission));
  return {
    main: allowed.filter((s) => s.section === 'main'),
    settings: allowed.filter((s) => s.section === 'settings'),
  };
}

/** Where "/" leads: the first screen the user may open, or null when they may open none. */
export function homePath(granted: readonly Permission[]): string | null {
  return screens.find((s) => granted.includes(s.permission))?.path ?? null;
}
