/**
 * Round trip on generated data: the synthetic generator writes the raw BraTS 2021 layout, the
 * converter turns it into an nnU-Net dataset, and the validator finds no error in the result.
 * Expected label values come from the generator's own raw labels and the Dataset137 table in
 * DESIGN.md / nnunet-facts.md §4.2 written out by hand below, not from the converter.
 */
import { describe, expect, it } from 'vitest';
import { convertBrats } from '../../labs/convert';
import { checkDataset } from '../../labs/dataset-check';
import { readImage, webCodec } from '../../labs/nifti';
import { memorySource } from '../../labs/shared/files';
import { generateCase } from '../../labs/synth/case';
import { DEFAULT_SCANNERS } from '../../labs/synth/contrast';
import { planScans, writeBrats, type SynthOptions } from '../../labs/synth/dataset';
import { memorySink } from '../helpers/memory-sink';

const BY_HAND = {
  // Dataset137: background 0, NCR 1 → 2, ED 2 → 1, ET 4 → 3.
  nnunet137: { 0: 0, 1: 2, 2: 1, 4: 3 } as Record<number, number>,
  // keep: only ET 4 → 3.
  keep: { 0: 0, 1: 1, 2: 2, 4: 3 } as Record<number, number>,
};

describe('generated BraTS 2021 → convert → check', () => {
  for (const [seedStart, scheme, regions] of [
    [900, 'nnunet137', true],
    [910, 'keep', false],
  ] as const) {
    it(`seeds ${seedStart}-${seedStart + 3}, scheme ${scheme}${regions ? ' with regions' : ''}: labels remapped voxel for voxel, check clean`, async () => {
      const opts: SynthOptions = {
        layout: 'brats',
        seeds: [seedStart, seedStart + 1, seedStart + 2, seedStart + 3],
        size: 'tiny',
        followups: false,
        scanners: DEFAULT_SCANNERS,
        scheme: 'nnunet137',
        datasetId: 500,
        name: 'Synth',
        faults: [],
      };
      const brats = memorySink();
      await writeBrats(brats, opts, webCodec);
      const out = memorySink();
      const report = await convertBrats(memorySource('brats', brats.files), out, { id: 137, name: 'BraTS2021', scheme, regions, link: false, force: false });
      const scans = planScans(opts);
      expect(report.training).toEqual(scans.map((s) => s.id).sort());
      expect(report.findings).toEqual([]);

      for (const spec of scans) {
        const raw = generateCase(spec).seg;
        const path = `Dataset137_BraTS2021/labelsTr/${spec.id}.nii.gz`;
        const { data } = await readImage(memorySource('o', { [path]: out.files[path] }), path);
        expect(data.length).toBe(raw.length);
        let mismatches = 0;
        for (let i = 0; i < raw.length; i++) if (data[i] !== BY_HAND[scheme][raw[i]]) mismatches++;
        expect(mismatches).toBe(0);
      }

      const check = await checkDataset(memorySource('nnUNet_raw', out.files));
      expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect((check.details as { casesChecked: number }).casesChecked).toBe(4);
    });
  }
});
