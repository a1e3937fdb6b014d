/**
 * The dataset fingerprint nnU-Net's planner reads (`dataset_fingerprint.json`), in nnU-Net's own
 * field names so that its files load as they are.
 */
export interface IntensityProperties {
  max: number;
  mean: number;
  median: number;
  min: number;
  percentile_00_5: number;
  percentile_99_5: number;
  std: number;
}

export interface Fingerprint {
  /** Per case, (z, y, x) as nnU-Net's readers order them. */
  spacings: number[][];
  /** Per case, the shape after cropping to the non-zero box, (z, y, x). */
  shapes_after_crop: number[][];
  foreground_intensity_properties_per_channel: Record<string, IntensityProperties>;
  median_relative_size_after_cropping: number;
}
