/** One-line progress on a TTY (stderr) for long runs (check, evaluate): bar, count, rate and ETA. */
export function progressLine(stream: NodeJS.WriteStream, unit = 'cases'): { update(done: number, total: number): void; end(): void } {
  const t0 = performance.now();
  let last = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (done < total && now - last < 100) return;
      last = now;
      const s = (now - t0) / 1000;
      const rate = done / Math.max(s, 1e-3);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const width = 24;
      const fill = Math.round((width * done) / Math.max(total, 1));
      stream.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} ${unit}  ${rate.toFixed(1)} ${unit}/s  ETA ${eta.toFixed(0)} s  `);
    },
    end() {
      stream.write('\r\x1b[2K');
    },
  };
}
