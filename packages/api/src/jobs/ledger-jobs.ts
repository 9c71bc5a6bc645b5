import type { JobDefinition, JobQueue } from './queue.ts';
import { jobNames } from '../services/ledger/job-names.ts';
import { reconcile } from '../services/ledger/reconcile.ts';
import {
  applyDelivery,
  applyDeliveryBatch,
  lookupTransaction,
  type LedgerDeps,
} from '../services/ledger/worker.ts';

/** The ledger's queues: what each does and how it retries. */
export function ledgerJobs(deps: LedgerDeps & { jobs: JobQueue }): JobDefinition<never>[] {
  const definitions: JobDefinition<never>[] = [
    {
      name: jobNames.applyDelivery,
      handle: async (data: { deliveryId: number }) => {
        await applyDelivery(deps, data.deliveryId);
      },
      handleBatch: async (batch: { deliveryId: number }[]) => {
        const ids = batch.map((data) => data.deliveryId);
        const done = await applyDeliveryBatch(deps, ids);
        return new Set(ids.flatMap((id, index) => (done.has(id) ? [index] : [])));
      },
      batchSize: 50,
      // Each applier is mostly waiting on the database: a few keep PostgreSQL busy on two cores.
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
