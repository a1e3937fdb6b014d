// Benchmark: a 50 MB training log (one 1000-epoch nnU-Net v2 run written 118 times over, as a log
// that a wrapper script appended to on every restart; progress bars joined by \r) read by
// `readLogStream` and diagnosed, against a baseline that only streams the file through the same
// TextDecoder and counts its lines, and against reading the whole text first (what the CLI did
// before). Each reader runs in its own Node process so that its peak memory (max RSS) is its own.
// Run: npx node bench/training-log-50mb.bench.mjs   (budget: streaming reader under 200 MB max RSS)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUDGET_MB = 200;
const [, , role, mode, childLog, bundlePath] = process.argv;

if (role === '--child') {
  const { readLogStream, parseLog, diagnose, detectEncoding } = await import(pathToFileURL(bundlePath).href);
  const t0 = performance.now();
  let result;
  if (mode === 'baseline') {
    const decoder = new TextDecoder(detectEncoding(new Uint8Array(0)));
    let lines = 0;
    for await (const chunk of Readable.toWeb(createReadStream(childLog))) {
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    }
    result = { lines };
  } else {
    const parsed = mode === 'stream' ? await readLogStream(Readable.toWeb(createReadStream(childLog)), 'training_log_2026_3_5_09_00_00.txt') : parseLog(readFileSync(childLog, 'utf8'), 'training_log_2026_3_5_09_00_00.txt');
    const d = diagnose(parsed);
    result = { epochs: parsed.epochs.length, restarts: parsed.restarts.length, findings: d.findings.length, resumedFindings: d.findings.filter((f) => f.rule === 'log.resumed').length, unparsed: parsed.unparsedCount };
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...result }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-log50-'));
const bundle = join(dir, 'core.mjs');
const built = await build({
  stdin: {
    contents:
      "export { readLogStream, parseLog, detectEncoding } from './labs/training-log/parse.ts'; export { diagnose } from './labs/training-log/diagnose.ts'; export { renderHeader, renderV2 } from './tests/helpers/nnunet-log.ts';",
    resolveDir: '.',
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'error',
});
writeFileSync(bundle, built.outputFiles[0].text);
const { renderHeader, renderV2 } = await import(pathToFileURL(bundle).href);

// One 1000-epoch run with the default poly schedule; a progress bar before every train_loss record.
const epochs = Array.from({ length: 1000 }, (_, e) => ({
  epoch: e,
  lr: 0.01 * (1 - e / 1000) ** 0.9,
  train_loss: -0.8 + 0.5 * Math.exp(-e / 50),
  val_loss: -0.75 + 0.5 * Math.exp(-e / 50),
  pseudo_dice: [0.85, 0.75, 0.65].map((t, k) => t * (1 - Math.exp(-(e + 1) / (10 + 5 * k)))),
  epoch_time: 100 + (e % 7) * 0.13,
}));
const run = `${renderHeader('2026-03-05 08:59:00.000001')}\n${renderV2(epochs, { done: true })}`.replace(/^(\S+ \S+: train_loss)/gm, '100%|██████████| 250/250 [01:40<00:00,  2.49it/s]\r$1');
const logPath = join(dir, 'training_log_2026_3_5_09_00_00.txt');
const out = createWriteStream(logPath);
const copies = Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(run));
for (let i = 0; i < copies; i++) if (!out.write(run)) await new Promise((r) => out.once('drain', r));
await new Promise((r) => out.end(r));
const size = statSync(logPath).size;

const self = fileURLToPath(import.meta.url);
const measure = (mode) => {
  const r = spawnSync(process.execPath, [self, '--child', mode, logPath, bundle], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const base = measure('baseline');
const stream = measure('stream');
const whole = measure('whole');
rmSync(dir, { recursive: true, force: true });

console.log(`log: ${(size / 1024 / 1024).toFixed(1)} MB, ${base.lines} lines, ${copies} copies of a 1000-epoch run (node ${process.version})`);
console.log(`baseline (stream + decode + count lines): ${base.ms.toFixed(0)} ms, max RSS ${base.maxRssMb.toFixed(0)} MB`);
console.log(
  `readLogStream + diagnose:                 ${stream.ms.toFixed(0)} ms (${(stream.ms / base.ms).toFixed(1)}× the baseline), max RSS ${stream.maxRssMb.toFixed(0)} MB (${(stream.maxRssMb / base.maxRssMb).toFixed(2)}× the baseline; budget ${BUDGET_MB} MB)`,
);
console.log(`whole text in memory + parseLog:          ${whole.ms.toFixed(0)} ms, max RSS ${whole.maxRssMb.toFixed(0)} MB (for comparison)`);
console.log(`result: ${stream.epochs} epochs, ${stream.restarts} restarts, ${stream.findings} findings (${stream.resumedFindings} log.resumed), ${stream.unparsed} unreadable lines`);
const ok = stream.maxRssMb < BUDGET_MB && stream.epochs === 1000 && stream.restarts === copies - 1 && stream.resumedFindings === 1 && stream.unparsed === 0;
if (!ok) console.log('FAILED: over the memory budget or a wrong result');
process.exitCode = ok ? 0 : 1;
