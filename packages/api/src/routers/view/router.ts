import { z } from 'zod';
import type { AuthState, Context } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import {
  createView,
  deleteView,
  getGridLayout,
  gridLayoutSchema,
  gridNames,
  listViews,
  saveGridLayout,
  setViewShared,
  updateView,
  viewNameSchema,
  viewStateSchema,
  type ViewsDeps,
} from '../../services/saved-views.ts';
import { permissionProcedure, router } from '../../trpc.ts';

const grid = z.enum(gridNames, { message: `a grid: ${gridNames.join(', ')}` });
const byId = z.object({ id: z.string().uuid('a saved view id') });

function deps(ctx: Context & { auth: AuthState }): ViewsDeps {
  return {
    db: ctx.db,
    now: ctx.clock.now(),
    actor: actorOf(ctx.request, ctx.auth),
    user: { id: ctx.auth.user.id, role: ctx.auth.user.role },
  };
}

/** Saved views and remembered layouts belong to the grids, so reading those is what they need. */
export const viewRouter = router({
  list: permissionProcedure('transaction.read')
    .input(z.object({ grid }))
    .query(({ ctx, input }) => listViews(ctx.db, ctx.auth.user.id, input.grid)),

  create: permissionProcedure('transaction.read')
    .input(z.object({ grid, name: viewNameSchema, state: viewStateSchema }))
    .mutation(({ ctx, input }) => createView(deps(ctx), input)),

  update: permissionProcedure('transaction.read')
    .input(byId.extend({ name: viewNameSchema.optional(), state: viewStateSchema.optional() }))
    .mutation(({ ctx, input }) => updateView(deps(ctx), input)),

  remove: permissionProcedure('transaction.read')
    .input(byId)
    .mutation(({ ctx, input }) => deleteView(deps(ctx), input.id)),

  setShared: permissionProcedure('savedView.publish')
    .input(byId.extend({ shared: z.boolean() }))
    .mutation(({ ctx, input }) => setViewShared(deps(ctx), input.id, input.shared)),

  layout: permissionProcedure('transaction.read')
    .input(z.object({ grid }))
    .query(({ ctx, input }) => getGridLayout(ctx.db, ctx.auth.user.id, input.grid)),

  saveLayout: permissionProcedure('transaction.read')
    .input(z.object({ grid, layout: gridLayoutSchema }))
    .mutation(({ ctx, input }) => saveGridLayout(deps(ctx), input.grid, input.layout)),
});
