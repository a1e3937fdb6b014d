/**
 * FileSources over Blobs, for any platform that has Blob (browsers, their workers, Node >= 20):
 * files at relative paths (a chosen or dropped folder, generated samples), a zip read with random
 * access, and a FileSink that writes a zip. The browser adapters (src/lib/files.ts) reduce folder
 * inputs, handles and drops to these; the CLI opens a zip on disk with `fs.openAsBlob`.
 *
 * Memory stays bounded: files are read through `Blob.slice`/`Blob.stream`, and a zip is never
 * inflated as a whole; its central directory is read from the end of the file and each member is
 * inflated on demand, as a stream, with fflate's streaming `Inflate`.
 */
import { Inflate, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { FileSourceError, dirname, type FileEntry, type FileSink, type FileSource } from './files';

/** A file at a relative path; what every browser source reduces to, and what workers receive. */
export interface PathFile {
  path: string;
  file: Blob;
}

/**
 * How a source travels to a Web Worker (File, Blob and arrays of them are structured-cloneable;
 * the worker rebuilds the source with `sourceFromDescriptor`).
 */
export type SourceDescriptor = { kind: 'files'; label: string; files: PathFile[] } | { kind: 'zip'; label: string; file: Blob };

export const ZIP_NAME = /\.zip$/i;

/** Normalises a relative path; returns null for paths that would leave the root. */
function cleanPath(raw: string): string | null {
  const parts = raw.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (raw.startsWith('/') || parts.includes('..')) return null;
  return parts.join('/');
}

function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const p of paths) for (let d = dirname(p); d !== ''; d = dirname(d)) folders.add(d);
  return folders;
}

/** Entries strictly below `prefix`, as nodeSource lists them. */
function inside(prefix: string) {
  return (p: string) => prefix === '' || p.startsWith(`${prefix}/`);
}

/** A FileSource over Blobs at relative paths (folder input, dropped folders, handles, samples). */
export function filesSource(label: string, files: PathFile[]): FileSource & { descriptor: SourceDescriptor } {
  const byPath = new Map<string, Blob>();
  for (const f of files) {
    const p = cleanPath(f.path);
    if (p) byPath.set(p, f.file);
  }
  const folders = foldersOf(byPath.keys());
  const get = (path: string) => {
    const f = byPath.get(path);
    if (!f) throw new FileSourceError(path, folders.has(path) ? 'is a folder' : 'no such file');
    return f;
  };
  return {
    label,
    descriptor: { kind: 'files', label, files: [...byPath].map(([path, file]) => ({ path, file })) },
    async list(prefix = '') {
      const keep = inside(prefix);
      return [
        ...[...folders].filter(keep).map((path): FileEntry => ({ path, kind: 'folder', size: 0 })),
        ...[...byPath].filter(([p]) => keep(p)).map(([path, f]): FileEntry => ({ path, kind: 'file', size: f.size })),
      ];
    },
    async open(path) {
      return readBlobStream(path, get(path));
    },
    async read(path, offset, length) {
      return readBlobRange(path, get(path), offset, length);
    },
  };
}

