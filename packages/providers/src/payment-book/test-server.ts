/**
 * For unit tests only: a local HTTP server that answers each path with recorded fixtures, so the
 * adapter is exercised through the real ProviderHttp (headers, bodies, Content-Type branching)
 * without the sandbox. Contract tests against the sandbox live in apps/sandbox.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status: number;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export type StubHandler = (request: StubRequest) => StubAnswer;

export interface StubServer {
  url: string;
  requests: StubRequest[];
  /** Answers for a path, in order; the last one repeats. */
  on(path: string, ...answers: (StubAnswer | StubHandler)[]): void;
  close(): Promise<void>;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** A fixture envelope as a JSON answer with the HTTP status its `meta.code` says (or `status`). */
export function jsonFixture(name: string, status?: number): StubAnswer {
  const body = fixture(name);
  const code = (JSON.parse(body) as { meta?: { code?: unknown } }).meta?.code;
  return {
    status: status ?? (typeof code === 'number' && code >= 200 && code <= 599 ? code : 400),
    body,
    headers: { 'content-type': 'application/json' },
  };
}

export async function startStubServer(): Promise<StubServer> {
  const routes = new Map<string, (StubAnswer | StubHandler)[]>();
  const stub: StubServer = {
    url: '',
    requests: [],
    on(path, ...answers) {
      routes.set(path, answers);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: StubRequest = {
        method: request.method ?? 'GET',
        path: (request.url ?? '/').split('?')[0] ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      stub.requests.push(entry);
      const queue = routes.get(entry.path);
      const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      const answer: StubAnswer = next
        ? typeof next === 'function'
          ? next(entry)
          : next
        : { status: 404, body: fixture('error-404.json'), headers: { 'content-type': 'application/json' } };
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stub server has no port');
  stub.url = `http://127.0.0.1:${address.port}`;
  return stub;
}
