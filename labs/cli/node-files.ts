/**
 * FileSource and FileSink over the local file system, for the CLI. Links are reported as links
 * (with whether their target stays inside the root) and never followed by `list`; FIFOs,
 * sockets and devices are reported as `other` and never opened.
 */
import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readlink, realpath, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FileSourceError, type EntryKind, type FileEntry, type FileSink, type FileSource } from '../shared/files';

const toPosix = (p: string) => p.split(sep).join('/');

/** Whether absolute path `p` is `root` or below it (also when root is the file-system root). */
function within(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

function kindOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (st.isSymbolicLink()) return 'link';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  return 'other';
}

function describe(path: string, e: unknown): FileSourceError {
  const err = e as NodeJS.ErrnoException;
  const reason =
    err.code === 'EACCES' || err.code === 'EPERM'
      ? 'permission denied'
      : err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'ELOOP'
          ? 'symbolic link loop'
          : err.code === 'EISDIR'
            ? 'is a folder'
            : (err.message ?? String(e));
  return new FileSourceError(path, reason);
}

/** A FileSource over a local folder; `root` lets a sink hard-link from it. */
export function nodeSource(rootDir: string): FileSource & { root: string } {
  const root = resolve(rootDir);
  const abs = (p: string) => {
    const a = resolve(root, p);
    if (!within(a, root)) throw new FileSourceError(p, 'path leaves the checked folder');
    return a;
  };
  /** Regular files only, following links whose target stays inside the root. */
  const openable = async (p: string) => {
    const a = abs(p);
    try {
      const st = await stat(a);
      if (!st.isFile()) throw new FileSourceError(p, st.isDirectory() ? 'is a folder' : 'not a regular file (FIFO, socket or device); not opened');
      if (!within(await realpath(a), await realpath(root))) throw new FileSourceError(p, 'link points outside the checked folder; not opened');
      return a;
    } catch (e) {
      throw e instanceof FileSourceError ? e : describe(p, e);
    }
  };

  return {
    label: basename(root),
    root,
    async list(prefix = '') {
      const out: FileEntry[] = [];
      const realRoot = await realpath(root);
      const walk = async (dir: string) => {
        let names: string[];
        try {
          names = await readdir(dir);
        } catch (e) {
          out.push({ path: toPosix(relative(root, dir)), kind: 'other', size: 0, target: describe(dir, e).reason });
          return;
        }
        for (const name of names) {
          const a = join(dir, name);
          const rel = toPosix(relative(root, a));
          let st;
          try {
            st = await lstat(a);
          } catch (e) {
            out.push({ path: rel, kind: 'other', size: 0, target: describe(rel, e).reason });
            continue;
          }
          const kind = kindOf(st);
          if (kind === 'link') {
            const target = await readlink(a).catch(() => '');
            let inside = false;
            try {
              inside = within(await realpath(a), realRoot);
            } catch {
              inside = false; // dangling link or loop
            }
            out.push({ path: rel, kind, size: 0, target, targetInside: inside });
          } else {
            out.push({ path: rel, kind, size: kind === 'file' ? st.size : 0 });
            if (kind === 'folder') await walk(a);
          }
        }
      };
      await walk(prefix ? abs(prefix) : root);
      return out;
    },
    async open(path) {
      const a = await openable(path);
      return Readable.toWeb(createReadStream(a, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
    },
    async read(path, offset, length) {
      const a = await openable(path);
      const fh = await open(a, 'r').catch((e) => {
        throw describe(path, e);
      });
      try {
        const buf = new Uint8Array(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

export function nodeSink(rootDir: string): FileSink {
  const root = resolve(rootDir);
  const abs = (p: string) => resolve(root, p);
  const listing = nodeSource(rootDir);
  return {
    label: basename(root),
    async mkdir(path) {
      await mkdir(abs(path), { recursive: true });
    },
    async write(path, data) {
      const a = abs(path);
      await mkdir(dirname(a), { recursive: true });
      if (data instanceof Uint8Array) await writeFile(a, data);
      else await writeFile(a, Readable.fromWeb(data as import('node:stream/web').ReadableStream<Uint8Array>));
    },
    async link(source, from, to) {
      // Hard links need both sides on the local disk: only sources made by nodeSource expose `root`.
      const fromAbs = (source as FileSource & { root?: string }).root;
      const a = abs(to);
      await mkdir(dirname(a), { recursive: true });
      if (fromAbs) {
        try {
          await link(resolve(fromAbs, from), a);
          return true;
        } catch {
          // Different file systems, or links not allowed: fall back to copying.
        }
      }
      await writeFile(a, Readable.fromWeb((await source.open(from)) as import('node:stream/web').ReadableStream<Uint8Array>));
      return false;
    },
    async list(path = '') {
      try {
        return await listing.list(path);
      } catch {
        return [];
      }
    },
  };
}
