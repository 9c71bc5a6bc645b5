import type { Context, CookieJar, Deps, RequestInfo } from './context.ts';
import { sessionCookieName } from './services/auth/cookies.ts';
import { resolveSession } from './services/auth/sessions.ts';

/** Builds a request's context: the transport gives cookies and request facts, the session is looked up. */
export async function createRequestContext(
  deps: Deps,
  request: RequestInfo,
  cookies: CookieJar,
): Promise<Context> {
  const auth = await resolveSession(deps.db, cookies.get(sessionCookieName(deps.config)), deps.clock.now());
  return { ...deps, request, cookies, auth };
}
