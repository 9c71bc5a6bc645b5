import { z } from 'zod';
import { roles } from '@paydesk/domain';
import type { Context, AuthState } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import {
  createUser,
  deactivateUser,
  issueUserSetupLink,
  listUsers,
  reactivateUser,
  resetUserMfa,
  setUserRole,
  type UserDeps,
} from '../../services/users.ts';
import { permissionProcedure, router } from '../../trpc.ts';

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  status: z.enum(['invited', 'active', 'deactivated']),
  mfaEnabled: z.boolean(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});

const byId = z.object({ id: z.string().uuid() });

function deps(ctx: Context & { auth: AuthState }): UserDeps {
  return { db: ctx.db, config: ctx.config, now: ctx.clock.now(), actor: actorOf(ctx.request, ctx.auth) };
}

export const userRouter = router({
  list: permissionProcedure('user.read')
    .output(z.array(userSchema))
    .query(({ ctx }) => listUsers(ctx.db)),

  create: permissionProcedure('user.manage')
    .input(
      z.object({
        email: z.string().trim().max(320).email('must be an e-mail address'),
        name: z.string().trim().min(1, 'is required').max(200),
        role: z.enum(roles),
      }),
    )
    .output(z.object({ user: userSchema, setupUrl: z.string() }))
    .mutation(({ ctx, input }) => createUser(deps(ctx), input)),

  setRole: permissionProcedure('user.manage')
    .input(z.object({ id: z.string().uuid(), role: z.enum(roles) }))
    .output(userSchema)
    .mutation(({ ctx, input }) => setUserRole(deps(ctx), input)),

  deactivate: permissionProcedure('user.manage')
    .input(byId)
    .output(userSchema)
    .mutation(({ ctx, input }) => deactivateUser(deps(ctx), input)),

  reactivate: permissionProcedure('user.manage')
    .input(byId)
    .output(userSchema)
    .mutation(({ ctx, input }) => reactivateUser(deps(ctx), input)),

  resetMfa: permissionProcedure('user.manage')
    .input(byId)
    .output(userSchema)
    .mutation(({ ctx, input }) => resetUserMfa(deps(ctx), input)),

  issueSetupLink: permissionProcedure('user.manage')
    .input(byId)
    .output(z.object({ setupUrl: z.string() }))
    .mutation(({ ctx, input }) => issueUserSetupLink(deps(ctx), input)),
});
