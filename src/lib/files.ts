/**
 * Browser FileSources (labs/shared/files.ts) for the labs: a folder chosen with
 * `<input webkitdirectory>` or the File System Access API, and a folder or zip dropped on the
 * page. Each reduces to the Blob-based sources of labs/shared/blob-files.ts (re-exported here, so
 * islands import files from one place). Nothing here uploads anything: files are read where they
 * are, in the tab (or in its workers).
 */
import { FileSourceError, type FileSource } from '../../labs/shared/files';
import { ZIP_NAME, filesSource, zipSource, type PathFile, type SourceDescriptor } from '../../labs/shared/blob-files';

export { filesSource, zipSource, zipSink, sourceFromDescriptor, type PathFile, type SourceDescriptor } from '../../labs/shared/blob-files';

/** Files from `<input type="file" webkitdirectory>`: paths come from `webkitRelativePath` (chosen folder first). */
export function inputFilesSource(list: FileList | readonly File[]): FileSource & { descriptor: SourceDescriptor } {
  const files = [...list];
  if (files.length === 1 && ZIP_NAME.test(files[0].name) && !files[0].webkitRelativePath.includes('/')) {
    throw new FileSourceError(files[0].name, 'is a zip: open it with zipSource');
  }
  const items = files.map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
  const top = items[0]?.path.split('/')[0] ?? 'files';
  return filesSource(top, items);
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<DirectoryHandleLike | FileHandleLike>;
}
interface FileHandleLike {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}

/** A FileSource for a directory from `showDirectoryPicker()` or a dropped folder's handle; paths start with the folder's name. */
export async function directoryHandleSource(handle: DirectoryHandleLike): Promise<FileSource & { descriptor: SourceDescriptor }> {
  const files: PathFile[] = [];
  await walkHandle(handle, handle.name, files);
  return filesSource(handle.name, files);
}

async function walkHandle(dir: DirectoryHandleLike, prefix: string, out: PathFile[]): Promise<void> {
  for await (const h of dir.values()) {
    const path = `${prefix}/${h.name}`;
    if (h.kind === 'directory') await walkHandle(h, path, out);
    else {
      try {
        out.push({ path, file: await h.getFile() });
      } catch (e) {
        // Unreadable entries (permission, vanished) become a zero-byte placeholder that fails on open.
        out.push({ path, file: new UnreadableBlob(path, (e as Error).message) });
      }
    }
  }
}

/** A Blob stand-in for a file the browser would not give us: listing shows it, reading it fails with the reason. */
class UnreadableBlob extends Blob {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super([]);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const reason = this.reason;
    return new ReadableStream({
      start(c) {
        c.error(new Error(reason));
      },
    });
  }
  override slice(): Blob {
    return this;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.reject(new Error(this.reason));
  }
}

interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
}
interface FileEntryLike extends EntryLike {
  file(ok: (f: File) => void, fail: (e: Error) => void): void;
}
interface DirEntryLike extends EntryLike {
  createReader(): { readEntries(ok: (e: EntryLike[]) => void, fail: (e: Error) => void): void };
}

async function walkEntry(entry: EntryLike, path: string, out: PathFile[]): Promise<void> {
  if (entry.isFile) {
    try {
      out.push({ path, file: await new Promise<File>((ok, fail) => (entry as FileEntryLike).file(ok, fail)) });
    } catch (e) {
      out.push({ path, file: new UnreadableBlob(path, (e as Error).message) });
    }
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as DirEntryLike).createReader();
  // readEntries returns at most about 100 entries per call: call until it returns none.
  for (;;) {
    const batch = await new Promise<EntryLike[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) break;
    for (const e of batch) await walkEntry(e, `${path}/${e.name}`, out);
  }
}

/**
 * The source behind a drop. Must be called synchronously inside the `drop` handler: the
 * DataTransfer's items are emptied when the handler returns, so the entries are taken first and
 * walked afterwards. A single dropped zip opens as a zip; folders keep their name as the first
 * path component.
 */
export function droppedSource(dt: DataTransfer): Promise<FileSource & { descriptor: SourceDescriptor }> {
  const items = [...dt.items].filter((i) => i.kind === 'file');
  type WithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<DirectoryHandleLike | FileHandleLike | null> };
  const handles = items.map((i) => (i as WithHandle).getAsFileSystemHandle?.() ?? null);
  const entries = items.map((i) => i.webkitGetAsEntry?.() as EntryLike | null);
  const plainFiles = items.map((i) => i.getAsFile());
  return (async () => {
    const out: PathFile[] = [];
    let label = '';
    for (let i = 0; i < items.length; i++) {
      const handle = handles[i] ? await handles[i]!.catch(() => null) : null;
      const entry = entries[i];
      const plain = plainFiles[i];
      const name = handle?.name ?? entry?.name ?? plain?.name ?? `item${i}`;
      label ||= name;
      const isFolder = handle?.kind === 'directory' || !!entry?.isDirectory;
      if (items.length === 1 && plain && ZIP_NAME.test(plain.name) && !isFolder) {
        return zipSource(plain, plain.name);
      }
      if (handle?.kind === 'directory') await walkHandle(handle, name, out);
      else if (handle?.kind === 'file') out.push({ path: name, file: await handle.getFile() });
      else if (entry) await walkEntry(entry, name, out);
      else if (plain) out.push({ path: name, file: plain });
    }
    if (out.length === 0) throw new FileSourceError(label || 'drop', 'nothing readable was dropped (drop a folder or a .zip file)');
    return filesSource(items.length === 1 ? label : 'dropped files', out);
  })();
}