export function readBlobStream(path: string, blob: Blob): ReadableStream<Uint8Array> {
  // Blob.stream() rejects lazily (file removed, permission revoked): name the file in the error.
  const reader = blob.stream().getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(new FileSourceError(path, `cannot be read (${(e as Error).message})`));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export async function readBlobRange(path: string, blob: Blob, offset: number, length: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  } catch (e) {
    throw new FileSourceError(path, `cannot be read (${(e as Error).message})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Zip (read): PKWARE APPNOTE.TXT 6.3.x — end of central directory (EOCD), ZIP64 EOCD locator and
// record, central directory file headers, local file headers; methods 0 (stored) and 8 (deflate).

interface ZipMember {
  path: string;
  kind: FileEntry['kind'];
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Why a member cannot be opened (unsafe path, encryption, method), when it cannot. */
  refused?: string;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CDFH = 0x02014b50;
const LFH = 0x04034b50;
/** Central directories larger than this are refused rather than read into memory. */
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
/** Compressed bytes handed to the inflater per step: at deflate's maximum ratio (~1032:1) one step yields at most ~16 MiB. */
const INFLATE_STEP = 16 * 1024;

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

async function readZipDirectory(name: string, blob: Blob): Promise<ZipMember[]> {
  const bad = (why: string) => new FileSourceError(name, `not a readable zip file (${why})`);
  const tailLen = Math.min(blob.size, 22 + 65535);
  const tailStart = blob.size - tailLen;
  const tail = await readBlobRange(name, blob, tailStart, tailLen);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record; the file may be truncated');
  let count = tv.getUint16(eocd + 10, true);
  let dirSize = tv.getUint32(eocd + 12, true);
  let dirOffset = tv.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tv.getUint32(loc, true) !== ZIP64_LOCATOR) throw bad('ZIP64 locator missing');
    const recAt = u64(tv, loc + 8);
    const rec = await readBlobRange(name, blob, recAt, 56);
    const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rec.byteLength < 56 || rv.getUint32(0, true) !== ZIP64_EOCD) throw bad('ZIP64 end-of-central-directory record missing');
    count = u64(rv, 32);
    dirSize = u64(rv, 40);
    dirOffset = u64(rv, 48);
  }
  if (dirSize > MAX_DIRECTORY_BYTES) throw bad(`central directory of ${dirSize} bytes is too large`);
  if (dirOffset + dirSize > blob.size) throw bad('central directory lies beyond the end of the file; the file may be truncated');
  const dir = await readBlobRange(name, blob, dirOffset, dirSize);
  const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const utf8 = new TextDecoder('utf-8');
  const members: ZipMember[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > dir.byteLength || dv.getUint32(at, true) !== CDFH) throw bad(`central directory entry ${n} is damaged`);
    const madeBy = dv.getUint16(at + 4, true);
    const flags = dv.getUint16(at + 8, true);
    const method = dv.getUint16(at + 10, true);
    let compressedSize = dv.getUint32(at + 20, true);
    let size = dv.getUint32(at + 24, true);
    const nameLen = dv.getUint16(at + 28, true);
    const extraLen = dv.getUint16(at + 30, true);
    const commentLen = dv.getUint16(at + 32, true);
    const external = dv.getUint32(at + 38, true);
    let localOffset = dv.getUint32(at + 42, true);
    const rawName = utf8.decode(dir.subarray(at + 46, at + 46 + nameLen));
    // ZIP64 extended information (header id 0x0001): only the fields saturated in the header, in this order.
    let x = at + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = dv.getUint16(x, true);
      const len = dv.getUint16(x + 2, true);
      if (id === 0x0001) {
        let f = x + 4;
        if (size === 0xffffffff) (size = u64(dv, f)), (f += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(dv, f)), (f += 8);
        if (localOffset === 0xffffffff) localOffset = u64(dv, f);
      }
      x += 4 + len;
    }
    at = xEnd + commentLen;
    const isDir = rawName.endsWith('/');
    const path = cleanPath(rawName);
    // Unix file type in the high 16 bits of the external attributes when the creator was Unix (3).
    const unixType = madeBy >> 8 === 3 ? (external >>> 16) & 0o170000 : 0;
    let kind: FileEntry['kind'] = isDir || unixType === 0o040000 ? 'folder' : 'file';
    let refused: string | undefined;
    if (unixType === 0o120000) kind = 'link';
    else if (unixType !== 0 && unixType !== 0o100000 && unixType !== 0o040000) (kind = 'other'), (refused = 'not a regular file (FIFO, socket or device)');
    if (path === null) (kind = 'other'), (refused = 'path leaves the archive (absolute or with "..")');
    else if (flags & 1) refused = 'encrypted zip member';
    else if (kind === 'file' && method !== 0 && method !== 8) refused = `zip compression method ${method} is not supported (only stored and deflate)`;
    members.push({ path: path ?? rawName, kind, method, flags, compressedSize, size, localOffset, refused });
  }
  return members;
}

/** Where a member's compressed data starts (after its local header, whose lengths may differ from the central one). */
async function dataStart(zipName: string, blob: Blob, m: ZipMember): Promise<number> {
  const h = await readBlobRange(zipName, blob, m.localOffset, 30);
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.byteLength < 30 || v.getUint32(0, true) !== LFH) throw new FileSourceError(m.path, `damaged zip member (no local header at byte ${m.localOffset} of ${zipName})`);
  return m.localOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
}

function inflateStream(m: ZipMember, compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = compressed.getReader();
  let pending: Uint8Array[] = [];
  let produced = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.byteLength;
    if (produced > m.size) throw new FileSourceError(m.path, `inflates to more than the ${m.size} bytes the zip declares`);
    pending.push(chunk);
    if (final) finished = true;
  });
  let carry: Uint8Array = new Uint8Array(0);
  let inputDone = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (pending.length === 0 && !finished) {
          if (carry.byteLength === 0) {
            if (inputDone) throw new FileSourceError(m.path, 'zip member is truncated (deflate stream ends early)');
            const r = await reader.read();
            if (r.done) {
              inputDone = true;
              inflater.push(new Uint8Array(0), true);
              continue;
            }
            carry = r.value;
          }
          const step = carry.subarray(0, INFLATE_STEP);
          carry = carry.subarray(step.byteLength);
          inflater.push(step);
        }
        const out = pending;
        pending = [];
        for (const c of out) controller.enqueue(c);
        if (finished && pending.length === 0) {
          if (produced !== m.size) throw new FileSourceError(m.path, `inflated to ${produced} bytes, the zip declares ${m.size}`);
          controller.close();
          await reader.cancel();
        }
      } catch (e) {
        await reader.cancel().catch(() => undefined);
        controller.error(e instanceof FileSourceError ? e : new FileSourceError(m.path, `zip member is corrupt (${(e as Error).message})`));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** A FileSource over a zip file, read with random access; members are inflated only when opened. */
export async function zipSource(blob: Blob, name = 'archive.zip'): Promise<FileSource & { descriptor: SourceDescriptor }> {
  const members = await readZipDirectory(name, blob);
  const byPath = new Map<string, ZipMember>();
  for (const m of members) if (!byPath.has(m.path)) byPath.set(m.path, m);
  const explicit = new Set(members.filter((m) => m.kind === 'folder').map((m) => m.path));
  for (const f of foldersOf(byPath.keys())) explicit.add(f);
  const get = (path: string) => {
    const m = byPath.get(path);
    if (!m || m.kind === 'folder') throw new FileSourceError(path, m ? 'is a folder' : 'no such file in the zip');
    if (m.kind === 'link') throw new FileSourceError(path, 'symbolic link inside the zip; not followed');
    if (m.refused) throw new FileSourceError(path, m.refused);
    return m;
  };
  const open = async (path: string) => {
    const m = get(path);
    const start = await dataStart(name, blob, m);
    const raw = readBlobStream(path, blob.slice(start, start + m.compressedSize));
    return m.method === 0 ? raw : inflateStream(m, raw);
  };
  return {
    label: name.replace(ZIP_NAME, ''),
    descriptor: { kind: 'zip', label: name, file: blob },
    async list(prefix = '') {
      const keep = inside(prefix);
      const out: FileEntry[] = [...explicit].filter((p) => keep(p) && !byPath.has(p)).map((path) => ({ path, kind: 'folder', size: 0 }));
      for (const m of byPath.values()) {
        if (!keep(m.path)) continue;
        out.push({ path: m.path, kind: m.kind, size: m.kind === 'file' ? m.size : 0, ...(m.refused && m.kind === 'other' ? { target: m.refused } : {}) });
      }
      return out;
    },
    open,
    async read(path, offset, length) {
      const m = get(path);
      const start = await dataStart(name, blob, m);
      if (m.method === 0) return readBlobRange(path, blob, start + Math.min(offset, m.size), Math.max(0, Math.min(length, m.size - offset)));
      // Deflate has no random access: inflate from the start up to the range, then stop.
      const reader = (await open(path)).getReader();
      const out = new Uint8Array(Math.max(0, Math.min(length, m.size - offset)));
      let pos = 0;
      let got = 0;
      while (got < out.byteLength) {
        const { done, value } = await reader.read();
        if (done) break;
        const from = Math.max(0, offset - pos);
        if (from < value.byteLength) {
          const piece = value.subarray(from, from + out.byteLength - got);
          out.set(piece, got);
          got += piece.byteLength;
        }
        pos += value.byteLength;
      }
      await reader.cancel();
      return out.subarray(0, got);
    },
  };
}

/** Rebuilds a source inside a worker from what the page posted. */
export async function sourceFromDescriptor(d: SourceDescriptor): Promise<FileSource> {
  return d.kind === 'zip' ? zipSource(d.file, d.label) : filesSource(d.label, d.files);
}

// ---------------------------------------------------------------------------------------------
// Zip (write): the converter's output offered as a download.

/** A FileSink that streams what is written into a zip; `finish()` gives the archive. Already-compressed files (.gz, .zip) are stored, others deflated. */
export function zipSink(label: string): FileSink & { finish(): Promise<Blob>; paths(): string[] } {
  const parts: Uint8Array[] = [];
  let failed: Error | null = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err;
    else parts.push(chunk);
    if (final || err) resolveDone();
  });
  const written = new Map<string, number>();
  // fflate interleaves concurrently added members badly for our purpose: add one at a time.
  let queue: Promise<void> = Promise.resolve();
  return {
    label,
    paths: () => [...written.keys()],
    async mkdir() {
      // Folders are implied by the member paths.
    },
    write(path, data) {
      const job = queue.then(async () => {
        const member = /\.(gz|zip)$/i.test(path) ? new ZipPassThrough(path) : new ZipDeflate(path, { level: 6 });
        zip.add(member);
        let size = 0;
        if (data instanceof Uint8Array) {
          member.push(data, true);
          size = data.byteLength;
        } else {
          const reader = data.getReader();
          for (;;) {
            const { done: end, value } = await reader.read();
            if (end) break;
            member.push(value);
            size += value.byteLength;
          }
          member.push(new Uint8Array(0), true);
        }
        written.set(path, size);
      });
      queue = job.catch(() => undefined);
      return job;
    },
    async list(path = '') {
      const keep = inside(path);
      return [...written].filter(([p]) => keep(p)).map(([p, size]) => ({ path: p, kind: 'file' as const, size }));
    },
    async finish() {
      await queue;
      zip.end();
      await done;
      if (failed) throw failed;
      return new Blob(parts as BlobPart[], { type: 'application/zip' });
    },
  };
}
