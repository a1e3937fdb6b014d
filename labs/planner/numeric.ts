/**
 * The few numpy/Python number rules the planner's decisions hinge on. nnU-Net's choices sit on
 * thresholds (a patch edge rounded, a batch size rounded, a percentile of spacings), so the same
 * rounding and interpolation are needed to land on the same side of them.
 */

/** Python 3's `round(x)` (and numpy's): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `np.percentile(values, q)` with the default linear method (numpy ≥ 1.22): the virtual index
 * (n − 1)·q/100 between two sorted neighbours, interpolated from the lower one when the fraction
 * is below 0.5 and from the upper one otherwise, as numpy's `_lerp` does.
 */
export function percentile(values: readonly number[] | Float64Array, q: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, q);
}

export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * (q / 100);
  const lower = Math.floor(virtual);
  const upper = Math.min(lower + 1, n - 1);
  const t = virtual - lower;
  const a = sorted[lower];
  const b = sorted[upper];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `np.median(rows, 0)`: the column-wise median of equal-length rows. */
export function columnMedian(rows: readonly (readonly number[])[]): number[] {
  if (rows.length === 0) throw new RangeError('median of no rows');
  return rows[0].map((_, axis) => percentile(rows.map((r) => r[axis]), 50));
}

/** `np.prod` in float64, left to right. */
export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

/**
 * `np.percentile` of the multiset where sorted `values[i]` occurs `counts[i]` times (n in all),
 * without expanding it.
 */
export function percentileOfSortedCounts(values: ArrayLike<number>, counts: ArrayLike<number>, n: number, q: number): number {
  const virtual = (n - 1) * (q / 100);
  const lower = Math.floor(virtual);
  const t = virtual - lower;
  const at = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < values.length; i++) {
      seen += counts[i];
      if (rank < seen) return values[i];
    }
    return values[values.length - 1];
  };
  const a = at(lower);
  const b = at(Math.min(lower + 1, n - 1));
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
