import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '@paydesk/db';
import { recoveryCodes, users } from '@paydesk/db/schema';
import type { Role } from '@paydesk/domain';
import type { ApiConfig } from '../context.ts';
import { AppError } from '../errors.ts';
import { writeAudit, type Actor } from './audit.ts';
import { findUserByEmail, findUserById, type UserRow } from './auth/auth-state.ts';
import { endUserSessions } from './auth/sessions.ts';
import { issueSetupLink } from './auth/setup.ts';

export interface UserDeps {
  db: Db;
  config: ApiConfig;
  now: Date;
  actor: Actor;
}

export function publicUser(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    mfaEnabled: user.totpEnabledAt !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function listUsers(db: Db) {
  const rows = await db
    .select()
    .from(users)
    .orderBy(asc(sql`lower(${users.email})`));
  return rows.map(publicUser);
}

export async function createUser(deps: UserDeps, input: { email: string; name: string; role: Role }) {
  const email = input.email.trim();
  if (await findUserByEmail(deps.db, email)) {
    throw new AppError('conflict', 'email: a user with this e-mail already exists', [
      { path: 'email', message: 'a user with this e-mail already exists' },
    ]);
  }
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email,
        name: input.name.trim(),
        role: input.role,
        status: 'invited',
        createdAt: deps.now,
        updatedAt: deps.now,
      })
      .returning();
    const setupUrl = await issueSetupLink(tx, deps.config, user!.id, deps.now);
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'user.create',
        result: 'success',
        targetType: 'user',
        targetId: user!.id,
        after: { email, name: user!.name, role: input.role },
      },
      deps.now,
    );
    return { user: publicUser(user!), setupUrl };
  });
}

async function targetUser(tx: Db | Tx, id: string): Promise<UserRow> {
  const user = await findUserById(tx, id);
  if (!user) throw new AppError('not_found', 'No such user.');
  return user;
}

/** Refuses a change that would leave nobody able to administer Paydesk. */
async function keepAnActiveAdmin(tx: Tx, user: UserRow): Promise<void> {
  if (user.role !== 'admin' || user.status !== 'active') return;
  const [others] = await tx
    .select({ value: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active'), ne(users.id, user.id)));
  if ((others?.value ?? 0) === 0) {
    throw new AppError(
      'conflict',
      'This is the last active administrator: make someone else an administrator first.',
    );
  }
}

function refuseSelf(deps: UserDeps, userId: string, what: string): void {
  if (deps.actor.userId === userId)
    throw new AppError(
      'self_action_refused',
      `You cannot ${what} your own account; ask another administrator.`,
    );
}

export async function setUserRole(deps: UserDeps, input: { id: string; role: Role }) {
  refuseSelf(deps, input.id, 'change the role of');
  return deps.db.transaction(async (tx) => {
    const user = await targetUser(tx, input.id);
    if (user.role === input.role) return publicUser(user);
    await keepAnActiveAdmin(tx, user);
    const [updated] = await tx
      .update(users)
      .set({ role: input.role, updatedAt: deps.now })
      .where(eq(users.id, user.id))
      .returning();
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'user.set_role',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        before: { role: user.role },
        after: { role: input.role },
      },
      deps.now,
    );
    return publicUser(updated!);
  });
}

export async function deactivateUser(deps: UserDeps, input: { id: string }) {
  refuseSelf(deps, input.id, 'deactivate');
  return deps.db.transaction(async (tx) => {
    const user = await targetUser(tx, input.id);
    if (user.status === 'deactivated') return publicUser(user);
    await keepAnActiveAdmin(tx, user);
    const [updated] = await tx
      .update(users)
      .set({ status: 'deactivated', updatedAt: deps.now })
      .where(eq(users.id, user.id))
      .returning();
    const ended = await endUserSessions(tx, user.id, 'user_deactivated', deps.now);
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'user.deactivate',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        before: { status: user.status },
        after: { status: 'deactivated', sessionsEnded: ended },
      },
      deps.now,
    );
    return publicUser(updated!);
  });
}

export async function reactivateUser(deps: UserDeps, input: { id: string }) {
  return deps.db.transaction(async (tx) => {
    const user = await targetUser(tx, input.id);
    if (user.status !== 'deactivated') return publicUser(user);
    const status = user.passwordHash ? 'active' : 'invited';
    const [updated] = await tx
      .update(users)
      .set({ status, updatedAt: deps.now })
      .where(eq(users.id, user.id))
      .returning();
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'user.reactivate',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        before: { status: user.status },
        after: { status },
      },
      deps.now,
    );
    return publicUser(updated!);
  });
}

/** Removes the user's second factor; they enrol again at their next sign-in if the policy asks. */
export async function resetUserMfa(deps: UserDeps, input: { id: string }) {
  return deps.db.transaction(async (tx) => {
    const user = await targetUser(tx, input.id);
    const [updated] = await tx
      .update(users)
      .set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null, updatedAt: deps.now })
      .where(eq(users.id, user.id))
      .returning();
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    const ended = await endUserSessions(tx, user.id, 'mfa_reset', deps.now);
    await writeAudit(
      tx,
      deps.actor,
      {
        action: 'user.reset_mfa',
        result: 'success',
        targetType: 'user',
        targetId: user.id,
        before: { mfaEnabled: user.totpEnabledAt !== null },
        after: { mfaEnabled: false, sessionsEnded: ended },
      },
      deps.now,
    );
    return publicUser(updated!);
  });
}

export async function issueUserSetupLink(deps: UserDeps, input: { id: string }) {
  return deps.db.transaction(async (tx) => {
    const user = await targetUser(tx, input.id);
    if (user.status === 'deactivated')
      throw new AppError('conflict', 'Reactivate this user before sending a setup link.');
    const setupUrl = await issueSetupLink(tx, deps.config, user.id, deps.now);
    await writeAudit(
      tx,
      deps.actor,
      { action: 'user.issue_setup_link', result: 'success', targetType: 'user', targetId: user.id },
      deps.now,
    );
    return { setupUrl };
  });
}
