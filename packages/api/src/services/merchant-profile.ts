/**
 * The merchant's profile: the name printed on Paydesk's own receipts and the time zone their dates
 * are written in. One settings key, like the security policy; admins change it, audited.
 */
import { z } from 'zod';
import type { Db } from '@paydesk/db';
import type { Actor } from './audit.ts';
import { defineSetting } from './settings.ts';

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
const merchantProfile = defineSetting('merchant', merchantProfileSchema, defaultMerchantProfile);

export const getMerchantProfile = merchantProfile.get;

export function updateMerchantProfile(
  db: Db,
  actor: Actor,
  input: z.input<typeof merchantProfileSchema>,
  now: Date,
): Promise<MerchantProfile> {
  return merchantProfile.set(db, actor, merchantProfileSchema.parse(input), now, {
    action: 'settings.merchant.update',
  });
}
