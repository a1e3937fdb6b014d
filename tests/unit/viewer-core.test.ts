/**
 * The viewer's pure core. Expected values are worked out by hand in the comments (or taken from
 * the BraTS / nnU-Net naming conventions), not read back from the code.
 */
import { describe, expect, it } from 'vitest';
import {
  assignRoles,
  caseIdFromNames,
  countLabels,
  formatMl,
  formatReadout,
  groupByCase,
  guessScheme,
  hexToRgba,
  nearestVoxel,
  noteInspection,
  parseSampleIndex,
  percentileOfSorted,
  brainValues,
  presetWindow,
  rawColours,
  regionColours,
  regionsOfTissue,
  roleFromName,
  sliceAxis,
  stepSlice,
  toLabelColormap,
  tumourCentre,
  volumeTable,
  voxToWorld,
  worldToVox,
  voxelMl,
} from '../../labs/viewer';

describe('modality assignment from file names', () => {
  it('reads BraTS 2021, 2023 and suffixed names', () => {
    const cases: [string, string | null][] = [
      ['BraTS2021_00000/BraTS2021_00000_t1.nii.gz', 't1'],
      ['BraTS2021_00000_t1ce.nii.gz', 't1ce'],
      ['BraTS2021_00000_t2.nii.gz', 't2'],
      ['BraTS2021_00000_flair.nii.gz', 'flair'],
      ['BraTS2021_00000_seg.nii.gz', 'seg'],
      ['BraTS-GLI-00000-000-t1n.nii.gz', 't1'],
      ['BraTS-GLI-00000-000-t1c.nii.gz', 't1ce'],
      ['BraTS-GLI-00000-000-t2w.nii.gz', 't2'],
      ['BraTS-GLI-00000-000-t2f.nii.gz', 'flair'],
      ['patient_T1GD_bet.nii', 't1ce'],
      ['OtherCase_fla_bet.nii.gz', 'flair'],
      ['OtherCase_t1c_bet.nii.gz', 't1ce'],
      ['case7_label.nii.gz', 'seg'],
      ['notes.txt', null],
    ];
    for (const [name, role] of cases) expect(roleFromName(name).role, name).toBe(role);
  });

  it('maps nnU-Net channel suffixes in Dataset137 order and finds the label by elimination', () => {
    const r = assignRoles(['BraTS2021_00000_0000.nii.gz', 'BraTS2021_00000_0001.nii.gz', 'BraTS2021_00000_0002.nii.gz', 'BraTS2021_00000_0003.nii.gz', 'BraTS2021_00000.nii.gz']);
    expect(r.byRole).toEqual({
      t1: 'BraTS2021_00000_0000.nii.gz',
      t1ce: 'BraTS2021_00000_0001.nii.gz',
      t2: 'BraTS2021_00000_0002.nii.gz',
      flair: 'BraTS2021_00000_0003.nii.gz',
      seg: 'BraTS2021_00000.nii.gz',
    });
    expect(r.files.find((f) => f.role === 'seg')?.how).toBe('elimination');
    expect(r.naming).toBe('nnunet');
    expect(r.missing).toEqual([]);
  });

  it('reports missing and duplicate roles, ignores side files', () => {
    const r = assignRoles(['a_t1.nii.gz', 'a_t1_bet.nii.gz', 'a_flair.nii.gz', '._a_t2.nii.gz', '.DS_Store']);
    expect(r.duplicates).toEqual(['t1']);
    expect(r.missing).toEqual(['t1ce', 't2', 'seg']);
    expect(r.ignored).toEqual(['._a_t2.nii.gz', '.DS_Store']);
    expect(r.naming).toBe('brats2021');
  });

  it('takes an oddly named label when the four channels are known', () => {
    const r = assignRoles(['X_t1_bet.nii.gz', 'X_t1c_bet.nii.gz', 'X_t2_bet.nii.gz', 'X_fla_bet.nii.gz', 'X_fusion_simple.nii.gz']);
    expect(r.byRole.seg).toBe('X_fusion_simple.nii.gz');
    expect(r.naming).toBe('mixed');
  });

  it('groups a folder by case, nnU-Net sub-folders and oddly named labels included', () => {
    const g = groupByCase(
      [
        'Dataset137/imagesTr/B_001_0000.nii.gz',
        'Dataset137/imagesTr/B_001_0001.nii.gz',
        'Dataset137/imagesTr/B_002_0000.nii.gz',
        'Dataset137/labelsTr/B_001.nii.gz',
        'Dataset137/labelsTr/B_002.nii.gz',
        'Dataset137/dataset.json',
        'X/X_t1_bet.nii.gz',
        'X/X_fusion_simple.nii.gz',
      ].map((path) => ({ path })),
    );
    expect([...g.keys()].sort()).toEqual(['B_001', 'B_002', 'X']);
    expect(g.get('B_001')!.map((f) => f.path)).toEqual(['Dataset137/imagesTr/B_001_0000.nii.gz', 'Dataset137/imagesTr/B_001_0001.nii.gz', 'Dataset137/labelsTr/B_001.nii.gz']);
    expect(g.get('X')!.length).toBe(2);
  });

  it('finds the case id shared by the files', () => {
    expect(caseIdFromNames(['BraTS2021_00042_t1.nii.gz', 'BraTS2021_00042_flair.nii.gz', 'BraTS2021_00042_seg.nii.gz'])).toBe('BraTS2021_00042');
    expect(caseIdFromNames(['BraTS2021_00042_0000.nii.gz', 'BraTS2021_00042_0003.nii.gz'])).toBe('BraTS2021_00042');
    expect(caseIdFromNames(['BraTS2021_00042.nii.gz'])).toBe('BraTS2021_00042');
  });
});

