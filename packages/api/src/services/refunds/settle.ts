/**
 * Settling an intent from what the provider said: its answer to the refund call, or a later look-up.
 * One database transaction writes the new state, the refund on the ledger (the parent transaction as
 * observed, forward-only, and the refund operation), the timeline event, the audit row and the next
 * job, so they commit together or not at all. A settlement applies only to the states it was made
 * for: a late answer never reopens a final intent.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@paydesk/db';
import { operations, refundIntents, timelineEvents, type RefundIntentState } from '@paydesk/db/schema';
import { operationAdvances, type OperationStatus, type RefundStatus } from '@paydesk/domain';
import { isProviderError, type NormalizedRefund, type NormalizedTransaction } from '@paydesk/providers';
import { writeAudit, type Actor } from '../audit.ts';
import { recordObservation } from '../ledger/apply.ts';
import {
  messageFor,
  money,
  timingOf,
  type RefundDeps,
  type RefundIntentRow,
  type RefundTiming,
} from './intents.ts';
import { refundJobNames } from './job-names.ts';

export type Outcome =
  | { kind: 'succeeded'; providerRefundId: string | null; providerStatus: string | null }
  | { kind: 'processing'; providerRefundId: string | null; providerStatus: string | null }
  | { kind: 'failed'; error: string; providerStatus?: string | null }
  /** The call may have reached the provider, and its answer was lost. */
  | { kind: 'unknown'; error: string }
  /** Nothing reached the provider (or it did nothing): send again at `retryAt`. */
  | { kind: 'retry'; error: string; retryAt: Date }
  /** A look-up could not tell yet: look again later. */
  | { kind: 'undetermined'; error: string };

export interface Settlement {
  outcome: Outcome;
  /** The parent transaction as the provider reports it, recorded on the ledger. */
  observed?: NormalizedTransaction | undefined;
  /** The provider's refund object, recorded as an operation when the parent does not carry it. */
  refund?: NormalizedRefund | undefined;
  /** The provider's call, for the timeline: latency and what went wrong. */
  call?: { latencyMs: number; failure?: unknown };
  via: 'send' | 'check' | 'sweep';
  actor: Actor;
  /** States this settlement may move the intent from. */
  from: readonly RefundIntentState[];
}

/** Outcome of the provider's refund object. */
export function outcomeOfRefund(refund: NormalizedRefund): Outcome {
  const ids = { providerRefundId: refund.providerId, providerStatus: refund.rawStatus };
  switch (refund.status) {
    case 'succeeded':
      return { kind: 'succeeded', ...ids };
    case 'failed':
      return {
        kind: 'failed',
        error: `the provider reports the refund failed (its status: ${refund.rawStatus}).`,
        providerStatus: refund.rawStatus,
      };
    case 'pending':
    case 'unknown':
      return { kind: 'processing', ...ids };
  }
}

function lostAnswer(error: { httpStatus?: number | undefined; message: string }): string {
  if (error.httpStatus) return `the provider answered HTTP ${error.httpStatus} without a usable answer.`;
  if (/did not answer|stalled/.test(error.message)) return 'the provider did not answer in time.';
  return 'the connection to the provider broke before its answer arrived.';
}

function backoffMs(attempt: number, timing: RefundTiming): number {
  return Math.min(timing.firstCheckMs * 3 ** Math.max(0, attempt - 1), timing.maxCheckMs);
}

/**
 * What a failed refund call means. Sent again only when the provider says nothing was done
 * (`retrySafe` on a rate limit or an unreachable provider); an answer that may have been lost after the
 * provider acted is `unknown`, settled by looking, never by sending blindly.
 */
export function outcomeOfSendError(
  error: unknown,
  intent: Pick<RefundIntentRow, 'attempts'>,
  timing: RefundTiming,
  now: Date,
): Outcome {
  if (!isProviderError(error)) {
    return { kind: 'unknown', error: 'Paydesk could not read the provider’s answer (an internal error).' };
  }
  const status = error.httpStatus ? ` (HTTP ${error.httpStatus})` : '';
  switch (error.kind) {
    case 'unknown_outcome':
      return { kind: 'unknown', error: lostAnswer(error) };
    case 'rate_limited':
    case 'unavailable':
    case 'network':
    case 'timeout': {
      if (!error.retrySafe) return { kind: 'unknown', error: lostAnswer(error) };
      const why =
        error.kind === 'rate_limited'
          ? `the provider is rate limiting requests${status}.`
          : error.kind === 'timeout'
            ? 'the provider did not answer in time, before the refund was sent.'
            : `the provider could not be reached${status}.`;
      if (intent.attempts >= timing.maxSendAttempts) {
        return { kind: 'failed', error: `${why} Paydesk gave up after ${intent.attempts} attempts.` };
      }
      const waitMs =
        error.retryAfterSeconds !== undefined
          ? Math.max(1_000, error.retryAfterSeconds * 1_000)
          : backoffMs(intent.attempts, timing);
      return { kind: 'retry', error: why, retryAt: new Date(now.getTime() + waitMs) };
    }
    case 'schema':
      return error.retrySafe
        ? { kind: 'failed', error: `the provider answered something Paydesk cannot read${status}.` }
        : { kind: 'unknown', error: lostAnswer(error) };
    case 'auth':
      return {
        kind: 'failed',
        error: `the provider refused the connection’s credentials${status}; an administrator must fix them in Settings → Connections.`,
      };
    case 'invalid_request':
    case 'declined':
    case 'not_found':
    case 'duplicate':
      return {
        kind: 'failed',
        // Adapter messages start with the operation (`refund: …`), which is for logs.
        error: `the provider refused the refund${status}: ${error.message.replace(/^[a-z][\w.]*: /i, '').replace(/[.]$/, '')}${error.providerCode ? ` (code ${error.providerCode})` : ''}.`,
      };
  }
}

