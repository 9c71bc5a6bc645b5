/** The server enforces the same minimum; checking it here saves a round trip and explains it up front. */
export const minPasswordLength = 12;

export interface NewPasswordProblems {
  password?: string;
  confirm?: string;
}

export function newPasswordProblems(password: string, confirm: string): NewPasswordProblems {
  const problems: NewPasswordProblems = {};
  if ([...password].length < minPasswordLength)
    problems.password = `Use at least ${minPasswordLength} characters.`;
  if (confirm !== password) problems.confirm = 'The two passwords are not the same.';
  return problems;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type from one screen into another. */
export function groupSecret(secret: string, size = 4): string {
  const compact = secret.replace(/\s+/g, '');
  return compact.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? '';
}

/**
 * What the user typed as a second factor: six digits (spaces allowed, as apps show "123 456"), or a
 * recovery code in the server's form `xxxx-xxxx-xx`, whatever case, spacing or dashes were typed.
 */
export function normaliseCode(input: string, kind: 'totp' | 'recovery'): string {
  if (kind === 'totp') return input.replace(/\s+/g, '');
  const compact = input.toLowerCase().replace(/[^a-z0-9]/g, '');
  return compact.length === 10
    ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`
    : compact;
}

export function looksLikeCode(code: string, kind: 'totp' | 'recovery'): boolean {
  return kind === 'totp' ? /^\d{6}$/.test(code) : /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2}$/.test(code);
}
