import { z } from 'zod';
import type { AuthState, Context } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import {
  createConnection,
  createConnectionSchema,
  getConnection,
  listConnections,
  maxOverlapHours,
  rotateCredentials,
  rotateWebhookSecret,
  setConnectionEnabled,
  testConnection,
  updateConnection,
  updateConnectionSchema,
  type ConnectionDeps,
} from '../../services/connections/connections.ts';
import { providerForms } from '../../services/connections/forms.ts';
import { permissionProcedure, router } from '../../trpc.ts';

const byId = z.object({ id: z.string().uuid() });

function deps(ctx: Context & { auth: AuthState }): ConnectionDeps {
  return {
    db: ctx.db,
    secrets: ctx.secrets,
    publicUrl: ctx.config.publicUrl,
    now: ctx.clock.now(),
    actor: actorOf(ctx.request, ctx.auth),
  };
}

export const connectionRouter = router({
  forms: permissionProcedure('connection.read').query(() => providerForms),

  list: permissionProcedure('connection.read').query(({ ctx }) => listConnections(deps(ctx))),

  get: permissionProcedure('connection.read')
    .input(byId)
    .query(({ ctx, input }) => getConnection(deps(ctx), input.id)),

  // Shapes are checked by the service (one zod schema per provider) so errors name the field.
  create: permissionProcedure('connection.manage')
    .input(createConnectionSchema.partial({ credentials: true }).passthrough())
    .mutation(({ ctx, input }) =>
      createConnection(deps(ctx), { ...input, credentials: input.credentials ?? {} }),
    ),

  update: permissionProcedure('connection.manage')
    .input(updateConnectionSchema)
    .mutation(({ ctx, input }) => updateConnection(deps(ctx), input)),

  rotateCredentials: permissionProcedure('connection.manage')
    .input(byId.extend({ credentials: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => rotateCredentials(deps(ctx), input.id, input.credentials)),

  rotateWebhookSecret: permissionProcedure('connection.manage')
    .input(
      byId.extend({
        secret: z.string(),
        overlapHours: z
          .number()
          .min(0, 'the overlap cannot be negative')
          .max(maxOverlapHours, `the overlap is at most ${maxOverlapHours} hours`),
      }),
    )
    .mutation(({ ctx, input }) => rotateWebhookSecret(deps(ctx), input.id, input)),

  setEnabled: permissionProcedure('connection.manage')
    .input(byId.extend({ enabled: z.boolean(), reason: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) => setConnectionEnabled(deps(ctx), input.id, input.enabled, input.reason)),

  test: permissionProcedure('connection.manage')
    .input(byId)
    .mutation(({ ctx, input }) => testConnection(deps(ctx), input.id)),
});
