/** Errors of the evaluation: each names the file(s) concerned, so a run can report and go on. */
export type EvaluateErrorCode = 'usage' | 'unmatched' | 'shape' | 'affine' | 'labels' | 'read';

export class EvaluateError extends Error {
  constructor(
    readonly code: EvaluateErrorCode,
    message: string,
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'EvaluateError';
  }
}
