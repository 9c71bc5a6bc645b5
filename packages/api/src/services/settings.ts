import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@paydesk/db';
import { settings } from '@paydesk/db/schema';
import { roles, type Role } from '@paydesk/domain';
import { writeAudit, type Actor } from './audit.ts';

/**
 * One setting of the `settings` table: read with its schema (a missing or unreadable value reads as the
 * default), written with its audit row in the same database transaction.
 */
export interface Setting<T> {
  get: (db: Db | Tx) => Promise<T>;
  /** Saves `next` (already validated) and audits `action` with the value before and after. */
  set: (db: Db, actor: Actor, next: T, now: Date, audit: { action: string; reason?: string }) => Promise<T>;
}

export function defineSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): Setting<T> {
  const get = async (db: Db | Tx): Promise<T> => {
    const [row] = await db.select().from(settings).where(eq(settings.key, key));
    const parsed = schema.safeParse(row?.value);
    return parsed.success ? parsed.data : fallback;
  };
  return {
    get,
    set: (db, actor, next, now, audit) =>
      db.transaction(async (tx) => {
        const before = await get(tx);
        await tx
          .insert(settings)
          .values({ key, value: next, updatedAt: now, updatedBy: actor.userId })
          .onConflictDoUpdate({
            target: settings.key,
            set: { value: next, updatedAt: now, updatedBy: actor.userId },
          });
        await writeAudit(
          tx,
          actor,
          {
            action: audit.action,
            result: 'success',
            targetType: 'settings',
            targetId: key,
            before: before as Record<string, unknown>,
            after: next as Record<string, unknown>,
            ...(audit.reason ? { reason: audit.reason } : {}),
          },
          now,
        );
        return next;
      }),
  };
}

export const securityPolicySchema = z.object({
  /** Roles that must use a second factor; enrolment is forced at their next sign-in. */
  mfaRequiredRoles: z.array(z.enum(roles)).max(roles.length),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const defaultSecurityPolicy: SecurityPolicy = { mfaRequiredRoles: ['admin'] };
const securityPolicy = defineSetting('security', securityPolicySchema, defaultSecurityPolicy);

export const getSecurityPolicy = securityPolicy.get;

export async function isMfaRequired(db: Db | Tx, role: Role): Promise<boolean> {
  return (await getSecurityPolicy(db)).mfaRequiredRoles.includes(role);
}

export function updateSecurityPolicy(
  db: Db,
  actor: Actor,
  policy: SecurityPolicy,
  now: Date,
  reason?: string,
): Promise<SecurityPolicy> {
  const next = { mfaRequiredRoles: [...new Set(policy.mfaRequiredRoles)].sort() };
  return securityPolicy.set(db, actor, next, now, {
    action: 'settings.security.update',
    ...(reason ? { reason } : {}),
  });
}
