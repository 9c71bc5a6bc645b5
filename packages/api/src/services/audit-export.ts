import { stringify } from 'csv-stringify/sync';
import { requirePermission } from '../access.ts';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { auditFilterSchema, parseAuditFilter } from '../routers/audit/router.ts';
import { actorOf, streamAudit, writeAudit } from './audit.ts';

const columns = [
  'id',
  'at',
  'actor',
  'action',
  'target_type',
  'target_id',
  'result',
  'reason',
  'ip',
  'user_agent',
  'before',
  'after',
];

/** A cell that a spreadsheet would run as a formula is prefixed so it stays text (CSV injection). */
function cell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The audit rows matching the Audit log screen's filters, as CSV lines (header first), read in
 * batches. The export itself is audited.
 */
export async function exportAuditCsv(ctx: Context, query: Record<string, unknown>) {
  const auth = await requirePermission(ctx, 'audit.export', 'audit.export', true);
  const parsed = auditFilterSchema.safeParse(query);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }
  const filter = parseAuditFilter(parsed.data);
  const now = ctx.clock.now();
  await writeAudit(
    ctx.db,
    actorOf(ctx.request, auth),
    { action: 'audit.export', result: 'success', after: { ...parsed.data } },
    now,
  );
  const filename = `paydesk-audit-${now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.csv`;
  async function* lines() {
    yield stringify([columns]);
    for await (const row of streamAudit(ctx.db, filter)) {
      yield stringify([
        [
          row.id,
          row.at.toISOString(),
          row.actorEmail,
          row.action,
          row.targetType,
          row.targetId,
          row.result,
          row.reason,
          row.ip,
          row.userAgent,
          row.before,
          row.after,
        ].map(cell),
      ]);
    }
  }
  return { filename, lines: lines() };
}
