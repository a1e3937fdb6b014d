/**
 * One of the validator's Web Workers: rebuilds the page's FileSource from its descriptor (Files,
 * Blobs and zips are structured-cloneable, nothing is copied off the machine) and checks the
 * cases it is sent with the dataset-check core. Gzip runs on the browser's DecompressionStream.
 */
import { checkCase, type CaseContext, type CaseResult, type CaseTask } from '../../../labs/dataset-check';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';

export type WorkerRequest = { type: 'source'; descriptor: SourceDescriptor } | { type: 'case'; i: number; task: CaseTask; ctx: CaseContext };
export type WorkerReply = { i: number; result: CaseResult } | { i: number; error: string };

// Typed by hand: the site compiles with the DOM library, which clashes with the WebWorker one.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

let source: Promise<FileSource> | null = null;

scope.onmessage = async (e) => {
  const m = e.data;
  if (m.type === 'source') {
    source = sourceFromDescriptor(m.descriptor);
    return;
  }
  try {
    if (!source) throw new Error('no dataset was sent to this worker');
    scope.postMessage({ i: m.i, result: await checkCase(await source, m.task, m.ctx) });
  } catch (err) {
    scope.postMessage({ i: m.i, error: (err as Error).message });
  }
};
