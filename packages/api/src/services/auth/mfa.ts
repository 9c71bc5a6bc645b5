import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { recoveryCodes, users } from '@paydesk/db/schema';
import type { AuthState, Context } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { actorOf, writeAudit } from '../audit.ts';
import { completeSignIn, findUserById, throttleKeys, type UserRow } from './auth-state.ts';
import { lockedUntil, recordFailure } from './throttle.ts';
import { hashToken } from './tokens.ts';

const ISSUER = 'Paydesk';
const RECOVERY_CODE_COUNT = 10;

function totpFor(user: Pick<UserRow, 'email'>, secret: Secret): TOTP {
  return new TOTP({ issuer: ISSUER, label: user.email, algorithm: 'SHA1', digits: 6, period: 30, secret });
}

/** The TOTP secret is sealed with the user's id as associated data, so it cannot be moved to another row. */
function openSecret(ctx: Pick<Context, 'secrets'>, user: UserRow): Secret {
  if (!user.totpSecretEnc)
    throw new AppError('wrong_sign_in_stage', 'Two-factor enrolment has not been started.');
  return Secret.fromBase32(ctx.secrets.open(user.totpSecretEnc, `totp:${user.id}`));
}

function requireAuth(ctx: Context): AuthState {
  if (!ctx.auth) throw new AppError('unauthenticated', 'Please sign in.');
  return ctx.auth;
}

async function requireUser(ctx: Context, auth: AuthState): Promise<UserRow> {
  const user = await findUserById(ctx.db, auth.user.id);
  if (!user) throw new AppError('unauthenticated', 'Please sign in.');
  return user;
}

export async function beginEnrolment(ctx: Context) {
  const auth = requireAuth(ctx);
  const user = await requireUser(ctx, auth);
  if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already set up.');
  const secret = new Secret({ size: 20 });
  await ctx.db
    .update(users)
    .set({ totpSecretEnc: ctx.secrets.seal(secret.base32, `totp:${user.id}`), updatedAt: ctx.clock.now() })
    .where(eq(users.id, user.id));
  const otpauthUri = totpFor(user, secret).toString();
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret: secret.base32, otpauthUri, qrSvg };
}

/** Accepts a code once: the time step must be newer than the last one used. */
function acceptedStep(ctx: Context, user: UserRow, secret: Secret, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = ctx.clock.now().getTime();
  const delta = totpFor(user, secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 30_000) + delta;
  return user.totpLastStep !== null && step <= user.totpLastStep ? null : step;
}

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export async function confirmEnrolment(ctx: Context, code: string) {
  const auth = requireAuth(ctx);
  const user = await requireUser(ctx, auth);
  if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already set up.');
  const step = acceptedStep(ctx, user, openSecret(ctx, user), code.trim());
  const now = ctx.clock.now();
  const actor = actorOf(ctx.request, auth);
  if (step === null) {
    await writeAudit(
      ctx.db,
      actor,
      {
        action: 'auth.mfa_enrol',
        result: 'failure',
        reason: 'wrong_code',
        targetType: 'user',
        targetId: user.id,
      },
      now,
    );
    throw new AppError(
      'invalid_code',
      'That code is not right. Check the time on your phone and try the newest code.',
    );
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const state = await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpEnabledAt: now, totpLastStep: step, updatedAt: now })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: hashToken(c) })));
    await writeAudit(
      tx,
      actor,
      {
        action: 'auth.mfa_enrol',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        after: { mfaEnabled: true },
      },
      now,
    );
    const enrolled = { ...user, totpEnabledAt: now };
    return auth.stage === 'signed_in'
      ? { ...auth, user: { ...auth.user, mfaEnabled: true } }
      : completeSignIn(tx, ctx, enrolled, auth.sessionId);
  });
  return { recoveryCodes: codes, auth: state };
}

/** The second step of sign-in: a TOTP code, or one of the recovery codes (each works once). */
export async function verifySecondFactor(ctx: Context, rawCode: string): Promise<AuthState> {
  const auth = requireAuth(ctx);
  if (auth.stage !== 'mfa_verify')
    throw new AppError('wrong_sign_in_stage', 'No second factor is being asked for.');
  const user = await requireUser(ctx, auth);
  const now = ctx.clock.now();
  const key = throttleKeys.mfa(user.id);
  const actor = actorOf(ctx.request, auth);
  const locked = await lockedUntil(ctx.db, key, now);
  if (locked) {
    await writeAudit(
      ctx.db,
      actor,
      {
        action: 'auth.mfa_verify',
        result: 'denied',
        reason: 'locked',
        targetType: 'user',
        targetId: user.id,
      },
      now,
    );
    throw new AppError(
      'sign_in_locked',
      `Too many wrong codes: try again after ${locked.toISOString().slice(11, 16)} UTC.`,
    );
  }
  const code = rawCode.trim().toLowerCase();
  return ctx.db
    .transaction(async (tx) => {
      const step = acceptedStep(ctx, user, openSecret(ctx, user), code);
      let method: 'totp' | 'recovery_code' | null = null;
      if (step !== null) {
        await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
        method = 'totp';
      } else if (/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}$/.test(code)) {
        const used = await tx
          .update(recoveryCodes)
          .set({ usedAt: now })
          .where(
            and(
              eq(recoveryCodes.userId, user.id),
              eq(recoveryCodes.codeHash, hashToken(code)),
              isNull(recoveryCodes.usedAt),
            ),
          )
          .returning({ id: recoveryCodes.id });
        if (used.length === 1) method = 'recovery_code';
      }
      if (!method) {
        const until = await recordFailure(tx, key, now);
        await writeAudit(
          tx,
          actor,
          {
            action: 'auth.mfa_verify',
            result: 'failure',
            reason: 'wrong_code',
            targetType: 'user',
            targetId: user.id,
          },
          now,
        );
        // The failure must be kept even though we answer with an error, so commit first.
        return { failed: true as const, until };
      }
      await writeAudit(
        tx,
        actor,
        {
          action: 'auth.mfa_verify',
          result: 'success',
          reason: method,
          targetType: 'user',
          targetId: user.id,
        },
        now,
      );
      return completeSignIn(tx, ctx, user, auth.sessionId);
    })
    .then((result) => {
      if ('failed' in result) {
        if (result.until)
          throw new AppError(
            'sign_in_locked',
            `Too many wrong codes: try again after ${result.until.toISOString().slice(11, 16)} UTC.`,
          );
        throw new AppError('invalid_code', 'That code is not right.');
      }
      return result;
    });
}
