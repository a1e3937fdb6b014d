/**
 * The one seeded PRNG of the project. Every random choice a lab makes goes through it, so a lab
 * state can travel in a URL and a test can pin a result.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32 so that
 * nearby integer seeds give unrelated streams. 32-bit state words keep it exact in JS numbers.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** Standard normal (Box-Muller; one value per call, the pair's second value is cached). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** One element chosen uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An independent generator derived from this one and a label (stable for the same label). */
  fork(label: string | number): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the label's text: turns a string label into a 32-bit seed component. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const seedNum = typeof seed === 'string' ? hashString(seed) : Math.trunc(seed) >>> 0;
  const sm = splitmix32(seedNum);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up: discard the first outputs, as the reference implementation recommends.
  for (let i = 0; i < 12; i++) nextU32();
  let spare: number | null = null;

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int(min, max) {
      if (!(max >= min)) throw new RangeError(`rng.int: max (${max}) < min (${min})`);
      return min + Math.floor(rng.next() * (max - min + 1));
    },
    uniform: (min, max) => min + rng.next() * (max - min),
    normal(mean = 0, sd = 1) {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return mean + sd * v;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => rng.next() < p,
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('rng.pick: empty list');
      return items[Math.floor(rng.next() * items.length)];
    },
    fork(label) {
      const l = typeof label === 'string' ? hashString(label) : label >>> 0;
      return createRng((seedNum ^ Math.imul(l, 0x9e3779b1) ^ 0x5bd1e995) >>> 0);
    },
  };
  return rng;
}
