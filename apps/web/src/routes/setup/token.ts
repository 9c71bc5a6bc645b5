/**
 * The setup token travels in the URL fragment (`/setup#token=…`): browsers never send the fragment to
 * a server, so the token stays out of access logs and proxies.
 */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token ? token : null;
}
