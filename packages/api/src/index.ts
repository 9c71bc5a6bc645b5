export { appRouter, createCaller, type AppRouter } from './root.ts';
export type { AppErrorData, Access, ProcedureMeta } from './trpc.ts';
export type { Me, MeUser } from './services/auth/me.ts';
export type {
  ApiConfig,
  AuthState,
  Context,
  CookieJar,
  CookieOptions,
  Deps,
  Logger,
  RequestInfo,
} from './context.ts';
export { createRequestContext } from './create-context.ts';
export { AdjustableClock, systemClock, type Clock } from './clock.ts';
export { SecretBox } from './secret-box.ts';
export { AppError, type AppErrorCode } from './errors.ts';
export { ensureFirstAdmin, type FirstRun } from './services/bootstrap.ts';
export { createUser } from './services/users.ts';
export { systemActor, streamAudit, writeAudit, type Actor } from './services/audit.ts';
export { exportAuditCsv } from './services/audit-export.ts';
export { auditRefusal } from './access.ts';
export { updateSecurityPolicy, getSecurityPolicy } from './services/settings.ts';
export { sessionCookieName, deviceCookieName } from './services/auth/cookies.ts';
export { createJobRunner, type JobQueue, type JobRunner, type JobDefinition } from './jobs/queue.ts';
export { ledgerJobs } from './jobs/ledger-jobs.ts';
export { refundJobs } from './jobs/refund-jobs.ts';
export { sweepRefunds, checkIntent } from './services/refunds/check.ts';
export { ingestWebhook, type IngestAnswer } from './services/ledger/ingest.ts';
export { jobNames } from './services/ledger/job-names.ts';
export { reconcile, reconcileDue, syncListings } from './services/ledger/reconcile.ts';
export { seedLedger, seedConnectionNames, type SeedLedgerResult } from './services/ledger/seed.ts';
export { applyDelivery, lookupTransaction, type LedgerDeps } from './services/ledger/worker.ts';
export {
  createConnection,
  listConnections,
  updateConnection,
  type ConnectionView,
} from './services/connections/connections.ts';
export { listQueries, resolveWindow } from './services/transactions/list.ts';
export { transactionListSchema, type TransactionListInput } from './services/transactions/filters.ts';
export { classifySearch, type SearchKind } from './services/transactions/search.ts';
export { getTransaction } from './services/transactions/detail.ts';
export { downloadReceipt, type ReceiptFile } from './services/receipts/download.ts';
