import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttp } from './http.ts';
import { ProviderError } from './errors.ts';

/** A misbehaving server in front of a provider: answers that stall or carry no body. */
describe('ProviderHttp at the edge of the provider', () => {
  let server: Server;
  let http: ProviderHttp;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits += 1;
      if (request.url === '/stall') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"partial":');
        return; // never ends
      }
      if (request.url === '/busy') {
        response.writeHead(429, { 'retry-after': '0' });
        response.end();
        return;
      }
      response.writeHead(502);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    http = new ProviderHttp({
      provider: 'gate',
      baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      timeoutMs: 300,
      retries: 1,
      authorize: () => undefined,
      readError: () => ({}),
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a ProviderError');
      },
      (error: unknown) => error as ProviderError,
    );

  it('gives a body that stalls after the headers the same deadline: timeout for a look-up', async () => {
    const started = Date.now();
    const error = await failure(
      http.send({ operation: 'lookup', method: 'GET', path: '/stall', retrySafe: true }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('and unknown_outcome for a mutation, sent once', async () => {
    hits = 0;
    const error = await failure(
      http.send({ operation: 'refund', method: 'POST', path: '/stall', body: '{}', retrySafe: false }),
    );
    expect(error.kind).toBe('unknown_outcome');
    expect(hits).toBe(1);
  });

  it('reports a body-less 502 on a mutation as unknown_outcome, never retried', async () => {
    hits = 0;
    const error = await failure(
      http.send({ operation: 'refund', method: 'POST', path: '/gone', body: '{}', retrySafe: false }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', httpStatus: 502, retrySafe: false });
    expect(hits).toBe(1);
  });

  it('treats a body-less 429 as not processed: safe to send again later', async () => {
    hits = 0;
    const error = await failure(
      http.send({ operation: 'refund', method: 'POST', path: '/busy', body: '{}', retrySafe: false }),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retrySafe: true, retryAfterSeconds: 0 });
    expect(hits).toBe(1);
  });
});
