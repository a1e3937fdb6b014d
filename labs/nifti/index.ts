/**
 * Public API of the NIfTI core. Everything a lab, the CLI or a test needs comes from here.
 */
export type { NiftiDatatype, NiftiHeader, TypedArray, Mat4 } from './types';
export { BYTES_PER_VOXEL, DATATYPE_CODES, UNSUPPORTED_DATATYPES } from './types';
export { NiftiError, type NiftiErrorCode } from './errors';
export { webCodec, isGzip, bytesStream, type Codec } from './codec';
export { axcodes, ioOrientation, affineToQuatern, quaternToAffine, pixdimAffine } from './affine';
export {
  parseHeader,
  sniffKind,
  voxelCount,
  volumeVoxels,
  dataBytes,
  scaling,
  DEFAULT_MAX_VOXELS,
  type ParseOptions,
} from './header';
export {
  readHeader,
  scanVoxels,
  readVolumes,
  readImage,
  allocateVoxels,
  type ReadOptions,
  type ScanOptions,
  type ChunkCallback,
} from './read';
export { inspectNifti, type Inspection, type InspectOptions } from './inspect';
export { sliceK, percentileWindow, toRgba, type Slice } from './slice';
export { createStatsAccumulator, intensityStats, type IntensityStats, type StatsAccumulator } from './stats';
export { encodeNifti1, writeNiftiGz, type EncodeOptions } from './write';
