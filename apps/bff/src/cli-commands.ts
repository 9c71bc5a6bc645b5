/**
 * The commands of `pnpm paydesk`. Each reads its arguments and returns what to run on the opened
 * runtime, or undefined when the arguments are not valid (the usage is printed then).
 */
import { parseArgs } from 'node:util';
import { createUser, seedLedger, type Actor } from '@paydesk/api';
import { roles, type Role } from '@paydesk/domain';
import type { Runtime } from './runtime.ts';

export type Command = (args: string[]) => ((runtime: Runtime) => Promise<void>) | undefined;

const cliActor: Actor = { userId: null, email: 'cli', ip: null, userAgent: 'paydesk cli', requestId: null };

const usersCreate: Command = (args) => {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  });
  const { email, name, role } = values;
  if (!email || !name || !roles.includes(role as Role)) return undefined;
  return async (runtime) => {
    const { user, setupUrl } = await createUser(
      { db: runtime.deps.db, config: runtime.deps.config, now: runtime.deps.clock.now(), actor: cliActor },
      { email, name, role: role as Role },
    );
    console.log(`Created ${user.role} ${user.email}.\nSetup link (one use, valid for 24 hours): ${setupUrl}`);
  };
};

const number = (value: number) => value.toLocaleString('en-US');

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const ledgerSeed: Command = (args) => {
  const { values } = parseArgs({ args, options: { count: { type: 'string' }, seed: { type: 'string' } } });
  const count = Number(values.count?.replace(/[_,]/g, ''));
  if (!values.count || !Number.isSafeInteger(count) || count < 1) return undefined;
  const seed = values.seed ?? 'paydesk';
  return async (runtime) => {
    const database = runtime.database.driver === 'postgres' ? 'PostgreSQL' : 'the embedded PGlite';
    console.log(`Seeding ${number(count)} transactions (seed "${seed}") into ${database}…`);
    const started = performance.now();
    let printed = 0;
    const result = await seedLedger(runtime.database, {
      count,
      seed,
      secrets: runtime.deps.secrets,
      now: runtime.deps.clock.now(),
      actor: cliActor,
      onProgress(done, total) {
        const tenths = Math.floor((done * 10) / total);
        if (tenths <= printed) return;
        printed = tenths;
        const elapsed = duration(performance.now() - started);
        console.log(
          `${String(tenths * 10).padStart(5)}%  ${number(done).padStart(11)} transactions  ${elapsed}`,
        );
      },
    });
    const { inserted, totals } = result;
    console.log(
      `Added ${number(inserted.transactions)} transactions, ${number(inserted.operations)} operations and ` +
        `${number(inserted.timelineEvents)} timeline events (rows ${number(result.firstRow)}–` +
        `${number(result.firstRow + inserted.transactions - 1)}) in ${duration(result.elapsedMs)}.\n` +
        `The ledger now holds ${number(totals.transactions)} transactions, ${number(totals.operations)} ` +
        `operations and ${number(totals.timelineEvents)} timeline events.`,
    );
  };
};

export const commands: Readonly<Record<string, Command>> = {
  'users:create': usersCreate,
  'ledger:seed': ledgerSeed,
};