describe('label scheme', () => {
  it('decides from values where it can and from names where it cannot', () => {
    expect(guessScheme([0, 1, 2, 4], 'unknown').scheme).toBe('brats2021');
    expect(guessScheme([0, 1, 2, 4], 'unknown').candidates).toEqual([]);
    expect(guessScheme([0, 1, 2, 3, 4], 'unknown').scheme).toBe('brats2023');
    // A 2021 case without enhancing tumour has only 0-2.
    const noEt = guessScheme([0, 1, 2], 'brats2021');
    expect(noEt.scheme).toBe('brats2021');
    expect(noEt.candidates).toContain('keep');
    expect(guessScheme([0, 1, 2, 3], 'nnunet').scheme).toBe('nnunet137');
    expect(guessScheme([0, 1, 2, 3], 'brats2023').scheme).toBe('brats2023');
    expect(guessScheme([0, 1, 2, 3], 'unknown').candidates.length).toBeGreaterThan(1);
    expect(guessScheme([0, 1, 2, 4, 7], 'unknown').unknownValues).toEqual([7]);
  });
});

describe('colour maps', () => {
  it('parses hex colours', () => {
    expect(hexToRgba('#ffe119')).toEqual([255, 225, 25, 255]);
    expect(() => hexToRgba('red')).toThrow();
  });

  it('raw: each tissue its colour, background and hidden tissues transparent', () => {
    const c = rawColours('brats2021', new Set(['NCR', 'ET']));
    expect(c.find((e) => e.value === 0)!.rgba[3]).toBe(0);
    expect(c.find((e) => e.value === 1)!.rgba).toEqual([0xe6, 0x19, 0x4b, 255]);
    expect(c.find((e) => e.value === 2)!.rgba[3]).toBe(0);
    expect(c.find((e) => e.value === 4)!.rgba).toEqual([0xff, 0xe1, 0x19, 255]);
  });

  it('regions: innermost visible region wins; with WT alone the whole tumour is WT', () => {
    const all = regionColours('brats2021', new Set(['WT', 'TC', 'ET']));
    expect(all.map((e) => e.shows)).toEqual(['', 'TC', 'WT', 'ET']);
    const wtOnly = regionColours('brats2021', new Set(['WT']));
    expect(wtOnly.map((e) => e.shows)).toEqual(['', 'WT', 'WT', 'WT']);
    // WT's colour is #42d4f4 (labs/shared/labels.ts), deliberately unlike ED's green.
    expect(wtOnly[3].rgba).toEqual([0x42, 0xd4, 0xf4, 255]);
    // Dataset137 values: 1 ED, 2 NCR, 3 ET; TC without ET shows NCR as TC and ET as WT.
    const tcWt = regionColours('nnunet137', new Set(['WT', 'TC']));
    expect(tcWt.map((e) => e.shows)).toEqual(['', 'WT', 'TC', 'TC']);
  });

  it('dense NiiVue table: undefined values in between stay transparent', () => {
    const cm = toLabelColormap(rawColours('brats2021', new Set(['NCR', 'ED', 'ET'])), 4);
    expect(cm.I).toEqual([0, 1, 2, 3, 4]);
    expect(cm.A).toEqual([0, 255, 255, 0, 255]);
    expect(cm.R[4]).toBe(255);
    expect(cm.labels).toEqual(['', 'NCR', 'ED', '', 'ET']);
  });

  it('regions of a tissue, outermost first', () => {
    expect(regionsOfTissue('ET')).toEqual(['WT', 'TC', 'ET']);
    expect(regionsOfTissue('ED')).toEqual(['WT']);
    expect(regionsOfTissue('RC')).toEqual([]);
  });
});

