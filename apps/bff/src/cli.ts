import { parseArgs } from 'node:util';
import { createUser, type Actor } from '@paydesk/api';
import { roles, type Role } from '@paydesk/domain';
import { readEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { openRuntime } from './runtime.ts';

const usage = `Usage: pnpm paydesk users:create --email <e-mail> --name <name> --role <${roles.join('|')}>

Creates a user and prints a one-time setup link with which they choose their password.
Uses the same database as the server (DATABASE_URL, or the embedded one under DATA_DIR: stop the
server first when it is embedded, since PGlite allows one process at a time).`;

const [command, ...rest] = process.argv.slice(2);
if (command !== 'users:create') {
  console.error(usage);
  process.exit(command ? 2 : 0);
}
const { values } = parseArgs({
  args: rest,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
});
if (!values.email || !values.name || !roles.includes(values.role as Role)) {
  console.error(usage);
  process.exit(2);
}

const env = readEnv();
const runtime = await openRuntime(env, createLogger({ ...env, LOG_LEVEL: 'warn' }));
const actor: Actor = { userId: null, email: 'cli', ip: null, userAgent: 'paydesk cli', requestId: null };
try {
  const { user, setupUrl } = await createUser(
    { db: runtime.deps.db, config: runtime.deps.config, now: runtime.deps.clock.now(), actor },
    { email: values.email, name: values.name, role: values.role as Role },
  );
  console.log(`Created ${user.role} ${user.email}.\nSetup link (one use, valid for 24 hours): ${setupUrl}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await runtime.database.close();
}
