/**
 * The part of numpy's legacy `np.random.RandomState` that nnU-Net's split depends on: MT19937
 * seeded from an integer, and `shuffle` of a 1-D array.
 *
 * Why reimplement it: nnU-Net's `splits_final.json` comes from scikit-learn's
 * `KFold(n_splits=5, shuffle=True, random_state=12345)` (nnunetv2/utilities/crossval_split.py),
 * which permutes `np.arange(n)` with `RandomState(12345).shuffle`. Reproducing the split exactly
 * needs the same generator and the same bounded-draw algorithm, bit for bit.
 *
 * Sources (numpy, numpy/random): `_mt19937.pyx` `_legacy_seeding` (an integer seed goes to
 * `mt19937_seed`, i.e. Matsumoto & Nishimura's `init_genrand`), `src/mt19937/mt19937.c`
 * (`mt19937_gen`, tempering), `src/distributions/distributions.c` `random_interval` (mask, then
 * reject values above `max`, 32-bit draws when `max` fits) and `mtrand.pyx` `shuffle` →
 * `_shuffle_raw` (Fisher-Yates from the last element down to index 1).
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;
const MATRIX_A_I32 = MATRIX_A | 0;
const UPPER_I32 = UPPER_MASK | 0;

/** `mt19937_gen` on an Int32Array view of the state (bit-identical to the Uint32 version). */
function regenerate(mt: Int32Array): void {
  let i = 0;
  for (; i < N - M; i++) {
    const y = (mt[i] & UPPER_I32) | (mt[i + 1] & LOWER_MASK);
    mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A_I32);
  }
  for (; i < N - 1; i++) {
    const y = (mt[i] & UPPER_I32) | (mt[i + 1] & LOWER_MASK);
    mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A_I32);
  }
  const y = (mt[N - 1] & UPPER_I32) | (mt[0] & LOWER_MASK);
  mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A_I32);
}

export class LegacyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      // numpy raises the same way: "Seed must be between 0 and 2**32 - 1".
      throw new RangeError(`seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i modulo 2^32, exact in 32-bit arithmetic.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** `mt19937_gen`: regenerates the whole state block. */
  private generate(): void {
    const mt = this.mt;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
      mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** One tempered 32-bit output (`mt19937_next32`). */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random_interval(max)`: uniform integer in [0, max] by masked rejection (max < 2^32 here). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) throw new RangeError(`interval: max out of range: ${max}`);
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /**
   * `n` draws of `interval(max)` (what `RandomState.choice(a, n, replace=True)` and
   * `randint(0, max + 1, n)` draw), tallied into `counts[value]` instead of returned: the same
   * stream, without holding the draws.
   */
  fillIntervalCounts(max: number, n: number, counts: Uint32Array): void {
    if (!Number.isInteger(max) || max < 0 || max > 0x7fffffff) throw new RangeError(`interval: max out of range: ${max}`);
    if (counts.length <= max) throw new RangeError(`counts holds ${counts.length} values, needs ${max + 1}`);
    if (max === 0) {
      counts[0] += n;
      return;
    }
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    // The same words through an Int32Array view: V8 keeps int32 arithmetic in registers, where
    // uint32 values above 2^31 would be boxed as doubles (about ten times slower here).
    const mt = new Int32Array(this.mt.buffer, this.mt.byteOffset, N);
    let pos = this.pos;
    for (let k = 0; k < n; ) {
      if (pos === N) {
        regenerate(mt);
        pos = 0;
      }
      let y = mt[pos++];
      y ^= y >>> 11;
      y ^= (y << 7) & TEMPER_B;
      y ^= (y << 15) & TEMPER_C;
      y ^= y >>> 18;
      const v = y & mask;
      if (v <= max) {
        counts[v]++;
        k++;
      }
    }
    this.pos = pos;
  }

  /** `RandomState.shuffle` on a 1-D array, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}
