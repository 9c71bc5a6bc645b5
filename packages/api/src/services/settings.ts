import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@paydesk/db';
import { settings } from '@paydesk/db/schema';
import { roles, type Role } from '@paydesk/domain';
import { writeAudit, type Actor } from './audit.ts';

export const securityPolicySchema = z.object({
  /** Roles that must use a second factor; enrolment is forced at their next sign-in. */
  mfaRequiredRoles: z.array(z.enum(roles)).max(roles.length),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const defaultSecurityPolicy: SecurityPolicy = { mfaRequiredRoles: ['admin'] };
const SECURITY_KEY = 'security';

export async function getSecurityPolicy(db: Db | Tx): Promise<SecurityPolicy> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SECURITY_KEY));
  const parsed = securityPolicySchema.safeParse(row?.value);
  return parsed.success ? parsed.data : defaultSecurityPolicy;
}

export async function isMfaRequired(db: Db | Tx, role: Role): Promise<boolean> {
  return (await getSecurityPolicy(db)).mfaRequiredRoles.includes(role);
}

export async function updateSecurityPolicy(
  db: Db,
  actor: Actor,
  policy: SecurityPolicy,
  now: Date,
  reason?: string,
): Promise<SecurityPolicy> {
  const next = { mfaRequiredRoles: [...new Set(policy.mfaRequiredRoles)].sort() };
  return db.transaction(async (tx) => {
    const before = await getSecurityPolicy(tx);
    await tx
      .insert(settings)
      .values({ key: SECURITY_KEY, value: next, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: next, updatedAt: now, updatedBy: actor.userId },
      });
    await writeAudit(
      tx,
      actor,
      {
        action: 'settings.security.update',
        result: 'success',
        targetType: 'settings',
        targetId: SECURITY_KEY,
        before,
        after: next,
        ...(reason ? { reason } : {}),
      },
      now,
    );
    return next;
  });
}
