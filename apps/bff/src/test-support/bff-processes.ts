/**
 * Real BFF processes for multi-process tests and benchmarks: a throwaway database on a PostgreSQL
 * server, BFFs spawned from source on it (one master key), the sandbox's connections created
 * beforehand from this process, and a forwarder that spreads webhooks over several BFFs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createConnection, systemActor, type ConnectionView, type SecretBox } from '@paydesk/api';
import { openDb, type OpenDb } from '@paydesk/db';
import type { ProviderName } from '@paydesk/domain';
import { connectionForm, type Sandbox } from '@paydesk/sandbox';

const bffRoot = fileURLToPath(new URL('../..', import.meta.url));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; on timeout throws with `what` and, if given, the current state. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  options: { timeoutMs: number; intervalMs?: number; detail?: () => Promise<string> | string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = options.detail ? ` (${await options.detail()})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting until ${what}${detail}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}

export interface ServerDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const server = await openDb({ url: serverUrl, migrate: false, poolSize: 1 });
  try {
    await server.execute(text);
  } finally {
    await server.close();
  }
}

/** An empty database on the server `serverUrl` points at; `drop()` removes it, connections and all. */
export async function createServerDatabase(serverUrl: string, prefix: string): Promise<ServerDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      // A closed pool's sessions may still be ending: a plain DROP waits for them (up to 5 s), where
      // FORCE would kill them and hand their clients an error. FORCE only for what is really left.
      try {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}"`);
      } catch {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BffOptions {
  databaseUrl: string;
  masterKeys: string;
  port: number;
  /** Job workers in this process (default on). */
  workers?: boolean;
  logLevel?: string;
  /** Give up waiting for /readyz after this long. */
  startTimeoutMs?: number;
  /** Extra node flags, such as `--cpu-prof` for a benchmark's profile. */
  nodeArgs?: string[];
}

export interface BffProcess {
  pid: number;
  port: number;
  url: string;
  /** stdout and stderr so far (the last 200 kB). */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<string>;
  /** SIGTERM (a graceful stop), then SIGKILL if it is still alive after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node --import tsx src/main.ts`: node itself, not tsx's CLI (which runs the app in a child
 * process), so the pid is the server's and SIGKILL hits it. The environment is only what is given.
 */
export async function startBff(options: BffOptions): Promise<BffProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: bffRoot,
    env: {
      NODE_ENV: 'test',
      TZ: 'UTC',
      DATABASE_URL: options.databaseUrl,
      PAYDESK_MASTER_KEYS: options.masterKeys,
      PAYDESK_WORKERS: options.workers === false ? '0' : '1',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      LOG_LEVEL: options.logLevel ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let ended: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = signal ?? `exit code ${code}`;
      resolve(ended);
    });
  });
  const bff: BffProcess = {
    pid: child.pid ?? 0,
    port: options.port,
    url,
    output: () => output,
    exited,
    async stop(graceMs = 15_000) {
      if (ended !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    await until(
      `the BFF on port ${options.port} answers /readyz`,
      async () => {
        if (ended !== undefined)
          throw new Error(`the BFF on port ${options.port} ended (${ended}):\n${output}`);
        try {
          const response = await fetch(`${url}/readyz`);
          await response.arrayBuffer();
          return response.ok;
        } catch {
          return false;
        }
      },
      { timeoutMs, intervalMs: 100, detail: () => `output so far:\n${output}` },
    );
  } catch (error) {
    await bff.stop(1_000);
    throw error;
  }
  return bff;
}

export interface SandboxConnections {
  connections: Partial<Record<ProviderName, ConnectionView>>;
  /** `/hooks/<token>` of each connection: where its provider's webhooks go on any BFF. */
  hookPaths: Partial<Record<ProviderName, string>>;
  /** The providers' webhook URLs on the BFF (or forwarder) at `base`. */
  webhookUrls(base: string): Partial<Record<ProviderName, string>>;
}

/** Creates one test-mode connection per provider the sandbox runs, sealed with `secrets` (the BFFs' key). */
export async function connectSandbox(
  database: OpenDb,
  secrets: SecretBox,
  sandbox: Sandbox,
  publicUrl: string,
): Promise<SandboxConnections> {
  const connections: Partial<Record<ProviderName, ConnectionView>> = {};
  const hookPaths: Partial<Record<ProviderName, string>> = {};
  for (const provider of sandbox.providers) {
    const connection = await createConnection(
      { db: database.db, secrets, publicUrl, now: new Date(), actor: systemActor },
      {
        provider,
        name: `Sandbox ${provider}`,
        mode: 'test',
        baseUrl: sandbox.urls[provider],
        ...connectionForm(sandbox.credentials, provider),
      },
    );
    connections[provider] = connection;
    hookPaths[provider] = new URL(connection.webhookUrl).pathname;
  }
  return {
    connections,
    hookPaths,
    webhookUrls: (base) =>
      Object.fromEntries(Object.entries(hookPaths).map(([provider, path]) => [provider, `${base}${path}`])),
  };
}

export interface Forwarder {
  url: string;
  /** Requests each target answered, by target index and HTTP status. */
  answered: Map<number, number>[];
  close(): Promise<void>;
}

/**
 * A load balancer in miniature: each request goes to the next target in turn, its bytes and headers
 * piped both ways. A target that fails mid-request gets the client's connection destroyed, as a
 * proxy that lost its upstream would.
 */
export async function startForwarder(targets: string[]): Promise<Forwarder> {
  const agent = new Agent({ keepAlive: true });
  const answered = targets.map(() => new Map<number, number>());
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const index = next;
    next = (next + 1) % targets.length;
    const target = new URL(targets[index]!);
    const upstream = httpRequest(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        answered[index]!.set(status, (answered[index]!.get(status) ?? 0) + 1);
        outgoing.writeHead(status, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    // A client that gave up (its timeout) takes its request back from the target, as a proxy would.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) upstream.destroy();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
