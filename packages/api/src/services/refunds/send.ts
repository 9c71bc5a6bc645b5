/**
 * Sending an intent: claim it (queued → sending, committed with a lease) so exactly one process calls
 * the provider, call the adapter outside any database transaction, then settle from the answer.
 */
import { performance } from 'node:perf_hooks';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { refundIntents } from '@paydesk/db/schema';
import type { CurrencyCode } from '@paydesk/domain';
import type { NormalizedRefund, NormalizedTransaction } from '@paydesk/providers';
import type { Actor } from '../audit.ts';
import {
  loadIntent,
  loadIntentContext,
  reasonLabels,
  refundAdapter,
  timingOf,
  type RefundDeps,
  type RefundIntentRow,
} from './intents.ts';
import { applySettlement, outcomeOfRefund, outcomeOfSendError } from './settle.ts';

/** The text sent with the refund: our reference first, so the provider's staff can find it. */
export function refundComment(
  intent: Pick<RefundIntentRow, 'providerReference' | 'reason' | 'note'>,
): string {
  const reason = reasonLabels[intent.reason];
  return `Paydesk ${intent.providerReference}: ${reason}${intent.note ? ` — ${intent.note}` : ''}`.slice(
    0,
    250,
  );
}

export interface RefundCall {
  refund?: NormalizedRefund;
  failure?: unknown;
  /** The parent transaction, from the answer or a follow-up look-up. */
  observed?: NormalizedTransaction | undefined;
  latencyMs: number;
}

/** Calls the provider's refund (never inside a database transaction) and reports what came back. */
export async function callRefund(
  deps: RefundDeps,
  context: NonNullable<Awaited<ReturnType<typeof loadIntentContext>>>,
): Promise<RefundCall> {
  const { intent, transaction, connection } = context;
  const adapter = refundAdapter(deps, connection);
  const started = performance.now();
  try {
    const refund = await adapter.refund({
      transaction: { reference: transaction.reference, providerId: transaction.providerId },
      amount: { amountMinor: intent.amountMinor, currency: intent.currency as CurrencyCode },
      reference: intent.providerReference,
      reason: refundComment(intent),
    });
    const latencyMs = Math.round(performance.now() - started);
    let observed = refund.transaction;
    if (!observed && refund.status !== 'failed') {
      // The answer names only the refund (Paytone): the payment's new refunded amount is a look-up away.
      // The refund stands either way, so a failed look-up changes nothing.
      observed = await adapter
        .lookup({ reference: transaction.reference, providerId: transaction.providerId })
        .catch(() => undefined);
    }
    return { refund, observed, latencyMs };
  } catch (failure) {
    return { failure, latencyMs: Math.round(performance.now() - started) };
  }
}

/**
 * Sends one queued intent. `dueOnly` (jobs, the sweep) leaves an intent whose next attempt is later;
 * the request that wrote or approved the intent sends it at once. Answers the intent as it ends up.
 */
export async function sendIntent(
  deps: RefundDeps,
  intentId: string,
  actor: Actor,
  options: { dueOnly?: boolean } = {},
): Promise<RefundIntentRow | undefined> {
  const timing = timingOf(deps);
  const now = deps.now();
  const due = options.dueOnly
    ? or(isNull(refundIntents.nextAttemptAt), lte(refundIntents.nextAttemptAt, now))
    : undefined;
  // The claim commits before the call: a second process (or a retried job) finds `sending` and leaves it.
  const [claimed] = await deps.db
    .update(refundIntents)
    .set({
      state: 'sending',
      attempts: sql`${refundIntents.attempts} + 1`,
      leaseUntil: new Date(now.getTime() + timing.leaseMs),
      nextAttemptAt: null,
      sentAt: now,
      updatedAt: now,
    })
    .where(and(eq(refundIntents.id, intentId), eq(refundIntents.state, 'queued'), due))
    .returning({ id: refundIntents.id });
  if (!claimed) return loadIntent(deps.db, intentId);

  const context = await loadIntentContext(deps.db, intentId);
  if (!context) return undefined;
  if (!context.connection.enabled) {
    return applySettlement(deps, intentId, {
      outcome: {
        kind: 'failed',
        error: `the connection “${context.connection.name}” is disabled, so nothing was sent; enable it in Settings → Connections first.`,
      },
      via: 'send',
      actor,
      from: ['sending'],
    });
  }
  const call = await callRefund(deps, context);
  const outcome = call.refund
    ? outcomeOfRefund(call.refund)
    : outcomeOfSendError(call.failure, context.intent, timing, deps.now());
  return applySettlement(deps, intentId, {
    outcome,
    observed: call.observed,
    refund: call.refund,
    call: { latencyMs: call.latencyMs, ...(call.refund ? {} : { failure: call.failure }) },
    via: 'send',
    actor,
    // An answer that outlived the lease is still the provider's word: it settles an unknown outcome too.
    from: ['sending', 'unknown_outcome'],
  });
}
