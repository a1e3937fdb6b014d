/**
 * Axis tick labels that tell ticks apart at any scale. uPlot's default prints at most three decimals,
 * so a learning rate of 3e-4 read "0 / 0" and 1e-2 ticks read "0.01 / 0.01 / 0.01". Each tick gets
 * the fewest significant digits that write it exactly (exponent form below 1e-3 and from 1e5).
 */
function format(v: number, digits: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

export function tickLabels(values: readonly number[]): string[] {
  const scale = Math.max(...values.map(Math.abs), 0);
  for (let d = 1; d <= 8; d++) {
    const labels = values.map((v) => format(v, d));
    const exact = labels.every((l, i) => Math.abs(Number(l) - values[i]) <= 1e-9 * scale);
    if (exact && new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => format(v, 8));
}
