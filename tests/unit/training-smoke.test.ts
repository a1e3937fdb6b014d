// A few iterations of training/train.py (a mix of domain-randomised and generator patches, so every
// source of patches runs) on generated tiny cases with tissue maps, so the trainer cannot rot: it must
// run, write checkpoints, and write a log that the log lab's parser reads completely, with the
// learning rates nnU-Net's poly formula gives (0.01 · (1 − e/E)^0.9, printed rounded to 5
// decimals as nnU-Net does). Then the export and the evaluation run on that model, so
// `npm run model:export` cannot rot either. Needs Debian's python3-torch, python3-onnx,
// python3-nibabel, python3-sklearn and python3-scipy: skipped on a laptop without them, a failure
// when CI=true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink } from '../../labs/cli/node-files';
import { writeNnunet } from '../../labs/synth/dataset';
import { tinyNnunet } from '../helpers/synth';
import { parseLog } from '../../labs/training-log/parse';
import { requirePython } from '../helpers/python';

// Throws under CI=true when missing (the error names the Debian packages); null = skip locally.
const PY = requirePython('torch, onnx, nibabel, sklearn, scipy', 'python3-torch python3-onnx python3-nibabel python3-sklearn python3-scipy');
const tmp = mkdtempSync(join(tmpdir(), 'bratslab-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('training smoke run', () => {
  it.skipIf(!PY)('trains two epochs and logs in nnU-Net v2 format', async () => {
    const opts = tinyNnunet([5000, 5001, 5002, 5003, 5004], { tissue: true });
    const [ds] = await writeNnunet(nodeSink(tmp), opts, nodeCodec, opts.seeds[0]);
    const out = join(tmp, 'run');
    execFileSync(PY!, ['training/train.py', '--data', join(tmp, ds.folder), '--out', out, '--epochs', '2', '--iters', '2', '--val-iters', '1', '--patch', '16', '16', '16', '--features', '4', '8', '16', '--mix', 'ordered:0.5,random:0.25,generator:0.25'], { stdio: 'pipe', timeout: 50_000 });
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['checkpoint_final.pth', 'checkpoint_best.pth', 'config.json']));
    const logName = readdirSync(out).find((n) => /^training_log_\d{4}_\d{1,2}_\d{1,2}_\d{2}_\d{2}_\d{2}\.txt$/.test(n));
    expect(logName).toBeDefined();
    const text = readFileSync(join(out, logName!), 'utf8');
    // nnU-Net's print_to_log_file ends every record with a space.
    expect(text.split('\n').filter(Boolean).every((l) => l.endsWith(' '))).toBe(true);
    const log = parseLog(text, logName!);
    expect(log.unparsed).toEqual([]);
    expect(log.format).toBe('v2');
    expect(log.finished).toBe(true);
    expect(log.split).toEqual({ train: 4, val: 1 });
    expect(log.classes).toBe(3);
    expect(log.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    // poly LR with 2 epochs: 0.01, 0.01 · 0.5^0.9 = 0.005359 → 0.00536
    expect(log.epochs.map((e) => e.lr)).toEqual([0.01, 0.00536]);
    expect(log.epochs.every((e) => e.train_loss !== null && e.val_loss !== null && e.epoch_time !== null)).toBe(true);
    expect(log.epochs[0].best_ema).not.toBeNull(); // epoch 0 of a fresh run always prints the Yayy line
    expect(log.meanValidationDice).not.toBeNull();

    // Export and evaluation of the smoke model (the dataset doubles as test and training set).
    const model = join(tmp, 'model');
    execFileSync(PY!, ['training/export.py', '--run', out, '--out', model], { stdio: 'pipe', timeout: 60_000 });
    const spec = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    expect(spec).toMatchObject({ input: 'image', output: 'logits', opset: 17, orientation: 'LPS', net: { inChannels: 4, outChannels: 3, features: [4, 8, 16] } });
    const metricsFile = join(tmp, 'metrics.json');
    const data = join(tmp, ds.folder);
    execFileSync(PY!, ['training/evaluate.py', '--run', out, '--test', data, '--train', data, '--limit', '1', '--baseline-cases', '2', '--out', metricsFile], { stdio: 'pipe', timeout: 60_000 });
    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
    // The test set has tissue maps, so it is also scored repainted with unseen contrasts.
    const rows = [metrics.test.model, metrics.test.mirrored, metrics.test.baseline, metrics.test.withoutSmallEtRule.model, metrics.test.withoutSmallEtRule.baseline, metrics.test.unseenContrast];
    for (const row of rows) {
      expect(row.cases).toBe(1);
      for (const r of ['WT', 'TC', 'ET']) expect(row[r]).toBeGreaterThanOrEqual(0);
    }
    expect(metrics.baselineThresholds).toHaveLength(4);
  }, 150_000);
});
