import { describe, expect, it } from 'vitest';
import { phpJsonEncode } from './php-json.ts';

describe('phpJsonEncode', () => {
  it('escapes slashes and non-ASCII characters as PHP json_encode does by default', () => {
    expect(
      phpJsonEncode({ url: 'http://a/b', city: 'Rīga €', emoji: '😀', tab: '\t\u0001', quote: '"\\' }),
    ).toBe(
      '{"url":"http:\\/\\/a\\/b","city":"R\\u012bga \\u20ac","emoji":"\\ud83d\\ude00","tab":"\\t\\u0001","quote":"\\"\\\\"}',
    );
  });

  it('writes numbers as PHP prints ints and floats', () => {
    expect(phpJsonEncode([0, 12.32, 100, -0.5, 1e25, 0.00001, 12n, null, true, []])).toBe(
      '[0,12.32,100,-0.5,1.0e+25,1.0e-5,12,null,true,[]]',
    );
  });

  it('leaves out undefined members and refuses what JSON cannot carry', () => {
    expect(phpJsonEncode({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => phpJsonEncode(Number.NaN)).toThrow(RangeError);
  });
});
