import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Unset: embedded PGlite under DATA_DIR. `postgres://…`: a PostgreSQL server. `memory://`: throwaway. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('.data'),
  /** Where users open Paydesk (setup links are built from it). Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** `v1:<base64 of 32 bytes>[,v2:…]`; the highest version encrypts. Embedded mode generates one. */
  PAYDESK_MASTER_KEYS: z.string().optional(),
  PAYDESK_ADMIN_EMAIL: z.email().default('admin@paydesk.local'),
  /** The built SPA; defaults to apps/web/dist beside this app. */
  WEB_DIST: z.string().optional(),
  DB_MIGRATIONS_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: flag,
  /** Demo mode: relaxed 2FA policy (said on the console). Also set by `--demo`. */
  PAYDESK_DEMO: flag,
  /** Enables POST /__test/clock so end-to-end tests can move time. Refused in production. */
  PAYDESK_TEST_CLOCK: flag,
  /** Run job workers (webhook apply, reconciliation) in this process. Default on; 0 for web-only processes. */
  PAYDESK_WORKERS: z
    .enum(['1', '0', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** Demo mode: historical transactions the sandbox generates at first start. */
  PAYDESK_DEMO_TRANSACTIONS: z.coerce.number().int().min(0).max(100_000).default(3_000),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* from it. */
  TRUST_PROXY: flag,
  NODE_ENV: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (parsed.data.PAYDESK_TEST_CLOCK && parsed.data.NODE_ENV === 'production') {
    throw new Error('PAYDESK_TEST_CLOCK must not be set in production');
  }
  return parsed.data;
}
