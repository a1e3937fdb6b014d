/**
 * The gzip codec of `bratslab check`'s workers. A full check inflates every voxel of every file,
 * so the cost per byte matters: instead of a zlib stream (libuv round trips, a copy per chunk in
 * the web-stream adapter, garbage per 1 MiB chunk), each file is inflated by one synchronous zlib
 * call into a single buffer sized from the gzip trailer (ISIZE, RFC 1952), then handed out as
 * slices of that buffer. Bounded: inputs above MAX_COMPRESSED or outputs above MAX_OUTPUT (gzip
 * bombs, huge 4D series) fall back to the streaming codec, which the NIfTI reader stops as soon as
 * the header's voxels are in. Per worker at most MAX_OUTPUT bytes are held.
 */
import { constants, gunzipSync } from 'node:zlib';
import { bytesStream, type Codec } from '../nifti/codec';
import { nodeCodec } from './node-codec';
import { concatBytes } from '../shared/files';

const MAX_COMPRESSED = 64 << 20;
const MAX_OUTPUT = 128 << 20;
const SLICE = 4 << 20;

/** `head` followed by whatever `rest` still yields. */
function chain(head: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        controller.enqueue(head);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}

/** Inflates in one call, or returns null when the output would exceed MAX_OUTPUT. */
function inflateWhole(compressed: Uint8Array): Uint8Array | null {
  const n = compressed.byteLength;
  const isize = n >= 18 ? new DataView(compressed.buffer, compressed.byteOffset + n - 4, 4).getUint32(0, true) : 0;
  try {
    const out = gunzipSync(compressed, {
      // One output buffer when the trailer tells the truth, so zlib never concatenates.
      chunkSize: Math.min(Math.max(isize + 1, 64 << 10), MAX_OUTPUT),
      maxOutputLength: MAX_OUTPUT,
      finishFlush: constants.Z_FINISH,
    });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return null;
    throw e;
  }
}

export const checkCodec: Codec = {
  gzip: (bytes) => nodeCodec.gzip(bytes),
  inflatePrefix: (prefix) => nodeCodec.inflatePrefix!(prefix),
  gunzipStream(input) {
    let inner: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const source = input.getReader();
    const start = async (): Promise<ReadableStreamDefaultReader<Uint8Array>> => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await source.read();
        if (done) break;
        chunks.push(value);
        total += value.byteLength;
        if (total > MAX_COMPRESSED) return nodeCodec.gunzipStream(chain(concatBytes(chunks, total), source)).getReader();
      }
      const compressed = concatBytes(chunks, total);
      const whole = inflateWhole(compressed);
      return (whole ? bytesStream(whole, SLICE) : nodeCodec.gunzipStream(bytesStream(compressed))).getReader();
    };
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            inner ??= await start();
            const { done, value } = await inner.read();
            if (done) controller.close();
            else controller.enqueue(value);
          } catch (e) {
            controller.error(e);
          }
        },
        cancel(reason) {
          void source.cancel(reason).catch(() => undefined);
          return inner?.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  },
};
