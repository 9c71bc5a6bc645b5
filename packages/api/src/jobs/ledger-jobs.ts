import type { JobQueue, WorkDefinition } from './queue.ts';
import { drainInbox } from '../services/ledger/inbox.ts';
import { jobNames } from '../services/ledger/job-names.ts';
import { reconcile } from '../services/ledger/reconcile.ts';
import { applyDelivery, lookupTransaction, type LedgerDeps } from '../services/ledger/worker.ts';

/** The ledger's queues: what each does and how it retries. */
export function ledgerJobs(deps: LedgerDeps & { jobs: JobQueue }): WorkDefinition[] {
  const definitions: WorkDefinition[] = [
    {
      kind: 'drain',
      name: jobNames.drainInbox,
      drain: () => drainInbox(deps),
      // Ingestion nudges this process's loops; the poll picks up what other processes stored.
      concurrency: 2,
      pollMs: 500,
    },
    {
      name: jobNames.applyDelivery,
      handle: async (data: { deliveryId: number }) => {
        await applyDelivery(deps, data.deliveryId);
      },
      batchSize: 10,
      // Each look-up mostly waits on the provider.
      concurrency: 3,
      // A look-up that keeps failing (provider down) is retried for about a day, then the
      // reconciliation sweep queues it again.
      retryLimit: 16,
      retryDelaySeconds: 2,
    },
    {
      name: jobNames.lookup,
      handle: async (data: { connectionId: string; reference: string; providerId: string | null }) => {
        await lookupTransaction(deps, data);
      },
      batchSize: 10,
      retryLimit: 10,
      retryDelaySeconds: 5,
    },
    {
      name: jobNames.reconcile,
      handle: async () => {
        const report = await reconcile(deps);
        if (report.checked + report.listed + report.requeued > 0)
          deps.log.info({ ...report }, 'reconciliation run');
      },
      cron: '* * * * *',
      retryLimit: 0,
    },
  ];
  return definitions;
}
