/**
 * `bratslab synth OUT_DIR`: synthetic BraTS-like cases (labs/synth) in the raw BraTS 2021 layout
 * or as an nnU-Net raw dataset, optionally with faults for validator exercises (answer key
 * written next to the dataset, never inside it).
 */
import { resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { zipSync } from 'fflate';
import type { FileEntry, FileSink } from '../../shared/files';
import { SIZES, type SizeId } from '../../synth/case';
import { DEFAULT_SCANNERS, parseScanners } from '../../synth/contrast';
import { planScans, writeBrats, writeNnunet, type SynthOptions, type WrittenDataset } from '../../synth/dataset';
import { parseFaults } from '../../synth/faults';
import { nodeCodec } from '../node-codec';
import { nodeSink } from '../node-files';

interface CliOptions {
  layout: 'brats' | 'nnunet';
  cases: number;
  seed: number;
  seeds?: string;
  size: SizeId;
  followups?: boolean;
  tissue?: boolean;
  scanner: string;
  scheme: 'nnunet137' | 'keep';
  faults?: string;
  id: number;
  name: string;
  zip?: boolean;
  keys?: string;
  force?: boolean;
}

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
  return n;
};

/** `A-B` (inclusive) to the list of patient seeds. */
export function parseSeedRange(text: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('--seeds takes a range such as 100-149');
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (b < a) throw new InvalidArgumentError(`--seeds: ${b} is below ${a}`);
  if (b - a >= 10000) throw new InvalidArgumentError('--seeds: at most 10000 patients at once');
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Collects files in memory, for writing a dataset as one zip. */
function memorySink(label: string): FileSink & { files: Record<string, Uint8Array> } {
  const files: Record<string, Uint8Array> = {};
  return {
    label,
    files,
    async mkdir() {},
    async write(path, data) {
      if (!(data instanceof Uint8Array)) throw new Error('memory sink takes whole buffers only');
      files[path] = data;
    },
    async list(): Promise<FileEntry[]> {
      return Object.entries(files).map(([path, d]) => ({ path, kind: 'file', size: d.byteLength }));
    },
  };
}

async function run(outDir: string, o: CliOptions): Promise<void> {
  const out = resolve(outDir);
  const seeds = o.seeds ? parseSeedRange(o.seeds) : Array.from({ length: o.cases }, (_, i) => o.seed + i);
  const faults = o.faults ? parseFaults(o.faults) : [];
  if (faults.length > 0 && o.layout !== 'nnunet') throw new Error('--faults needs --layout nnunet (faults are mistakes in nnU-Net datasets)');
  if (o.zip && o.layout !== 'nnunet') throw new Error('--zip needs --layout nnunet');
  if (o.tissue && (o.layout !== 'nnunet' || faults.length > 0)) throw new Error('--tissue needs --layout nnunet and no --faults (tissue maps are training data)');
  const opts: SynthOptions = {
    layout: o.layout,
    seeds,
    size: o.size,
    followups: !!o.followups,
    scanners: o.scanner ? parseScanners(o.scanner) : DEFAULT_SCANNERS,
    scheme: o.scheme,
    datasetId: o.id,
    name: o.name,
    faults,
    tissue: !!o.tissue,
  };
  const sink = nodeSink(out);
  if (!o.force && !o.zip) {
    const existing = (await sink.list('')).filter((e) => e.kind === 'file' && !e.path.endsWith('SOURCE.json'));
    if (existing.length > 0) throw new Error(`${out}: already holds files (${existing[0].path}, …); pass --force to write over them`);
  }
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'synth [{bar}] {value}/{total} cases  {caseId}', hideCursor: true }) : null;
  bar?.start(planScans(opts).length, 0, { caseId: '' });
  const progress = (done: number, _total: number, caseId: string) => bar?.update(done, { caseId });
  let written: WrittenDataset[];
  try {
    if (o.layout === 'brats') written = [await writeBrats(sink, opts, nodeCodec, progress)];
    else if (o.zip) {
      const mem = memorySink('zip');
      written = await writeNnunet(mem, opts, nodeCodec, seeds[0], progress);
      await mkdir(out, { recursive: true });
      for (const w of written) {
        const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
        for (const [p, d] of Object.entries(mem.files)) {
          // .nii.gz is already compressed: store it; deflate the small text files.
          if (p.startsWith(w.folder + '/')) entries[p] = [d, { level: p.endsWith('.gz') ? 0 : 6 }];
        }
        await writeFile(resolve(out, `${w.folder}.zip`), zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') }));
      }
    } else written = await writeNnunet(sink, opts, nodeCodec, seeds[0], progress);
  } finally {
    bar?.stop();
  }
  const keyDir = resolve(o.keys ?? out);
  for (const w of written) {
    if (!w.key) continue;
    await mkdir(keyDir, { recursive: true });
    await writeFile(resolve(keyDir, `${w.folder}.faults.json`), JSON.stringify(w.key, null, 2) + '\n');
  }
  const n = written[0].cases.length;
  const where = o.layout === 'brats' ? out : written.map((w) => resolve(out, w.folder + (o.zip ? '.zip' : ''))).join(', ');
  process.stdout.write(`wrote ${n} case${n === 1 ? '' : 's'} (${o.layout} layout, ${o.size} size) to ${where}\n`);
  for (const w of written) if (w.key) process.stdout.write(`answer key: ${resolve(keyDir, `${w.folder}.faults.json`)} (${w.key.faults.length} faults)\n`);
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('Generate synthetic BraTS-like cases (BraTS 2021 layout or an nnU-Net raw dataset), optionally with faults.')
    .argument('<OUT_DIR>', 'folder to write into')
    .addOption(new Option('--layout <layout>', 'raw BraTS 2021 folders or an nnU-Net raw dataset').choices(['brats', 'nnunet']).default('brats'))
    .option('--cases <n>', 'number of patients', int('--cases', 1, 10000), 5)
    .option('--seed <s>', 'seed of the first patient; patients use seeds s, s+1, …', int('--seed', 0, 2 ** 31 - 1), 0)
    .option('--seeds <a-b>', 'explicit range of patient seeds instead of --seed/--cases (disjoint ranges never share a patient)')
    .addOption(
      new Option('--size <size>', `full ${SIZES.full.dims.join('×')} at 1 mm, web 2 mm, small 3 mm (fault datasets), tiny 5 mm (tests)`)
        .choices(Object.keys(SIZES))
        .default('full'),
    )
    .option('--followups', 'give about 40 % of patients 2-3 scans (case ids P0042_s1, …)')
    .option('--scanner <list>', 'scanner settings to draw from: a, b, c (comma list)', DEFAULT_SCANNERS.join(','))
    .addOption(new Option('--scheme <scheme>', 'nnU-Net label scheme (--layout nnunet)').choices(['nnunet137', 'keep']).default('nnunet137'))
    .option('--tissue', "also write the generator's tissue maps to tissueTr/ (training data for training/randomise.py)")
    .option('--faults <list>', 'inject faults: all, or a comma list (see labs/synth/README.md); needs --layout nnunet')
    .option('--id <n>', 'nnU-Net dataset id', int('--id', 11, 999), 501)
    .option('--name <name>', 'nnU-Net dataset name', 'Synth')
    .option('--zip', 'write each nnU-Net dataset as one .zip file')
    .option('--keys <dir>', 'folder for fault answer keys (default OUT_DIR; never inside a dataset)')
    .option('--force', 'write into a folder that already holds files')
    .action(async (outDir: string, o: CliOptions) => {
      await run(outDir, o);
    });
}
