/**
 * Seeded pseudo-random numbers. Every random choice in the sandbox draws from one of these streams so
 * that a seed reproduces a run. Each consumer (a provider, the fault injector, the webhook mischief,
 * the traffic generator) gets its own stream forked by label, so draws made by one never shift the
 * sequence another sees: turning on a fault does not change the generated traffic.
 */

export type Seed = number | string;

/** cyrb53-style string hash to a 32-bit unsigned integer; mixes well enough to seed sfc32. */
function hash32(text: string, salt: number): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** sfc32: small, fast, passes PractRand far beyond what a simulator needs. Returns [0, 1). */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export interface Random {
  /** A number in [0, 1). */
  next: () => number;
  /** An integer in [min, max] (both inclusive). */
  int: (min: number, max: number) => number;
  /** true with probability `p` (0 never draws true, 1 always does). */
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** Picks by weight; weights need not sum to 1. */
  weighted: <T>(items: readonly (readonly [T, number])[]) => T;
  /** Lowercase hex string of `length` characters. */
  hex: (length: number) => string;
  /** An independent stream derived from this stream's seed and a label. */
  fork: (label: string) => Random;
}

export function createRandom(seed: Seed, label = ''): Random {
  const key = `${typeof seed}:${String(seed)}/${label}`;
  const next = sfc32(hash32(key, 1), hash32(key, 2), hash32(key, 3), hash32(key, 4));
  // The first outputs of sfc32 still carry the seed's structure; discard a few.
  for (let i = 0; i < 15; i++) next();
  return randomFrom(next, (childLabel) => createRandom(seed, `${label}/${childLabel}`));
}

/**
 * The helpers over a bare `() => number` source (such as `SandboxContext.random`). A fork of such a
 * source is seeded by a draw from it.
 */
export function randomFrom(
  next: () => number,
  fork: (label: string) => Random = (label) => createRandom(Math.floor(next() * 4294967296), label),
): Random {
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(p) {
      if (p <= 0) return false;
      if (p >= 1) return true;
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      const last = items.at(-1);
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    hex(length) {
      let out = '';
      while (out.length < length)
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return out.slice(0, length);
    },
    fork,
  };
}
