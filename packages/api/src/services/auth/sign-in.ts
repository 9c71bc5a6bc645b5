import type { Context, AuthState } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { actorOf, writeAudit } from '../audit.ts';
import {
  authStateOf,
  completeSignIn,
  findUserByEmail,
  stageAfterPassword,
  throttleKeys,
  trustedDeviceOf,
} from './auth-state.ts';
import { verifyPassword } from './password.ts';
import { endSession, startSession } from './sessions.ts';
import { clearFailures, lockedUntil, recordFailure } from './throttle.ts';

function lockedMessage(until: Date): string {
  return `Too many failed attempts: sign-in from this browser is locked until ${until.toISOString().slice(11, 16)} UTC.`;
}

/**
 * Password sign-in. Failures are counted per account for browsers that never signed in as that user,
 * and per device cookie for those that did: an attacker can lock the first, never the user's own
 * browser. The answer for a wrong e-mail and a wrong password is the same.
 */
export async function signIn(ctx: Context, input: { email: string; password: string }): Promise<AuthState> {
  const now = ctx.clock.now();
  const user = await findUserByEmail(ctx.db, input.email);
  const deviceId = await trustedDeviceOf(ctx.db, ctx, user?.id);
  const key = deviceId ? throttleKeys.device(deviceId) : throttleKeys.account(input.email);
  const actor = {
    ...actorOf(ctx.request, null),
    userId: user?.id ?? null,
    email: input.email.trim().toLowerCase().slice(0, 320),
  };

  const locked = await lockedUntil(ctx.db, key, now);
  if (locked) {
    await writeAudit(
      ctx.db,
      actor,
      {
        action: 'auth.sign_in',
        result: 'denied',
        reason: 'locked',
        targetType: 'user',
        ...(user ? { targetId: user.id } : {}),
      },
      now,
    );
    throw new AppError('sign_in_locked', lockedMessage(locked));
  }

  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !passwordOk || user.status !== 'active') {
    const reason = !user ? 'unknown_email' : !passwordOk ? 'wrong_password' : `user_${user.status}`;
    const until = await ctx.db.transaction(async (tx) => {
      const lockedNow = await recordFailure(tx, key, now);
      await writeAudit(
        tx,
        actor,
        {
          action: 'auth.sign_in',
          result: 'failure',
          reason,
          targetType: 'user',
          ...(user ? { targetId: user.id } : {}),
        },
        now,
      );
      return lockedNow;
    });
    if (until) throw new AppError('sign_in_locked', lockedMessage(until));
    throw new AppError('invalid_credentials', 'The e-mail or password is wrong.');
  }

  return ctx.db.transaction(async (tx) => {
    if (ctx.auth) await endSession(tx, ctx.auth.sessionId, 'replaced', now);
    await clearFailures(tx, key);
    const stage = await stageAfterPassword(tx, user);
    const sessionId = await startSession(tx, ctx, user.id, stage);
    await writeAudit(
      tx,
      actor,
      {
        action: 'auth.sign_in',
        result: 'success',
        reason: stage === 'signed_in' ? undefined : `next: ${stage}`,
        targetType: 'user',
        targetId: user.id,
      },
      now,
    );
    return stage === 'signed_in'
      ? completeSignIn(tx, ctx, user, sessionId)
      : authStateOf(user, sessionId, stage);
  });
}
