import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { signInThrottles } from '@paydesk/db/schema';

export const MAX_FAILURES = 10;
export const LOCK_MS = 30 * 60_000;
/** Failures older than this are forgotten, so a typo a week ago does not count. */
const WINDOW_MS = 60 * 60_000;

export async function lockedUntil(db: Db | Tx, key: string, now: Date): Promise<Date | null> {
  const [row] = await db.select().from(signInThrottles).where(eq(signInThrottles.key, key));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts one failure atomically (one upsert, so parallel guesses cannot slip past the count); returns
 * the lock's end when this failure reached the limit.
 */
export async function recordFailure(db: Db | Tx, key: string, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const restart = sql`(${signInThrottles.windowStartedAt} < ${windowStart} OR ${signInThrottles.lockedUntil} <= ${now})`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`CASE WHEN ${restart} THEN 1 ELSE ${signInThrottles.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${restart} THEN ${now} ELSE ${signInThrottles.windowStartedAt} END`,
        lockedUntil: sql`CASE WHEN ${restart} THEN NULL ELSE ${signInThrottles.lockedUntil} END`,
      },
    })
    .returning({ failures: signInThrottles.failures });
  if (!row || row.failures < MAX_FAILURES) return null;
  const until = new Date(now.getTime() + LOCK_MS);
  await db
    .update(signInThrottles)
    .set({ failures: 0, windowStartedAt: now, lockedUntil: until })
    .where(eq(signInThrottles.key, key));
  return until;
}

export async function clearFailures(db: Db | Tx, key: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}
