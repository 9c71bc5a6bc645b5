import type { RouterOutputs } from '../../lib/trpc.ts';

export type AuditRow = RouterOutputs['audit']['list']['rows'][number];
export type AuditResult = AuditRow['result'];

export const auditResults: Readonly<
  Record<AuditResult, { label: string; color: 'success' | 'warning' | 'error' }>
> = {
  success: { label: 'Succeeded', color: 'success' },
  denied: { label: 'Refused', color: 'warning' },
  failure: { label: 'Failed', color: 'error' },
};

export function targetOf(row: Pick<AuditRow, 'targetType' | 'targetId'>): string {
  if (!row.targetType && !row.targetId) return '—';
  return [row.targetType, row.targetId].filter(Boolean).join(' ');
}
