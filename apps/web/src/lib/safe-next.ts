/**
 * Where to go after signing in. `next` comes from the URL, so anyone can craft it: only a path on this
 * origin is followed ("//evil.example" and "https://…" are not), and never back to a sign-in page.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const url = new URL(next, 'https://paydesk.invalid');
    if (url.origin !== 'https://paydesk.invalid') return fallback;
    if (url.pathname === '/sign-in' || url.pathname === '/setup') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export function signInPath(current: string): string {
  return current === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(current)}`;
}
