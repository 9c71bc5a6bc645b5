import { z } from 'zod';
import { providerNames } from '@paydesk/domain';
import type { AuthState, Context } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import {
  createPaymentLink,
  createPaymentLinkSchema,
  paymentLinkOptions,
  type PaymentLinkDeps,
} from '../../services/payment-links/create.ts';
import { permissionProcedure, router } from '../../trpc.ts';

function deps(ctx: Context & { auth: AuthState }): PaymentLinkDeps {
  return {
    db: ctx.db,
    secrets: ctx.secrets,
    publicUrl: ctx.config.publicUrl,
    jobs: ctx.jobs,
    log: ctx.log,
    now: () => ctx.clock.now(),
    actor: actorOf(ctx.request, ctx.auth),
  };
}

const optionsView = z.object({
  connections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      provider: z.enum(providerNames),
      mode: z.enum(['test', 'live']),
      currencies: z.array(z.string()).nullable(),
    }),
  ),
  currencies: z.array(z.object({ code: z.string(), exponent: z.number() })),
});

const createdView = z.object({
  transactionId: z.string().nullable(),
  url: z.string(),
  reference: z.string(),
  providerId: z.string(),
  status: z.string().nullable(),
  message: z.string(),
});

export const paymentLinkRouter = router({
  options: permissionProcedure('paymentLink.create')
    .output(optionsView)
    .query(({ ctx }) => paymentLinkOptions(ctx.db)),

  create: permissionProcedure('paymentLink.create')
    .input(createPaymentLinkSchema)
    .output(createdView)
    .mutation(({ ctx, input }) => createPaymentLink(deps(ctx), input)),
});
