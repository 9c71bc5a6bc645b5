import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { actorOf, writeAudit } from '../../services/audit.ts';
import { endSession, endUserSessions, listActiveSessions } from '../../services/auth/sessions.ts';
import { authedProcedure, router } from '../../trpc.ts';

const sessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

/** A user's own sessions: see where they are signed in, end the others. */
export const sessionRouter = router({
  list: authedProcedure.output(z.array(sessionSchema)).query(async ({ ctx }) => {
    const rows = await listActiveSessions(ctx.db, ctx.auth.user.id, ctx.clock.now());
    return rows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === ctx.auth.sessionId,
    }));
  }),

  revoke: authedProcedure
    .input(z.object({ id: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const mine = await listActiveSessions(ctx.db, ctx.auth.user.id, ctx.clock.now());
      if (!mine.some((s) => s.id === input.id)) throw new AppError('not_found', 'No such active session.');
      const now = ctx.clock.now();
      await ctx.db.transaction(async (tx) => {
        await endSession(tx, input.id, 'revoked_by_user', now);
        await writeAudit(
          tx,
          actorOf(ctx.request, ctx.auth),
          { action: 'session.revoke', result: 'success', targetType: 'session', targetId: input.id },
          now,
        );
      });
      return { ok: true as const };
    }),

  revokeOthers: authedProcedure.output(z.object({ revoked: z.number() })).mutation(async ({ ctx }) => {
    const now = ctx.clock.now();
    const revoked = await ctx.db.transaction(async (tx) => {
      const ended = await endUserSessions(tx, ctx.auth.user.id, 'revoked_by_user', now, ctx.auth.sessionId);
      await writeAudit(
        tx,
        actorOf(ctx.request, ctx.auth),
        {
          action: 'session.revoke_others',
          result: 'success',
          targetType: 'user',
          targetId: ctx.auth.user.id,
          after: { sessionsEnded: ended },
        },
        now,
      );
      return ended;
    });
    return { revoked };
  }),
});
