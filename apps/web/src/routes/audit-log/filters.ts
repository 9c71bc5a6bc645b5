import { parseDay, nextDayStartIso, dayStartIso } from '../../lib/format.ts';
import { parsePage, parsePageSize } from '../../lib/grid-url.ts';

export const auditPageSizes = [25, 50, 100] as const;
export type AuditPageSize = (typeof auditPageSizes)[number];

/** The audit log's view, as kept in the URL: `?actor=&action=&from=2026-03-01&to=2026-03-31&page=2&size=50`. */
export interface AuditView {
  actor: string;
  action: string;
  /** Local calendar days (YYYY-MM-DD), as the date fields show them. */
  from: string;
  to: string;
  page: number;
  pageSize: AuditPageSize;
}

export function readAuditView(params: URLSearchParams): AuditView {
  const day = (key: string) => {
    const value = params.get(key) ?? '';
    return parseDay(value) ? value : '';
  };
  return {
    actor: (params.get('actor') ?? '').trim(),
    action: (params.get('action') ?? '').trim(),
    from: day('from'),
    to: day('to'),
    page: parsePage(params.get('page')),
    pageSize: parsePageSize(params.get('size'), auditPageSizes, 25),
  };
}

export function hasFilters(view: AuditView): boolean {
  return Boolean(view.actor || view.action || view.from || view.to);
}

/** "To" before "From" selects nothing; say so instead of showing an empty log. */
export function rangeProblem(view: AuditView): string | null {
  return view.from && view.to && view.from > view.to ? 'Must be on or after the “From” day.' : null;
}

/** The filters as the API (and the CSV export) take them: whole local days as ISO instants (`to` is exclusive). */
export function auditFilterInput(view: AuditView): {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
} {
  const from = view.from ? dayStartIso(view.from) : undefined;
  const to = view.to ? nextDayStartIso(view.to) : undefined;
  return {
    ...(view.actor ? { actor: view.actor } : {}),
    ...(view.action ? { action: view.action } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

export function auditQueryInput(view: AuditView) {
  return { ...auditFilterInput(view), page: view.page, pageSize: view.pageSize };
}

export function csvExportHref(view: AuditView): string {
  const query = new URLSearchParams(auditFilterInput(view)).toString();
  return query ? `/exports/audit.csv?${query}` : '/exports/audit.csv';
}

/** before/after are whatever the action recorded; shown as indented JSON, or a dash when absent. */
export function formatRecorded(value: unknown): string {
  if (value === null || value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2) ?? '—';
  } catch {
    // A value JSON cannot hold (a cycle, a bigint) never comes from the API's JSON; said, not thrown.
    return '(this value cannot be displayed)';
  }
}
