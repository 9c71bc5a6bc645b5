import { describe, expect, it } from 'vitest';
import { rolePermissions } from '@paydesk/domain';
import { homePath, visibleScreens } from './navigation.ts';

const labels = (role: keyof typeof rolePermissions) => {
  const { main, settings } = visibleScreens(rolePermissions[role]);
  return { main: main.map((s) => s.label), settings: settings.map((s) => s.label) };
};

describe('navigation follows permissions', () => {
  it('shows a support agent no settings', () => {
    expect(labels('support')).toEqual({ main: ['Transactions', 'Analytics'], settings: [] });
  });

  it('shows finance reports', () => {
    expect(labels('finance').main).toEqual(['Transactions', 'Refund approvals', 'Analytics', 'Reports']);
  });

  it('shows an administrator everything', () => {
    expect(labels('admin').settings).toEqual([
      'Connections',
      'Webhooks',
      'Users',
      'Refunds & receipts',
      'Security',
      'Audit log',
    ]);
  });

  it('sends "/" to the first allowed screen', () => {
    expect(homePath(rolePermissions.viewer)).toBe('/transactions');
    expect(homePath(['audit.read'])).toBe('/settings/audit-log');
    expect(homePath([])).toBeNull();
  });
});
