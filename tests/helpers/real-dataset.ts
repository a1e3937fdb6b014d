/**
 * nnU-Net datasets made from one real BraTS-Toolkit case (../shared/eval/real): each "case" is the
 * same patient flipped left-right or not, shifted by a few voxels, and seen by a different
 * "scanner" (per-channel gain and offset inside the brain, a smooth multiplicative bias field,
 * a little noise), at 1 mm or averaged down to 2 mm. Labels are converted to nnU-Net's Dataset137
 * scheme (ED 1, NCR 2, ET 3). Channel files can be permuted per case to plant a swap.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink, nodeSource } from '../../labs/cli/node-files';
import { readImage, writeNiftiGz, type NiftiHeader } from '../../labs/nifti/index';
import { createRng } from '../../labs/shared/prng';

export const REAL_DIR = join(__dirname, '../../../shared/eval/real');
/** The case that may be used for tuning and shipping. */
export const DU = { dir: join(REAL_DIR, 'TCGA-DU-7294'), id: 'TCGA-DU-7294' };
/** Held out: local checks only, never committed, never tuned on. */
export const FG = { dir: join(REAL_DIR, 'OtherEXampleFromTCIA'), id: 'OtherEXampleFromTCIA' };
export const hasReal = (c: { dir: string }) => existsSync(c.dir);

/** File suffixes of BraTS Toolkit's outputs, in channel order T1, T1ce, T2, FLAIR. */
const SUFFIXES = ['t1_bet', 't1c_bet', 't2_bet', 'fla_bet'];

export interface RealCase {
  dims: [number, number, number];
  spacing: number;
  channels: Float32Array[];
  /** BraTS 2021 labels 0, 1, 2, 4. */
  label: Uint8Array;
  header: NiftiHeader;
}

const cache = new Map<string, RealCase>();

/** Loads a real case, at 1 mm or averaged over 2×2×2 blocks (labels: the block's first voxel). */
export async function loadReal(c: { dir: string; id: string }, mm: 1 | 2): Promise<RealCase> {
  const key = `${c.dir}@${mm}`;
  if (cache.has(key)) return cache.get(key)!;
  const src = nodeSource(c.dir);
  const read = async (name: string) => readImage(src, `${c.id}_${name}.nii.gz`, { codec: nodeCodec });
  const imgs = await Promise.all(SUFFIXES.map(read));
  const seg = await read('fusion_simple');
  const [X, Y, Z] = imgs[0].header.dims.slice(0, 3);
  const d: [number, number, number] = mm === 1 ? [X, Y, Z] : [X >> 1, Y >> 1, Z >> 1];
  const channels = imgs.map(({ data }) => {
    const out = new Float32Array(d[0] * d[1] * d[2]);
    if (mm === 1) for (let i = 0; i < out.length; i++) out[i] = Number(data[i]);
    else
      for (let z = 0; z < d[2]; z++)
        for (let y = 0; y < d[1]; y++)
          for (let x = 0; x < d[0]; x++) {
            let s = 0;
            let nz = 0;
            for (let k = 0; k < 8; k++) {
              const v = Number(data[2 * x + (k & 1) + X * (2 * y + ((k >> 1) & 1) + Y * (2 * z + (k >> 2)))]);
              s += v;
              if (v !== 0) nz++;
            }
            // Keep the skull-stripped zero background: a block that is mostly outside stays 0.
            out[x + d[0] * (y + d[1] * z)] = nz >= 4 ? s / 8 : 0;
          }
    return out;
  });
  const label = new Uint8Array(d[0] * d[1] * d[2]);
  for (let z = 0; z < d[2]; z++)
    for (let y = 0; y < d[1]; y++)
      for (let x = 0; x < d[0]; x++) label[x + d[0] * (y + d[1] * z)] = Number(seg.data[mm * x + X * (mm * y + Y * mm * z)]);
  const rc: RealCase = { dims: d, spacing: mm, channels, label, header: imgs[0].header };
  cache.set(key, rc);
  return rc;
}

/** Raw BraTS 2021 label → nnU-Net Dataset137 (ED 1, NCR 2, ET 3). */
const TO_137 = [0, 2, 1, 0, 3];

export interface RealDatasetOptions {
  cases: number;
  /** Cases (by index) whose channel files are permuted: perm[i] = source channel written as file i. */
  permuted?: Map<number, number[]>;
  /** Every case's files permuted the same way (a wrong conversion script). */
  allPermuted?: number[];
  /** Test cases (imagesTs, no labels) after the training cases. */
  testCases?: number;
  seed?: number;
  mm?: 1 | 2;
}

