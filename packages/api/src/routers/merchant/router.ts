import { z } from 'zod';
import { actorOf } from '../../services/audit.ts';
import {
  getMerchantProfile,
  merchantProfileSchema,
  updateMerchantProfile,
} from '../../services/merchant-profile.ts';
import { permissionProcedure, router } from '../../trpc.ts';

const profileView = z.object({ name: z.string(), timeZone: z.string() });

export const merchantRouter = router({
  // Everyone who can see a transaction sees whose receipts they are and in which zone.
  get: permissionProcedure('transaction.read')
    .output(profileView)
    .query(({ ctx }) => getMerchantProfile(ctx.db)),

  update: permissionProcedure('settings.manage')
    .input(merchantProfileSchema)
    .output(profileView)
    .mutation(({ ctx, input }) =>
      updateMerchantProfile(ctx.db, actorOf(ctx.request, ctx.auth), input, ctx.clock.now()),
    ),
});