const operationStatusOf: Record<RefundStatus, OperationStatus> = {
  pending: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  unknown: 'unknown',
};

/** The refund as an operation of its transaction (for providers whose transaction does not list refunds). */
async function recordRefundOperation(
  tx: Tx,
  transactionId: string,
  refund: NormalizedRefund,
  now: Date,
  source: string,
): Promise<void> {
  const status = operationStatusOf[refund.status];
  const [existing] = await tx
    .select()
    .from(operations)
    .where(and(eq(operations.transactionId, transactionId), eq(operations.providerId, refund.providerId)));
  const values = {
    type: 'refund',
    status,
    rawStatus: refund.rawStatus,
    currency: refund.amount.currency,
    amountMinor: refund.amount.amountMinor,
    feeMinor: refund.fee?.amountMinor ?? null,
    updatedAt: now,
  };
  if (!existing) {
    await tx
      .insert(operations)
      .values({ transactionId, providerId: refund.providerId, createdAt: now, ...values });
    await tx.insert(timelineEvents).values({
      transactionId,
      at: now,
      type: 'operation_added',
      source,
      summary: `refund ${status}`,
      details: {
        operation: refund.providerId,
        status,
        rawStatus: refund.rawStatus,
        amountMinor: refund.amount.amountMinor.toString(),
        currency: refund.amount.currency,
      },
    });
    return;
  }
  const from = existing.status as OperationStatus;
  if (from === status || !operationAdvances(from, status)) return;
  await tx.update(operations).set(values).where(eq(operations.id, existing.id));
  await tx.insert(timelineEvents).values({
    transactionId,
    at: now,
    type: 'operation_changed',
    source,
    summary: `refund ${from} → ${status}`,
    details: { operation: refund.providerId, from, to: status, rawStatus: refund.rawStatus },
  });
}

function callDetails(settlement: Settlement): Record<string, unknown> {
  const call = settlement.call;
  if (!call) return {};
  const failure = call.failure;
  return {
    latencyMs: call.latencyMs,
    outcome: failure === undefined ? 'ok' : 'failed',
    ...(isProviderError(failure)
      ? {
          kind: failure.kind,
          ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
          ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
        }
      : {}),
  };
}

const eventTypes: Record<Outcome['kind'], string> = {
  succeeded: 'refund_succeeded',
  processing: 'refund_processing',
  failed: 'refund_failed',
  unknown: 'refund_unknown_outcome',
  retry: 'refund_retry_scheduled',
  undetermined: 'refund_checked',
};

