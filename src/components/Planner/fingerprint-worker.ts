/**
 * A Web Worker of the planner lab: rebuilds the page's FileSource from its descriptor (Files and
 * zips are structured-cloneable; nothing leaves the machine) and fingerprints the cases it is sent.
 */
import { fingerprintCase, type CaseFiles, type CaseFingerprint } from '../../../labs/planner';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';

export type FingerprintRequest = { type: 'source'; descriptor: SourceDescriptor } | { type: 'case'; i: number; files: CaseFiles; cases: number };
export type FingerprintReply = { i: number; result: CaseFingerprint } | { i: number; error: string };

// Typed by hand: the site compiles with the DOM library, which clashes with the WebWorker one.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<FingerprintRequest>) => void) | null;
  postMessage(message: FingerprintReply): void;
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
    scope.postMessage({ i: m.i, result: await fingerprintCase(await source, m.files, { cases: m.cases }) });
  } catch (err) {
    scope.postMessage({ i: m.i, error: (err as Error).message });
  }
};
