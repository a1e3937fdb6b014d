/**
 * The NIfTI data model shared by the reader, the writer and every lab that touches images.
 * Field meanings follow the NIfTI-1 standard header (nifti1.h, NIfTI DFWG 2004) and its 64-bit
 * successor NIfTI-2 (nifti2.h, 2011); the affine choice follows nibabel's `get_best_affine`.
 */

/** Voxel types this reader decodes. Other NIfTI codes (complex, RGB, float128) are refused by name. */
export type NiftiDatatype =
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/** NIfTI datatype codes (nifti1.h `NIFTI_TYPE_*`) for the supported types. */
export const DATATYPE_CODES: Record<NiftiDatatype, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
  int64: 1024,
  uint64: 1280,
};

/** Codes that exist in the standard but that this reader refuses, with their names for the error. */
export const UNSUPPORTED_DATATYPES: Record<number, string> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'rgb24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'rgba32',
};

/** Bytes per voxel of each supported type. */
export const BYTES_PER_VOXEL: Record<NiftiDatatype, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export type Mat4 = number[][];

export interface NiftiHeader {
  version: 1 | 2;
  /** Byte order of the file (the reader hands out voxels in the machine's order). */
  littleEndian: boolean;
  sizeofHdr: number;
  /** Image size per axis, `dim[1..dim[0]]`; spatial axes first, so `dims.length` is ndim. */
  dims: number[];
  /** The stored `pixdim[0..7]` as read (pixdim[0] is qfac). */
  pixdim: number[];
  /** Voxel sizes per axis, `pixdim[1..ndim]`, as nibabel's `get_zooms` returns them after loading. */
  zooms: number[];
  datatype: NiftiDatatype;
  /** The numeric NIfTI datatype code. */
  datatypeCode: number;
  bitpix: number;
  /** Byte offset of the first voxel in the uncompressed stream. */
  voxOffset: number;
  /** Raw scl_slope / scl_inter as stored (slope 0 or non-finite means "no scaling", as in nibabel). */
  sclSlope: number;
  sclInter: number;
  calMin: number;
  calMax: number;
  qformCode: number;
  sformCode: number;
  quaternB: number;
  quaternC: number;
  quaternD: number;
  qoffsetX: number;
  qoffsetY: number;
  qoffsetZ: number;
  /** srow_x, srow_y, srow_z. */
  srow: [number[], number[], number[]];
  /** Voxel-to-world (mm) 4×4: sform if sform_code ≠ 0, else qform if qform_code ≠ 0, else pixdim scaling. */
  affine: Mat4;
  /** Which of the three `affine` came from. */
  affineSource: 'sform' | 'qform' | 'pixdim';
  xyztUnits: number;
  intentCode: number;
  intentName: string;
  descrip: string;
  auxFile: string;
  /** "n+1"/"n+2" for single files. */
  magic: string;
}
