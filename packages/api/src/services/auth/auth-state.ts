import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { trustedDevices, users } from '@paydesk/db/schema';
import { rolePermissions } from '@paydesk/domain';
import type { AuthState, Context, SessionStage } from '../../context.ts';
import { isMfaRequired } from '../settings.ts';
import { deviceCookieName } from './cookies.ts';
import { setSessionStage } from './sessions.ts';
import { clearFailures } from './throttle.ts';
import { hashToken, newToken } from './tokens.ts';

export type UserRow = typeof users.$inferSelect;

export function authStateOf(user: UserRow, sessionId: string, stage: SessionStage): AuthState {
  return {
    sessionId,
    stage,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      mfaEnabled: user.totpEnabledAt !== null,
    },
    permissions: rolePermissions[user.role],
  };
}

export async function findUserByEmail(db: Db | Tx, email: string): Promise<UserRow | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user;
}

export async function findUserById(db: Db | Tx, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** Where a user who has just proved their password goes next. */
export async function stageAfterPassword(db: Db | Tx, user: UserRow): Promise<SessionStage> {
  if (user.passwordMustChange) return 'password_change';
  if (user.totpEnabledAt) return 'mfa_verify';
  if (await isMfaRequired(db, user.role)) return 'mfa_enrolment';
  return 'signed_in';
}

export const throttleKeys = {
  account: (email: string) => `account:${email.trim().toLowerCase()}`,
  device: (deviceId: string) => `device:${deviceId}`,
  mfa: (userId: string) => `mfa:${userId}`,
};

/** The trusted-device row behind this browser's device cookie, if it belongs to `userId`. */
export async function trustedDeviceOf(
  db: Db | Tx,
  ctx: Pick<Context, 'cookies' | 'config'>,
  userId: string | undefined,
): Promise<string | null> {
  const token = ctx.cookies.get(deviceCookieName(ctx.config));
  if (!token || !userId || token.length > 200) return null;
  const [device] = await db
    .select()
    .from(trustedDevices)
    .where(eq(trustedDevices.tokenHash, hashToken(token)));
  return device && device.userId === userId ? device.id : null;
}

const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The session has passed every step: mark it signed in, remember this browser as one the user signs
 * in from (its own failure counter from now on), and forget the failures that preceded success.
 */
export async function completeSignIn(
  tx: Tx,
  ctx: Pick<Context, 'clock' | 'cookies' | 'config'>,
  user: UserRow,
  sessionId: string,
): Promise<AuthState> {
  const now = ctx.clock.now();
  await setSessionStage(tx, sessionId, 'signed_in');
  await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  const deviceId = await trustedDeviceOf(tx, ctx, user.id);
  if (deviceId) {
    await tx.update(trustedDevices).set({ lastUsedAt: now }).where(eq(trustedDevices.id, deviceId));
    await clearFailures(tx, throttleKeys.device(deviceId));
  } else {
    const token = newToken();
    await tx
      .insert(trustedDevices)
      .values({ userId: user.id, tokenHash: hashToken(token), createdAt: now, lastUsedAt: now });
    ctx.cookies.set(deviceCookieName(ctx.config), token, { maxAge: DEVICE_COOKIE_MAX_AGE_S });
  }
  await clearFailures(tx, throttleKeys.mfa(user.id));
  return authStateOf(user, sessionId, 'signed_in');
}
