import { count, eq } from 'drizzle-orm';
import { users } from '@paydesk/db/schema';
import type { Deps } from '../context.ts';
import { systemActor, writeAudit } from './audit.ts';
import { issueSetupLink } from './auth/setup.ts';
import { createUser } from './users.ts';

export interface FirstRun {
  email: string;
  setupUrl: string;
  created: boolean;
}

/**
 * With no users at all, creates the first administrator and returns a one-time setup link to print.
 * While that administrator has not chosen a password yet, every start issues a fresh link.
 */
export async function ensureFirstAdmin(deps: Deps, email: string): Promise<FirstRun | null> {
  const now = deps.clock.now();
  const [total] = await deps.db.select({ value: count() }).from(users);
  if ((total?.value ?? 0) === 0) {
    try {
      const { user, setupUrl } = await createUser(
        { db: deps.db, config: deps.config, now, actor: systemActor },
        { email, name: 'Administrator', role: 'admin' },
      );
      return { email: user.email, setupUrl, created: true };
    } catch (error) {
      // Several processes starting on an empty database: one of them creates the administrator.
      const [now_] = await deps.db.select({ value: count() }).from(users);
      if ((now_?.value ?? 0) === 0) throw error;
      return null;
    }
  }
  const [active] = await deps.db.select({ value: count() }).from(users).where(eq(users.status, 'active'));
  if ((active?.value ?? 0) > 0) return null;
  const [pending] = await deps.db.select().from(users).where(eq(users.role, 'admin')).limit(1);
  if (!pending || pending.status !== 'invited') return null;
  const setupUrl = await deps.db.transaction(async (tx) => {
    const url = await issueSetupLink(tx, deps.config, pending.id, now);
    await writeAudit(
      tx,
      systemActor,
      {
        action: 'user.issue_setup_link',
        result: 'success',
        targetType: 'user',
        targetId: pending.id,
        reason: 'first run: administrator has not set a password yet',
      },
      now,
    );
    return url;
  });
  return { email: pending.email, setupUrl, created: false };
}
