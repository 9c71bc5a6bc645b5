import { describe, expect, it } from 'vitest';
import { safeNext, signInPath } from './safe-next.ts';

describe('safeNext', () => {
  it('follows paths on this origin', () => {
    expect(safeNext('/settings/users?q=ann')).toBe('/settings/users?q=ann');
    expect(safeNext('/settings/audit-log?page=2#x')).toBe('/settings/audit-log?page=2#x');
  });

  it('refuses other origins and odd forms', () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      'users',
      '',
    ]) {
      expect(safeNext(next)).toBe('/');
    }
    expect(safeNext(null, '/transactions')).toBe('/transactions');
  });

  it('never loops back to sign-in', () => {
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext('/setup')).toBe('/');
  });

  it('builds the sign-in link with the current place', () => {
    expect(signInPath('/settings/users?q=a b')).toBe('/sign-in?next=%2Fsettings%2Fusers%3Fq%3Da%20b');
    expect(signInPath('/')).toBe('/sign-in');
  });
});
