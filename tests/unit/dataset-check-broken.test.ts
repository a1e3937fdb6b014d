/**
 * The broken-input corpus: truncated gzip, zero bytes, a header claiming 10^9 voxels, a gzip bomb,
 * a file that is not NIfTI, a file the source cannot read (injected error: CI runs as root, so
 * chmod proves nothing), a FIFO, a symlink loop, a link out of the tree and 10,000 stray files.
 * Each must become a clear finding naming its file; the check must finish, not hang or blow up.
 * The corpus is generated here (a FIFO and links cannot live in git).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSource } from '../../labs/cli/node-files';
import { checkDataset } from '../../labs/dataset-check/index';
import { FileSourceError, type FileSource } from '../../labs/shared/files';
import type { CheckReport } from '../../labs/shared/report';
import { bundleCli, runCli } from '../cli/cli-bundle';

const tmp = mkdtempSync(join(tmpdir(), 'dc-broken-'));
const DS = join(tmp, 'Dataset601_Broken');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A NIfTI-1 header written by hand from nifti1.h offsets (not by the project's writer). */
function header(dims: number[], datatype: number, bitpix: number): Uint8Array {
  const b = new Uint8Array(352);
  const v = new DataView(b.buffer);
  v.setInt32(0, 348, true);
  v.setInt16(40, dims.length, true);
  dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, true));
  v.setInt16(70, datatype, true);
  v.setInt16(72, bitpix, true);
  for (let i = 0; i < 4; i++) v.setFloat32(76 + 4 * i, 1, true);
  v.setFloat32(108, 352, true);
  v.setFloat32(112, 1, true); // scl_slope
  b.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  return b;
}
const volume = (dims: number[], fill: (i: number) => number) => {
  const n = dims.reduce((a, c) => a * c, 1);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = fill(i);
  return gzipSync(Buffer.concat([header(dims, 2, 8), data]));
};
const DIMS = [16, 16, 8];
const image = () => volume(DIMS, (i) => 10 + (i % 50));
const label = () => volume(DIMS, (i) => (i % 97 === 0 ? 1 : 0));

const REGULAR = ['ok', 'trunc', 'zero', 'huge', 'bomb', 'text', 'denied'];

beforeAll(() => {
  mkdirSync(join(DS, 'imagesTr'), { recursive: true });
  mkdirSync(join(DS, 'labelsTr'), { recursive: true });
  writeFileSync(join(DS, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'T1' }, labels: { background: 0, tumour: 1 }, numTraining: REGULAR.length, file_ending: '.nii.gz' }));
  for (const id of [...REGULAR, 'fifo', 'loop', 'out']) writeFileSync(join(DS, 'labelsTr', `${id}.nii.gz`), label());
  const img = (id: string) => join(DS, 'imagesTr', `${id}_0000.nii.gz`);
  writeFileSync(img('ok'), image());
  writeFileSync(img('denied'), image());
  const whole = image();
  writeFileSync(img('trunc'), whole.subarray(0, whole.length >> 1));
  writeFileSync(img('zero'), new Uint8Array(0));
  // 1000^3 int16 claimed, a few bytes present.
  writeFileSync(img('huge'), gzipSync(Buffer.concat([header([1000, 1000, 1000], 4, 16), new Uint8Array(64)])));
  // Gzip bomb: ~0.5 MB that inflates to 512 MiB of zeros behind a header claiming 1024^3 voxels.
  writeFileSync(img('bomb'), gzipSync(Buffer.concat([header([1024, 1024, 1024], 2, 8), Buffer.alloc(512 << 20)]), { level: 9 }));
  writeFileSync(img('text'), 'this is not an image\n');
  execFileSync('mkfifo', [img('fifo')]);
  symlinkSync('loop_b.nii.gz', img('loop'));
  symlinkSync('loop_0000.nii.gz', join(DS, 'imagesTr', 'loop_b.nii.gz'));
  symlinkSync('/etc/hostname', img('out'));
  mkdirSync(join(DS, 'imagesTr', 'notes'));
  for (let i = 0; i < 10_000; i++) writeFileSync(join(DS, 'imagesTr', 'notes', `n${i}.txt`), '');
  for (let i = 0; i < 10_000; i++) writeFileSync(join(DS, 'imagesTr', `stray_${i}.txt`), '');
}, 120_000);

