import { z } from 'zod';
import { refundIntentStates, refundReasons } from '@paydesk/db/schema';
import type { AuthState, Context } from '../../context.ts';
import { actorOf } from '../../services/audit.ts';
import {
  createRefund,
  createRefundSchema,
  quoteRefund,
  quoteRefundSchema,
} from '../../services/refunds/create.ts';
import {
  approveRefund,
  approveRefundSchema,
  getRefund,
  listRefunds,
  pendingRefunds,
  rejectRefund,
  rejectRefundSchema,
} from '../../services/refunds/decide.ts';
import type { RefundDeps } from '../../services/refunds/intents.ts';
import { getRefundPolicy, refundPolicySchema, updateRefundPolicy } from '../../services/refunds/policy.ts';
import { permissionProcedure, router } from '../../trpc.ts';

function refundDeps(ctx: Context): RefundDeps {
  return { db: ctx.db, secrets: ctx.secrets, jobs: ctx.jobs, log: ctx.log, now: () => ctx.clock.now() };
}

function who(ctx: Context & { auth: AuthState }) {
  return {
    user: { id: ctx.auth.user.id, email: ctx.auth.user.email },
    actor: actorOf(ctx.request, ctx.auth),
  };
}

const iso = z.string().nullable();

/** What the browser gets of an intent: no provider payloads, amounts as decimal strings. */
export const refundIntentOutput = z.object({
  id: z.string(),
  transactionId: z.string(),
  provider: z.string(),
  amount: z.string(),
  amountMinor: z.string(),
  currency: z.string(),
  reason: z.enum(refundReasons),
  note: z.string().nullable(),
  state: z.enum(refundIntentStates),
  final: z.boolean(),
  /** For people: what happened, what Paydesk does next, what to do. */
  message: z.string(),
  approvalRequired: z.boolean(),
  approvalRule: z.string().nullable(),
  requestedBy: z.string(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: iso,
  providerReference: z.string(),
  providerRefundId: z.string().nullable(),
  providerStatus: z.string().nullable(),
  lastError: z.string().nullable(),
  attempts: z.number(),
  checks: z.number(),
  nextAttemptAt: iso,
  settledAt: iso,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const quoteOutput = z.object({
  transactionId: z.string(),
  provider: z.string(),
  currency: z.string(),
  captured: z.string(),
  refunded: z.string(),
  inFlight: z.string(),
  /** Refunds asked for or pending at the provider, not yet settled, in minor units. */
  inFlightMinor: z.string(),
  refundable: z.string(),
  refundableMinor: z.string(),
  mode: z.enum(['full', 'partial']).nullable(),
  partialAllowed: z.boolean(),
  canRefund: z.boolean(),
  blockedReason: z.string().nullable(),
  amount: z.string(),
  approvalRequired: z.boolean(),
  approvalRule: z.string().nullable(),
  approvalThreshold: z.string().nullable(),
  approvalMaxSharePercent: z.number().nullable(),
});

const byTransaction = z.object({ transactionId: z.string().uuid('a Paydesk transaction id (a UUID)') });

export const refundRouter = router({
  quote: permissionProcedure('refund.create')
    .input(quoteRefundSchema)
    .output(quoteOutput)
    .query(({ ctx, input }) => quoteRefund(refundDeps(ctx), input)),

  create: permissionProcedure('refund.create')
    .input(createRefundSchema)
    .output(z.object({ intent: refundIntentOutput, replayed: z.boolean() }))
    .mutation(({ ctx, input }) => createRefund(refundDeps(ctx), who(ctx), input)),

  approve: permissionProcedure('refund.approve')
    .input(approveRefundSchema)
    .output(refundIntentOutput)
    .mutation(({ ctx, input }) => approveRefund(refundDeps(ctx), who(ctx), input)),

  reject: permissionProcedure('refund.approve')
    .input(rejectRefundSchema)
    .output(refundIntentOutput)
    .mutation(({ ctx, input }) => rejectRefund(refundDeps(ctx), who(ctx), input)),

  get: permissionProcedure('transaction.read')
    .input(z.object({ id: z.string().uuid('a refund id (a UUID)') }))
    .output(refundIntentOutput)
    .query(({ ctx, input }) => getRefund(ctx, input.id)),

  list: permissionProcedure('transaction.read')
    .input(byTransaction)
    .output(z.array(refundIntentOutput))
    .query(({ ctx, input }) => listRefunds(ctx, input.transactionId)),

  pending: permissionProcedure('refund.approve')
    .output(z.array(refundIntentOutput))
    .query(({ ctx }) => pendingRefunds(ctx)),

  policy: permissionProcedure('settings.manage')
    .output(refundPolicySchema)
    .query(({ ctx }) => getRefundPolicy(ctx.db)),

  updatePolicy: permissionProcedure('settings.manage')
    .input(refundPolicySchema)
    .output(refundPolicySchema)
    .mutation(({ ctx, input }) =>
      updateRefundPolicy(ctx.db, actorOf(ctx.request, ctx.auth), input, ctx.clock.now()),
    ),
});
