import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { sessions, users } from '@paydesk/db/schema';
import { rolePermissions } from '@paydesk/domain';
import type { AuthState, Context, SessionStage } from '../../context.ts';
import { sessionCookieName } from './cookies.ts';
import { hashToken, newToken } from './tokens.ts';

export const IDLE_TIMEOUT_MS = 15 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** last_seen_at is refreshed at most this often, so reads do not all become writes. */
const TOUCH_EVERY_MS = 30_000;

export async function startSession(
  tx: Db | Tx,
  ctx: Pick<Context, 'clock' | 'request' | 'cookies' | 'config'>,
  userId: string,
  stage: SessionStage,
): Promise<string> {
  const token = newToken();
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(sessions)
    .values({
      tokenHash: hashToken(token),
      userId,
      stage,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent?.slice(0, 500) ?? null,
    })
    .returning({ id: sessions.id });
  ctx.cookies.set(sessionCookieName(ctx.config), token);
  return row!.id;
}

export async function setSessionStage(tx: Db | Tx, sessionId: string, stage: SessionStage): Promise<void> {
  await tx.update(sessions).set({ stage }).where(eq(sessions.id, sessionId));
}

/**
 * The session behind a cookie, or null when there is none, it ended, it idled out (15 minutes), it
 * reached its absolute limit (12 hours) or its user is no longer active.
 */
export async function resolveSession(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<AuthState | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.session.endedAt) return null;
  const { session, user } = row;
  const idle = now.getTime() - session.lastSeenAt.getTime() > IDLE_TIMEOUT_MS;
  const expired = now >= session.expiresAt;
  if (idle || expired || user.status !== 'active') {
    const reason = user.status !== 'active' ? 'user_inactive' : expired ? 'absolute_timeout' : 'idle_timeout';
    await db
      .update(sessions)
      .set({ endedAt: now, endedReason: reason })
      .where(and(eq(sessions.id, session.id), isNull(sessions.endedAt)));
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
  }
  return {
    sessionId: session.id,
    stage: session.stage,
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

export async function endSession(tx: Db | Tx, sessionId: string, reason: string, now: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)));
}

/** Ends every open session of a user (except `keep`), returning how many were ended. */
export async function endUserSessions(
  tx: Db | Tx,
  userId: string,
  reason: string,
  now: Date,
  keep?: string,
): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.endedAt), keep ? ne(sessions.id, keep) : undefined),
    )
    .returning({ id: sessions.id });
  return ended.length;
}

export async function listActiveSessions(db: Db, userId: string, now: Date) {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.filter((s) => now < s.expiresAt && now.getTime() - s.lastSeenAt.getTime() <= IDLE_TIMEOUT_MS);
}
