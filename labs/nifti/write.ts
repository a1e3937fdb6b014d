/**
 * Writes single-file NIfTI-1 (`n+1`), uncompressed or gzipped. Used by the generator, the converter
 * and the labs' "save" buttons. The affine goes into both sform and qform (as nibabel does when
 * it saves an image), so readers that only look at one of them still place the volume correctly.
 */
import { affineToQuatern, identity4 } from './affine';
import { webCodec, type Codec } from './codec';
import { NiftiError } from './errors';
import { BYTES_PER_VOXEL, DATATYPE_CODES, type Mat4, type NiftiDatatype, type TypedArray } from './types';

export interface EncodeOptions {
  /** Size per axis, spatial first (1 to 7 axes). */
  dims: number[];
  /** Voxel type; must match `data`'s array type. */
  datatype: NiftiDatatype;
  /** The voxels, x fastest (NIfTI/Fortran order), length = product of dims. */
  data: TypedArray;
  /**
   * Voxel-to-world 4×4 (mm). The spatial voxel sizes written to pixdim are its column lengths.
   * Default: diag(pixdim[0..2]).
   */
  affine?: Mat4;
  /** Voxel sizes per axis; spatial entries are overridden by the affine's column lengths when both are given. */
  pixdim?: number[];
  sclSlope?: number;
  sclInter?: number;
  /** Up to 79 ASCII characters. */
  description?: string;
  /** Default 1 (NIFTI_XFORM_SCANNER_ANAT). */
  qformCode?: number;
  /** Default 1. */
  sformCode?: number;
}

const ARRAY_TYPES: Record<NiftiDatatype, string> = {
  uint8: 'Uint8Array',
  int8: 'Int8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  int64: 'BigInt64Array',
  uint64: 'BigUint64Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A whole uncompressed `.nii` file: 348-byte header, 4-byte empty extension flag, voxels from byte 352. */
export function encodeNifti1(opts: EncodeOptions): Uint8Array {
  const where = 'encodeNifti1';
  const { dims, datatype, data } = opts;
  if (dims.length < 1 || dims.length > 7 || dims.some((d) => !Number.isInteger(d) || d < 1 || d > 32767)) {
    throw new NiftiError(where, 'dims', `dims must be 1 to 7 integers in 1..32767, got [${dims.join(', ')}]`);
  }
  const nvox = dims.reduce((a, b) => a * b, 1);
  if (data.constructor.name !== ARRAY_TYPES[datatype]) {
    throw new NiftiError(where, 'bad-input', `datatype ${datatype} needs a ${ARRAY_TYPES[datatype]}, got a ${data.constructor.name}`);
  }
  if (data.length !== nvox) {
    throw new NiftiError(where, 'bad-input', `data has ${data.length} voxels, dims [${dims.join(', ')}] need ${nvox}`);
  }
  if (!HOST_LITTLE_ENDIAN) throw new NiftiError(where, 'bad-input', 'writing needs a little-endian machine');

  const pixdim = [...(opts.pixdim ?? [])];
  while (pixdim.length < dims.length) pixdim.push(1);
  const affine = opts.affine ?? diagAffine(pixdim);
  const q = affineToQuatern(affine);
  for (let i = 0; i < Math.min(3, dims.length); i++) pixdim[i] = q.zooms[i];

  const bpv = BYTES_PER_VOXEL[datatype];
  const out = new Uint8Array(352 + nvox * bpv);
  const v = new DataView(out.buffer);
  const le = true;
  v.setInt32(0, 348, le);
  v.setUint8(38, 'r'.charCodeAt(0)); // "regular", kept for old Analyze readers
  v.setInt16(40, dims.length, le);
  for (let i = 0; i < 7; i++) v.setInt16(42 + 2 * i, dims[i] ?? 1, le);
  v.setInt16(70, DATATYPE_CODES[datatype], le);
  v.setInt16(72, bpv * 8, le);
  v.setFloat32(76, q.qfac, le);
  for (let i = 0; i < 7; i++) v.setFloat32(80 + 4 * i, pixdim[i] ?? 1, le);
  v.setFloat32(108, 352, le);
  v.setFloat32(112, opts.sclSlope ?? 1, le);
  v.setFloat32(116, opts.sclInter ?? 0, le);
  // xyzt_units: millimetres (2), plus seconds (8) when there is a time axis.
  v.setUint8(123, dims.length > 3 ? 10 : 2);
  writeAscii(out, 148, 80, opts.description ?? '');
  v.setInt16(252, opts.qformCode ?? 1, le);
  v.setInt16(254, opts.sformCode ?? 1, le);
  v.setFloat32(256, q.b, le);
  v.setFloat32(260, q.c, le);
  v.setFloat32(264, q.d, le);
  for (let i = 0; i < 3; i++) v.setFloat32(268 + 4 * i, q.offset[i], le);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, affine[r][c], le);
  writeAscii(out, 344, 4, 'n+1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 352);
  return out;
}

/** A `.nii.gz` file. */
export function writeNiftiGz(opts: EncodeOptions, codec: Codec = webCodec): Promise<Uint8Array> {
  return codec.gzip(encodeNifti1(opts));
}

function diagAffine(pixdim: readonly number[]): Mat4 {
  const a = identity4();
  for (let i = 0; i < 3; i++) a[i][i] = pixdim[i] ?? 1;
  return a;
}

function writeAscii(out: Uint8Array, at: number, size: number, text: string): void {
  // NUL-terminated: at most size - 1 characters; non-ASCII becomes '?'.
  const n = Math.min(text.length, size - 1);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    out[at + i] = c < 128 ? c : 63;
  }
}
