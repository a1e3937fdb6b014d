/**
 * `bratslab info FILE…`: what a careful student checks after a conversion, per NIfTI file:
 * shape, voxel sizes, datatype, orientation codes, affine and intensity range. A bad file prints
 * its error and the others still print; exit 1 when any file failed.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { NiftiError, inspectNifti, scaling, type IntensityStats, type NiftiHeader } from '../../nifti/index';
import { nodeCodec } from '../node-codec';
import { nodeSource } from '../node-files';

interface Options {
  json?: boolean;
  headerOnly?: boolean;
  maxVoxels?: number;
}

interface FileInfo {
  path: string;
  ok: true;
  nifti: 1 | 2;
  gzip: boolean;
  byteOrder: 'little-endian' | 'big-endian';
  shape: number[];
  zooms: number[];
  datatype: string;
  sclSlope: number;
  sclInter: number;
  axcodes: (string | null)[];
  affine: number[][];
  affineSource: NiftiHeader['affineSource'];
  qformCode: number;
  sformCode: number;
  description: string;
  intensity?: IntensityStats;
}

interface FileFailure {
  path: string;
  ok: false;
  error: { code: string; message: string };
}

async function inspect(file: string, opts: Options): Promise<FileInfo | FileFailure> {
  const abs = resolve(file);
  const source = nodeSource(dirname(abs));
  const name = basename(abs);
  const readOpts = { codec: nodeCodec, maxVoxels: opts.maxVoxels };
  try {
    const st = await stat(abs).catch(() => null);
    if (!st) throw new NiftiError(file, 'bad-input', 'no such file');
    if (!st.isFile()) throw new NiftiError(file, 'bad-input', st.isDirectory() ? 'is a folder, not a NIfTI file' : 'not a regular file');
    const { header, gzip, axcodes, stats: intensity } = await inspectNifti(source, name, { ...readOpts, headerOnly: opts.headerOnly });
    const { slope, inter } = scaling(header, file);
    return {
      path: file,
      ok: true,
      nifti: header.version,
      gzip,
      byteOrder: header.littleEndian ? 'little-endian' : 'big-endian',
      shape: header.dims,
      zooms: header.zooms,
      datatype: header.datatype,
      sclSlope: slope,
      sclInter: inter,
      axcodes,
      affine: header.affine,
      affineSource: header.affineSource,
      qformCode: header.qformCode,
      sformCode: header.sformCode,
      description: header.descrip,
      intensity,
    };
  } catch (e) {
    const code = e instanceof NiftiError ? e.code : 'bad-input';
    const problem = e instanceof NiftiError ? e.problem : ((e as { reason?: string }).reason ?? (e as Error).message);
    return { path: file, ok: false, error: { code, message: `${file}: ${problem}` } };
  }
}

/** Up to 6 significant digits, no trailing zeros: affines and voxel sizes read cleanly. */
function num(x: number | null): string {
  if (x === null) return '-';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

function render(info: FileInfo): string {
  const pad = (rows: string[][]) => {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    return rows.map((r) => '[ ' + r.map((v, c) => v.padStart(widths[c])).join('  ') + ' ]');
  };
  const affine = pad(info.affine.map((row) => row.map(num)));
  const lines = [
    info.path,
    `  format       NIfTI-${info.nifti}${info.gzip ? ', gzip' : ''}, ${info.byteOrder}`,
    `  shape        ${info.shape.join(' × ')}`,
    `  voxel size   ${info.zooms.slice(0, 3).map(num).join(' × ')} mm${info.zooms.length > 3 ? ` (then ${info.zooms.slice(3).map(num).join(' × ')})` : ''}`,
    `  datatype     ${info.datatype}${info.sclSlope !== 1 || info.sclInter !== 0 ? ` (scaled: × ${num(info.sclSlope)} + ${num(info.sclInter)})` : ''}`,
    `  orientation  ${info.axcodes.map((c) => c ?? '?').join(' ')}  (affine from ${info.affineSource}; sform_code ${info.sformCode}, qform_code ${info.qformCode})`,
    `  affine       ${affine[0]}`,
    ...affine.slice(1).map((r) => `               ${r}`),
  ];
  const s = info.intensity;
  if (s) {
    lines.push(`  intensity    min ${num(s.min)}, max ${num(s.max)}; mean of non-zero voxels ${num(s.nonzeroMean)} (${s.nonzeroCount} of ${s.count})`);
    if (s.nanCount > 0 || s.infCount > 0) lines.push(`  WARNING      ${s.nanCount} NaN and ${s.infCount} infinite voxels`);
  }
  if (info.description) lines.push(`  description  ${info.description}`);
  return lines.join('\n');
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function register(program: Command): void {
  program
    .command('info')
    .description('Show what to check in NIfTI files after a conversion: shape, voxel sizes, datatype, orientation, affine, intensity range.')
    .argument('<files...>', 'NIfTI files (.nii or .nii.gz)')
    .option('--json', 'print JSON (schemaVersion 1) instead of text')
    .option('--header-only', 'read only the headers (fast; no intensity range)')
    .option('--max-voxels <n>', 'refuse headers claiming more voxels than this (default 2^28)', positiveInt)
    .action(async (files: string[], opts: Options) => {
      const results: (FileInfo | FileFailure)[] = [];
      for (const f of files) {
        const r = await inspect(f, opts);
        results.push(r);
        if (!opts.json) {
          if (r.ok) process.stdout.write(render(r) + '\n\n');
          else process.stderr.write(`error: ${r.error.message}\n`);
        }
      }
      if (opts.json) process.stdout.write(JSON.stringify({ schemaVersion: 1, files: results }, null, 2) + '\n');
      process.exitCode = results.some((r) => !r.ok) ? 1 : 0;
    });
}
