/**
 * The one error type of the NIfTI core. `code` is stable (the validator maps it to
 * `dataset.unreadable` evidence); `problem` is the sentence a user reads after the file name.
 */
export type NiftiErrorCode =
  | 'empty'
  | 'not-nifti'
  | 'sizeof-hdr'
  | 'truncated-header'
  | 'truncated-gzip'
  | 'corrupt-gzip'
  | 'dims'
  | 'too-large'
  | 'unsupported-datatype'
  | 'truncated-data'
  | 'nifti-pair'
  | 'bad-affine'
  | 'bad-input';

export class NiftiError extends Error {
  constructor(
    readonly path: string,
    readonly code: NiftiErrorCode,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'NiftiError';
  }
}