/** Writes Dataset600_Real under `root`; returns its folder and the case ids (training then test). */
export async function writeRealDataset(root: string, c: { dir: string; id: string }, opts: RealDatasetOptions): Promise<{ folder: string; ids: string[] }> {
  const real = await loadReal(c, opts.mm ?? 2);
  const [X, Y, Z] = real.dims;
  const sink = nodeSink(root);
  const folder = 'Dataset600_Real';
  const rng = createRng(opts.seed ?? 7);
  const ids: string[] = [];
  const total = opts.cases + (opts.testCases ?? 0);
  const sp = real.spacing;
  const affine = [
    [-sp, 0, 0, 0],
    [0, -sp, 0, 239],
    [0, 0, sp, 0],
    [0, 0, 0, 1],
  ];
  for (let k = 0; k < total; k++) {
    const train = k < opts.cases;
    const id = `REAL_${String(k).padStart(3, '0')}`;
    ids.push(id);
    const r = rng.fork(k);
    const flip = k % 2 === 1;
    const shift = [r.int(-5, 5), r.int(-5, 5), r.int(-3, 3)];
    const src = (x: number, y: number, z: number) => {
      const sx = flip ? X - 1 - (x - shift[0]) : x - shift[0];
      const sy = y - shift[1];
      const sz = z - shift[2];
      return sx < 0 || sy < 0 || sz < 0 || sx >= X || sy >= Y || sz >= Z ? -1 : sx + X * (sy + Y * sz);
    };
    // Bias field: exp of a random linear ramp, up to about ±25 % across the head.
    const written: Int16Array[] = real.channels.map((ch) => {
      const gain = r.uniform(0.4, 2.5);
      const offset = r.uniform(-50, 300);
      const g = [r.uniform(-0.25, 0.25), r.uniform(-0.25, 0.25), r.uniform(-0.15, 0.15)];
      const noise = r.uniform(0.005, 0.02);
      const out = new Int16Array(X * Y * Z);
      let typical = 0;
      for (let i = 0; i < ch.length; i += 97) typical = Math.max(typical, ch[i]);
      for (let z = 0; z < Z; z++)
        for (let y = 0; y < Y; y++)
          for (let x = 0; x < X; x++) {
            const s = src(x, y, z);
            if (s < 0 || ch[s] === 0) continue;
            const bias = Math.exp(g[0] * (x / X - 0.5) + g[1] * (y / Y - 0.5) + g[2] * (z / Z - 0.5));
            const v = (ch[s] * bias + r.normal(0, noise * typical)) * gain + offset;
            out[x + X * (y + Y * z)] = Math.max(1, Math.min(32767, Math.round(v)));
          }
      return out;
    });
    const perm = opts.allPermuted ?? opts.permuted?.get(k) ?? [0, 1, 2, 3];
    for (let f = 0; f < 4; f++) {
      const path = `${folder}/${train ? 'imagesTr' : 'imagesTs'}/${id}_${String(f).padStart(4, '0')}.nii.gz`;
      await sink.write(path, await writeNiftiGz({ dims: [X, Y, Z], datatype: 'int16', data: written[perm[f]], pixdim: [sp, sp, sp], affine }, nodeCodec));
    }
    if (train) {
      const lab = new Uint8Array(X * Y * Z);
      for (let z = 0; z < Z; z++)
        for (let y = 0; y < Y; y++)
          for (let x = 0; x < X; x++) {
            const s = src(x, y, z);
            if (s >= 0) lab[x + X * (y + Y * z)] = TO_137[real.label[s]] ?? 0;
          }
      await sink.write(`${folder}/labelsTr/${id}.nii.gz`, await writeNiftiGz({ dims: [X, Y, Z], datatype: 'uint8', data: lab, pixdim: [sp, sp, sp], affine }, nodeCodec));
    }
  }
  const json = {
    channel_names: { 0: 'T1', 1: 'T1ce', 2: 'T2', 3: 'FLAIR' },
    labels: { background: 0, whole_tumor: [1, 2, 3], tumor_core: [2, 3], enhancing_tumor: [3] },
    regions_class_order: [1, 2, 3],
    numTraining: opts.cases,
    file_ending: '.nii.gz',
  };
  await sink.write(`${folder}/dataset.json`, new TextEncoder().encode(JSON.stringify(json, null, 2)));
  return { folder: join(root, folder), ids };
}
