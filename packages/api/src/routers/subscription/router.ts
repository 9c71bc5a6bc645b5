import { z } from 'zod';
import { actorOf } from '../../services/audit.ts';
import { cancelSubscription, cancelSubscriptionSchema } from '../../services/subscriptions/cancel.ts';
import { permissionProcedure, router } from '../../trpc.ts';

export const subscriptionRouter = router({
  cancel: permissionProcedure('subscription.cancel')
    .input(cancelSubscriptionSchema)
    .output(z.object({ status: z.string(), serviceEndsAt: z.string().nullable(), message: z.string() }))
    .mutation(({ ctx, input }) =>
      cancelSubscription(
        {
          db: ctx.db,
          secrets: ctx.secrets,
          now: () => ctx.clock.now(),
          actor: actorOf(ctx.request, ctx.auth),
        },
        input,
      ),
    ),
});
