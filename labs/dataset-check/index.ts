/**
 * Public API of the dataset check (see README.md). Browser islands, Web Workers, the CLI and its
 * worker threads use only what is exported here.
 */
export { planCheck, finishCheck, checkDataset, CheckInputError, TOOL, type CheckPlan, type CheckOptions, type RunOptions } from './check';
export { checkCase, allclose, type CaseContext, type CaseResult, type CaseOptions, type CheckMode } from './case';
export type { CaseTask, DatasetPlan } from './layout';
export { contrastOf, type CaseRelations, type Contrast } from './identity';
export type { DatasetConfig } from './dataset-json';
export { checkDatasetJson, KNOWN_ENDINGS } from './dataset-json';
export { parseJson, type JsonValue, type JsonObject, type JsonProblem } from './json';
export { RULES, RULE_IDS, docsFor, type RuleId, type RuleInfo } from './rules';
export { formatReport } from './format';
