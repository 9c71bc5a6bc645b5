import type { ApiConfig } from '../../context.ts';

/** `__Host-` cookies are refused by browsers unless Secure, path=/ and host-only: exactly what we want. */
export function sessionCookieName(config: ApiConfig): string {
  return config.secureCookies ? '__Host-paydesk_session' : 'paydesk_session';
}

export function deviceCookieName(config: ApiConfig): string {
  return config.secureCookies ? '__Host-paydesk_device' : 'paydesk_device';
}
