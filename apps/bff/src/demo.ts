import { createConnection, listConnections, systemActor, updateConnection, type Deps } from '@paydesk/api';
import { connectionForm, createSandbox, type Sandbox } from '@paydesk/sandbox';
import type { ProviderName } from '@paydesk/domain';

const demoNames: Record<ProviderName, string> = {
  gate: 'Sandbox Gate',
  'payment-book': 'Sandbox Payment Book',
  paytone: 'Sandbox Paytone',
};

export interface DemoOptions {
  /** Where the sandbox reaches this BFF (its real listening address, not the public URL). */
  internalUrl: string;
  /** Historical transactions generated the first time the demo starts. */
  history: number;
  log: (message: string) => void;
}

/**
 * Demo mode runs the provider sandbox inside the BFF's process, connects Paydesk to each of its three
 * providers, and points the sandbox's webhooks and traffic at Paydesk: a complete, self-contained
 * product from one command. The sandbox keeps its state in memory, so at a restart it starts empty;
 * the ledger keeps what it learned, and only a live trickle is added.
 */
export async function startDemo(
  deps: Deps,
  options: DemoOptions,
): Promise<{ sandbox: Sandbox; lines: string[] }> {
  const sandbox = await createSandbox({ seed: 20261122, webhooks: { retryScale: 0.05 } });
  const actor = { ...systemActor, email: 'system (demo)' };
  const connectionDeps = () => ({
    db: deps.db,
    secrets: deps.secrets,
    publicUrl: deps.config.publicUrl,
    now: deps.clock.now(),
    actor,
  });
  const existing = await listConnections(connectionDeps());
  let firstStart = false;
  const webhookUrls: Partial<Record<ProviderName, string>> = {};
  for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
    let connection = existing.find((each) => each.name === demoNames[provider]);
    if (!connection) {
      firstStart = true;
      connection = await createConnection(connectionDeps(), {
        provider,
        name: demoNames[provider],
        mode: 'test',
        baseUrl: sandbox.urls[provider],
        ...connectionForm(sandbox.credentials, provider),
      });
    } else if (connection.baseUrl !== sandbox.urls[provider]) {
      // The sandbox listens on a new free port at every start.
      connection = await updateConnection(connectionDeps(), {
        id: connection.id,
        baseUrl: sandbox.urls[provider],
      });
    }
    const path = new URL(connection.webhookUrl).pathname;
    webhookUrls[provider] = `${options.internalUrl.replace(/\/+$/, '')}${path}`;
  }

  if (firstStart && options.history > 0) {
    options.log(`Demo: generating ${options.history} historical transactions; they arrive as webhooks…`);
    void sandbox.generator
      .generate({ count: options.history, webhookUrls })
      .then((result) =>
        options.log(`Demo: ${result.created.length} historical transactions sent by the sandbox.`),
      )
      .catch((error: unknown) => options.log(`Demo: the traffic generator failed: ${String(error)}`));
  }
  // A new seed at every start: the sandbox forgets its references, the ledger does not.
  sandbox.generator.start({ everyMs: 3_000, seed: Date.now(), webhookUrls });

  const lines = ['Provider sandbox (simulated Gate, Payment Book and Paytone APIs), connected to Paydesk:'];
  for (const [name, url] of Object.entries(sandbox.urls)) lines.push(`  ${name.padEnd(13)} ${url}`);
  lines.push(
    '  A new transaction arrives every 3 seconds (Settings → Connections shows the three connections).',
  );
  return { sandbox, lines };
}
