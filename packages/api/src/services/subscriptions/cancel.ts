/**
 * Cancelling a subscription at the provider (Payment Book's recurring transactions: the only provider
 * with subscriptions, see the capability matrix). The provider's answer is recorded like any other
 * observation (forward-only), with the call on the timeline and the action in the audit log, in one
 * database transaction. A cancel is not instant: Payment Book answers "Transaction is cancelling" and
 * reports `canceled` later, so the subscription is put at the front of the reconciliation queue and
 * followed until the provider says it is cancelled (its webhook usually says so first).
 */
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@paydesk/db';
import { connections, timelineEvents, transactions } from '@paydesk/db/schema';
import {
  capabilityGaps,
  providerCapabilities,
  providerLabels,
  type TransactionStatus,
} from '@paydesk/domain';
import { isProviderError, type NormalizedTransaction, type ProviderAdapter } from '@paydesk/providers';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../../secret-box.ts';
import { writeAudit, type Actor } from '../audit.ts';
import { adapterFor, type ConnectionRow } from '../connections/adapters.ts';
import { nextCheckDelayMs, recordObservation } from '../ledger/apply.ts';
import { getMerchantProfile } from '../merchant-profile.ts';
import { providerFailureMessage } from '../provider-messages.ts';

export const cancelSubscriptionSchema = z.object({
  transactionId: z.string().uuid('a Paydesk transaction id (a UUID)'),
  reason: z
    .string()
    .trim()
    .min(3, 'say why (at least 3 characters): it is kept in the audit log')
    .max(500, 'at most 500 characters'),
});
export type CancelSubscriptionInput = z.input<typeof cancelSubscriptionSchema>;

export interface CancelDeps {
  db: Db;
  secrets: SecretBox;
  now(): Date;
  actor: Actor;
  adapter?: (row: ConnectionRow) => ProviderAdapter;
}

export interface CancelResult {
  status: string;
  /** The end of the period already paid for, when the provider gives it (ISO date-time). */
  serviceEndsAt: string | null;
  message: string;
}

const action = 'subscription.cancel';
/** Statuses a subscription can be cancelled from (the provider decides in the end). */
const cancellable: ReadonlySet<TransactionStatus> = new Set([
  'created',
  'action_required',
  'processing',
  'active',
  'unknown',
]);

