import { actorOf } from '../../services/audit.ts';
import { getSecurityPolicy, securityPolicySchema, updateSecurityPolicy } from '../../services/settings.ts';
import { permissionProcedure, router } from '../../trpc.ts';

export const settingsRouter = router({
  getSecurity: permissionProcedure('settings.manage')
    .output(securityPolicySchema)
    .query(({ ctx }) => getSecurityPolicy(ctx.db)),

  updateSecurity: permissionProcedure('settings.manage')
    .input(securityPolicySchema)
    .output(securityPolicySchema)
    .mutation(({ ctx, input }) =>
      updateSecurityPolicy(ctx.db, actorOf(ctx.request, ctx.auth), input, ctx.clock.now()),
    ),
});
