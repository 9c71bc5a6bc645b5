import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { appRouter, auditRefusal, type AdjustableClock, type AppRouter, type Deps } from '@paydesk/api';
import { registerDownloads } from './downloads.ts';
import { registerHooks } from './hooks.ts';
import { registerReceipts } from './receipts.ts';
import { contextFor, requestInfo } from './request-context.ts';

export interface AppOptions {
  deps: Deps;
  logger: FastifyBaseLogger;
  /** The built SPA; absent in API-only tests. */
  webDist?: string;
  /** Present only when PAYDESK_TEST_CLOCK is on. */
  testClock?: AdjustableClock;
  ready: () => Promise<void>;
  trustProxy?: boolean;
}

export async function buildApp(options: AppOptions) {
  const { deps } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    // Our ids only: a client-chosen id could forge log correlation.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    trustProxy: options.trustProxy ?? false,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Emotion (MUI) injects <style> elements at run time; scripts stay strictly same-origin.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: deps.config.secureCookies
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);

  // Mutations are POSTs: refuse any without the anti-CSRF header before tRPC reads the body, whatever
  // its content type (a cross-site form posts text/plain or form data).
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/trpc/') || requestInfo(request).csrfHeader)
      return;
    const path = request.url.slice('/trpc/'.length).split('?')[0] ?? '';
    const ctx = await contextFor(deps, request, reply);
    await auditRefusal(ctx, path.slice(0, 200), 'csrf_header_missing');
    const userMessage = 'This request was refused: it did not come from the Paydesk app.';
    return reply.code(403).send({
      error: {
        code: -32003,
        message: userMessage,
        data: {
          code: 'FORBIDDEN',
          httpStatus: 403,
          path,
          appError: { code: 'csrf_header_missing', userMessage, requestId: request.id },
        },
      },
    });
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: ({ req, res }) => contextFor(deps, req, res),
      onError: ({ error, path, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  app.get('/healthz', () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.ready();
      return { status: 'ready' };
    } catch (error) {
      _request.log.warn({ err: error }, 'database not reachable');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  registerDownloads(app, deps);
  registerReceipts(app, deps);
  await registerHooks(app, deps);

  if (options.testClock) {
    const clock = options.testClock;
    app.post<{ Body: { advanceMs?: unknown } }>('/__test/clock', async (request, reply) => {
      const ms = Number(request.body?.advanceMs);
      if (!Number.isFinite(ms) || ms < 0)
        return reply.code(400).send({ error: 'advanceMs must be a positive number' });
      clock.advance(ms);
      return { now: clock.now().toISOString() };
    });
  }

  const webDist = options.webDist;
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDist,
      preCompressed: true,
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        // Hashed files never change; index.html must be revalidated to pick up a new release.
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    app.get('/*', (request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      // A customer's page ends in an e-mail address (/customers/ann@example.com), not a file name.
      const file = /\.[a-z0-9]+$/i.test(url) && !url.startsWith('/customers/');
      if (url.startsWith('/assets/') || file) {
        return reply.sendFile(url.slice(1), { immutable: url.startsWith('/assets/') });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  } else {
    app.get('/', () => ({ status: 'the SPA is not built: run pnpm build' }));
  }

  return app;
}
