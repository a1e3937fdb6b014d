/**
 * One of the validator's Web Workers: checks the cases it is sent with the dataset-check core, on
 * the page's FileSource rebuilt from its descriptor (src/lib/worker-jobs.ts). Gzip runs on the
 * browser's DecompressionStream.
 */
import { checkCase, type CaseContext, type CaseResult, type CaseTask } from '../../../labs/dataset-check';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';
import { serveJobs } from '../../lib/worker-jobs';

type Setup = { type: 'source'; descriptor: SourceDescriptor };
type Job = { type: 'case'; i: number; task: CaseTask; ctx: CaseContext };
export type WorkerRequest = Setup | Job;
export type WorkerReply = { i: number; result: CaseResult } | { i: number; error: string };

serveJobs<Setup, Job, FileSource, { result: CaseResult }>({
  setupType: 'source',
  prepare: (m) => sourceFromDescriptor(m.descriptor),
  work: async (source, m) => ({ result: await checkCase(source, m.task, m.ctx) }),
  noSetup: 'no dataset was sent to this worker',
});
