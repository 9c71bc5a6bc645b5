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
