import { describe, expect, it } from 'vitest';
import { groupSecret, looksLikeCode, newPasswordProblems, normaliseCode } from './password.ts';

describe('new passwords', () => {
  it('needs 12 characters and a matching confirmation', () => {
    expect(newPasswordProblems('short', 'short')).toEqual({ password: 'Use at least 12 characters.' });
    expect(newPasswordProblems('long enough pw', 'long enough pX')).toEqual({
      confirm: 'The two passwords are not the same.',
    });
    expect(newPasswordProblems('long enough pw', 'long enough pw')).toEqual({});
  });

  it('counts characters, not UTF-16 units', () => {
    expect(newPasswordProblems('😀'.repeat(11), '😀'.repeat(11)).password).toBeDefined();
  });
});

describe('second factor input', () => {
  it('groups the setup key in fours', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupSecret('')).toBe('');
  });

  it('accepts codes as apps display them', () => {
    expect(normaliseCode('123 456', 'totp')).toBe('123456');
    expect(looksLikeCode('123456', 'totp')).toBe(true);
    expect(looksLikeCode('12345', 'totp')).toBe(false);
    expect(normaliseCode(' AB12-CD34-EF ', 'recovery')).toBe('ab12-cd34-ef');
    expect(normaliseCode('ab12 cd34ef', 'recovery')).toBe('ab12-cd34-ef');
    expect(looksLikeCode('ab12-cd34-ef', 'recovery')).toBe(true);
    expect(looksLikeCode(normaliseCode('ab12cd', 'recovery'), 'recovery')).toBe(false);
  });
});