/** Applies a settlement in one database transaction; answers the intent as it then is. */
export async function applySettlement(
  deps: RefundDeps,
  intentId: string,
  settlement: Settlement,
): Promise<RefundIntentRow> {
  const timing = timingOf(deps);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [intent] = await tx
      .select()
      .from(refundIntents)
      .where(eq(refundIntents.id, intentId))
      .for('update');
    if (!intent) throw new Error(`refund intent ${intentId} vanished`);
    const { outcome } = settlement;
    const applies = settlement.from.includes(intent.state);
    const source = settlement.actor.userId ? 'user' : 'system';

    // What the provider reported is recorded whatever becomes of the intent: the ledger only moves forward.
    if (settlement.observed) {
      await recordObservation(
        tx,
        { connectionId: intent.connectionId, now, source: 'lookup' },
        settlement.observed,
      );
    }
    const refund = settlement.refund;
    if (
      refund &&
      !settlement.observed?.operations.some(
        (op) => op.providerId === refund.providerId && op.type === 'refund',
      )
    ) {
      await recordRefundOperation(tx, intent.transactionId, refund, now, source);
    }
    if (!applies) return intent;

    let update: Partial<typeof refundIntents.$inferInsert>;
    let enqueue: { name: string; startAfter: Date } | null = null;
    switch (outcome.kind) {
      case 'succeeded':
        update = {
          state: 'succeeded',
          providerRefundId: outcome.providerRefundId ?? intent.providerRefundId,
          providerStatus: outcome.providerStatus ?? intent.providerStatus,
          lastError: null,
          leaseUntil: null,
          nextAttemptAt: null,
          settledAt: now,
        };
        break;
      case 'processing': {
        const at = new Date(now.getTime() + backoffMs(intent.checks + 1, timing));
        update = {
          state: 'processing',
          providerRefundId: outcome.providerRefundId ?? intent.providerRefundId,
          providerStatus: outcome.providerStatus ?? intent.providerStatus,
          lastError: null,
          leaseUntil: null,
          nextAttemptAt: at,
        };
        enqueue = { name: refundJobNames.settle, startAfter: at };
        break;
      }
      case 'failed':
        update = {
          state: 'failed',
          lastError: outcome.error,
          providerStatus: outcome.providerStatus ?? intent.providerStatus,
          leaseUntil: null,
          nextAttemptAt: null,
          settledAt: now,
        };
        break;
      case 'unknown': {
        const at = new Date(now.getTime() + timing.firstCheckMs);
        update = { state: 'unknown_outcome', lastError: outcome.error, leaseUntil: null, nextAttemptAt: at };
        enqueue = { name: refundJobNames.settle, startAfter: at };
        break;
      }
      case 'retry':
        update = {
          state: 'queued',
          lastError: outcome.error,
          leaseUntil: null,
          nextAttemptAt: outcome.retryAt,
        };
        enqueue = { name: refundJobNames.send, startAfter: outcome.retryAt };
        break;
      case 'undetermined': {
        const at = new Date(now.getTime() + backoffMs(intent.checks + 1, timing));
        update = {
          nextAttemptAt: at,
          ...(intent.state === 'unknown_outcome' ? { lastError: outcome.error } : {}),
        };
        enqueue = { name: refundJobNames.settle, startAfter: at };
        break;
      }
    }
    const checked = settlement.via === 'send' ? {} : { checks: sql`${refundIntents.checks} + 1` };
    const [after] = await tx
      .update(refundIntents)
      .set({ ...update, ...checked, updatedAt: now })
      .where(eq(refundIntents.id, intentId))
      .returning();
    if (!after) throw new Error(`refund intent ${intentId} vanished`);

    const amount = money(intent.amountMinor, intent.currency);
    const took = settlement.call ? ` in ${settlement.call.latencyMs} ms` : '';
    const summaries: Record<Outcome['kind'], string> = {
      succeeded: `Refund of ${amount} succeeded at the provider${took}`,
      processing: `Refund of ${amount} accepted by the provider${took}, still processing`,
      failed: `Refund of ${amount} failed${took}: ${after.lastError ?? ''}`,
      unknown: `Refund of ${amount}: outcome unknown${took} (${after.lastError ?? ''}); checking with the provider`,
      retry: `Refund of ${amount} not sent${took}: ${after.lastError ?? ''} Trying again at ${after.nextAttemptAt?.toISOString() ?? ''}`,
      undetermined: `Checked the refund of ${amount} with the provider${took}: ${outcome.kind === 'undetermined' ? outcome.error : ''}`,
    };
    await tx.insert(timelineEvents).values({
      transactionId: intent.transactionId,
      at: now,
      type: eventTypes[outcome.kind],
      source,
      summary: summaries[outcome.kind].trim(),
      details: {
        call: 'refund',
        refundIntent: intent.id,
        state: after.state,
        amountMinor: intent.amountMinor.toString(),
        currency: intent.currency,
        attempt: after.attempts,
        ...(after.providerRefundId ? { providerRefundId: after.providerRefundId } : {}),
        ...(settlement.actor.email ? { by: settlement.actor.email } : {}),
        ...callDetails(settlement),
      },
    });
    if (after.state !== intent.state || outcome.kind === 'retry') {
      await writeAudit(
        tx,
        settlement.actor,
        {
          action: settlement.via === 'send' ? 'refund.send' : 'refund.settle',
          result: after.state === 'succeeded' || after.state === 'processing' ? 'success' : 'failure',
          targetType: 'refund',
          targetId: intent.id,
          reason: messageFor(after),
          before: { state: intent.state },
          after: {
            state: after.state,
            transactionId: intent.transactionId,
            amount,
            ...(after.providerRefundId ? { providerRefundId: after.providerRefundId } : {}),
          },
        },
        now,
      );
    }
    if (enqueue) {
      await deps.jobs.sendInTx(tx, enqueue.name, { intentId }, { startAfter: enqueue.startAfter });
    }
    return after;
  });
}
