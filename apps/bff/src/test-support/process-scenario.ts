/**
 * One multi-process test scenario's world: its own database on the DATABASE_URL server (migrated here,
 * before any BFF starts), the sandbox with its connections, a job runner on the same database for the
 * test's own work, and the BFF processes it starts. `closeScenario` stops and drops all of it.
 */
import { createJobRunner, SecretBox, type JobRunner } from '@paydesk/api';
import { openDb, type OpenDb } from '@paydesk/db';
import { createSandbox, type Sandbox, type SandboxOptions } from '@paydesk/sandbox';
import { createLogger } from '../logger.ts';
import {
  connectSandbox,
  createServerDatabase,
  type BffProcess,
  type Forwarder,
  type SandboxConnections,
  type ServerDatabase,
} from './bff-processes.ts';

export interface Scenario {
  server: ServerDatabase;
  database: OpenDb;
  masterKeys: string;
  secrets: SecretBox;
  sandbox: Sandbox;
  wiring: SandboxConnections;
  jobs: JobRunner;
  bffs: BffProcess[];
  forwarder?: Forwarder;
}

export async function openScenario(
  serverUrl: string,
  prefix: string,
  sandboxOptions: SandboxOptions,
): Promise<Scenario> {
  const server = await createServerDatabase(serverUrl, prefix);
  const database = await openDb({ url: server.url, poolSize: 4 });
  const masterKeys = `v1:${SecretBox.generateKey()}`;
  const secrets = SecretBox.parse(masterKeys);
  const sandbox = await createSandbox(sandboxOptions);
  const wiring = await connectSandbox(database, secrets, sandbox, 'http://paydesk.test');
  const log = createLogger({ LOG_LEVEL: 'error', LOG_PRETTY: false });
  return {
    server,
    database,
    masterKeys,
    secrets,
    sandbox,
    wiring,
    jobs: createJobRunner(database, log),
    bffs: [],
  };
}

export async function closeScenario(scenario: Scenario | undefined): Promise<void> {
  if (!scenario) return;
  await Promise.allSettled(scenario.bffs.map((bff) => bff.stop()));
  await scenario.forwarder?.close();
  await scenario.sandbox.close();
  await scenario.jobs.stop();
  await scenario.database.close();
  await scenario.server.drop();
}
