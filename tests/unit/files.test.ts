import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePython } from '../helpers/python';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../labs/shared/files';
import { directoryHandleSource, filesSource, inputFilesSource, sourceFromDescriptor, zipSink, zipSource } from '../../src/lib/files';

// The zip reference is Python's zipfile module: a skip without Python, a failure under CI=true.
const PY = requirePython('zipfile', 'python3');
const dir = mkdtempSync(join(tmpdir(), 'files-test-'));

function python(code: string): void {
  execFileSync(PY!, ['-c', code], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
}

const blobOf = (path: string) => new Blob([readFileSync(path)]);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
// Compressible, with a pattern that shows a wrong offset.
const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i % 251) ^ (i >> 12));

describe('zipSource (zips written by Python zipfile)', () => {
  it.skipIf(!PY)('lists and reads stored and deflated members, folders, links, unsafe paths', async () => {
    writeFileSync(join(dir, 'big.bin'), big);
    python(`
import zipfile, stat
with zipfile.ZipFile('a.zip', 'w') as z:
    z.writestr('Dataset501_X/dataset.json', '{"file_ending": ".nii.gz"}', compress_type=zipfile.ZIP_STORED)
    z.write('big.bin', 'Dataset501_X/imagesTr/big_0000.nii.gz', compress_type=zipfile.ZIP_DEFLATED)
    z.writestr(zipfile.ZipInfo('Dataset501_X/empty/'), '')
    link = zipfile.ZipInfo('Dataset501_X/imagesTr/link_0000.nii.gz')
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    z.writestr(link, '../../outside.nii.gz')
    fifo = zipfile.ZipInfo('Dataset501_X/fifo')
    fifo.create_system = 3
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    z.writestr(fifo, '')
    z.writestr('../evil.txt', 'x')
`);
    const src = await zipSource(blobOf(join(dir, 'a.zip')), 'a.zip');
    expect(src.label).toBe('a');
    const entries = Object.fromEntries((await src.list()).map((e) => [e.path, e]));
    expect(entries['Dataset501_X'].kind).toBe('folder');
    expect(entries['Dataset501_X/imagesTr'].kind).toBe('folder');
    expect(entries['Dataset501_X/empty'].kind).toBe('folder');
    expect(entries['Dataset501_X/imagesTr/big_0000.nii.gz']).toEqual({ path: 'Dataset501_X/imagesTr/big_0000.nii.gz', kind: 'file', size: big.byteLength });
    expect(entries['Dataset501_X/imagesTr/link_0000.nii.gz'].kind).toBe('link');
    expect(entries['Dataset501_X/fifo'].kind).toBe('other');
    expect(entries['../evil.txt'].kind).toBe('other');
    expect(text(await readAll(src, 'Dataset501_X/dataset.json'))).toBe('{"file_ending": ".nii.gz"}');
    expect(await readAll(src, 'Dataset501_X/imagesTr/big_0000.nii.gz')).toEqual(big);
    // Random access on a deflated member: inflate up to the range and stop.
    expect(await src.read('Dataset501_X/imagesTr/big_0000.nii.gz', 123_456, 1000)).toEqual(big.subarray(123_456, 124_456));
    expect(await src.read('Dataset501_X/imagesTr/big_0000.nii.gz', big.byteLength - 10, 100)).toEqual(big.subarray(big.byteLength - 10));
    expect(await src.read('Dataset501_X/dataset.json', 2, 4)).toEqual(new TextEncoder().encode('file'));
    await expect(src.open('Dataset501_X/imagesTr/link_0000.nii.gz')).rejects.toThrow(/symbolic link inside the zip; not followed/);
    await expect(src.open('Dataset501_X/fifo')).rejects.toThrow(/not a regular file/);
    await expect(src.open('nope')).rejects.toThrow(/nope: no such file in the zip/);
    // The listing below a prefix.
    expect((await src.list('Dataset501_X/imagesTr')).map((e) => e.path).sort()).toEqual(['Dataset501_X/imagesTr/big_0000.nii.gz', 'Dataset501_X/imagesTr/link_0000.nii.gz']);
  });

  it.skipIf(!PY)('reads ZIP64 archives (65,536 members force the ZIP64 end record)', async () => {
    python(`
import zipfile
with zipfile.ZipFile('z64.zip', 'w') as z:
    for i in range(65536):
        z.writestr('d/f%05d' % i, '')
    z.writestr('d/last.txt', 'the end', compress_type=zipfile.ZIP_DEFLATED)
`);
    const bytes = readFileSync(join(dir, 'z64.zip'));
    // The ZIP64 end-of-central-directory record (PK\\x06\\x06) really is there.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const src = await zipSource(new Blob([bytes]), 'z64.zip');
    expect((await src.list()).filter((e) => e.kind === 'file')).toHaveLength(65537);
    expect(text(await readAll(src, 'd/last.txt'))).toBe('the end');
  });

  it.skipIf(!PY)('names the zip and the problem for truncated and corrupt archives', async () => {
    python(`
import zipfile
with zipfile.ZipFile('c.zip', 'w') as z:
    z.writestr('m.bin', bytes(range(256)) * 400, compress_type=zipfile.ZIP_DEFLATED)
`);
    const bytes = readFileSync(join(dir, 'c.zip'));
    await expect(zipSource(new Blob([bytes.subarray(0, bytes.length - 30)]), 'cut.zip')).rejects.toThrow(/cut\.zip: not a readable zip file/);
    await expect(zipSource(new Blob([new Uint8Array(100)]), 'zeros.zip')).rejects.toThrow(/zeros\.zip: not a readable zip file \(no end-of-central-directory/);
    // Flip bytes inside the deflate data: opening works, reading fails with the member's name.
    const broken = Uint8Array.from(bytes);
    for (let i = 60; i < 90; i++) broken[i] ^= 0xff;
    const src = await zipSource(new Blob([broken]), 'broken.zip');
    await expect(readAll(src, 'm.bin')).rejects.toThrow(/m\.bin/);
  });
});

describe('zipSink', () => {
  it.skipIf(!PY)('writes a zip Python reads back intact (stored .gz, deflated others)', async () => {
    const sink = zipSink('out');
    await sink.write('Dataset137_X/dataset.json', new TextEncoder().encode('{"a": 1}'));
    await sink.write('Dataset137_X/imagesTr/c_0000.nii.gz', new Blob([big]).stream() as ReadableStream<Uint8Array>);
    expect((await sink.list('Dataset137_X')).map((e) => e.path)).toEqual(['Dataset137_X/dataset.json', 'Dataset137_X/imagesTr/c_0000.nii.gz']);
    const blob = await sink.finish();
    writeFileSync(join(dir, 'out.zip'), new Uint8Array(await blob.arrayBuffer()));
    writeFileSync(join(dir, 'expected.bin'), big);
    python(`
import zipfile
z = zipfile.ZipFile('out.zip')
assert z.testzip() is None
assert z.read('Dataset137_X/dataset.json') == b'{"a": 1}'
assert z.read('Dataset137_X/imagesTr/c_0000.nii.gz') == open('expected.bin', 'rb').read()
assert z.getinfo('Dataset137_X/imagesTr/c_0000.nii.gz').compress_type == zipfile.ZIP_STORED
assert z.getinfo('Dataset137_X/dataset.json').compress_type == zipfile.ZIP_DEFLATED
`);
    // And our reader agrees.
    const back = await zipSource(blob, 'out.zip');
    expect(await readAll(back, 'Dataset137_X/imagesTr/c_0000.nii.gz')).toEqual(big);
  });
});

describe('folder sources', () => {
  const file = (name: string, body: string, rel?: string) => {
    const f = new File([body], name);
    if (rel) Object.defineProperty(f, 'webkitRelativePath', { value: rel });
    return f;
  };

  it('reads <input webkitdirectory> files by their relative paths, with random access', async () => {
    const src = inputFilesSource([file('dataset.json', '{"x": 1}', 'Dataset501_X/dataset.json'), file('a_0000.nii.gz', 'abcdef', 'Dataset501_X/imagesTr/a_0000.nii.gz')]);
    expect(src.label).toBe('Dataset501_X');
    const list = (await src.list()).map((e) => `${e.kind}:${e.path}:${e.size}`).sort();
    expect(list).toEqual(['file:Dataset501_X/dataset.json:8', 'file:Dataset501_X/imagesTr/a_0000.nii.gz:6', 'folder:Dataset501_X/imagesTr:0', 'folder:Dataset501_X:0']);
    expect(text(await src.read('Dataset501_X/imagesTr/a_0000.nii.gz', 2, 3))).toBe('cde');
    await expect(src.open('Dataset501_X/imagesTr')).rejects.toThrow(/is a folder/);
    // The descriptor rebuilds the same source in a worker.
    const again = await sourceFromDescriptor(src.descriptor);
    expect(text(await readAll(again, 'Dataset501_X/dataset.json'))).toBe('{"x": 1}');
  });

  it('walks File System Access directory handles and turns unreadable files into a read error', async () => {
    const fh = (name: string, body: string | Error) => ({
      kind: 'file' as const,
      name,
      getFile: async () => {
        if (body instanceof Error) throw body;
        return new File([body], name);
      },
    });
    const dh = (name: string, children: unknown[]) => ({
      kind: 'directory' as const,
      name,
      async *values() {
        yield* children as never[];
      },
    });
    const root = dh('Dataset502_Y', [fh('dataset.json', '{}'), dh('imagesTr', [fh('b_0000.nii.gz', 'xyz'), fh('locked_0000.nii.gz', new Error('NotReadableError'))])]);
    const src = await directoryHandleSource(root);
    expect((await src.list()).filter((e) => e.kind === 'file').map((e) => e.path).sort()).toEqual(['Dataset502_Y/dataset.json', 'Dataset502_Y/imagesTr/b_0000.nii.gz', 'Dataset502_Y/imagesTr/locked_0000.nii.gz']);
    expect(text(await readAll(src, 'Dataset502_Y/imagesTr/b_0000.nii.gz'))).toBe('xyz');
    await expect(readAll(src, 'Dataset502_Y/imagesTr/locked_0000.nii.gz')).rejects.toThrow(/locked_0000\.nii\.gz: cannot be read \(NotReadableError\)/);
  });

  it('drops paths that would leave the root', async () => {
    const src = filesSource('x', [{ path: '../up.txt', file: new Blob(['u']) }, { path: 'ok/./a.txt', file: new Blob(['a']) }]);
    expect((await src.list()).map((e) => e.path).sort()).toEqual(['ok', 'ok/a.txt']);
  });
});
