/**
 * FileSource (read) and FileSink (write): the only way a core touches files. Implementations:
 * Node fs (labs/cli/node-files.ts), browser File / directory handles and zip (src/lib/files.ts).
 * Paths are POSIX-style, relative to the source's root, never starting with `/`.
 */
export type EntryKind = 'file' | 'folder' | 'link' | 'other';

export interface FileEntry {
  /** Relative POSIX path, e.g. `Dataset137_BraTS2021/imagesTr/BraTS2021_00000_0000.nii.gz`. */
  path: string;
  kind: EntryKind;
  /** Size in bytes for files; 0 otherwise. */
  size: number;
  /** For links: where the link points (as stored), when known. */
  target?: string;
  /** For links: whether the target resolves inside the source root. */
  targetInside?: boolean;
}

/** Thrown by sources for unreadable entries; cores turn it into a finding and carry on. */
export class FileSourceError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileSourceError';
  }
}

export interface FileSource {
  /** A short human label for the root (folder name, zip name). */
  readonly label: string;
  /** Every entry below `prefix` (default: the whole source), recursively, in any order. */
  list(prefix?: string): Promise<FileEntry[]>;
  /** The whole file as a byte stream. */
  open(path: string): Promise<ReadableStream<Uint8Array>>;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(path: string, offset: number, length: number): Promise<Uint8Array>;
}

export interface FileSink {
  readonly label: string;
  mkdir(path: string): Promise<void>;
  write(path: string, data: Uint8Array | ReadableStream<Uint8Array>): Promise<void>;
  /** Hard-links `from` (in `source`) to `to` where the platform can; returns false when it copied. */
  link?(source: FileSource, from: string, to: string): Promise<boolean>;
  /** Entries already present below `path` (used to refuse overwriting without --force). */
  list(path?: string): Promise<FileEntry[]>;
}

/** Joins byte chunks into one buffer (the chunk itself when there is only one). */
export function concatBytes(chunks: readonly Uint8Array[], total = chunks.reduce((a, c) => a + c.byteLength, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Reads a stream to its end into one buffer; refuses (and cancels) past `maxBytes`. */
export async function collectStream(stream: ReadableStream<Uint8Array>, maxBytes = Infinity, path = 'stream'): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new FileSourceError(path, `larger than ${maxBytes} bytes, refused`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}

/** Reads a whole file into memory. Use only for small files (dataset.json, logs, csv). */
export async function readAll(source: FileSource, path: string, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  return collectStream(await source.open(path), maxBytes, path);
}

export async function readText(source: FileSource, path: string, maxBytes?: number): Promise<string> {
  return new TextDecoder('utf-8').decode(await readAll(source, path, maxBytes));
}

/** The last path component. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Everything before the last `/` ('' at the root). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
}

/** A FileSource over in-memory files, for tests and for the browser's generated samples. */
export function memorySource(label: string, files: Record<string, Uint8Array | string>): FileSource {
  const enc = new TextEncoder();
  const data = new Map<string, Uint8Array>();
  for (const [p, v] of Object.entries(files)) data.set(p, typeof v === 'string' ? enc.encode(v) : v);
  const folders = new Set<string>();
  for (const p of data.keys()) {
    for (let d = dirname(p); d !== ''; d = dirname(d)) folders.add(d);
  }
  const get = (path: string) => {
    const v = data.get(path);
    if (!v) throw new FileSourceError(path, 'no such file');
    return v;
  };
  return {
    label,
    async list(prefix = '') {
      const inside = (p: string) => prefix === '' || p === prefix || p.startsWith(prefix + '/');
      return [
        ...[...folders].filter(inside).map((path) => ({ path, kind: 'folder' as const, size: 0 })),
        ...[...data].filter(([p]) => inside(p)).map(([path, v]) => ({ path, kind: 'file' as const, size: v.byteLength })),
      ];
    },
    async open(path) {
      const v = get(path);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(v);
          controller.close();
        },
      });
    },
    async read(path, offset, length) {
      return get(path).subarray(offset, offset + length);
    },
  };
}
