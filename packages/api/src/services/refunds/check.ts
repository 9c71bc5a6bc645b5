/**
 * Settling what is not known yet, with backoff: an intent whose answer was lost (`unknown_outcome`), or
 * that the provider accepted but has not finished (`processing`). Never by sending blindly:
 *
 * - Paytone deduplicates refunds by `reference_id` (a repeat answers 409 with the earlier refund), so
 *   the same request is sent again and its answer is the refund as it stands.
 * - Gate has no refund object: its payment shows the refund (`actualAmount: 0`), so a look-up says
 *   whether it happened.
 * - Payment Book does not deduplicate refunds: the transaction's refund operations are looked up and one
 *   of the intent's amount that no other intent claims is taken as this one.
 *
 * No trace at the provider well after the call (and after two look-ups) means it was not performed: the
 * intent fails and the amount is free again. The sweep, every minute, turns calls whose process died
 * (lease over) into unknown outcomes and queues whatever is due, in case a job was lost.
 */
import { performance } from 'node:perf_hooks';
import { and, asc, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import { refundIntents } from '@paydesk/db/schema';
import type { CurrencyCode } from '@paydesk/domain';
import { isProviderError, type NormalizedOperation, type NormalizedTransaction } from '@paydesk/providers';
import { systemActor } from '../audit.ts';
import {
  loadIntentContext,
  refundAdapter,
  timingOf,
  type RefundDeps,
  type RefundIntentRow,
} from './intents.ts';
import { refundJobNames } from './job-names.ts';
import { refundComment } from './send.ts';
import { applySettlement, outcomeOfRefund, outcomeOfSendError, type Outcome } from './settle.ts';

const unsettled = ['unknown_outcome', 'processing'] as const;

function outcomeOfOperation(op: NormalizedOperation): Outcome {
  const ids = { providerRefundId: op.providerId, providerStatus: op.rawStatus };
  switch (op.status) {
    case 'succeeded':
      return { kind: 'succeeded', ...ids };
    case 'failed':
    case 'cancelled':
    case 'expired':
      return {
        kind: 'failed',
        error: `the provider reports the refund ${op.status} (its status: ${op.rawStatus}).`,
        providerStatus: op.rawStatus,
      };
    case 'pending':
    case 'processing':
    case 'unknown':
      return { kind: 'processing', ...ids };
  }
}

/** The provider's refund that is this intent's, in a looked-up transaction. */
async function findRefund(
  deps: RefundDeps,
  intent: RefundIntentRow,
  observed: NormalizedTransaction,
): Promise<NormalizedOperation | undefined> {
  const refunds = observed.operations.filter(
    (op) =>
      op.type === 'refund' &&
      op.amount.currency === intent.currency &&
      (intent.provider === 'gate' || op.amount.amountMinor === intent.amountMinor),
  );
  if (intent.providerRefundId) return refunds.find((op) => op.providerId === intent.providerRefundId);
  if (intent.provider === 'gate') return refunds[0];
  // Payment Book: the first refund of this amount that no other intent of the payment has settled with.
  const claimed = await deps.db
    .select({ providerRefundId: refundIntents.providerRefundId })
    .from(refundIntents)
    .where(
      and(
        eq(refundIntents.transactionId, intent.transactionId),
        ne(refundIntents.id, intent.id),
        isNotNull(refundIntents.providerRefundId),
      ),
    );
  const taken = new Set(claimed.map((row) => row.providerRefundId));
  return refunds
    .filter((op) => !taken.has(op.providerId))
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))[0];
}

