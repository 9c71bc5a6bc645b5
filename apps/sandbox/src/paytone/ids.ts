/**
 * Identifiers drawn from the sandbox's seeded random source, so one seed reproduces one run's ids.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(random: () => number, characters: string): string {
  return characters.charAt(Math.floor(random() * characters.length));
}

/** 16 alphanumerics: Paytone's serial number, and the tail of `cpi_`, `cpoi_`, `cus_`, `ref_` ids. */
export function serialNumber(random: () => number): string {
  let serial = '';
  for (let i = 0; i < 16; i++) serial += pick(random, alphabet);
  return serial;
}

export function digits(random: () => number, length: number): string {
  let value = '';
  for (let i = 0; i < length; i++) value += pick(random, '0123456789');
  return value;
}

/** A version 4 UUID, the form of the `reference_id` the API generates when none is sent. */
export function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => pick(random, '0123456789abcdef'));
  hex[12] = '4';
  hex[16] = pick(random, '89ab');
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
