import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRequestContext, type CookieJar, type Deps, type RequestInfo } from '@paydesk/api';

/** Sent by the SPA on every call; a cross-site form, link or image cannot send a custom header. */
export const CSRF_HEADER = 'x-paydesk-csrf';

function cookieJar(deps: Deps, request: FastifyRequest, reply: FastifyReply): CookieJar {
  const base = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.secureCookies };
  return {
    get: (name) => request.cookies[name],
    set: (name, value, options) =>
      void reply.setCookie(name, value, { ...base, ...(options?.maxAge ? { maxAge: options.maxAge } : {}) }),
    clear: (name) => void reply.clearCookie(name, base),
  };
}

export function requestInfo(request: FastifyRequest): RequestInfo {
  return {
    requestId: request.id,
    ip: request.ip || null,
    userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    csrfHeader: request.headers[CSRF_HEADER] === '1',
  };
}

export function contextFor(deps: Deps, request: FastifyRequest, reply: FastifyReply) {
  return createRequestContext(deps, requestInfo(request), cookieJar(deps, request, reply));
}
