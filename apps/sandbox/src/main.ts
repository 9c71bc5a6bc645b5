/** The sandbox process: `pnpm --filter @paydesk/sandbox start`. */
import type { ProviderName } from './core/contract.ts';
import { readEnv } from './env.ts';
import { createSandbox } from './index.ts';

const env = readEnv();
const webhookUrls: Partial<Record<ProviderName, string>> = {};
if (env.PAYDESK_GATE_WEBHOOK_URL) webhookUrls.gate = env.PAYDESK_GATE_WEBHOOK_URL;
if (env.PAYDESK_PAYMENT_BOOK_WEBHOOK_URL) webhookUrls['payment-book'] = env.PAYDESK_PAYMENT_BOOK_WEBHOOK_URL;
if (env.PAYDESK_PAYTONE_WEBHOOK_URL) webhookUrls.paytone = env.PAYDESK_PAYTONE_WEBHOOK_URL;

const sandbox = await createSandbox({
  seed: env.SANDBOX_SEED,
  host: env.SANDBOX_HOST,
  ...(env.SANDBOX_PUBLIC_HOST ? { publicHost: env.SANDBOX_PUBLIC_HOST } : {}),
  ports: {
    control: env.SANDBOX_CONTROL_PORT,
    gate: env.SANDBOX_GATE_PORT,
    'payment-book': env.SANDBOX_PAYMENT_BOOK_PORT,
    paytone: env.SANDBOX_PAYTONE_PORT,
  },
  webhookUrls,
  webhooks: { retryScale: env.SANDBOX_WEBHOOK_RETRY_SCALE },
  logger: env.SANDBOX_LOG_REQUESTS,
});

console.log('Paydesk sandbox');
for (const [name, url] of Object.entries(sandbox.urls)) console.log(`  ${name.padEnd(13)} ${url}`);
console.log(`  seed          ${env.SANDBOX_SEED}`);

if (env.SANDBOX_GENERATOR_COUNT > 0) {
  const result = await sandbox.generator.generate({
    count: env.SANDBOX_GENERATOR_COUNT,
    days: env.SANDBOX_GENERATOR_DAYS,
  });
  console.log(`  generated     ${result.created.length} transactions (${result.failed.length} failed)`);
  for (const failure of result.failed.slice(0, 5))
    console.log(`    ${failure.provider} ${failure.reference}: ${failure.error}`);
}
if (env.SANDBOX_GENERATOR_TRICKLE_MS > 0) {
  sandbox.generator.start({ everyMs: env.SANDBOX_GENERATOR_TRICKLE_MS });
  console.log(`  live traffic  every ${env.SANDBOX_GENERATOR_TRICKLE_MS} ms`);
}

const shutdown = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
