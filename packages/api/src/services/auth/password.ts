import { hash, verify } from '@node-rs/argon2';
import { fieldError } from '../../errors.ts';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1): OWASP's minimum, about 23 ms here.
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** A hash of a random password, verified against when the e-mail is unknown, so timing tells nothing. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function checkNewPassword(password: string, email: string, path = 'password'): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw fieldError(path, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw fieldError(path, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw fieldError(path, 'must not be your e-mail address');
  }
}
