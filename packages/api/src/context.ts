import type { Db } from '@paydesk/db';
import type { Role, Permission } from '@paydesk/domain';
import type { Clock } from './clock.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { SecretBox } from './secret-box.ts';

/** The subset of pino's logger the services use, so services do not depend on the BFF's logger. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ApiConfig {
  /** Where users open Paydesk; used to build setup links. */
  publicUrl: string;
  /** Served over HTTPS: cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
}

/** What lives as long as the process: shared by every request, job and CLI command. */
export interface Deps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  config: ApiConfig;
  log: Logger;
  /** Durable jobs (pg-boss on the same database). */
  jobs: JobQueue;
}

export interface CookieOptions {
  /** Seconds; omitted means a browser-session cookie. */
  maxAge?: number;
}

/** Cookies of the current request, implemented by the transport (fastify in the BFF). */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options?: CookieOptions): void;
  clear(name: string): void;
}

export interface RequestInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** The anti-CSRF header was present (a cross-site form or image cannot send it). */
  csrfHeader: boolean;
}

export type SessionStage = 'password_change' | 'mfa_enrolment' | 'mfa_verify' | 'signed_in';

export interface AuthState {
  sessionId: string;
  stage: SessionStage;
  user: {
    id: string;
    email: string;
    name: string;
    role: Role;
    mfaEnabled: boolean;
  };
  permissions: readonly Permission[];
}

export interface Context extends Deps {
  request: RequestInfo;
  cookies: CookieJar;
  auth: AuthState | null;
}
