import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.url().optional());

/** The sandbox process's environment; the only place `process.env` is read. */
export const envSchema = z.object({
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_PUBLIC_HOST: z.string().min(1).optional(),
  SANDBOX_CONTROL_PORT: port(4100),
  SANDBOX_GATE_PORT: port(4101),
  SANDBOX_PAYMENT_BOOK_PORT: port(4102),
  SANDBOX_PAYTONE_PORT: port(4103),
  SANDBOX_SEED: z.string().min(1).default('paydesk'),
  /** Paydesk's inbound webhook URL for each provider connection; the generator's traffic goes there. */
  PAYDESK_GATE_WEBHOOK_URL: optionalUrl,
  PAYDESK_PAYMENT_BOOK_WEBHOOK_URL: optionalUrl,
  PAYDESK_PAYTONE_WEBHOOK_URL: optionalUrl,
  /** Historical transactions created at start (0: none). */
  SANDBOX_GENERATOR_COUNT: z.coerce.number().int().min(0).max(100_000).default(300),
  SANDBOX_GENERATOR_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** A live transaction every this many ms (0: no trickle). */
  SANDBOX_GENERATOR_TRICKLE_MS: z.coerce.number().int().min(0).default(0),
  /** Multiplies the providers' webhook retry intervals (0.01 turns minutes into fractions of a second). */
  SANDBOX_WEBHOOK_RETRY_SCALE: z.coerce.number().positive().default(1),
  SANDBOX_LOG_REQUESTS: z.stringbool().default(false),
});

export type SandboxEnv = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): SandboxEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid sandbox environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
