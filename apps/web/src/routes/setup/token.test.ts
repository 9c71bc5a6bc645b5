import { describe, expect, it } from 'vitest';
import { tokenFromHash } from './token.ts';

describe('tokenFromHash', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromHash('token=abc')).toBe('abc');
    expect(tokenFromHash('#foo=1&token=x%2By')).toBe('x+y');
  });

  it('is null when there is none', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });
});