describe('volumes', () => {
  // 2 × 2 × 2 mm voxels hold 8 mm³ = 0.008 ml.
  const data = new Uint8Array([0, 0, 1, 2, 2, 2, 4, 4, 4, 4]);
  it('counts labels and turns voxels into ml', () => {
    const c = countLabels(data);
    expect([...c.counts.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, 2], [1, 1], [2, 3], [4, 4]]);
    expect(voxelMl([2, 2, 2])).toBeCloseTo(0.008, 12);
    const t = volumeTable(c, 'brats2021', [2, 2, 2]);
    expect(t.labels.map((l) => [l.tissue, l.voxels])).toEqual([['NCR', 1], ['ED', 3], ['ET', 4]]);
    expect(t.labels[2].ml).toBeCloseTo(0.032, 12);
    // WT = 1 + 3 + 4 = 8 voxels, TC = 1 + 4 = 5, ET = 4.
    expect(t.regions.map((r) => [r.id, r.voxels])).toEqual([['WT', 8], ['TC', 5], ['ET', 4]]);
    expect(t.regions[0].ml).toBeCloseTo(0.064, 12);
  });

  it('reads the same voxels with another scheme differently', () => {
    // With Dataset137 values, 1 = ED and 2 = NCR: TC = values 2, 3 → 3 voxels (no value 3 here).
    const t = volumeTable(countLabels(data), 'nnunet137', [1, 1, 1]);
    expect(t.regions.map((r) => [r.id, r.voxels])).toEqual([['WT', 4], ['TC', 3], ['ET', 0]]);
  });

  it('counts float labels with scaling and flags non-integers', () => {
    const c = countLabels(new Float32Array([0, 0.5, 1, 2]), 2, 0);
    // 0.5·2 = 1, 1·2 = 2, 2·2 = 4: all integers.
    expect(c.nonInteger).toBe(0);
    expect(c.counts.get(4)).toBe(1);
    expect(countLabels(new Float32Array([0, 1.5])).nonInteger).toBe(1);
    expect(countLabels(new Int16Array([-1, -1, 3])).counts.get(-1)).toBe(2);
  });

  it('formats ml', () => {
    expect(formatMl(12.345)).toBe('12.3 ml');
    expect(formatMl(123.6)).toBe('124 ml');
  });

  it('finds the tumour centre', () => {
    // 3 × 2 × 2 grid; labels at (2,1,0) and (2,1,1) → centre (2, 1, 0.5 → 1 rounded half up).
    const d = new Uint8Array(12);
    d[2 + 1 * 3 + 0 * 6] = 1;
    d[2 + 1 * 3 + 1 * 6] = 2;
    expect(tumourCentre(d, [3, 2, 2])).toEqual([2, 1, 1]);
    expect(tumourCentre(new Uint8Array(12), [3, 2, 2])).toBeNull();
  });
});

describe('window presets', () => {
  it('percentiles by linear interpolation (numpy default)', () => {
    // numpy.percentile([1, 2, 3, 4, 5], 10) = 1 + 0.4·(2 − 1) = 1.4; 50 → 3; 100 → 5.
    const s = [1, 2, 3, 4, 5];
    expect(percentileOfSorted(s, 10)).toBeCloseTo(1.4, 12);
    expect(percentileOfSorted(s, 50)).toBe(3);
    expect(percentileOfSorted(s, 100)).toBe(5);
    expect(percentileOfSorted([], 50)).toBe(0);
  });

  it('uses brain voxels only and applies scaling', () => {
    const v = brainValues(new Int16Array([0, 0, 30, 10, 20, 0]), 2, 1);
    expect([...v]).toEqual([21, 41, 61]);
    const w = presetWindow(v, { id: 'full', low: 0, high: 100, purpose: '' });
    expect(w).toEqual({ min: 21, max: 61, width: 40, level: 41 });
    // A flat image still gets a window one unit wide.
    expect(presetWindow(new Float64Array([5, 5]), { id: 'full', low: 0, high: 100, purpose: '' }).width).toBe(1);
  });
});

