/**
 * The bad-input corpus (tests/fixtures/nifti/bad-corpus.ts): every broken file gives a NiftiError
 * naming the file, with a stable code and a precise problem, through the header-only and the
 * voxel paths and with both codecs; gzip bombs stay bounded.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeCodec } from '../../labs/cli/node-codec';
import { NiftiError, readHeader, readImage, scanVoxels, webCodec, type Codec } from '../../labs/nifti/index';
import { memorySource } from '../../labs/shared/files';
import { BAD_CASES, validNifti } from '../fixtures/nifti/bad-corpus';

async function failure(p: Promise<unknown>): Promise<NiftiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NiftiError);
    return e as NiftiError;
  }
  throw new Error('expected a NiftiError, got success');
}

describe('bad input gives precise errors', () => {
  for (const [codecName, codec] of [
    ['web codec', webCodec],
    ['node codec', nodeCodec],
  ] as [string, Codec][]) {
    for (const c of BAD_CASES) {
      it(`${c.name} → ${c.code} (${codecName})`, async () => {
        const src = memorySource('corpus', { [c.name]: c.bytes() });
        const opts = { codec, maxVoxels: c.maxVoxels };
        const full = await failure(readImage(src, c.name, opts));
        expect(full.code).toBe(c.code);
        expect(full.path).toBe(c.name);
        expect(full.message.startsWith(`${c.name}: `)).toBe(true);
        expect(full.problem).toMatch(c.says);
        if (c.headerOk) {
          await expect(readHeader(src, c.name, opts)).resolves.toBeTruthy();
        } else {
          const head = await failure(readHeader(src, c.name, opts));
          expect(head.code).toBe(c.code);
          expect(head.problem).toMatch(c.says);
        }
      });
    }
  }

  it('names a missing file', async () => {
    const e = await failure(readHeader(memorySource('x', {}), 'missing.nii.gz'));
    expect(e.code).toBe('bad-input');
    expect(e.message).toBe('missing.nii.gz: no such file');
  });
});

describe('gzip bombs stay bounded', () => {
  // A valid 9×8×5 image followed by 256 MiB of zeros: about 250 KB gzipped.
  const valid = validNifti();
  const bomb = gzipSync(Buffer.concat([valid, Buffer.alloc(256 << 20)]), { level: 9 });
  const src = memorySource('bomb', { 'bomb.nii.gz': new Uint8Array(bomb) });

  /** Wraps a codec and counts the inflated bytes the reader actually pulled. */
  function counting(base: Codec) {
    const seen = { stream: 0, prefix: 0 };
    const codec: Codec = {
      gzip: base.gzip,
      gunzipStream(s) {
        return base.gunzipStream(s).pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, ctl) {
              seen.stream += chunk.byteLength;
              ctl.enqueue(chunk);
            },
          }),
        );
      },
      inflatePrefix: base.inflatePrefix
        ? (p) => {
            const out = base.inflatePrefix!(p);
            seen.prefix += out.byteLength;
            return out;
          }
        : undefined,
    };
    return { codec, seen };
  }

  for (const [name, base] of [
    ['web codec', webCodec],
    ['node codec', nodeCodec],
  ] as [string, Codec][]) {
    it(`reads the image and stops inflating (${name})`, async () => {
      const { codec, seen } = counting(base);
      const { header, data } = await readImage(src, 'bomb.nii.gz', { codec });
      expect(header.dims).toEqual([9, 8, 5]);
      expect(data.length).toBe(360);
      expect(seen.stream).toBeLessThan(4 << 20);
      const h = counting(base);
      await readHeader(src, 'bomb.nii.gz', { codec: h.codec });
      expect(h.seen.stream + h.seen.prefix).toBeLessThan(1 << 20);
    });
  }

  it('refuses a header that claims 10^9 voxels before allocating', async () => {
    // The claim sits in a 352-byte file; an allocation of 2 GB would throw RangeError or exhaust memory instead.
    const c = BAD_CASES.find((b) => b.name === 'billion-voxels.nii')!;
    const s = memorySource('x', { 'a.nii': c.bytes() });
    let chunks = 0;
    const e = await failure(scanVoxels(s, 'a.nii', () => void chunks++));
    expect(e.code).toBe('too-large');
    expect(chunks).toBe(0);
  });
});
