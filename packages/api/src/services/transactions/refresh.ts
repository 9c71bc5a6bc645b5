/**
 * "Refresh from provider": one look-up with the connection's credentials, recorded like any other
 * observation (forward-only), with the call itself — latency and outcome — on the timeline and the
 * action in the audit log, all in one database transaction.
 */
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import type { Db } from '@paydesk/db';
import { connections, timelineEvents, transactions } from '@paydesk/db/schema';
import { isProviderError, type NormalizedTransaction, type ProviderAdapter } from '@paydesk/providers';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../../secret-box.ts';
import { writeAudit, type Actor } from '../audit.ts';
import { adapterFor, type ConnectionRow } from '../connections/adapters.ts';
import { describeProviderFailure } from '../connections/connections.ts';
import { recordObservation } from '../ledger/apply.ts';

export interface RefreshDeps {
  db: Db;
  secrets: SecretBox;
  now(): Date;
  actor: Actor;
  adapter?: (row: ConnectionRow) => ProviderAdapter;
}

export interface RefreshResult {
  status: string;
  statusChanged: boolean;
  latencyMs: number;
  message: string;
}

export async function refreshTransaction(deps: RefreshDeps, id: string): Promise<RefreshResult> {
  const [row] = await deps.db
    .select({ transaction: transactions, connection: connections })
    .from(transactions)
    .innerJoin(connections, eq(connections.id, transactions.connectionId))
    .where(eq(transactions.id, id));
  if (!row) throw new AppError('not_found', 'There is no transaction with this id.');
  const { transaction, connection } = row;
  const audit = { action: 'transaction.refresh', targetType: 'transaction', targetId: id } as const;

  if (!connection.enabled) {
    const message = `The connection “${connection.name}” is disabled: enable it in Settings → Connections to refresh from the provider.`;
    await writeAudit(deps.db, deps.actor, { ...audit, result: 'denied', reason: message }, deps.now());
    throw new AppError('conflict', message);
  }

  const adapter = deps.adapter ? deps.adapter(connection) : adapterFor(deps.secrets, connection);
  const started = performance.now();
  let observed: NormalizedTransaction | undefined;
  let failure: unknown;
  try {
    observed = await adapter.lookup({ reference: transaction.reference, providerId: transaction.providerId });
  } catch (error) {
    failure = error;
  }
  const latencyMs = Math.round(performance.now() - started);
  const now = deps.now();
  const callEvent = (summary: string, outcome: string, extra: Record<string, unknown> = {}) => ({
    transactionId: id,
    at: now,
    type: 'provider_call',
    source: 'user',
    summary,
    details: { call: 'lookup', latencyMs, outcome, by: deps.actor.email, ...extra },
  });

  if (!observed) {
    const notFound = isProviderError(failure) && failure.kind === 'not_found';
    const message = notFound
      ? 'The provider has no record of this transaction (any more).'
      : describeProviderFailure(failure);
    const details = isProviderError(failure)
      ? {
          kind: failure.kind,
          ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
          ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
        }
      : {};
    await deps.db.transaction(async (tx) => {
      await tx
        .insert(timelineEvents)
        .values(
          callEvent(`Refresh from provider failed after ${latencyMs} ms: ${message}`, 'failed', details),
        );
      await writeAudit(tx, deps.actor, { ...audit, result: 'failure', reason: message }, now);
    });
    throw new AppError('provider_failed', message);
  }

  const found = observed;
  return deps.db.transaction(async (tx) => {
    const result = await recordObservation(tx, { connectionId: connection.id, now, source: 'lookup' }, found);
    const [after] = await tx
      .select({ status: transactions.status })
      .from(transactions)
      .where(eq(transactions.id, id));
    const status = after?.status ?? transaction.status;
    const message = result.statusChanged
      ? `The provider reports it ${found.status}: updated from ${transaction.status}.`
      : `No change: the provider still reports it ${found.status}.`;
    await tx.insert(timelineEvents).values(
      callEvent(`Refreshed from provider in ${latencyMs} ms: ${found.rawStatus}`, 'ok', {
        rawStatus: found.rawStatus,
      }),
    );
    await writeAudit(
      tx,
      deps.actor,
      {
        ...audit,
        result: 'success',
        reason: message,
        before: { status: transaction.status },
        after: { status },
      },
      now,
    );
    return { status, statusChanged: result.statusChanged, latencyMs, message };
  });
}
