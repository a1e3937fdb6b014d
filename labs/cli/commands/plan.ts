/**
 * `bratslab plan DATASET_DIR`: what nnU-Net v2's planner would choose for a dataset (labs/planner):
 * the fingerprint from the images, then ExperimentPlanner or a ResEnc preset at a GPU memory target.
 * `--fingerprint F --dataset-json D` plans from a dataset_fingerprint.json nnU-Net already wrote.
 * Exit codes: 0 planned, 2 usage error or unreadable input.
 */
import { openAsBlob } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  PRESETS,
  PRESET_IDS,
  datasetInfoFromJson,
  describePlan,
  fingerprintDataset,
  imageReaderWriter,
  listDatasetCases,
  parseDatasetJson,
  parseFingerprint,
  planCommand,
  planExperiment,
  plansJson,
  suggestedPlansName,
  trainCommand,
  type Fingerprint,
  type PresetId,
} from '../../planner/index';
import { ZIP_NAME, zipSource } from '../../shared/blob-files';
import type { FileSource } from '../../shared/files';
import { nodeCodec } from '../node-codec';
import { nodeSource } from '../node-files';

interface Options {
  gpuMemory?: number;
  preset: PresetId;
  json?: boolean;
  write?: string;
  fingerprint?: string;
  datasetJson?: string;
  writeFingerprint?: string;
  exactSampling?: boolean;
}

function gigabytes(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1 || n > 1024) throw new InvalidArgumentError(`expected GPU memory in GB between 1 and 1024, got "${v}"`);
  return n;
}

async function readTextFile(path: string, what: string): Promise<string> {
  return readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`${path}: cannot read the ${what} (${e.message})`);
  });
}

async function openDataset(dir: string): Promise<FileSource> {
  const st = await stat(dir).catch(() => undefined);
  if (st?.isFile() && ZIP_NAME.test(dir)) return zipSource(await openAsBlob(resolve(dir)), basename(dir));
  if (!st?.isDirectory()) throw new Error(`${dir}: ${st ? 'neither a folder nor a .zip file' : 'no such folder or file'}`);
  return nodeSource(dir);
}

