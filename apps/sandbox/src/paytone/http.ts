/**
 * HTTP plumbing shared by the Paytone routes: body parsers, the provider's error envelopes for every
 * failure (including fastify's own 400/404/415), 405 for known paths, and the two kinds of auth.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { internalErrorBody, statusErrorBody, validationErrorBody, type FieldErrors } from './documents.ts';

/** A Paytone answer other than success, thrown by handlers and rendered by the error handler. */
export class PaytoneHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super(`Paytone answers ${statusCode}`);
  }
}

export const unauthorized = () => new PaytoneHttpError(401, statusErrorBody(401));
export const notFound = () => new PaytoneHttpError(404, statusErrorBody(404));
export const unprocessable = (fields: FieldErrors) => new PaytoneHttpError(422, validationErrorBody(fields));
/** 409: the body is the earlier object, so the merchant can carry on with it. */
export const conflict = (document: unknown) => new PaytoneHttpError(409, document);

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** `customer[address][city]=Riga` → `{ customer: { address: { city: 'Riga' } } }`, as PHP reads forms. */
export function parseForm(raw: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match?.[1]) continue;
    const path = [match[1], ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? '')];
    if (path.some((key) => key === '' || forbiddenKeys.has(key))) continue;
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next === 'object' && next !== null) target = next as Record<string, unknown>;
      else target = target[key] = {};
    }
    target[path[path.length - 1] ?? ''] = value;
  }
  return result;
}

function badRequest(message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode: 400, code: 'PAYTONE_BAD_BODY', name: 'BadRequest' });
}

/** JSON (also JSON:API's media type) where an empty body is no body, and `application/x-www-form-urlencoded`. */
export function installBodyParsers(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    ['application/json', 'application/vnd.api+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      try {
        done(null, JSON.parse(text));
      } catch {
        done(badRequest('The body is not valid JSON.'), undefined);
      }
    },
  );
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, parseForm(String(body)));
    },
  );
}

/** Every failure in the provider's envelope; anything unexpected is a 500 without details. */
export function installErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError | PaytoneHttpError, request, reply) => {
    if (error instanceof PaytoneHttpError) return reply.code(error.statusCode).send(error.body);
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500)
      return reply.code(statusCode).send(statusErrorBody(statusCode));
    request.log.error({ err: error }, 'paytone simulator failed');
    return reply.code(500).send(internalErrorBody);
  });
}

/**
 * 404 for unknown paths, 405 for a known path asked with another method. Routes are learnt as they
 * are registered, so the table cannot drift from the routes.
 */
export function installNotFound(scope: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  scope.addHook('onRoute', (route) => {
    const source = route.url.replace(/:[^/]+/g, '[^/]+').replace(/\/$/, '');
    routes.push({
      pattern: new RegExp(`^${source}/?$`),
      methods: [route.method].flat().map(String),
    });
  });
  scope.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods);
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header('Allow', [...new Set(allowed)].join(', '))
        .send(statusErrorBody(405));
    }
    return reply.code(404).send(statusErrorBody(404));
  });
}

/** Constant-time equality of two secrets of any length. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** HTTP Basic: login = commerce account id, password = API key. */
export function checkBasicAuth(
  request: FastifyRequest,
  credentials: { commerceAccountId: string; apiKey: string },
): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are compared, always, so the answer's timing does not tell which one was wrong.
  const loginOk = sameSecret(decoded.slice(0, colon), credentials.commerceAccountId);
  const passwordOk = sameSecret(decoded.slice(colon + 1), credentials.apiKey);
  return loginOk && passwordOk;
}

/** The public API's `public_key` (from the body, or from the query string of a GET). */
export function checkPublicKey(value: unknown, publicKey: string): boolean {
  return typeof value === 'string' && sameSecret(value, publicKey);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sendHtml(reply: FastifyReply, statusCode: number, html: string): FastifyReply {
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
}
