import { can, type Permission } from '@paydesk/domain';
import type { AuthState, Context } from './context.ts';
import { AppError } from './errors.ts';
import { actorOf, writeAudit } from './services/audit.ts';

export async function auditRefusal(ctx: Context, action: string, reason: string): Promise<void> {
  await writeAudit(
    ctx.db,
    actorOf(ctx.request, ctx.auth),
    { action, result: 'denied', reason },
    ctx.clock.now(),
  );
}

export function requireSignedIn(auth: AuthState | null): AuthState {
  if (!auth || auth.stage !== 'signed_in') throw new AppError('unauthenticated', 'Please sign in.');
  return auth;
}

/**
 * The one check of a role against a permission, for tRPC procedures and file downloads alike.
 * Refusals of actions that change or take data out are audited.
 */
export async function requirePermission(
  ctx: Context,
  permission: Permission,
  action: string,
  auditIfRefused: boolean,
): Promise<AuthState> {
  const auth = requireSignedIn(ctx.auth);
  if (!can(auth.user.role, permission)) {
    if (auditIfRefused) await auditRefusal(ctx, action, `missing permission ${permission}`);
    throw new AppError('forbidden', 'Your role does not allow this.');
  }
  return auth;
}
