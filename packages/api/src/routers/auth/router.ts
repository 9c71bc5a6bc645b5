import { z } from 'zod';
import { permissions, roles } from '@paydesk/domain';
import type { Context } from '../../context.ts';
import { meOf, type Me } from '../../services/auth/me.ts';
import { beginEnrolment, confirmEnrolment, verifySecondFactor } from '../../services/auth/mfa.ts';
import { sessionCookieName } from '../../services/auth/cookies.ts';
import { endSession } from '../../services/auth/sessions.ts';
import { changePassword, completeSetup } from '../../services/auth/setup.ts';
import { signIn } from '../../services/auth/sign-in.ts';
import { actorOf, writeAudit } from '../../services/audit.ts';
import { isMfaRequired } from '../../services/settings.ts';
import { publicProcedure, router, signInStepProcedure } from '../../trpc.ts';
import type { AuthState } from '../../context.ts';

const meUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  permissions: z.array(z.enum(permissions)),
  mfaEnabled: z.boolean(),
});
export const meSchema: z.ZodType<Me> = z.union([
  z.object({ state: z.literal('signed_out') }),
  z.object({
    state: z.enum(['password_change', 'mfa_enrolment', 'mfa_verify', 'signed_in']),
    user: meUser,
    mfaRequired: z.boolean(),
  }),
]);

const email = z.string().trim().min(3).max(320).email('must be an e-mail address');
const password = z.string().min(1, 'is required').max(256);
const code = z.string().trim().min(6).max(20);

async function me(ctx: Pick<Context, 'db'>, auth: AuthState | null): Promise<Me> {
  return meOf(auth, auth ? await isMfaRequired(ctx.db, auth.user.role) : false);
}

export const authRouter = router({
  me: publicProcedure.output(meSchema).query(({ ctx }) => me(ctx, ctx.auth)),

  signIn: publicProcedure
    .input(z.object({ email, password }))
    .output(meSchema)
    .mutation(async ({ ctx, input }) => me(ctx, await signIn(ctx, input))),

  completeSetup: publicProcedure
    .input(z.object({ token: z.string().min(1).max(200), password: z.string().max(256) }))
    .output(meSchema)
    .mutation(async ({ ctx, input }) => me(ctx, await completeSetup(ctx, input))),

  changePassword: signInStepProcedure(['password_change', 'signed_in'])
    .input(z.object({ currentPassword: password, newPassword: z.string().max(256) }))
    .output(meSchema)
    .mutation(async ({ ctx, input }) => me(ctx, await changePassword(ctx, input))),

  mfa: router({
    beginEnrolment: signInStepProcedure(['mfa_enrolment', 'signed_in'])
      .output(z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }))
      .mutation(({ ctx }) => beginEnrolment(ctx)),

    confirmEnrolment: signInStepProcedure(['mfa_enrolment', 'signed_in'])
      .input(z.object({ code }))
      .output(z.object({ recoveryCodes: z.array(z.string()), me: meSchema }))
      .mutation(async ({ ctx, input }) => {
        const result = await confirmEnrolment(ctx, input.code);
        return { recoveryCodes: result.recoveryCodes, me: await me(ctx, result.auth) };
      }),

    verify: signInStepProcedure(['mfa_verify'])
      .input(z.object({ code }))
      .output(meSchema)
      .mutation(async ({ ctx, input }) => me(ctx, await verifySecondFactor(ctx, input.code))),
  }),

  signOut: publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    if (ctx.auth) {
      const auth = ctx.auth;
      const now = ctx.clock.now();
      await ctx.db.transaction(async (tx) => {
        await endSession(tx, auth.sessionId, 'signed_out', now);
        await writeAudit(
          tx,
          actorOf(ctx.request, auth),
          { action: 'auth.sign_out', result: 'success', targetType: 'session', targetId: auth.sessionId },
          now,
        );
      });
    }
    ctx.cookies.clear(sessionCookieName(ctx.config));
    return { ok: true as const };
  }),
});