/** The node source, except that one file fails as an unreadable file would. */
function withDenied(src: FileSource, deny: string): FileSource {
  const fail = (p: string) => {
    if (p === deny) throw new FileSourceError(p, 'permission denied');
  };
  return {
    label: src.label,
    list: (p) => src.list(p),
    open: async (p) => (fail(p), src.open(p)),
    read: async (p, o, l) => (fail(p), src.read(p, o, l)),
  };
}

describe('broken-input corpus', () => {
  for (const mode of ['full', 'headers'] as const) {
    it(`turns every broken input into a finding naming its file (${mode})`, async () => {
      const rssBefore = process.memoryUsage().rss;
      const t0 = Date.now();
      const r = await checkDataset(withDenied(nodeSource(DS), 'imagesTr/denied_0000.nii.gz'), { codec: nodeCodec, mode });
      const took = Date.now() - t0;
      const has = (rule: string, path: string) => r.findings.find((f) => f.rule === rule && f.path === path);
      for (const id of ['trunc', 'zero', 'huge', 'bomb', 'text', 'denied']) {
        const f = has('dataset.unreadable', `imagesTr/${id}_0000.nii.gz`);
        // Truncation past the header only shows when the voxels are read.
        if (id === 'trunc' && mode === 'headers') continue;
        expect(f, `${id}: unreadable`).toBeTruthy();
        expect(f!.message).toContain(`${id}_0000.nii.gz`);
      }
      expect(has('dataset.unreadable', 'imagesTr/denied_0000.nii.gz')!.message).toContain('permission denied');
      expect(has('dataset.unreadable', 'imagesTr/zero_0000.nii.gz')!.message).toMatch(/0 bytes|empty/);
      for (const id of ['fifo', 'loop', 'out']) expect(has('dataset.non-regular-file', `imagesTr/${id}_0000.nii.gz`), id).toBeTruthy();
      expect(has('dataset.non-regular-file', 'imagesTr/loop_b.nii.gz')).toBeTruthy();
      // 10,000 stray files: a bounded number of findings, one of them counting them all.
      const stray = r.findings.filter((f) => f.rule === 'dataset.wrong-ending');
      expect(stray.length).toBeLessThanOrEqual(25);
      expect(stray.some((f) => (f.evidence?.count as number) === 10_001)).toBe(true);
      expect(r.findings.find((f) => f.rule === 'dataset.unreadable' && f.path === 'imagesTr/ok_0000.nii.gz')).toBeUndefined();
      expect(took).toBeLessThan(60_000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(1 << 30);
    });
  }

  it('gives the same findings through the CLI bundle, whose workers use their own source and codec', async () => {
    const res = runCli(await bundleCli(), ['check', DS, '--json', '--jobs', '2']);
    expect(res.code, res.stderr).toBe(1);
    const r = JSON.parse(res.stdout) as CheckReport;
    for (const id of ['trunc', 'zero', 'huge', 'bomb', 'text']) expect(r.findings.some((f) => f.rule === 'dataset.unreadable' && f.path === `imagesTr/${id}_0000.nii.gz`), id).toBe(true);
    for (const id of ['fifo', 'loop', 'out']) expect(r.findings.some((f) => f.rule === 'dataset.non-regular-file' && f.path === `imagesTr/${id}_0000.nii.gz`), id).toBe(true);
    expect(r.findings.some((f) => f.rule === 'dataset.unreadable' && f.path === 'imagesTr/ok_0000.nii.gz')).toBe(false);
    // Readable here, "denied" holds the same bytes as "ok": one scan under two ids.
    expect(r.findings.filter((f) => f.rule === 'dataset.duplicate-case').map((f) => (f.evidence?.ids as string[]).sort())).toEqual([['denied', 'ok']]);
  });
});
