import { z } from 'zod';
import { listAudit, listAuditActions } from '../../services/audit.ts';
import { permissionProcedure, router } from '../../trpc.ts';

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(320).optional(),
  action: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const auditRow = z.object({
  id: z.number(),
  at: z.string(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  reason: z.string().nullable(),
  result: z.enum(['success', 'denied', 'failure']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export function parseAuditFilter(input: z.infer<typeof auditFilterSchema>) {
  return {
    actor: input.actor || undefined,
    action: input.action || undefined,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
  };
}

export const auditRouter = router({
  list: permissionProcedure('audit.read')
    .input(
      auditFilterSchema.extend({
        page: z.number().int().min(0).max(100_000),
        pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]),
      }),
    )
    .output(z.object({ rows: z.array(auditRow), total: z.number() }))
    .query(async ({ ctx, input }) => {
      const { rows, total } = await listAudit(ctx.db, parseAuditFilter(input), input.page, input.pageSize);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorEmail: r.actorEmail,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          reason: r.reason,
          result: r.result,
          ip: r.ip,
          userAgent: r.userAgent,
          before: r.before,
          after: r.after,
        })),
        total,
      };
    }),

  actions: permissionProcedure('audit.read')
    .output(z.array(z.string()))
    .query(({ ctx }) => listAuditActions(ctx.db)),
});
