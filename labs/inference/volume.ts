/**
 * The array model of the inference pipeline. Volumes are flat Float32Arrays in NIfTI memory order
 * (x fastest), described with shape and spacing in nnU-Net's axis order (z, y, x): nnU-Net's
 * SimpleITK reader returns that order (nnunetv2/imageio/simpleitk_reader_writer.py), so a NIfTI
 * file's voxels feed the model without a transpose, and the exported model expects it.
 */
export type Vec3 = [number, number, number];

export interface MultiVolume {
  /** One array per channel, each of `shape[0] * shape[1] * shape[2]` voxels. */
  channels: Float32Array[];
  /** (z, y, x) voxel counts. */
  shape: Vec3;
  /** (z, y, x) voxel edge lengths in mm. */
  spacing: Vec3;
  /** Voxel orientation from the file's affine (orient.ts codes, e.g. "LPS"), when it is known. */
  orientation?: string;
}

export function voxels(shape: readonly number[]): number {
  return shape[0] * shape[1] * shape[2];
}

/** NIfTI header dims/pixdim (x, y, z first) to the pipeline's (z, y, x). */
export function fromNiftiOrder(xyz: readonly number[]): Vec3 {
  return [xyz[2], xyz[1], xyz[0]];
}
