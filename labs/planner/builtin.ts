/**
 * Built-in fingerprints for the planner lab, copied from tests/fixtures/nnunet-plans (nnU-Net 2.8.1's
 * own fingerprint of Dataset601, and the two hand-written inputs of Dataset701/702; see its README).
 * The tests plan the same files and match nnU-Net's plans for them.
 */
import type { Fingerprint } from './fingerprint';
import type { DatasetInfo } from './planner';

export interface BuiltinDataset {
  id: BuiltinId;
  /** nnU-Net folder name (for the commands). */
  name: string;
  description: string;
  info: DatasetInfo;
  fingerprint: Fingerprint;
}

export type BuiltinId = 'brats' | 'aniso' | 'ct';
export const BUILTIN_IDS: readonly BuiltinId[] = ['brats', 'aniso', 'ct'];

export const BUILTIN: Readonly<Record<BuiltinId, BuiltinDataset>> = {
  brats: {
    id: 'brats',
    name: 'Dataset601_SynthFull',
    description: "BraTS-size MRI: 8 synthetic cases, 240×240×155 at 1 mm, 4 channels (nnU-Net 2.8.1 extracted this fingerprint)",
    info: {"channelNames": ["T1", "T1ce", "T2", "Flair"], "numLabels": 4, "numTraining": 8},
    fingerprint: {
      spacings: [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
      shapes_after_crop: [[147, 177, 139], [143, 170, 136], [144, 170, 133], [142, 162, 128], [141, 165, 131], [147, 180, 142], [142, 165, 130], [145, 172, 136]],
      median_relative_size_after_cropping: 0.36749551971326166,
      foreground_intensity_properties_per_channel: {"0": {"max": 2353.0, "mean": 783.4638671875, "median": 645.0, "min": 156.0, "percentile_00_5": 255.0, "percentile_99_5": 1928.0, "std": 294.57330322265625}, "1": {"max": 2886.0, "mean": 894.354736328125, "median": 774.0, "min": 154.0, "percentile_00_5": 242.0, "percentile_99_5": 2501.0, "std": 509.85797119140625}, "2": {"max": 3875.0, "mean": 2086.78857421875, "median": 2159.0, "min": 296.0, "percentile_00_5": 388.0, "percentile_99_5": 3386.0, "std": 720.6004638671875}, "3": {"max": 2454.0, "mean": 1410.7952880859375, "median": 1371.0, "min": 425.0, "percentile_00_5": 520.0, "percentile_99_5": 2223.0, "std": 432.0988464355469}},
    },
  },
  aniso: {
    id: 'aniso',
    name: 'Dataset701_Aniso',
    description: "Thick-slice MRI: 32 cases, 3–4 mm slices × 0.6 mm in-plane, 2 channels (a hand-written fingerprint)",
    info: {"channelNames": ["T2", "ADC"], "numLabels": 3, "numTraining": 32},
    fingerprint: {
      spacings: [[4.0, 0.6245, 0.6245], [3.6, 0.5603, 0.5603], [3.0, 0.6917, 0.6917], [3.6, 0.6546, 0.6546], [3.0, 0.5591, 0.5591], [4.0, 0.5964, 0.5964], [4.0, 0.699, 0.699], [3.6, 0.5927, 0.5927], [3.6, 0.6831, 0.6831], [3.6, 0.5534, 0.5534], [3.6, 0.6033, 0.6033], [4.0, 0.5676, 0.5676], [3.0, 0.5827, 0.5827], [3.6, 0.5694, 0.5694], [3.0, 0.6097, 0.6097], [3.6, 0.5621, 0.5621], [3.6, 0.6102, 0.6102], [3.6, 0.6825, 0.6825], [3.6, 0.6796, 0.6796], [3.6, 0.656, 0.656], [3.6, 0.6524, 0.6524], [3.6, 0.6937, 0.6937], [3.0, 0.5624, 0.5624], [3.0, 0.5848, 0.5848], [3.0, 0.5518, 0.5518], [4.0, 0.5774, 0.5774], [3.6, 0.5506, 0.5506], [3.6, 0.6302, 0.6302], [4.0, 0.635, 0.635], [3.0, 0.6536, 0.6536], [4.0, 0.6925, 0.6925], [4.0, 0.6514, 0.6514]],
      shapes_after_crop: [[20, 309, 325], [15, 304, 334], [16, 323, 337], [15, 332, 313], [15, 305, 327], [21, 304, 315], [16, 335, 327], [15, 336, 307], [18, 340, 340], [24, 303, 336], [24, 325, 303], [18, 302, 335], [17, 318, 326], [17, 334, 307], [24, 319, 335], [17, 306, 337], [24, 340, 312], [20, 306, 335], [16, 336, 303], [24, 313, 331], [23, 327, 320], [22, 337, 329], [20, 319, 315], [17, 315, 305], [24, 319, 333], [22, 321, 328], [19, 338, 304], [16, 332, 326], [17, 321, 309], [22, 326, 302], [16, 335, 336], [20, 321, 322]],
      median_relative_size_after_cropping: 0.9,
      foreground_intensity_properties_per_channel: {"0": {"max": 3000.0, "mean": 800.0, "median": 700.0, "min": 10.0, "percentile_00_5": 50.0, "percentile_99_5": 2500.0, "std": 300.0}, "1": {"max": 3000.0, "mean": 800.0, "median": 700.0, "min": 10.0, "percentile_00_5": 50.0, "percentile_99_5": 2500.0, "std": 300.0}},
    },
  },
  ct: {
    id: 'ct',
    name: 'Dataset702_BigCT',
    description: "Large CT: 24 volumes of 400–700 × 512 × 512, 1 channel (a hand-written fingerprint; needs the cascade)",
    info: {"channelNames": ["CT"], "numLabels": 3, "numTraining": 24},
    fingerprint: {
      spacings: [[0.73, 0.7091, 0.7091], [0.708, 0.8623, 0.8623], [0.884, 0.6446, 0.6446], [0.776, 0.7042, 0.7042], [0.809, 0.6369, 0.6369], [0.955, 0.8979, 0.8979], [0.84, 0.7452, 0.7452], [0.726, 0.6307, 0.6307], [0.803, 0.6794, 0.6794], [0.949, 0.6484, 0.6484], [0.707, 0.8853, 0.8853], [0.858, 0.644, 0.644], [0.863, 0.6081, 0.6081], [0.858, 0.8936, 0.8936], [0.959, 0.8089, 0.8089], [0.778, 0.71, 0.71], [0.75, 0.8316, 0.8316], [0.86, 0.8337, 0.8337], [0.799, 0.6669, 0.6669], [0.943, 0.8955, 0.8955], [0.956, 0.8418, 0.8418], [0.945, 0.822, 0.822], [0.768, 0.7553, 0.7553], [0.807, 0.6087, 0.6087]],
      shapes_after_crop: [[427, 512, 512], [633, 512, 512], [686, 512, 512], [600, 512, 512], [603, 512, 512], [604, 512, 512], [601, 512, 512], [453, 512, 512], [646, 512, 512], [605, 512, 512], [431, 512, 512], [497, 512, 512], [434, 512, 512], [506, 512, 512], [625, 512, 512], [483, 512, 512], [456, 512, 512], [574, 512, 512], [426, 512, 512], [452, 512, 512], [400, 512, 512], [690, 512, 512], [477, 512, 512], [674, 512, 512]],
      median_relative_size_after_cropping: 0.9,
      foreground_intensity_properties_per_channel: {"0": {"max": 3071.0, "mean": 99.4, "median": 101.0, "min": -1024.0, "percentile_00_5": -958.0, "percentile_99_5": 276.0, "std": 65.0}},
    },
  },
};
