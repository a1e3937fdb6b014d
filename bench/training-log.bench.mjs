// Benchmark: parse a 1000-epoch nnU-Net v2 log (numpy 2 rendering, 3 regions, the line templates
// of nnunet-facts.md §5.3) and compare with a baseline that only splits the text into lines.
// Run: npx node bench/training-log.bench.mjs   (budget: well under 50 ms per parse; the
// diagnosis time is printed too)
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const out = join(mkdtempSync(join(tmpdir(), 'bench-log-')), 'parse.mjs');
const bundled = await build({ stdin: { contents: "export { parseLog } from './labs/training-log/parse.ts'; export { diagnose } from './labs/training-log/diagnose.ts';", resolveDir: '.', loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' });
writeFileSync(out, bundled.outputFiles[0].text);
const { parseLog, diagnose } = await import(pathToFileURL(out).href);

function makeLog(epochs) {
  const lines = [];
  let ema = null;
  for (let e = 0; e < epochs; e++) {
    const ts = `2026-03-05 ${String(9 + Math.floor(e / 60) % 14).padStart(2, '0')}:${String(e % 60).padStart(2, '0')}:40.118202`;
    const lr = Math.round(0.01 * (1 - e / epochs) ** 0.9 * 1e5) / 1e5;
    const dice = [0.85, 0.75, 0.65].map((t, k) => Math.round(t * (1 - Math.exp(-(e + 1) / (10 + 5 * k))) * 1e4) / 1e4);
    const m = dice.reduce((a, b) => a + b) / 3;
    ema = ema === null ? m : 0.9 * ema + 0.1 * m;
    lines.push(`${ts}:  `, `${ts}: Epoch ${e} `, `${ts}: Current learning rate: ${lr < 1e-4 && lr > 0 ? lr.toExponential().replace(/e-(\d)$/, 'e-0$1') : lr} `);
    lines.push(`${ts}: train_loss ${(-0.8 + 0.5 * Math.exp(-e / 50)).toFixed(4)} `, `${ts}: val_loss ${(-0.75 + 0.5 * Math.exp(-e / 50)).toFixed(4)} `);
    lines.push(`${ts}: Pseudo dice [${dice.map((d) => `np.float32(${d})`).join(', ')}] `, `${ts}: Epoch time: ${(100 + (e % 7) * 0.13).toFixed(2)} s `);
    if (e % 3 === 0) lines.push(`${ts}: Yayy! New best EMA pseudo Dice: ${ema} `);
  }
  lines.push('2026-03-05 23:59:59.000001: Training done. ');
  return lines.join('\n') + '\n';
}

const text = makeLog(1000);
const median = (fn, n = 25) => {
  for (let i = 0; i < 3; i++) fn();
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[n >> 1];
};

let sink = 0;
const baseline = median(() => {
  for (const line of text.split('\n')) sink += line.length;
});
let parsed;
const parse = median(() => {
  parsed = parseLog(text, 'training_log_2026_3_5_09_00_00.txt');
});
if (parsed.epochs.length !== 1000 || parsed.unparsed.length !== 0) throw new Error(`bench log misparsed: ${parsed.epochs.length} epochs, ${parsed.unparsed.length} unparsed`);
console.log(`1000-epoch log: ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines (node ${process.version})`);
console.log(`baseline (split into lines): ${baseline.toFixed(2)} ms`);
console.log(`parseLog:                    ${parse.toFixed(2)} ms  (${(parse / baseline).toFixed(1)}× the baseline; budget 50 ms)`);
const diag = median(() => diagnose(parsed), 5);
console.log(`diagnose (all rules, LR fit):  ${diag.toFixed(2)} ms  (no budget; shown for the lab's responsiveness)`);
if (sink < 0) console.log(sink);
process.exitCode = parse < 50 ? 0 : 1;
