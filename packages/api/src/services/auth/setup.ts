import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { setupTokens, users } from '@paydesk/db/schema';
import type { ApiConfig, AuthState, Context } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { actorOf, writeAudit } from '../audit.ts';
import { authStateOf, completeSignIn, findUserById, stageAfterPassword } from './auth-state.ts';
import { checkNewPassword, hashPassword, verifyPassword } from './password.ts';
import { endSession, endUserSessions, setSessionStage, startSession } from './sessions.ts';
import { hashToken, newToken } from './tokens.ts';

export const SETUP_LINK_TTL_MS = 24 * 60 * 60_000;

/**
 * A one-time link with which a user chooses their password. The token rides in the URL fragment, so it
 * never reaches a server log or a Referer header. Earlier unused links of the user stop working.
 */
export async function issueSetupLink(
  tx: Db | Tx,
  config: ApiConfig,
  userId: string,
  now: Date,
): Promise<string> {
  await tx
    .update(setupTokens)
    .set({ usedAt: now })
    .where(and(eq(setupTokens.userId, userId), isNull(setupTokens.usedAt)));
  const token = newToken();
  await tx.insert(setupTokens).values({
    userId,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SETUP_LINK_TTL_MS),
  });
  return `${config.publicUrl.replace(/\/$/, '')}/setup#token=${token}`;
}

export async function completeSetup(
  ctx: Context,
  input: { token: string; password: string },
): Promise<AuthState> {
  const now = ctx.clock.now();
  const invalid = new AppError(
    'invalid_setup_link',
    'This setup link is not valid: it was used already, it expired, or it was replaced by a newer one. Ask an administrator for a new link.',
  );
  if (input.token.length > 200) throw invalid;
  const [link] = await ctx.db
    .select()
    .from(setupTokens)
    .where(
      and(
        eq(setupTokens.tokenHash, hashToken(input.token)),
        isNull(setupTokens.usedAt),
        gt(setupTokens.expiresAt, now),
      ),
    );
  const user = link && (await findUserById(ctx.db, link.userId));
  if (!link || !user || user.status === 'deactivated') {
    await writeAudit(
      ctx.db,
      actorOf(ctx.request, null),
      { action: 'auth.setup', result: 'denied', reason: 'invalid_link' },
      now,
    );
    throw invalid;
  }
  checkNewPassword(input.password, user.email);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .update(setupTokens)
      .set({ usedAt: now })
      .where(and(eq(setupTokens.id, link.id), isNull(setupTokens.usedAt)))
      .returning({ id: setupTokens.id });
    if (claimed.length !== 1) throw invalid;
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, status: 'active', passwordMustChange: false, updatedAt: now })
      .where(eq(users.id, user.id))
      .returning();
    await endUserSessions(tx, user.id, 'password_set', now);
    if (ctx.auth) await endSession(tx, ctx.auth.sessionId, 'replaced', now);
    const stage = await stageAfterPassword(tx, updated!);
    const sessionId = await startSession(tx, ctx, user.id, stage);
    const actor = { ...actorOf(ctx.request, null), userId: user.id, email: user.email };
    await writeAudit(
      tx,
      actor,
      {
        action: 'auth.setup',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        before: { status: user.status },
        after: { status: 'active' },
      },
      now,
    );
    return stage === 'signed_in'
      ? completeSignIn(tx, ctx, updated!, sessionId)
      : authStateOf(updated!, sessionId, stage);
  });
}

export async function changePassword(
  ctx: Context,
  input: { currentPassword: string; newPassword: string },
): Promise<AuthState> {
  const auth = ctx.auth;
  if (!auth) throw new AppError('unauthenticated', 'Please sign in.');
  const user = await findUserById(ctx.db, auth.user.id);
  if (!user) throw new AppError('unauthenticated', 'Please sign in.');
  const now = ctx.clock.now();
  const actor = actorOf(ctx.request, auth);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await writeAudit(
      ctx.db,
      actor,
      {
        action: 'auth.change_password',
        result: 'failure',
        reason: 'wrong_current_password',
        targetType: 'user',
        targetId: user.id,
      },
      now,
    );
    throw new AppError('invalid_credentials', 'currentPassword: is not right', [
      { path: 'currentPassword', message: 'is not right' },
    ]);
  }
  checkNewPassword(input.newPassword, user.email, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation_failed', 'newPassword: must differ from the current one', [
      { path: 'newPassword', message: 'must differ from the current one' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, passwordMustChange: false, updatedAt: now })
      .where(eq(users.id, user.id))
      .returning();
    // Other browsers signed in with the old password lose their sessions.
    await endUserSessions(tx, user.id, 'password_changed', now, auth.sessionId);
    await writeAudit(
      tx,
      actor,
      { action: 'auth.change_password', result: 'success', targetType: 'user', targetId: user.id },
      now,
    );
    if (auth.stage !== 'password_change') return authStateOf(updated!, auth.sessionId, auth.stage);
    const stage = await stageAfterPassword(tx, updated!);
    if (stage === 'signed_in') return completeSignIn(tx, ctx, updated!, auth.sessionId);
    await setSessionStage(tx, auth.sessionId, stage);
    return authStateOf(updated!, auth.sessionId, stage);
  });
}
