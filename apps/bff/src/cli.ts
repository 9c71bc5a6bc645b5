import { roles } from '@paydesk/domain';
import { commands } from './cli-commands.ts';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { openRuntime } from './runtime.ts';

const usage = `Usage:
  pnpm paydesk users:create --email <e-mail> --name <name> --role <${roles.join('|')}>
      Creates a user and prints a one-time setup link with which they choose their password.
  pnpm paydesk ledger:seed --count <n> [--seed <text>]
      Adds n realistic transactions of the last 90 days, with their operations and timeline events, at
      three connections named "Seed …" (created disabled: no provider is behind them). Running it again
      adds n more. 1,000,000 take a few minutes on PostgreSQL.

Commands use the same database as the server (DATABASE_URL, or the embedded one under DATA_DIR: stop the
server first when it is embedded, since PGlite allows one process at a time).`;

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
let run: ReturnType<NonNullable<typeof command>> = undefined;
try {
  run = command?.(rest);
} catch (error) {
  // An unknown or malformed option.
  console.error(error instanceof Error ? error.message : error);
}
if (!run) {
  console.error(usage);
  process.exit(name ? 2 : 0);
}

const env = readEnv();
const runtime = await openRuntime(env, createLogger({ ...env, LOG_LEVEL: 'warn' }));
try {
  await run(runtime);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await runtime.database.close();
}
