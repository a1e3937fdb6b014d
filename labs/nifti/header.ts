/**
 * Parses the fixed NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers. Field offsets follow
 * nifti1.h and nifti2.h; where the standard leaves room, the choices follow nibabel so the two
 * agree on every file (tests/unit/nifti-nibabel.test.ts checks it).
 */
import { pixdimAffine, quaternToAffine } from './affine';
import { isGzip } from './codec';
import { NiftiError } from './errors';
import { BYTES_PER_VOXEL, DATATYPE_CODES, UNSUPPORTED_DATATYPES, type Mat4, type NiftiDatatype, type NiftiHeader } from './types';

/**
 * Default cap on the voxels a header may claim (2^28 ≈ 268 million: a 4D series of 30 BraTS-size
 * volumes). A header beyond it is refused before anything is allocated.
 */
export const DEFAULT_MAX_VOXELS = 2 ** 28;

export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

const CODE_TO_TYPE = new Map<number, NiftiDatatype>(
  (Object.entries(DATATYPE_CODES) as [NiftiDatatype, number][]).map(([t, c]) => [c, t]),
);

/** Which NIfTI version and byte order the first 4 bytes (sizeof_hdr) announce, or null. */
export function sniffVersion(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | null {
  if (bytes.byteLength < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const n = v.getInt32(0, littleEndian);
    if (n === NIFTI1_HEADER_BYTES) return { version: 1, littleEndian };
    if (n === NIFTI2_HEADER_BYTES) return { version: 2, littleEndian };
  }
  return null;
}

function ascii(bytes: Uint8Array, at: number, size: number): string {
  let s = '';
  for (let i = at; i < at + size && i < bytes.byteLength; i++) {
    if (bytes[i] === 0) break;
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}

/**
 * What the first bytes (at least 132) of a file say it is: a NIfTI header, gzip (a .nii.gz, or
 * something else compressed), a DICOM part-10 file ("DICM" after the 128-byte preamble), or neither.
 */
export function sniffKind(bytes: Uint8Array): 'nifti' | 'gzip' | 'dicom' | 'unknown' {
  if (isGzip(bytes)) return 'gzip';
  if (sniffVersion(bytes)) return 'nifti';
  if (bytes.byteLength >= 132 && ascii(bytes, 128, 4) === 'DICM') return 'dicom';
  return 'unknown';
}

/** A short guess at what a non-NIfTI file is, for the error message. */
function guessFormat(bytes: Uint8Array): string {
  const text = ascii(bytes, 0, 8);
  if (bytes.byteLength >= 132 && ascii(bytes, 128, 4) === 'DICM') return 'it looks like a DICOM file';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'it looks like a zip archive';
  if (text.startsWith('NRRD')) return 'it looks like an NRRD file';
  if (text.startsWith('ObjectTy') || text.startsWith('NDims')) return 'it looks like a MetaImage (.mha) file';
  if (bytes[0] === 0x89 && text.startsWith('\x89PNG')) return 'it looks like a PNG image';
  if (/^\s*[{[]/.test(text)) return 'it looks like JSON text';
  return 'it does not start like a NIfTI file';
}

export interface ParseOptions {
  /** Refuse headers claiming more voxels than this (default DEFAULT_MAX_VOXELS). */
  maxVoxels?: number;
}

/**
 * Parses the header at the start of `bytes` (uncompressed). `path` names the file in errors.
 * Throws NiftiError for anything that is not a usable single-file NIfTI-1/2 header.
 */
export function parseHeader(bytes: Uint8Array, path: string, opts: ParseOptions = {}): NiftiHeader {
  if (bytes.byteLength === 0) throw new NiftiError(path, 'empty', 'file is empty (0 bytes)');
  const sniff = sniffVersion(bytes);
  if (!sniff) {
    const hasMagic = ascii(bytes, 344, 4).startsWith('n+1') || ascii(bytes, 344, 4).startsWith('ni1') || ascii(bytes, 4, 3) === 'n+2';
    if (hasMagic && bytes.byteLength >= 4) {
      const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
      throw new NiftiError(path, 'sizeof-hdr', `sizeof_hdr is ${n}, expected 348 (NIfTI-1) or 540 (NIfTI-2)`);
    }
    if (bytes.byteLength < 4) throw new NiftiError(path, 'truncated-header', `only ${bytes.byteLength} bytes, too short for a NIfTI header`);
    throw new NiftiError(path, 'not-nifti', `not a NIfTI file: sizeof_hdr is not 348 or 540 and ${guessFormat(bytes)}`);
  }
  const { version, littleEndian: le } = sniff;
  const size = version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  if (bytes.byteLength < size) {
    throw new NiftiError(path, 'truncated-header', `file ends after ${bytes.byteLength} bytes, inside the ${size}-byte NIfTI-${version} header`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, size);

  const magic = version === 1 ? ascii(bytes, 344, 4) : ascii(bytes, 4, 8);
  if (version === 1 && magic === 'ni1') {
    throw new NiftiError(path, 'nifti-pair', 'NIfTI-1 pair header (.hdr with a separate .img); only single-file .nii/.nii.gz is supported');
  }
  if (version === 2 && magic === 'ni2') {
    throw new NiftiError(path, 'nifti-pair', 'NIfTI-2 pair header (.hdr with a separate .img); only single-file .nii/.nii.gz is supported');
  }
  if (version === 1 && magic !== 'n+1') {
    throw new NiftiError(path, 'not-nifti', `sizeof_hdr is 348 but the magic is ${JSON.stringify(magic)}, not "n+1" (an Analyze 7.5 file?)`);
  }
  if (version === 2 && !(magic === 'n+2' && bytes[8] === 0x0d && bytes[9] === 0x0a && bytes[10] === 0x1a && bytes[11] === 0x0a)) {
    throw new NiftiError(path, 'not-nifti', `sizeof_hdr is 540 but the magic is not "n+2\\0\\r\\n\\x1a\\n"`);
  }

  // Field readers for the two layouts: NIfTI-1 stores int16/float32, NIfTI-2 int64/float64.
  const i16 = (at: number) => v.getInt16(at, le);
  const i32 = (at: number) => v.getInt32(at, le);
  const f32 = (at: number) => v.getFloat32(at, le);
  const f64 = (at: number) => v.getFloat64(at, le);
  const i64 = (at: number) => Number(v.getBigInt64(at, le));

  const L =
    version === 1
      ? { dim: (i: number) => i16(40 + 2 * i), pix: (i: number) => f32(76 + 4 * i), datatype: i16(70), bitpix: i16(72), voxOffset: f32(108), slope: f32(112), inter: f32(116), calMax: f32(124), calMin: f32(128), qformCode: i16(252), sformCode: i16(254), qb: f32(256), qc: f32(260), qd: f32(264), qx: f32(268), qy: f32(272), qz: f32(276), srow: (r: number, c: number) => f32(280 + 16 * r + 4 * c), xyzt: bytes[123], intentCode: i16(68), intentName: ascii(bytes, 328, 16), descrip: ascii(bytes, 148, 80), aux: ascii(bytes, 228, 24) }
      : { dim: (i: number) => i64(16 + 8 * i), pix: (i: number) => f64(104 + 8 * i), datatype: i16(12), bitpix: i16(14), voxOffset: i64(168), slope: f64(176), inter: f64(184), calMax: f64(192), calMin: f64(200), qformCode: i32(344), sformCode: i32(348), qb: f64(352), qc: f64(360), qd: f64(368), qx: f64(376), qy: f64(384), qz: f64(392), srow: (r: number, c: number) => f64(400 + 32 * r + 8 * c), xyzt: i32(500), intentCode: i32(504), intentName: ascii(bytes, 508, 16), descrip: ascii(bytes, 240, 80), aux: ascii(bytes, 320, 24) };

  const ndim = L.dim(0);
  if (!(ndim >= 1 && ndim <= 7)) throw new NiftiError(path, 'dims', `dim[0] (number of axes) is ${ndim}, must be 1 to 7`);
  const dims: number[] = [];
  for (let i = 1; i <= ndim; i++) {
    const d = L.dim(i);
    if (!(d >= 1)) throw new NiftiError(path, 'dims', `dim[${i}] is ${d}; every axis needs at least 1 voxel`);
    dims.push(d);
  }
  const nvox = dims.reduce((a, b) => a * b, 1);
  const maxVoxels = opts.maxVoxels ?? DEFAULT_MAX_VOXELS;
  if (nvox > maxVoxels) {
    throw new NiftiError(path, 'too-large', `header claims ${dims.join('×')} = ${nvox.toExponential(3)} voxels, over the limit of ${maxVoxels} (refused before reading)`);
  }

  const datatype = CODE_TO_TYPE.get(L.datatype);
  if (!datatype) {
    const name = UNSUPPORTED_DATATYPES[L.datatype];
    throw new NiftiError(
      path,
      'unsupported-datatype',
      name ? `datatype ${name} (code ${L.datatype}) is not supported` : `unknown datatype code ${L.datatype}`,
    );
  }

  // nibabel's header check on load: spatial pixdims of 0 become 1, negative ones their absolute value.
  const pixdim = Array.from({ length: 8 }, (_, i) => L.pix(i));
  const spatial = [1, 2, 3].map((i) => (pixdim[i] === 0 ? 1 : Math.abs(pixdim[i])));
  const zooms = dims.map((_, i) => (i < 3 ? spatial[i] : pixdim[i + 1]));

  // A single file's voxels cannot start inside its header; nifti1_io and nibabel move such offsets to the minimum.
  const minOffset = size + 4;
  const voxOffset = L.voxOffset < minOffset ? minOffset : Math.floor(L.voxOffset);

  const qfac: 1 | -1 = pixdim[0] === -1 ? -1 : 1;
  const sform: Mat4 = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => L.srow(r, c)));
  sform.push([0, 0, 0, 1]);
  let affine: Mat4;
  let affineSource: NiftiHeader['affineSource'];
  if (L.sformCode !== 0) {
    affine = sform;
    affineSource = 'sform';
  } else if (L.qformCode !== 0) {
    try {
      affine = quaternToAffine(L.qb, L.qc, L.qd, qfac, spatial as [number, number, number], [L.qx, L.qy, L.qz]);
    } catch (e) {
      throw new NiftiError(path, 'bad-affine', `qform quaternion is invalid: ${(e as Error).message}`);
    }
    affineSource = 'qform';
  } else {
    affine = pixdimAffine(dims, zooms);
    affineSource = 'pixdim';
  }
  if (affine.some((row) => row.some((x) => !Number.isFinite(x)))) {
    throw new NiftiError(path, 'bad-affine', `the ${affineSource} affine contains NaN or infinite values`);
  }

  return {
    version,
    littleEndian: le,
    sizeofHdr: size,
    dims,
    pixdim,
    zooms,
    datatype,
    datatypeCode: L.datatype,
    bitpix: L.bitpix,
    voxOffset,
    sclSlope: L.slope,
    sclInter: L.inter,
    calMin: L.calMin,
    calMax: L.calMax,
    qformCode: L.qformCode,
    sformCode: L.sformCode,
    quaternB: L.qb,
    quaternC: L.qc,
    quaternD: L.qd,
    qoffsetX: L.qx,
    qoffsetY: L.qy,
    qoffsetZ: L.qz,
    srow: [sform[0], sform[1], sform[2]],
    affine,
    affineSource,
    xyztUnits: L.xyzt,
    intentCode: L.intentCode,
    intentName: L.intentName,
    descrip: L.descrip,
    auxFile: L.aux,
    magic,
  };
}

/** Number of voxels the header describes (all axes). */
export function voxelCount(h: Pick<NiftiHeader, 'dims'>): number {
  return h.dims.reduce((a, b) => a * b, 1);
}

/** Voxels in one 3D volume (the first three axes). */
export function volumeVoxels(h: Pick<NiftiHeader, 'dims'>): number {
  return h.dims.slice(0, 3).reduce((a, b) => a * b, 1);
}

/** Bytes of voxel data the header describes. */
export function dataBytes(h: Pick<NiftiHeader, 'dims' | 'datatype'>): number {
  return voxelCount(h) * BYTES_PER_VOXEL[h.datatype];
}

/**
 * The scaling nibabel applies (`get_slope_inter`): slope 0 or non-finite means none; a valid
 * slope with a non-finite intercept is an error.
 */
export function scaling(h: Pick<NiftiHeader, 'sclSlope' | 'sclInter'>, path = ''): { slope: number; inter: number } {
  if (h.sclSlope === 0 || !Number.isFinite(h.sclSlope)) return { slope: 1, inter: 0 };
  if (!Number.isFinite(h.sclInter)) throw new NiftiError(path, 'bad-input', `scl_slope is ${h.sclSlope} but scl_inter is ${h.sclInter}`);
  return { slope: h.sclSlope, inter: h.sclInter };
}