async function run(datasetDir: string | undefined, o: Options): Promise<number> {
  let fingerprint: Fingerprint;
  let datasetJson: Record<string, unknown>;
  let name: string;
  let seconds: number | undefined;
  if (o.fingerprint || o.datasetJson) {
    if (!o.fingerprint || !o.datasetJson) throw new Error('--fingerprint and --dataset-json go together (nnU-Net keeps both in nnUNet_preprocessed/DatasetXXX_Name/)');
    if (datasetDir) throw new Error('give either DATASET_DIR or --fingerprint/--dataset-json, not both');
    fingerprint = parseFingerprint(await readTextFile(o.fingerprint, 'fingerprint'), o.fingerprint);
    datasetJson = parseDatasetJson(await readTextFile(o.datasetJson, 'dataset.json'), o.datasetJson);
    const parent = basename(resolve(o.fingerprint, '..'));
    name = /^Dataset\d{3}_/.test(parent) ? parent : typeof datasetJson.name === 'string' ? `Dataset000_${datasetJson.name}` : 'Dataset000_Unknown';
  } else {
    if (!datasetDir) throw new Error('give a DATASET_DIR, or --fingerprint F --dataset-json D');
    const source = await openDataset(datasetDir);
    const listed = await listDatasetCases(source);
    const progress = !o.json && process.stderr.isTTY;
    const t0 = performance.now();
    const run = await fingerprintDataset(source, listed, {
      codec: nodeCodec,
      sampling: o.exactSampling ? 'numpy' : 'expected',
      onCase: progress ? (d, n) => process.stderr.write(`\rfingerprint: ${d}/${n} cases`) : undefined,
    });
    if (progress) process.stderr.write('\r\x1b[2K');
    seconds = (performance.now() - t0) / 1000;
    fingerprint = run.fingerprint;
    datasetJson = listed.datasetJson;
    name = listed.name;
    if (o.writeFingerprint) await writeFile(o.writeFingerprint, `${JSON.stringify(fingerprint, null, 4)}\n`);
  }

  const preset = PRESETS[o.preset];
  const targetGb = o.gpuMemory ?? preset.defaultTargetGb;
  const plan = planExperiment(fingerprint, datasetInfoFromJson(datasetJson, o.datasetJson ?? 'dataset.json'), {
    preset: o.preset,
    targetGb,
    plansName: suggestedPlansName(preset, targetGb),
  });
  const plans = plansJson(plan, { datasetName: name, imageReaderWriter: imageReaderWriter(datasetJson), fingerprint });
  if (o.write) await writeFile(o.write, `${JSON.stringify(plans, null, 4)}\n`);

  if (o.json) {
    const configurations = Object.fromEntries(
      Object.entries(plan.configurations).map(([k, c]) => [
        k,
        { patchSize: c.patchSize, batchSize: c.batchSize, spacing: c.spacing, stages: c.network.featuresPerStage.length, poolsPerAxis: c.network.poolsPerAxis, estimatedGb: c.estimatedGb, featureMaps: c.featureMaps, featureMapBudget: c.featureMapBudget },
      ]),
    );
    const out = {
      schemaVersion: 1,
      tool: 'bratslab plan',
      dataset: name,
      preset: plan.preset.id,
      planner: plan.preset.plannerClass,
      gpuMemoryGb: targetGb,
      plansName: plan.plansName,
      cascade: plan.cascade,
      configurations,
      commands: { plan: planCommand(plan, name), train: trainCommand(plan, name) },
      fingerprintSeconds: seconds,
      written: o.write ?? null,
      plans,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(describePlan(plan, name));
  if (seconds !== undefined) process.stdout.write(`Fingerprint of ${fingerprint.spacings.length} cases in ${seconds.toFixed(1)} s${o.exactSampling ? " (nnU-Net's own intensity draws)" : ''}.\n`);
  if (o.write) process.stdout.write(`Wrote ${o.write} (nnU-Net reads it as nnUNet_preprocessed/${name}/${plan.plansName}.json).\n`);
  if (o.gpuMemory !== undefined && o.preset !== 'default' && o.gpuMemory !== preset.defaultTargetGb) {
    process.stderr.write(`note: ${preset.plannerClass} is calibrated for ${preset.defaultTargetGb} GB; nnU-Net warns when its target is changed.\n`);
  }
  return 0;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description("What nnU-Net v2's planner chooses for a dataset: patch, batch, spacing and network per configuration, for a GPU memory target or a ResEnc preset.")
    .argument('[dataset_dir]', 'DatasetXXX_Name folder (or a .zip of one); the fingerprint is computed from its images')
    .option('--gpu-memory <GB>', "GPU memory target in GB (nnU-Net's -gpu_memory_target; default: the preset's, 8 for default and resenc-m)", gigabytes)
    .addOption(new Option('--preset <preset>', 'planner: default (ExperimentPlanner) or a residual-encoder preset').choices([...PRESET_IDS]).default('default'))
    .option('--json', 'print the plan as JSON')
    .option('--write <file>', 'write an nnUNetPlans.json nnU-Net can read')
    .option('--fingerprint <file>', "plan from nnU-Net's dataset_fingerprint.json instead of images (with --dataset-json)")
    .option('--dataset-json <file>', 'the dataset.json that goes with --fingerprint')
    .option('--write-fingerprint <file>', 'also write the computed dataset_fingerprint.json')
    .option('--exact-sampling', "draw the intensity samples exactly as nnU-Net does (numpy's RandomState(1234)); slower, identical values")
    .action(async (dir: string | undefined, o: Options) => {
      process.exitCode = await run(dir, o);
    });
}
