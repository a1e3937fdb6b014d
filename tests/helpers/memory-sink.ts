import type { FileEntry, FileSink } from '../../labs/shared/files';

/** A FileSink that keeps what is written in memory (`files`, by path), for tests of writers such as the converter. */
export function memorySink(): FileSink & { files: Record<string, Uint8Array> } {
  const files: Record<string, Uint8Array> = {};
  return {
    label: 'mem',
    files,
    async mkdir() {},
    async write(path, data) {
      files[path] = data instanceof Uint8Array ? data : new Uint8Array(await new Response(data).arrayBuffer());
    },
    async list(path = '') {
      return Object.entries(files)
        .filter(([p]) => p.startsWith(`${path}/`))
        .map(([p, v]): FileEntry => ({ path: p, kind: 'file', size: v.byteLength }));
    },
  };
}
