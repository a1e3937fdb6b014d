/**
 * Reading NIfTI from a FileSource: a header-only path that inflates only the first few hundred
 * bytes of a .nii.gz, and a streaming voxel path that hands out fixed-size chunks (or whole 3D
 * volumes) without ever holding more than one of them. Gzip is detected by its magic bytes, not
 * by the file name.
 */
import { FileSourceError, type FileSource } from '../shared/files';
import { isGzip, webCodec, type Codec } from './codec';
import { NiftiError } from './errors';
import { NIFTI1_HEADER_BYTES, NIFTI2_HEADER_BYTES, dataBytes, parseHeader, sniffVersion, voxelCount, volumeVoxels, type ParseOptions } from './header';
import { BYTES_PER_VOXEL, type NiftiDatatype, type NiftiHeader, type TypedArray } from './types';

export interface ReadOptions extends ParseOptions {
  /** Gzip implementation (default: the web Compression Streams API). */
  codec?: Codec;
}

export interface ScanOptions extends ReadOptions {
  /** Approximate bytes per chunk handed to the callback (default 1 MiB; rounded to whole voxels). */
  chunkBytes?: number;
}

/**
 * Receives consecutive voxels (raw stored values, machine byte order, unscaled) starting at
 * voxel index `first` (x fastest). The array is reused for the next chunk: copy what you keep.
 */
export type ChunkCallback = (values: TypedArray, first: number, header: NiftiHeader) => void | Promise<void>;

const HEADER_PIECE = 64;
const EMPTY_GZIP = 'no data: the gzip stream inflates to 0 bytes';

/** Wraps a source failure or a codec failure into a NiftiError naming the file. */
function asNiftiError(path: string, e: unknown, inputEnded: boolean): NiftiError {
  if (e instanceof NiftiError) return e;
  if (e instanceof FileSourceError) return new NiftiError(path, 'bad-input', e.reason);
  const msg = (e as Error)?.message ?? String(e);
  const code = (e as { code?: string })?.code;
  // zlib (Node, and Node's DecompressionStream) says which; browsers may give one generic message,
  // and then whether the input had ended tells truncation from corruption.
  const truncated = code === 'Z_BUF_ERROR' || /unexpected end|truncat/i.test(msg) || (code !== 'Z_DATA_ERROR' && inputEnded);
  if (truncated) return new NiftiError(path, 'truncated-gzip', `gzip stream is truncated (${msg})`);
  return new NiftiError(path, 'corrupt-gzip', `gzip data is corrupt (${msg})`);
}

/**
 * Reads only the header. For .nii.gz it reads the compressed prefix range by range and feeds the
 * decompressor 64 bytes at a time, stopping as soon as the header is complete: a 4 KiB prefix of
 * a real volume would otherwise inflate into megabytes of zeros.
 */
export async function readHeader(source: FileSource, path: string, opts: ReadOptions = {}): Promise<NiftiHeader> {
  let first: Uint8Array;
  try {
    first = await source.read(path, 0, 4096);
  } catch (e) {
    throw asNiftiError(path, e, false);
  }
  if (first.byteLength === 0) throw new NiftiError(path, 'empty', 'file is empty (0 bytes)');
  if (!isGzip(first)) return parseHeader(first.subarray(0, NIFTI2_HEADER_BYTES), path, opts);
  const codec = opts.codec ?? webCodec;
  if (codec.inflatePrefix) {
    const header = await headerByPrefix(source, path, first, codec.inflatePrefix, opts);
    if (header) return header;
    // Too short: the stream path below tells a truncated gzip from an empty or short one.
  }

  let buffered = first;
  let bufStart = 0;
  let pos = 0;
  let inputEnded = false;
  const input = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pos >= bufStart + buffered.byteLength) {
          if (buffered.byteLength < 4096) {
            inputEnded = true;
            controller.close();
            return;
          }
          bufStart += buffered.byteLength;
          buffered = await source.read(path, bufStart, 4096);
          if (buffered.byteLength === 0) {
            inputEnded = true;
            controller.close();
            return;
          }
        }
        const at = pos - bufStart;
        const piece = buffered.subarray(at, at + HEADER_PIECE);
        pos += piece.byteLength;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  const out = new Uint8Array(NIFTI2_HEADER_BYTES);
  let have = 0;
  let need = NIFTI1_HEADER_BYTES;
  const reader = codec.gunzipStream(input).getReader();
  try {
    while (have < need) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, out.byteLength - have);
      out.set(value.subarray(0, take), have);
      have += take;
      if (have >= 4) need = sniffVersion(out)?.version === 2 ? NIFTI2_HEADER_BYTES : NIFTI1_HEADER_BYTES;
    }
  } catch (e) {
    throw asNiftiError(path, e, inputEnded);
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (have === 0) throw new NiftiError(path, 'empty', EMPTY_GZIP);
  return parseHeader(out.subarray(0, have), path, opts);
}

