import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, randomFrom } from './random.ts';

const draw = (seed: number | string, label = '', n = 20) => {
  const random = createRandom(seed, label);
  return Array.from({ length: n }, () => random.next());
};

describe('seeded random', () => {
  it('repeats a sequence for the same seed and label, and differs otherwise', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw('paydesk')).toEqual(draw('paydesk'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42)).not.toEqual(draw('42'));
    expect(draw(42, 'a')).not.toEqual(draw(42, 'b'));
  });

  it('forks streams that do not depend on how much the parent has drawn', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    for (let i = 0; i < 100; i++) a.next();
    const forkA = a.fork('child');
    const forkB = b.fork('child');
    expect([forkA.next(), forkA.next()]).toEqual([forkB.next(), forkB.next()]);
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, min, span) => {
          const random = createRandom(seed);
          const value = random.next();
          const int = random.int(min, min + span);
          return value >= 0 && value < 1 && Number.isInteger(int) && int >= min && int <= min + span;
        },
      ),
    );
  });

  it('honours probabilities and weights roughly', () => {
    const random = createRandom(1);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
    let heads = 0;
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) {
      if (random.chance(0.3)) heads++;
      counts[
        random.weighted([
          ['a', 1],
          ['b', 3],
        ] as const)
      ]++;
    }
    expect(heads / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.b / 10_000).toBeCloseTo(0.75, 1);
    expect(random.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('wraps a bare source with the same helpers', () => {
    const source = createRandom(3);
    const wrapped = randomFrom(createRandom(3).next);
    expect(wrapped.next()).toBe(source.next());
    expect(wrapped.int(1, 6)).toBe(source.int(1, 6));
  });
});
