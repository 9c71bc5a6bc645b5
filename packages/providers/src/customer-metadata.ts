/**
 * Gate returns no customer and Paytone names it only by id, but both echo the shop's own metadata.
 * Paydesk reads who paid from two keys there, `customerEmail` and `customerName` — the keys it writes
 * itself when it creates a payment, and the convention its README asks merchants to follow.
 */
export const customerMetadataKeys = { email: 'customerEmail', name: 'customerName' } as const;

const emailShape = /^[^\s@]+@[^\s@]+$/;

export function customerFromMetadata(metadata: unknown): { email?: string; name?: string } {
  if (typeof metadata !== 'object' || metadata === null) return {};
  const record = metadata as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const email = text(record[customerMetadataKeys.email]);
  const name = text(record[customerMetadataKeys.name]);
  return { ...(email && emailShape.test(email) ? { email } : {}), ...(name ? { name } : {}) };
}

/** What Paydesk writes into a payment's metadata when it creates the payment itself (payment links). */
export function customerMetadata(email: string, name?: string): Record<string, string> {
  const trimmed = name?.trim();
  return {
    [customerMetadataKeys.email]: email,
    ...(trimmed ? { [customerMetadataKeys.name]: trimmed } : {}),
  };
}