/**
 * Header through a synchronous prefix inflater: inflate growing prefixes (64 bytes more each
 * time, so the output stays small) until the header is complete; null when the file runs out first.
 */
async function headerByPrefix(
  source: FileSource,
  path: string,
  first: Uint8Array,
  inflatePrefix: (prefix: Uint8Array) => Uint8Array,
  opts: ReadOptions,
): Promise<NiftiHeader | null> {
  let compressed = first;
  let fileEnded = first.byteLength < 4096;
  for (let n = HEADER_PIECE; ; n += HEADER_PIECE) {
    if (n > compressed.byteLength && !fileEnded) {
      let more: Uint8Array;
      try {
        more = await source.read(path, compressed.byteLength, 4096);
      } catch (e) {
        throw asNiftiError(path, e, false);
      }
      fileEnded = more.byteLength < 4096;
      const grown = new Uint8Array(compressed.byteLength + more.byteLength);
      grown.set(compressed);
      grown.set(more, compressed.byteLength);
      compressed = grown;
    }
    const atEnd = n >= compressed.byteLength && fileEnded;
    let out: Uint8Array;
    try {
      out = inflatePrefix(compressed.subarray(0, n));
    } catch (e) {
      throw asNiftiError(path, e, false);
    }
    const need = out.byteLength >= 4 && sniffVersion(out)?.version === 2 ? NIFTI2_HEADER_BYTES : NIFTI1_HEADER_BYTES;
    if (out.byteLength >= need) return parseHeader(out.subarray(0, need), path, opts);
    if (atEnd) return null;
  }
}

/** The whole file as a stream of uncompressed bytes, plus whether its input has ended (for error wording). */
async function openUncompressed(source: FileSource, path: string, codec: Codec): Promise<{ reader: ReadableStreamDefaultReader<Uint8Array>; ended: () => boolean }> {
  let raw: ReadableStream<Uint8Array>;
  try {
    raw = await source.open(path);
  } catch (e) {
    throw asNiftiError(path, e, false);
  }
  const rawReader = raw.getReader();
  let firstChunk: Uint8Array | undefined;
  try {
    // Peek at the first non-empty chunk to tell gzip from plain bytes.
    for (;;) {
      const { done, value } = await rawReader.read();
      if (done) throw new NiftiError(path, 'empty', 'file is empty (0 bytes)');
      if (value.byteLength > 0) {
        firstChunk = value;
        break;
      }
    }
  } catch (e) {
    throw asNiftiError(path, e, false);
  }
  let ended = false;
  let pending: Uint8Array | undefined = firstChunk;
  const replay = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pending) {
          controller.enqueue(pending);
          pending = undefined;
          return;
        }
        const { done, value } = await rawReader.read();
        if (done) {
          ended = true;
          controller.close();
        } else controller.enqueue(value);
      },
      cancel(reason) {
        return rawReader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const stream = isGzip(firstChunk) ? codec.gunzipStream(replay) : replay;
  return { reader: stream.getReader(), ended: () => ended };
}

