/**
 * The capstone's answer key for the instructor page, computed at build time: the generator's key
 * (public/data/capstone/keys) plus what the shipped labels themselves show. For every case it counts
 * the voxels of label values 1, 2 and 3 in the zip, with the course's own NIfTI and zip readers. In a
 * Dataset137 case 1 is edema and 2 necrosis, and edema is the larger tissue; a case whose value 2
 * outnumbers value 1 carries the "keep" values (2 = edema) under Dataset137 regions: the silent mix.
 */
import { readImage } from '../../../labs/nifti/read';
import { zipSource } from '../../../labs/shared/blob-files';

export interface CaseCounts {
  case: string;
  /** Voxels of value 1, 2 and 3. */
  counts: [number, number, number];
  /** Value 2 outnumbers value 1: edema sits where Dataset137 expects necrosis. */
  keepSignature: boolean;
}

export async function capstoneLabelCounts(zip: Uint8Array, name = 'Dataset520_Capstone.zip'): Promise<CaseCounts[]> {
  const source = await zipSource(new Blob([zip as Uint8Array<ArrayBuffer>]), name);
  const labels = (await source.list()).filter((e) => e.kind === 'file' && /\/labelsTr\/[^/]+\.nii\.gz$/.test(e.path)).map((e) => e.path).sort();
  const out: CaseCounts[] = [];
  for (const path of labels) {
    const { data } = await readImage(source, path);
    const counts: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      if (v >= 1 && v <= 3) counts[v - 1]++;
    }
    out.push({ case: path.split('/').pop()!.replace(/\.nii\.gz$/, ''), counts, keepSignature: counts[1] > counts[0] });
  }
  return out;
}
