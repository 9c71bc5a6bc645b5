import { z } from 'zod';
import type { AuthState, Context } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import { customerSummary, getTransaction, transactionFacets } from '../../services/transactions/detail.ts';
import { transactionListSchema } from '../../services/transactions/filters.ts';
import { listTransactions } from '../../services/transactions/list.ts';
import { refreshTransaction } from '../../services/transactions/refresh.ts';
import { classifySearch } from '../../services/transactions/search.ts';
import { permissionProcedure, router } from '../../trpc.ts';
import { toDetailView, toRowView } from './views.ts';

const byId = z.object({ id: z.string().uuid('a Paydesk transaction id (a UUID)') });

function refreshDeps(ctx: Context & { auth: AuthState }) {
  return {
    db: ctx.db,
    secrets: ctx.secrets,
    now: () => ctx.clock.now(),
    actor: actorOf(ctx.request, ctx.auth),
  };
}

export const transactionRouter = router({
  list: permissionProcedure('transaction.read')
    .input(transactionListSchema)
    .query(async ({ ctx, input }) => {
      const result = await listTransactions(ctx.db, input, ctx.clock.now());
      return {
        rows: result.rows.map(toRowView),
        total: result.total,
        totalIsCapped: result.totalIsCapped,
        window: result.window,
        searchKind: input.q ? (classifySearch(input.q)?.kind ?? null) : null,
      };
    }),

  get: permissionProcedure('transaction.read')
    .input(byId)
    .query(async ({ ctx, input }) => toDetailView(await getTransaction(ctx.db, input.id))),

  customer: permissionProcedure('transaction.read')
    .input(z.object({ email: z.string().trim().email('a customer e-mail address').max(320) }))
    .query(async ({ ctx, input }) => {
      const summary = await customerSummary(ctx.db, input.email);
      return {
        ...summary,
        perProvider: summary.perProvider.map((row) => ({
          ...row,
          amountMinor: row.amountMinor ?? '0',
          lastAt: row.lastAt?.toISOString() ?? null,
        })),
      };
    }),

  facets: permissionProcedure('transaction.read').query(({ ctx }) => transactionFacets(ctx.db)),

  refresh: permissionProcedure('transaction.refresh')
    .input(byId)
    .mutation(({ ctx, input }) => refreshTransaction(refreshDeps(ctx), input.id)),
});
