/**
 * A Web Worker of the planner lab: fingerprints the cases it is sent, on the page's FileSource
 * rebuilt from its descriptor (src/lib/worker-jobs.ts; nothing leaves the machine).
 */
import { fingerprintCase, type CaseFiles, type CaseFingerprint } from '../../../labs/planner';
import type { FileSource } from '../../../labs/shared/files';
import { sourceFromDescriptor, type SourceDescriptor } from '../../lib/files';
import { serveJobs } from '../../lib/worker-jobs';

type Setup = { type: 'source'; descriptor: SourceDescriptor };
type Job = { type: 'case'; i: number; files: CaseFiles; cases: number };
export type FingerprintRequest = Setup | Job;
export type FingerprintReply = { i: number; result: CaseFingerprint } | { i: number; error: string };

serveJobs<Setup, Job, FileSource, { result: CaseFingerprint }>({
  setupType: 'source',
  prepare: (m) => sourceFromDescriptor(m.descriptor),
  work: async (source, m) => ({ result: await fingerprintCase(source, m.files, { cases: m.cases }) }),
  noSetup: 'no dataset was sent to this worker',
});
