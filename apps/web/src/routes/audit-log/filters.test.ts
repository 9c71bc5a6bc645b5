import { describe, expect, it } from 'vitest';
import {
  auditQueryInput,
  csvExportHref,
  formatRecorded,
  hasFilters,
  rangeProblem,
  readAuditView,
} from './filters.ts';

// TZ=UTC in vitest.config.ts: local days are UTC days here.
describe('audit log view in the URL', () => {
  it('reads filters, page and size', () => {
    const view = readAuditView(
      new URLSearchParams(
        'actor= ann@x.test &action=user.create&from=2026-03-01&to=2026-03-31&page=3&size=50',
      ),
    );
    expect(view).toEqual({
      actor: 'ann@x.test',
      action: 'user.create',
      from: '2026-03-01',
      to: '2026-03-31',
      page: 2,
      pageSize: 50,
    });
    expect(hasFilters(view)).toBe(true);
    expect(auditQueryInput(view)).toEqual({
      actor: 'ann@x.test',
      action: 'user.create',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      page: 2,
      pageSize: 50,
    });
  });

  it('ignores what it cannot use', () => {
    const view = readAuditView(new URLSearchParams('from=yesterday&size=13&page=zero'));
    expect(view).toEqual({ actor: '', action: '', from: '', to: '', page: 0, pageSize: 25 });
    expect(hasFilters(view)).toBe(false);
    expect(auditQueryInput(view)).toEqual({ page: 0, pageSize: 25 });
  });

  it('flags a reversed range', () => {
    expect(rangeProblem(readAuditView(new URLSearchParams('from=2026-03-02&to=2026-03-01')))).toMatch(
      /on or after/,
    );
    expect(rangeProblem(readAuditView(new URLSearchParams('from=2026-03-01&to=2026-03-01')))).toBeNull();
  });

  it('exports with the same filters and no paging', () => {
    const view = readAuditView(new URLSearchParams('actor=a b&from=2026-03-01&page=4'));
    expect(csvExportHref(view)).toBe('/exports/audit.csv?actor=a+b&from=2026-03-01T00%3A00%3A00.000Z');
    expect(csvExportHref(readAuditView(new URLSearchParams()))).toBe('/exports/audit.csv');
  });

  it('formats recorded values', () => {
    expect(formatRecorded(null)).toBe('—');
    expect(formatRecorded({ role: 'admin' })).toBe('{\n  "role": "admin"\n}');
  });
});
