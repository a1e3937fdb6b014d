/**
 * The real sample case shipped in public/data/samples/TCGA-DU-7294 (scripts/real-sample.py):
 * catalogued first with its attribution, its voxels equal nibabel's 2×2×2 block means of the
 * original files (when ../shared/eval/real is present), and the converter's try-out of all
 * samples (four synthetic cases and this one) converts and checks without an error.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { convertBrats } from '../../labs/convert';
import { checkDataset } from '../../labs/dataset-check';
import { readImage } from '../../labs/nifti';
import { memorySource, type FileEntry, type FileSink } from '../../labs/shared/files';
import { parseSampleIndex } from '../../labs/viewer/samples';
import { requirePython } from '../helpers/python';
import { DU, hasReal } from '../helpers/real-dataset';

const SAMPLES = 'public/data/samples';
const ID = 'TCGA-DU-7294';

describe('the real sample case', () => {
  const cases = parseSampleIndex(readFileSync(join(SAMPLES, 'index.json'), 'utf8'));

  it('is the first sample, at 2 mm like the others, with its attribution', () => {
    expect(cases[0].id).toBe(ID);
    expect(cases[0].shape).toEqual(cases[1].shape);
    expect(cases[0].spacing).toEqual([2, 2, 2]);
    expect(cases[0].attribution).toMatch(/CC BY 3\.0/);
    expect(cases[0].attribution).toMatch(/TCGA-LGG/);
    expect(cases[0].attribution).toMatch(/not expert ground truth/);
    const manifest = JSON.parse(readFileSync('public/data/MANIFEST.json', 'utf8')) as { files: { path: string; licence: string; source: string }[] };
    const mine = manifest.files.filter((f) => f.path.startsWith(`samples/${ID}/`));
    expect(mine.map((f) => f.path.split('/').pop()).sort()).toEqual(['flair', 'seg', 't1', 't1ce', 't2'].map((r) => `${ID}_${r}.nii.gz`).sort());
    for (const f of mine) {
      expect(f.licence).toMatch(/CC BY 3\.0.*TCIA data usage policy/);
      expect(f.source).toMatch(/not expert ground truth/);
    }
  });

  const py = requirePython('nibabel, numpy', 'python3-nibabel python3-numpy');
  it.skipIf(!hasReal(DU) || !py)('holds the 2×2×2 block means of the original (nibabel) and its labels', async () => {
    const script = `
import nibabel as nib, numpy as np, json, sys
src, out = sys.argv[1], []
for role, name in [('t1', 't1_bet'), ('flair', 'fla_bet')]:
    a = np.asanyarray(nib.load(f'{src}/${ID}_{name}.nii.gz').dataobj).astype(np.float64)
    b = a[:240, :240, :154].reshape(120, 2, 120, 2, 77, 2)
    m = np.where((b != 0).sum(axis=(1, 3, 5)) >= 4, b.mean(axis=(1, 3, 5)), 0)
    out.append([role, [float(x) for x in np.round(m[::7, ::5, ::3]).ravel()]])
s = np.asanyarray(nib.load(f'{src}/${ID}_fusion_simple.nii.gz').dataobj)
out.append(['ml', {str(v): float((s == v).sum()) / 1000 for v in (1, 2, 4)}])
print(json.dumps(out))`;
    const r = spawnSync(py!, ['-c', script, DU.dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    const ref = JSON.parse(r.stdout) as [string, number[] | Record<string, number>][];
    for (const [role, values] of ref.slice(0, 2) as [string, number[]][]) {
      const { data, header } = await readImage(memorySource('s', { f: readFileSync(join(SAMPLES, ID, `${ID}_${role}.nii.gz`)) }), 'f', { codec: nodeCodec });
      expect(header.dims.slice(0, 3)).toEqual([120, 120, 78]);
      const mine: number[] = [];
      for (let x = 0; x < 120; x += 7) for (let y = 0; y < 120; y += 5) for (let z = 0; z < 77; z += 3) mine.push(Number(data[x + 120 * (y + 120 * z)]));
      expect(mine.length).toBe(values.length);
      // Rounding of .5 may differ by one between numpy and the script's int16 cast.
      expect(Math.max(...mine.map((v, i) => Math.abs(v - values[i])))).toBeLessThanOrEqual(1);
    }
    // Label volumes at 2 mm stay within 10 % of the 1 mm originals (NCR 1, ED 2).
    const ml = ref[2][1] as Record<string, number>;
    expect(Math.abs(cases[0].volumesMl.NCR - ml['1']) / ml['1']).toBeLessThan(0.1);
    expect(Math.abs(cases[0].volumesMl.ED - ml['2']) / ml['2']).toBeLessThan(0.1);
    expect(cases[0].volumesMl.ET).toBe(0);
  });

  it('converts with the synthetic samples (the converter try-out) and the dataset checks without an error or a channel finding', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const c of cases) for (const p of Object.values(c.files)) files[`samples/${p}`] = readFileSync(join(SAMPLES, p));
    const out: Record<string, Uint8Array> = {};
    const sink: FileSink = {
      label: 'mem',
      async mkdir() {},
      async write(path, data) {
        out[path] = data instanceof Uint8Array ? data : new Uint8Array(await new Response(data).arrayBuffer());
      },
      async list(path = '') {
        return Object.entries(out)
          .filter(([p]) => p.startsWith(`${path}/`))
          .map(([p, v]): FileEntry => ({ path: p, kind: 'file', size: v.byteLength }));
      },
    };
    const report = await convertBrats(memorySource('samples', files), sink, { id: 137, name: 'BraTS2021', scheme: 'nnunet137', regions: true, link: false, force: false, codec: nodeCodec });
    expect(report.training).toContain(ID);
    expect(report.findings).toEqual([]);
    const check = await checkDataset(memorySource('nnUNet_raw', out), { codec: nodeCodec });
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(check.findings.filter((f) => f.rule.startsWith('dataset.channel'))).toEqual([]);
    expect(readdirSync(join(SAMPLES, ID)).length).toBe(6);
  });
});
