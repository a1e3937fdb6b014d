/**
 * Gzip for the NIfTI core, behind a small interface so each platform can bring its fastest
 * implementation. The default uses the web Compression Streams API, which browsers and Node ≥ 20
 * both provide; the CLI injects Node's zlib with large output chunks (labs/cli/node-codec.ts),
 * which the validator issue measured to be several times faster than 16 KiB chunks.
 */
import { collectStream } from '../shared/files';

export interface Codec {
  /** Gzip-compresses a whole buffer. */
  gzip(bytes: Uint8Array): Promise<Uint8Array>;
  /** Inflates a gzip byte stream; must error (not end quietly) on truncated input. */
  gunzipStream(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
  /**
   * Optional fast path for header-only reads: inflates as much of a gzip prefix as the bytes
   * allow, without requiring the stream's end, synchronously. Node's zlib does this in ~0.05 ms
   * where a stream round trip costs ~2 ms per file (bench/nifti-read.bench.mjs).
   */
  inflatePrefix?(prefix: Uint8Array): Uint8Array;
}

/** A stream that yields `bytes` in pieces of at most `piece` bytes. */
export function bytesStream(bytes: Uint8Array, piece = 1 << 20): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(at, at + piece));
      at += piece;
    },
  });
}

type ByteTransform = ReadableWritablePair<Uint8Array, Uint8Array>;

/** The platform default: CompressionStream / DecompressionStream. */
export const webCodec: Codec = {
  gzip(bytes) {
    return collectStream(bytesStream(bytes).pipeThrough(new CompressionStream('gzip') as unknown as ByteTransform));
  },
  gunzipStream(stream) {
    return stream.pipeThrough(new DecompressionStream('gzip') as unknown as ByteTransform);
  },
};

/** True when the bytes start with the gzip magic number (RFC 1952: 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