describe('geometry and readout', () => {
  // BraTS-like LPS affine at 2 mm: x = −2i, y = −2j + 238, z = 2k.
  const lps = [
    [-2, 0, 0, 0],
    [0, -2, 0, 238],
    [0, 0, 2, 0],
    [0, 0, 0, 1],
  ];
  it('maps voxels to world and back', () => {
    expect(voxToWorld(lps, [10, 20, 30])).toEqual([-20, 198, 60]);
    const v = worldToVox(lps, [-20, 198, 60]);
    v.forEach((x, i) => expect(x).toBeCloseTo([10, 20, 30][i], 10));
    const oblique = [
      [0, 0, 3, 5],
      [1, 0, 0, -7],
      [0, 2, 0, 11],
      [0, 0, 0, 1],
    ];
    // (i, j, k) = (1, 2, 3): x = 9 + 5 = 14, y = 1 − 7 = −6, z = 4 + 11 = 15.
    expect(voxToWorld(oblique, [1, 2, 3])).toEqual([14, -6, 15]);
    worldToVox(oblique, [14, -6, 15]).forEach((x, i) => expect(x).toBeCloseTo([1, 2, 3][i], 10));
    expect(() => worldToVox([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [0, 0, 0])).toThrow(/singular/);
    expect(nearestVoxel([-0.6, 4.5, 99], [10, 10, 10])).toEqual([0, 5, 9]);
  });

  it('steps slices along the axis of the view', () => {
    expect(sliceAxis(lps, 'axial')).toBe(2);
    expect(sliceAxis(lps, 'coronal')).toBe(1);
    expect(sliceAxis(lps, 'sagittal')).toBe(0);
    // A file stored sagittal-first: voxel axis 0 runs superior.
    expect(sliceAxis([[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]], 'axial')).toBe(0);
    expect(stepSlice([5, 5, 77], lps, 'axial', 1, [120, 120, 78])).toEqual([5, 5, 77]);
    expect(stepSlice([5, 5, 10], lps, 'coronal', -3, [120, 120, 78])).toEqual([5, 2, 10]);
  });

  it('formats the crosshair readout', () => {
    const r = formatReadout([10, 20, 30], [-20, 198, 60], { t1: 512, t1ce: 530.25, t2: 700, flair: null }, 4, 'brats2021');
    expect(r.position).toBe('voxel (10, 20, 30) · world (-20.0, 198.0, 60.0) mm');
    expect(r.channels).toBe('T1 512 · T1ce 530.3 · T2 700 · FLAIR –');
    expect(r.label).toBe('label 4: ET, enhancing tumour; inside WT (whole tumour), TC (tumour core), ET (enhancing tumour)');
    expect(formatReadout([0, 0, 0], [0, 0, 0], {}, 2, 'brats2021').label).toBe('label 2: ED, peritumoral edema; inside WT (whole tumour)');
    expect(formatReadout([0, 0, 0], [0, 0, 0], {}, 0, 'brats2021').label).toBe('label 0: background');
    expect(formatReadout([0, 0, 0], [0, 0, 0], {}, 3, 'brats2021').label).toBe('label 3: not defined in this scheme');
  });
});

describe('sample catalogue and report', () => {
  const good = {
    schemaVersion: 1,
    cases: [
      {
        id: 'BraTS2021_90001',
        title: 'A',
        description: 'd',
        hasET: true,
        hasNCR: true,
        shape: [120, 120, 78],
        spacing: [2, 2, 2],
        files: { t1: 'a/t1.nii.gz', t1ce: 'a/t1ce.nii.gz', t2: 'a/t2.nii.gz', flair: 'a/flair.nii.gz', seg: 'a/seg.nii.gz' },
        volumesMl: { NCR: 1, ED: 2, ET: 3 },
      },
    ],
  };
  it('parses the catalogue and refuses paths that leave the folder', () => {
    expect(parseSampleIndex(JSON.stringify(good))[0].volumesMl.ET).toBe(3);
    const bad = structuredClone(good);
    bad.cases[0].files.seg = '../../secret.nii.gz';
    expect(() => parseSampleIndex(JSON.stringify(bad), 'idx.json')).toThrow(/idx.json: case 1 \(BraTS2021_90001\): files.seg/);
    expect(() => parseSampleIndex('{', 'idx.json')).toThrow(/idx.json: not valid JSON/);
  });

  it('folds inspections into the report', () => {
    const volumes = volumeTable(countLabels(new Uint8Array([1, 2, 4])), 'brats2021', [10, 10, 10]);
    const seen = { source: 'sample' as const, scheme: 'brats2021' as const, modality: 'flair' as const, view: 'axial' as const, display: 'raw' as const, preset: 'default' as const, volumes };
    const a = noteInspection(undefined, 'C1', seen);
    expect(a.summary).toBe('Inspected 1 case (C1); raw labels and nested regions not yet compared');
    const b = noteInspection(a.data as never, 'C1', { ...seen, display: 'regions', modality: 't1ce' });
    expect(b.summary).toBe('Inspected 1 case (C1); compared raw labels with nested regions on 1');
    const c1 = (b.data as { cases: Record<string, { modalities: string[]; volumesMl: { regions: Record<string, number> } }> }).cases.C1;
    expect(c1.modalities).toEqual(['flair', 't1ce']);
    // One voxel of 10 × 10 × 10 mm = 1 ml; WT = 3 voxels.
    expect(c1.volumesMl.regions.WT).toBe(3);
  });
});
