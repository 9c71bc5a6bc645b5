/**
 * The merchant's profile: the name printed on Paydesk's own receipts and the time zone their dates
 * are written in. One settings key, like the security policy; admins change it, audited.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@paydesk/db';
import { settings } from '@paydesk/db/schema';
import { writeAudit, type Actor } from './audit.ts';

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** The zone's canonical name, or null when the runtime does not know it as an IANA zone. */
export function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const merchantProfileSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'the merchant name is required')
    .max(120, 'at most 120 characters')
    .refine((name) => ![...name].some(isControl), 'no control characters'),
  timeZone: z
    .string()
    .trim()
    .min(1, 'an IANA time zone such as Europe/Riga or UTC')
    .max(64)
    .refine((zone) => canonicalTimeZone(zone) !== null, 'not an IANA time zone (such as Europe/Riga or UTC)')
    .transform((zone) => canonicalTimeZone(zone) ?? zone),
});
export type MerchantProfile = z.output<typeof merchantProfileSchema>;

export const defaultMerchantProfile: MerchantProfile = { name: 'Paydesk merchant', timeZone: 'UTC' };
const MERCHANT_KEY = 'merchant';

export async function getMerchantProfile(db: Db | Tx): Promise<MerchantProfile> {
  const [row] = await db.select().from(settings).where(eq(settings.key, MERCHANT_KEY));
  const parsed = merchantProfileSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : defaultMerchantProfile;
}

export async function updateMerchantProfile(
  db: Db,
  actor: Actor,
  input: z.input<typeof merchantProfileSchema>,
  now: Date,
): Promise<MerchantProfile> {
  const next = merchantProfileSchema.parse(input);
  return db.transaction(async (tx) => {
    const before = await getMerchantProfile(tx);
    await tx
      .insert(settings)
      .values({ key: MERCHANT_KEY, value: next, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: next, updatedAt: now, updatedBy: actor.userId },
      });
    await writeAudit(
      tx,
      actor,
      {
        action: 'settings.merchant.update',
        result: 'success',
        targetType: 'settings',
        targetId: MERCHANT_KEY,
        before: { ...before },
        after: { ...next },
      },
      now,
    );
    return next;
  });
}