/** Looks once; settles the intent if the provider can tell, else schedules the next look. */
export async function checkIntent(deps: RefundDeps, intentId: string): Promise<RefundIntentRow | undefined> {
  const timing = timingOf(deps);
  const context = await loadIntentContext(deps.db, intentId);
  if (!context) return undefined;
  const { intent, transaction, connection } = context;
  if (!(unsettled as readonly string[]).includes(intent.state)) return intent;
  const now = deps.now();
  // A job that comes early (a duplicate, or one the sweep queued) leaves the scheduled look to its own job.
  if (intent.nextAttemptAt && intent.nextAttemptAt > now) return intent;
  const adapter = refundAdapter(deps, connection);
  const started = performance.now();
  const base = { via: 'check' as const, actor: systemActor, from: unsettled };

  if (intent.provider === 'paytone') {
    try {
      const refund = await adapter.refund({
        transaction: { reference: transaction.reference, providerId: transaction.providerId },
        amount: { amountMinor: intent.amountMinor, currency: intent.currency as CurrencyCode },
        reference: intent.providerReference,
        reason: refundComment(intent),
      });
      const latencyMs = Math.round(performance.now() - started);
      const observed = await adapter
        .lookup({ reference: transaction.reference, providerId: transaction.providerId })
        .catch(() => undefined);
      return applySettlement(deps, intentId, {
        ...base,
        outcome: outcomeOfRefund(refund),
        refund,
        observed,
        call: { latencyMs },
      });
    } catch (failure) {
      const latencyMs = Math.round(performance.now() - started);
      const outcome = outcomeOfSendError(failure, { attempts: 0 }, timing, now);
      return applySettlement(deps, intentId, {
        ...base,
        // Unreachable or unreadable now: ask again later.
        outcome:
          outcome.kind === 'retry' || outcome.kind === 'unknown'
            ? { kind: 'undetermined', error: `the provider could not be asked (${outcome.error})` }
            : outcome,
        call: { latencyMs, failure },
      });
    }
  }

  let observed: NormalizedTransaction;
  try {
    observed = await adapter.lookup({ reference: transaction.reference, providerId: transaction.providerId });
  } catch (failure) {
    const why = isProviderError(failure) ? failure.kind.replace(/_/g, ' ') : 'an internal error';
    return applySettlement(deps, intentId, {
      ...base,
      outcome: {
        kind: 'undetermined',
        error: `the look-up at the provider failed (${why}); trying again later.`,
      },
      call: { latencyMs: Math.round(performance.now() - started), failure },
    });
  }
  const latencyMs = Math.round(performance.now() - started);
  const found = await findRefund(deps, intent, observed);
  let outcome: Outcome;
  if (found) {
    outcome = outcomeOfOperation(found);
  } else {
    const sentAt = intent.sentAt ?? intent.createdAt;
    const longAgo = now.getTime() - sentAt.getTime() >= timing.notPerformedAfterMs;
    outcome =
      longAgo && intent.checks >= 1
        ? {
            kind: 'failed',
            error:
              'the provider has no trace of this refund well after it was sent, so it was not performed.',
          }
        : { kind: 'undetermined', error: 'the provider shows no such refund yet; looking again shortly.' };
  }
  return applySettlement(deps, intentId, { ...base, outcome, observed, call: { latencyMs } });
}

export interface SweepReport {
  expired: number;
  queued: number;
  checks: number;
}

/**
 * Every minute: a `sending` intent past its lease lost its process mid-call, so its outcome is unknown;
 * queued intents and due checks get a job (a lost one is replaced; a duplicate finds nothing to do).
 */
export async function sweepRefunds(deps: RefundDeps, options: { limit?: number } = {}): Promise<SweepReport> {
  const now = deps.now();
  const limit = options.limit ?? 200;
  const expired = await deps.db
    .select({ id: refundIntents.id })
    .from(refundIntents)
    .where(and(eq(refundIntents.state, 'sending'), lte(refundIntents.leaseUntil, now)))
    .orderBy(asc(refundIntents.leaseUntil))
    .limit(limit);
  for (const { id } of expired) {
    await applySettlement(deps, id, {
      outcome: {
        kind: 'unknown',
        error:
          'the Paydesk process sending it stopped before the provider answered, so it may or may not have been refunded.',
      },
      via: 'sweep',
      actor: systemActor,
      from: ['sending'],
    });
  }
  // Each of these has a job of its own, due at `next_attempt_at`: only one late by half a minute was lost.
  const overdue = new Date(now.getTime() - 30_000);
  const due = await deps.db
    .select({ id: refundIntents.id, state: refundIntents.state })
    .from(refundIntents)
    .where(
      and(
        inArray(refundIntents.state, ['queued', 'processing', 'unknown_outcome']),
        lte(refundIntents.nextAttemptAt, overdue),
      ),
    )
    .orderBy(asc(refundIntents.nextAttemptAt))
    .limit(limit);
  let queued = 0;
  let checks = 0;
  for (const row of due) {
    if (row.state === 'queued') {
      queued += 1;
      await deps.jobs.send(refundJobNames.send, { intentId: row.id });
    } else {
      checks += 1;
      await deps.jobs.send(refundJobNames.settle, { intentId: row.id });
    }
  }
  return { expired: expired.length, queued, checks };
}