/** Payment Book's `metadata.end_date` once the cancel completes ("2026-06-01" or "2026-06-01 10:00:00"). */
export function serviceEndOf(observed: Pick<NormalizedTransaction, 'metadata'>): Date | null {
  const value = observed.metadata?.end_date;
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(value.trim());
  if (!match) return null;
  const at = new Date(`${match[1]}T${match[2] ?? '00:00:00'}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function formatDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

export async function cancelSubscription(
  deps: CancelDeps,
  input: CancelSubscriptionInput,
): Promise<CancelResult> {
  const { transactionId, reason } = cancelSubscriptionSchema.parse(input);
  const [row] = await deps.db
    .select({ transaction: transactions, connection: connections })
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(eq(transactions.id, transactionId));
  if (!row) throw new AppError('not_found', 'There is no transaction with this id.');
  const { transaction, connection } = row;
  const label = providerLabels[connection.provider];
  const audit = { action, targetType: 'transaction', targetId: transactionId } as const;

  const refuse = async (message: string): Promise<never> => {
    await writeAudit(deps.db, deps.actor, { ...audit, result: 'denied', reason: message }, deps.now());
    throw new AppError('conflict', message);
  };

  if (!providerCapabilities[connection.provider].cancelSubscription) {
    const why = capabilityGaps[connection.provider].cancelSubscription ?? `${label} has no subscriptions.`;
    return refuse(`${why} There is nothing to cancel at ${label}.`);
  }
  if (transaction.kind !== 'subscription') {
    return refuse(`Only a subscription can be cancelled; this is a ${transaction.kind}.`);
  }
  const status = transaction.status as TransactionStatus;
  if (status === 'cancelled') return refuse('This subscription is already cancelled.');
  if (!cancellable.has(status)) {
    return refuse(`A subscription that is ${status} cannot be cancelled: it will not charge again.`);
  }
  if (!connection.enabled) {
    return refuse(
      `The connection “${connection.name}” is disabled: enable it in Settings → Connections to cancel subscriptions.`,
    );
  }
  const adapter = deps.adapter ? deps.adapter(connection) : adapterFor(deps.secrets, connection);
  const started = performance.now();
  let observed: NormalizedTransaction | undefined;
  let failure: unknown;
  try {
    observed = await adapter.cancelSubscription({
      reference: transaction.reference,
      providerId: transaction.providerId,
    });
  } catch (error) {
    if (!isProviderError(error)) throw error;
    failure = error;
  }
  const latencyMs = Math.round(performance.now() - started);
  const now = deps.now();
  const by = deps.actor.email ?? 'system';
  /** Looked up again within a minute: the reconciliation run that follows sees what became of it. */
  const followSoon = { nextCheckAt: new Date(now.getTime() + nextCheckDelayMs(0)), checkAttempts: 0 };

  if (!observed) {
    const lost = isProviderError(failure) && failure.kind === 'unknown_outcome';
    const message = lost
      ? `${label}’s answer was lost: whether the subscription is being cancelled is unknown. Paydesk looks it up again within a minute; check its status before trying again.`
      : `${label} did not cancel the subscription: ${providerFailureMessage(failure)}`;
    await deps.db.transaction(async (tx) => {
      await tx.insert(timelineEvents).values({
        transactionId,
        at: now,
        type: 'provider_call',
        source: 'user',
        summary: `Cancelling the subscription failed after ${latencyMs} ms: ${message}`,
        details: {
          call: 'cancelSubscription',
          latencyMs,
          outcome: lost ? 'unknown_outcome' : 'failed',
          by,
          reason,
          ...(isProviderError(failure)
            ? {
                kind: failure.kind,
                ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
                ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
              }
            : {}),
        },
      });
      if (lost) await tx.update(transactions).set(followSoon).where(eq(transactions.id, transactionId));
      await writeAudit(
        tx,
        deps.actor,
        { ...audit, result: 'failure', reason: `${reason} — ${message}` },
        now,
      );
    });
    throw new AppError('provider_failed', message);
  }

  const answer = observed;
  const profile = await getMerchantProfile(deps.db);
  const endsAt = serviceEndOf(answer);
  return deps.db.transaction(async (tx) => {
    // The answer comes from an older serializer that names operations by a numeric id no other answer
    // uses: recording them would duplicate the charges. The follow-up look-up brings them properly.
    const result = await recordObservation(
      tx,
      { connectionId: connection.id, now, source: 'lookup' },
      { ...answer, operations: [] },
    );
    const [after] = await tx
      .select({ status: transactions.status })
      .from(transactions)
      .where(eq(transactions.id, transactionId));
    const statusNow = after?.status ?? status;
    const done = statusNow === 'cancelled';
    if (!done) await tx.update(transactions).set(followSoon).where(eq(transactions.id, transactionId));
    const consequence = endsAt
      ? `the service runs to the end of the current period, ${formatDate(endsAt, profile.timeZone)}`
      : `the service runs to the end of the period already paid for (${label} gives its end date once the cancellation completes)`;
    const message = done
      ? `${label} reports the subscription cancelled: no further charges; ${consequence}.`
      : `Cancellation requested: ${label} is cancelling the subscription and will not charge it again; ${consequence}. Paydesk follows it until ${label} confirms.`;
    await tx.insert(timelineEvents).values({
      transactionId,
      at: now,
      type: 'subscription_cancel_requested',
      source: 'user',
      summary: `Subscription cancellation requested by ${by} (${label} answered ${answer.rawStatus} in ${latencyMs} ms): ${reason}`,
      details: {
        call: 'cancelSubscription',
        latencyMs,
        outcome: 'ok',
        by,
        reason,
        rawStatus: answer.rawStatus,
        ...(endsAt ? { serviceEndsAt: endsAt.toISOString() } : {}),
      },
    });
    await writeAudit(
      tx,
      deps.actor,
      {
        ...audit,
        result: 'success',
        reason,
        before: { status },
        after: { status: statusNow, providerStatus: answer.rawStatus, statusChanged: result.statusChanged },
      },
      now,
    );
    return { status: statusNow, serviceEndsAt: endsAt?.toISOString() ?? null, message };
  });
}
