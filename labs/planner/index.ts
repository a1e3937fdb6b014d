/** labs/planner: nnU-Net v2's dataset fingerprint and experiment planners, reimplemented. */
export { planExperiment, fullresTargetSpacing, suggestedPlansName, type ExperimentPlan, type ConfigurationPlan, type ConfigurationName, type DatasetInfo, type PlanOptions } from './planner';
export { PRESETS, PRESET_IDS, isPresetId, type Preset, type PresetId } from './presets';
export { plansJson, imageReaderWriter } from './plans-json';
export { datasetInfoFromJson, parseDatasetJson, parseFingerprint, ownInputFromJson, type OwnJson } from './inputs';
export { describePlan, describeConfiguration, planCommand, trainCommand, datasetId } from './describe';
export { fingerprintCase, combineFingerprint, intensityProperties, TOTAL_INTENSITY_SAMPLES, type CaseFiles, type CaseFingerprint, type Sampling } from './extract';
export { listDatasetCases, fingerprintDataset, type DatasetCases, type FingerprintRun } from './dataset';
export type { Fingerprint, IntensityProperties } from './fingerprint';
export { BUILTIN, BUILTIN_IDS, type BuiltinDataset, type BuiltinId } from './builtin';
export { summarisePlansFile, type PlansFileSummary, type PlannedConfiguration } from './plans-file';
