/** Public API of the evaluation core (metrics of predictions against references; nnU-Net results folders). */
export { EvaluateError, type EvaluateErrorCode } from './errors';
export { parseRegions, schemeRegions, labelRegions, datasetJsonRegions, nnunetRegionKey, type EvalRegion, type RegionSet } from './regions';
export { labelVolume, checkSameGrid, AFFINE_TOLERANCE, type LabelVolume } from './volume';
export { nnunetFromJoint, nnunetSummary, nnunetSummaryJson, NNUNET_METRICS, type NnunetMetrics, type NnunetCase, type NnunetSummary } from './nnunet';
export { bratsRegion, BRATS_GLI, BRATS_METRICS, type BratsMetrics, type BratsParams, type Lesion } from './brats';
export { robustHausdorff, type Spacing } from './surface';
export { components26, dilate18, boundingBox, type Dims, type Box } from './grid';
export { evaluateCase, errorMap, OUTCOME, type CaseResult, type CaseOptions, type MetricSet } from './case';
export { pairFiles, segmentationFiles, evaluateFiles, readLabelVolume, SEG_ENDING, type Pairing, type ReadPairOptions } from './files';
export { buildReport, reportJson, reportCsv, formatReport, toNnunetCases, headline, CSV_COLUMNS, type EvaluationReport, type Problem } from './report';
export { readResults, formatResults, nextCommands, parsePythonJson, FOLDS, type ResultsReport, type ConfigurationReport, type FoldReport, type FoldStatus, type CvStat } from './results';