const ARRAY_OF: Record<NiftiDatatype, new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** Allocates an empty typed array of the header's voxel type. */
export function allocateVoxels(datatype: NiftiDatatype, length: number): TypedArray {
  return new ARRAY_OF[datatype](new ArrayBuffer(length * BYTES_PER_VOXEL[datatype]), 0, length);
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.byteLength; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * Streams every voxel through `onChunk` in chunks of about `chunkBytes`, holding one chunk at a
 * time; returns the header. Reading stops once the voxels the header describes are in, so a gzip
 * bomb cannot inflate more than that plus one codec chunk. A file that ends early is an error.
 */
export async function scanVoxels(source: FileSource, path: string, onChunk: ChunkCallback, opts: ScanOptions = {}): Promise<NiftiHeader> {
  return streamVoxels(source, path, onChunk, opts, (h) => Math.max(1, Math.floor((opts.chunkBytes ?? 1 << 20) / BYTES_PER_VOXEL[h.datatype])));
}

/**
 * Hands out the image one 3D volume at a time (`t` = index along axes 4+): the streaming path
 * for 4D series that never holds more than one volume. For a 3D image `onVolume` runs once.
 */
export async function readVolumes(
  source: FileSource,
  path: string,
  onVolume: (volume: TypedArray, t: number, header: NiftiHeader) => void | Promise<void>,
  opts: ReadOptions = {},
): Promise<NiftiHeader> {
  return streamVoxels(source, path, (values, first, header) => onVolume(values, first / volumeVoxels(header), header), opts, volumeVoxels);
}

/** Header and every voxel in one array (subject to maxVoxels). For 3D images this is one volume. */
export async function readImage(source: FileSource, path: string, opts: ReadOptions = {}): Promise<{ header: NiftiHeader; data: TypedArray }> {
  let data: TypedArray | undefined;
  const header = await streamVoxels(
    source,
    path,
    (values) => {
      data = values;
    },
    opts,
    (h) => voxelCount(h),
  );
  return { header, data: data! };
}

async function streamVoxels(
  source: FileSource,
  path: string,
  onChunk: ChunkCallback,
  opts: ReadOptions,
  chunkVoxelsFor: (h: NiftiHeader) => number,
): Promise<NiftiHeader> {
  const { reader, ended } = await openUncompressed(source, path, opts.codec ?? webCodec);
  const fail = (e: unknown) => asNiftiError(path, e, ended());
  try {
    // 1. Header bytes.
    const head = new Uint8Array(NIFTI2_HEADER_BYTES);
    let have = 0;
    let need = NIFTI1_HEADER_BYTES;
    let rest: Uint8Array = new Uint8Array(0);
    while (have < need) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw fail(e);
      }
      if (r.done) break;
      const take = Math.min(r.value.byteLength, need - have);
      head.set(r.value.subarray(0, take), have);
      have += take;
      rest = r.value.subarray(take);
      if (have >= 4 && need === NIFTI1_HEADER_BYTES && sniffVersion(head)?.version === 2) {
        need = NIFTI2_HEADER_BYTES;
        const more = Math.min(rest.byteLength, need - have);
        head.set(rest.subarray(0, more), have);
        have += more;
        rest = rest.subarray(more);
      }
    }
    if (have === 0) throw new NiftiError(path, 'empty', EMPTY_GZIP);
    const header = parseHeader(head.subarray(0, have), path, opts);

    // 2. Skip to vox_offset (extensions), then voxels into a staging buffer of whole chunks.
    const bpv = BYTES_PER_VOXEL[header.datatype];
    const total = dataBytes(header);
    const nvox = voxelCount(header);
    const chunkVoxels = Math.min(nvox, chunkVoxelsFor(header));
    let skip = header.voxOffset - have;
    const staging = allocateVoxels(header.datatype, chunkVoxels);
    const stagingBytes = new Uint8Array(staging.buffer, 0, staging.byteLength);
    const swap = bpv > 1 && header.littleEndian !== HOST_LITTLE_ENDIAN;
    let filled = 0;
    let done = 0;
    let firstVoxel = 0;
    const emit = async () => {
      if (swap) swapInPlace(stagingBytes.subarray(0, filled), bpv);
      const values = filled === staging.byteLength ? staging : (staging.subarray(0, filled / bpv) as TypedArray);
      const r = onChunk(values, firstVoxel, header);
      if (r) await r;
      firstVoxel += filled / bpv;
      filled = 0;
    };
    let chunk: Uint8Array | undefined = rest;
    while (done < total) {
      if (!chunk || chunk.byteLength === 0) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          throw fail(e);
        }
        if (r.done) {
          throw new NiftiError(
            path,
            'truncated-data',
            `voxel data ends after ${done} of ${total} bytes (${header.dims.join('×')} ${header.datatype} from offset ${header.voxOffset})`,
          );
        }
        chunk = r.value;
      }
      if (skip > 0) {
        const s = Math.min(skip, chunk.byteLength);
        skip -= s;
        chunk = chunk.subarray(s);
        continue;
      }
      const take = Math.min(chunk.byteLength, stagingBytes.byteLength - filled, total - done);
      stagingBytes.set(chunk.subarray(0, take), filled);
      filled += take;
      done += take;
      chunk = chunk.subarray(take);
      if (filled === stagingBytes.byteLength || done === total) await emit();
    }
    return header;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
