/**
 * Test helpers for flows that go through a provider and back: an inbound webhook endpoint (the BFF's
 * `POST /hooks/:token`, without the BFF) that the harness's public URL points at, the customer's
 * clicks on each provider's hosted page, and polling until the ledger shows something.
 */
import { connectionForm, type ProviderCredentials } from '@paydesk/sandbox';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderName } from '@paydesk/domain';
import { ingestWebhook } from '../services/ledger/ingest.ts';
import type { Browser, Harness } from './harness.ts';

export interface Inbound {
  url: string;
  /** Answers of the deliveries received so far (HTTP status each). */
  answers: number[];
  close(): Promise<void>;
}

/** Receives the providers' webhooks as the BFF does, and makes it the harness's public URL. */
export async function startInbound(h: Harness): Promise<Inbound> {
  const answers: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const token = /^\/hooks\/([^/?]+)/.exec(request.url ?? '')?.[1];
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const answer = token
        ? ingestWebhook(
            { ...h.deps, now: () => h.clock.now() },
            token,
            new Uint8Array(Buffer.concat(chunks)),
            headers,
          )
        : Promise.resolve({ status: 404, body: { ok: false } });
      answer.then(
        (result) => {
          answers.push(result.status);
          response.writeHead(result.status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(result.body));
        },
        () => {
          answers.push(500);
          response.writeHead(500);
          response.end();
        },
      );
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  h.deps.config.publicUrl = url;
  return {
    url,
    answers,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function post(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/**
 * The customer opens the link and pays, as on each provider's hosted page: Gate's `/pay/{session}`,
 * Payment Book's checkout form, Paytone's card form (a test card; only BIN and last four are kept).
 */
export async function payOnHostedPage(
  provider: 'gate' | 'payment-book' | 'paytone',
  link: string,
  card = '4242424242424242',
): Promise<void> {
  const page = await fetch(link, { redirect: 'follow' });
  if (!page.ok) throw new Error(`the payment page answered ${page.status}`);
  const at = new URL(page.url);
  let answer: Response;
  switch (provider) {
    case 'gate':
      answer = await post(at.toString(), { action: 'pay' });
      break;
    case 'payment-book': {
      const ulid = at.pathname.split('/').pop() ?? '';
      answer = await post(`${at.origin}/payment/${ulid}`, { action: 'pay', payment_method_id: '1' });
      break;
    }
    case 'paytone':
      answer = await post(`${at.origin}${at.pathname.replace(/\/$/, '')}/pay`, { card_number: card });
      break;
  }
  if (answer.status >= 400) throw new Error(`paying on the hosted page answered ${answer.status}`);
}

/** Polls `check` until it holds; throws after `timeoutMs` with what was awaited. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What of the sandbox a connection needs (its URLs and default credentials). */
export interface SandboxAccounts {
  urls: Record<ProviderName, string>;
  credentials: ProviderCredentials;
}

/** One connection per sandbox provider, as an admin adds them. */
export async function connectSandbox(
  admin: Browser,
  sandbox: SandboxAccounts,
  suffix = '',
): Promise<Record<ProviderName, string>> {
  const ids = {} as Record<ProviderName, string>;
  for (const provider of ['gate', 'payment-book', 'paytone'] as const) {
    const created = await (
      await admin.api()
    ).connection.create({
      provider,
      name: `Sandbox ${provider}${suffix}`,
      mode: 'test',
      baseUrl: sandbox.urls[provider],
      ...connectionForm(sandbox.credentials, provider),
    });
    ids[provider] = created.id;
  }
  return ids;
}
