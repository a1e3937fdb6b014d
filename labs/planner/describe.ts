/**
 * A plan in words, and the nnU-Net commands that would produce and train it. Shared by
 * `bratslab plan` and the planner lab.
 */
import type { ConfigurationName, ConfigurationPlan, ExperimentPlan } from './planner';

const CONFIG_ORDER: ConfigurationName[] = ['3d_fullres', '3d_lowres', '2d'];

/** "601" from "Dataset601_SynthFull", else the name itself. */
export function datasetId(name: string): string {
  const m = /^Dataset(\d{3})_/.exec(name);
  return m ? String(Number(m[1])) : name;
}

export function planCommand(plan: ExperimentPlan, datasetName: string): string {
  const parts = ['nnUNetv2_plan_experiment', '-d', datasetId(datasetName)];
  if (plan.preset.id !== 'default') parts.push('-pl', plan.preset.plannerClass);
  if (plan.targetGb !== plan.preset.defaultTargetGb) parts.push('-gpu_memory_target', String(plan.targetGb));
  if (plan.plansName !== plan.preset.plansName) parts.push('-overwrite_plans_name', plan.plansName);
  return parts.join(' ');
}

export function trainCommand(plan: ExperimentPlan, datasetName: string, configuration: ConfigurationName | '3d_cascade_fullres' = '3d_fullres'): string {
  const plans = plan.plansName === 'nnUNetPlans' ? '' : ` -p ${plan.plansName}`;
  return `nnUNetv2_train ${datasetId(datasetName)} ${configuration} 0${plans}`;
}

const x = (v: readonly number[]) => v.join('×');
const mm = (v: readonly number[]) => v.map((s) => (Math.round(s * 1000) / 1000).toString()).join(' × ') + ' mm';

/** Pools per axis as "5/5/5", the shape the bottleneck sees. */
function bottleneck(c: ConfigurationPlan): string {
  return x(c.patchSize.map((p, i) => p / 2 ** c.network.poolsPerAxis[i]));
}

export function describeConfiguration(c: ConfigurationPlan, plan: ExperimentPlan): string[] {
  const lines = [
    `${c.name}: patch ${x(c.patchSize)} voxels, batch ${c.batchSize}, spacing ${mm(c.spacing)}`,
    `  network: ${c.network.featuresPerStage.length} stages, features ${c.network.featuresPerStage.join('-')}, pooling ${c.network.poolsPerAxis.join('/')} per axis (bottleneck ${bottleneck(c)})`,
    `  median image ${x(c.medianImageSize.map((v) => Math.round(v * 10) / 10))}; normalisation ${[...new Set(c.normalizationSchemes)].join(', ')}${c.useMaskForNorm.some(Boolean) ? ' inside the non-zero mask' : ''}`,
    `  memory: about ${c.estimatedGb.toFixed(1)} GB of the ${plan.targetGb} GB target (nnU-Net's estimate: feature maps ${(c.featureMaps / 1e6).toFixed(0)} M per patch, budget ${(c.featureMapBudget / 1e6).toFixed(0)} M)`,
  ];
  return lines;
}

export function describePlan(plan: ExperimentPlan, datasetName: string): string {
  const out: string[] = [];
  const preset = plan.preset.id === 'default' ? "nnU-Net's default planner (ExperimentPlanner)" : `${plan.preset.plannerClass}`;
  out.push(`${datasetName}: ${preset}, GPU memory target ${plan.targetGb} GB`);
  out.push(`Median spacing ${mm(plan.originalMedianSpacing)}, median shape after crop ${x(plan.originalMedianShape)}${plan.transposeForward.join('') !== '012' ? `, axes transposed ${plan.transposeForward.join(',')}` : ''}`);
  out.push('');
  for (const name of CONFIG_ORDER) {
    const c = plan.configurations[name];
    if (c) out.push(...describeConfiguration(c, plan), '');
  }
  if (plan.cascade) out.push('3d_cascade_fullres: the 3d_fullres network refining 3d_lowres predictions (the patch covers under a quarter of the median image).', '');
  out.push(`Plan:  ${planCommand(plan, datasetName)}`);
  out.push(`Train: ${trainCommand(plan, datasetName)}`);
  return out.join('\n') + '\n';
}
