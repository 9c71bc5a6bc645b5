import type { FastifyInstance } from 'fastify';
import { ingestWebhook, type Deps } from '@paydesk/api';

/** Webhook bodies can be a whole transaction with its operations; nothing legitimate is larger. */
const maxWebhookBytes = 512 * 1024;

/**
 * `POST /hooks/:token`: the providers' inbound webhooks. The body is kept as raw bytes (signatures
 * cover the exact bytes), whatever the content type; the answer is sent only after the delivery is
 * committed to the inbox.
 */
export async function registerHooks(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register((scope, _options, registered) => {
    // Whatever the provider calls its body (even a malformed or doubled Content-Type), it is bytes here.
    scope.addHook('onRequest', (request, _reply, next) => {
      const given = request.headers['content-type'];
      if (given !== undefined) request.headers['x-original-content-type'] = given;
      request.headers['content-type'] = 'application/octet-stream';
      next();
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: maxWebhookBytes },
      (_request, body, done) => done(null, body),
    );
    // The answer is a few bytes of JSON for a provider's server: no browser security headers to build.
    scope.post<{ Params: { token: string } }>('/hooks/:token', { helmet: false }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      headers['content-type'] = headers['x-original-content-type'];
      delete headers['x-original-content-type'];
      const answer = await ingestWebhook(
        { db: deps.db, secrets: deps.secrets, jobs: deps.jobs, log: deps.log, now: () => deps.clock.now() },
        request.params.token,
        body,
        headers,
      );
      return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
    });
    registered();
  });
}
