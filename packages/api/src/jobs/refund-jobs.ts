import type { WorkDefinition } from './queue.ts';
import { systemActor } from '../services/audit.ts';
import { checkIntent, sweepRefunds } from '../services/refunds/check.ts';
import type { RefundDeps } from '../services/refunds/intents.ts';
import { refundJobNames } from '../services/refunds/job-names.ts';
import { sendIntent } from '../services/refunds/send.ts';

/** The refund queues: send what is queued, settle what is unknown or processing, sweep every minute. */
export function refundJobs(deps: RefundDeps): WorkDefinition[] {
  const definitions: WorkDefinition[] = [
    {
      name: refundJobNames.send,
      handle: async (data: { intentId: string }) => {
        // Only a queued intent that is due is claimed: a duplicate or early job finds nothing to do.
        await sendIntent(deps, data.intentId, systemActor, { dueOnly: true });
      },
      concurrency: 2,
      retryLimit: 5,
      retryDelaySeconds: 5,
    },
    {
      name: refundJobNames.settle,
      handle: async (data: { intentId: string }) => {
        await checkIntent(deps, data.intentId);
      },
      concurrency: 2,
      retryLimit: 5,
      retryDelaySeconds: 5,
    },
    {
      name: refundJobNames.sweep,
      handle: async () => {
        const report = await sweepRefunds(deps);
        if (report.expired + report.queued + report.checks > 0) deps.log.info({ ...report }, 'refund sweep');
      },
      cron: '* * * * *',
      retryLimit: 0,
    },
  ];
  return definitions;
}
