/**
 * Paytone callback signature: header `X-Signature` = base64 of the raw 20-byte SHA-1 digest of
 * `secret + rawBody + secret` (plain SHA-1, not HMAC), where `secret` is the test or live secret key
 * matching the invoice's `test_mode`. Pure functions shared by the adapter and the sandbox, so both
 * sign and verify through the same code path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(rawBody: string, secret: string): Buffer {
  // Strings are hashed as their UTF-8 bytes, which is what travelled on the wire.
  return createHash('sha1').update(secret, 'utf8').update(rawBody, 'utf8').update(secret, 'utf8').digest();
}

export function signCallback(rawBody: string, secret: string): string {
  return digest(rawBody, secret).toString('base64');
}

// Canonical base64 of 20 bytes: 27 characters, the last of which carries only 2 significant bits, and
// one pad. Anything else (whitespace, URL-safe alphabet, missing pad) is refused instead of repaired.
const signaturePattern = /^[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=$/;

/** Constant-time check of an `X-Signature` header. A malformed signature is `false`, never a throw. */
export function verifyCallback(rawBody: string, signature: string, secret: string): boolean {
  // Header values come from the network: guard the type at run time too.
  if (typeof signature !== 'string' || !signaturePattern.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'base64'), digest(rawBody, secret));
}
