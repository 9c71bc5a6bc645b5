import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToMinor, floatToMinor, minorToDecimal, minorToFloat, MoneyError } from './money.ts';

const currencies = [
  ['JPY', 0],
  ['EUR', 2],
  ['KWD', 3],
] as const;

describe.each(currencies)('money in %s (exponent %i)', (currency, exponent) => {
  const minor = fc.bigInt({ min: 0n, max: 10n ** 13n });

  it('decimal string → minor units → decimal string is exact', () => {
    fc.assert(
      fc.property(minor, (amount) => decimalToMinor(minorToDecimal(amount, currency), currency) === amount),
    );
  });

  it('accepts Payment Book’s 8-decimal form', () => {
    fc.assert(
      fc.property(
        minor,
        (amount) => decimalToMinor(minorToDecimal(amount, currency, 8), currency) === amount,
      ),
    );
  });

  it('JSON float → minor units → JSON float is exact', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 50n }), (amount) => {
        const float = minorToFloat(amount, currency);
        return floatToMinor(JSON.parse(JSON.stringify(float)) as number, currency) === amount;
      }),
    );
  });

  it('refuses an amount finer than the currency allows', () => {
    fc.assert(
      fc.property(minor, fc.integer({ min: 1, max: 9 }), (amount, extra) => {
        const text = `${minorToDecimal(amount, currency, exponent)}${exponent === 0 ? '.' : ''}${extra}`;
        expect(() => decimalToMinor(text, currency)).toThrow(MoneyError);
      }),
    );
  });
});

describe('money edge cases', () => {
  it('refuses what is not a number or a known currency', () => {
    expect(() => decimalToMinor('1,00', 'EUR')).toThrow(MoneyError);
    expect(() => decimalToMinor('1e3', 'EUR')).toThrow(MoneyError);
    expect(() => decimalToMinor('', 'EUR')).toThrow(MoneyError);
    expect(() => decimalToMinor('1.00', 'XXX')).toThrow(/unsupported currency/);
    expect(() => floatToMinor(Number.NaN, 'EUR')).toThrow(MoneyError);
    expect(() => floatToMinor(0.1 + 0.2, 'EUR')).toThrow(MoneyError);
  });

  it('converts known values', () => {
    expect(decimalToMinor('100.00', 'EUR')).toBe(10000n);
    expect(decimalToMinor('10.00000000', 'EUR')).toBe(1000n);
    expect(decimalToMinor('1500', 'JPY')).toBe(1500n);
    expect(decimalToMinor('1.234', 'KWD')).toBe(1234n);
    expect(floatToMinor(123.45, 'USD')).toBe(12345n);
    expect(minorToDecimal(5n, 'EUR')).toBe('0.05');
    expect(minorToDecimal(-1234n, 'KWD')).toBe('-1.234');
    expect(minorToFloat(10050n, 'EUR')).toBe(100.5);
  });
});
