/**
 * Runs the dataset check on a local folder with worker threads: the main thread plans (listing,
 * names, dataset.json), workers check cases (inflate + scan), the main thread finishes the report.
 *
 * Workers run this same bundle: `new Worker(bundle, { argv: ['__check-worker'] })` makes the
 * bundled program start the hidden `__check-worker` subcommand (commands/check.ts), which calls
 * `serveCheckWorker`. So the npm package stays one file. From unbundled sources (tests of the
 * core), pass `jobs: 0` to check in-process.
 */
import { closeSync, constants, createReadStream, fstatSync, openAsBlob, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { checkCase, finishCheck, planCheck, type CaseContext, type CaseResult, type CaseTask, type CheckOptions } from '../dataset-check/index';
import { FileSourceError, type FileSource } from '../shared/files';
import type { CheckReport } from '../shared/report';
import { checkCodec } from './check-codec';
import { nodeSource } from './node-files';
import { ZIP_NAME, zipSource } from '../shared/blob-files';

/** Where the cases are: a folder on disk, or a zip file read in place (never unpacked). */
type Root = { root: string } | { zip: string };

async function openRoot(where: Root): Promise<FileSource> {
  if ('zip' in where) return zipSource(await openAsBlob(where.zip), basename(where.zip));
  return workerSource(where.root);
}

export const WORKER_ARG = '__check-worker';

export interface RunCheckOptions extends CheckOptions {
  /** Worker threads (default: available cores, at most the number of cases); 0 = in-process. */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Job {
  i: number;
  task: CaseTask;
  ctx: CaseContext;
}

/** Files up to this size are read in one synchronous call; larger ones are streamed. */
const WHOLE_READ = 64 << 20;

/**
 * The workers' FileSource: synchronous reads (a worker thread has nothing else to do meanwhile),
 * which for header-only checks costs a fraction of nodeSource's promise-based stat/realpath/open
 * round trips. Only paths the plan produced reach it (regular files, or links that stay inside,
 * per nodeSource's listing); O_NONBLOCK plus fstat keeps a file swapped for a FIFO since the
 * listing from blocking the worker.
 */
export function workerSource(rootDir: string): FileSource {
  const root = resolve(rootDir);
  const openChecked = (path: string): { fd: number; size: number } => {
    const abs = resolve(root, path);
    if (!abs.startsWith(root + sep)) throw new FileSourceError(path, 'path leaves the checked folder');
    let fd: number;
    try {
      fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FileSourceError(path, code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'no such file' : code === 'ELOOP' ? 'symbolic link loop' : (e as Error).message);
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw new FileSourceError(path, 'not a regular file; not opened');
    }
    return { fd, size: st.size };
  };
  const readAt = (fd: number, offset: number, length: number) => {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  };
  return {
    label: root,
    list: () => Promise.reject(new Error('workerSource lists nothing: the main thread plans')),
    async read(path, offset, length) {
      const { fd } = openChecked(path);
      try {
        return readAt(fd, offset, length);
      } finally {
        closeSync(fd);
      }
    },
    async open(path) {
      const { fd, size } = openChecked(path);
      if (size > WHOLE_READ) return Readable.toWeb(createReadStream('', { fd, highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
      let bytes: Uint8Array;
      try {
        bytes = readAt(fd, 0, size);
      } finally {
        closeSync(fd);
      }
      return new ReadableStream<Uint8Array>({
        start(controller) {
          if (bytes.byteLength) controller.enqueue(bytes);
          controller.close();
        },
      });
    },
  };
}

/** Worker side: answers case jobs until the port closes. */
export function serveCheckWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error(`${WORKER_ARG} only runs as a worker thread`);
  const opened = openRoot(workerData as Root);
  return new Promise((resolve) => {
    port.on('message', async (job: Job | null) => {
      const source = await opened;
      if (job === null) {
        port.close();
        resolve();
        return;
      }
      let result: CaseResult;
      try {
        result = await checkCase(source, job.task, job.ctx, { codec: checkCodec });
      } catch (e) {
        // checkCase turns bad files into findings; anything else is a bug worth seeing, not a hang.
        result = { dataset: job.task.dataset, id: job.task.id, split: job.task.split, findings: [], voxels: 0 };
        port.postMessage({ i: job.i, result, error: (e as Error).stack ?? String(e) });
        return;
      }
      port.postMessage({ i: job.i, result });
    });
  });
}

/** Plans, checks every case (in workers), and returns the report. Throws CheckInputError for an unusable root. */
export async function runCheck(dir: string, opts: RunCheckOptions = {}): Promise<CheckReport> {
  const t0 = performance.now();
  const where: Root = ZIP_NAME.test(dir) ? { zip: resolve(dir) } : { root: nodeSource(dir).root };
  const source = 'zip' in where ? await openRoot(where) : nodeSource(dir);
  const plan = await planCheck(source, opts);
  const total = plan.tasks.length;
  const results: CaseResult[] = new Array(total);
  const jobs = Math.min(total, opts.jobs ?? availableParallelism());
  let done = 0;
  if (jobs <= 0) {
    for (let i = 0; i < total; i++) {
      results[i] = await checkCase(source, plan.tasks[i].task, plan.tasks[i].ctx, { codec: checkCodec });
      opts.onProgress?.(++done, total);
    }
  } else {
    const bundle = fileURLToPath(import.meta.url);
    let next = 0;
    await Promise.all(
      Array.from({ length: jobs }, () => {
        const w = new Worker(bundle, { argv: [WORKER_ARG], workerData: where, stdout: false, stderr: false });
        return new Promise<void>((resolve, reject) => {
          const send = () => {
            if (next < total) {
              const i = next++;
              w.postMessage({ i, task: plan.tasks[i].task, ctx: plan.tasks[i].ctx } satisfies Job);
            } else w.postMessage(null);
          };
          w.on('message', (m: { i: number; result: CaseResult; error?: string }) => {
            if (m.error) {
              reject(new Error(`checking case ${plan.tasks[m.i].task.id} failed: ${m.error}`));
              void w.terminate();
              return;
            }
            results[m.i] = m.result;
            opts.onProgress?.(++done, total);
            send();
          });
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a check worker stopped with exit code ${code}`))));
          send();
        });
      }),
    );
  }
  return finishCheck(plan, results, { seconds: (performance.now() - t0) / 1000, jobs: Math.max(jobs, 0) });
}
