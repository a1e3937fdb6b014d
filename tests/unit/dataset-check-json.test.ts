/**
 * dataset.json rules and the order-preserving reader. Expected values are worked out by hand
 * from nnU-Net's rules (nnunet-facts.md §2) and from what Python's json.load does with the text.
 */
import { describe, expect, it } from 'vitest';
import { checkDatasetJson, parseJson, RULE_IDS, RULES } from '../../labs/dataset-check/index';
import { isRuleId } from '../../labs/shared/findings';

const ok = {
  channel_names: { '0': 'T1', '1': 'T1ce', '2': 'T2', '3': 'Flair' },
  labels: { background: 0, 'whole tumor': [1, 2, 3], 'tumor core': [2, 3], 'enhancing tumor': [3] },
  numTraining: 4,
  file_ending: '.nii.gz',
  regions_class_order: [1, 2, 3],
};
const rules = (text: string) => checkDatasetJson(text, 'dataset.json', '.nii.gz').findings.map((f) => f.rule);

describe('order-preserving JSON reader', () => {
  it('keeps channel_names in file order where JSON.parse reorders integer-like keys', () => {
    const text = '{"channel_names": {"1": "CT", "0": "MR"}}';
    expect(Object.values(JSON.parse(text).channel_names)).toEqual(['MR', 'CT']);
    const r = checkDatasetJson(text, 'dataset.json', '.nii.gz');
    // Python's json.load keeps ["CT", "MR"]: nnU-Net's planner gives channel 0 the CT scheme.
    expect(r.config!.channels).toEqual(['CT', 'MR']);
    expect(r.findings.some((f) => f.rule === 'dataset.json-keys' && f.message.includes('"1"'))).toBe(true);
  });

  it('points at the line and column of a comment and a trailing comma', () => {
    const text = '{\n  "numTraining": 4,\n  # four cases\n  "file_ending": ".nii.gz",\n}';
    const strict = parseJson(text);
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect([strict.error.line, strict.error.column, strict.error.kind]).toEqual([3, 3, 'comment']);
    const lenient = parseJson(text, { recover: true });
    expect(lenient.ok && lenient.recovered.map((p) => [p.line, p.kind])).toEqual([
      [3, 'comment'],
      [4, 'trailing-comma'],
    ]);
  });

  it('reports the missing comma after file_ending (the slip in nnU-Net\'s docs example)', () => {
    const r = parseJson('{\n "file_ending": ".nii.gz"\n "numTraining": 3\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBe(3);
  });

  it('flags NaN literals and duplicate keys that Python accepts silently', () => {
    const r = checkDatasetJson('{"numTraining": NaN, "numTraining": 3}', 'dataset.json', '.nii.gz');
    expect(r.findings.filter((f) => f.rule === 'dataset.json-syntax').map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(r.config!.numTraining).toBe(3);
  });
});

describe('dataset.json rules', () => {
  it('accepts the Dataset137 dataset.json', () => {
    expect(rules(JSON.stringify(ok))).toEqual([]);
  });

  it('applies nnU-Net\'s label rules', () => {
    expect(rules(JSON.stringify({ ...ok, labels: { background: 0, a: 1, b: 2, c: 4 }, regions_class_order: undefined }))).toContain('dataset.labels-consecutive');
    expect(rules(JSON.stringify({ ...ok, labels: { '0': 'background', '1': 'tumour' }, regions_class_order: undefined }))).toContain('dataset.labels-background');
    expect(rules(JSON.stringify({ ...ok, labels: { background: 0, a: 1, ignore: 3 }, regions_class_order: undefined }))).toContain('dataset.labels-ignore');
    expect(rules(JSON.stringify({ ...ok, labels: { background: 0, a: 1, ignore: 2 }, regions_class_order: undefined }))).toEqual([]);
    expect(rules(JSON.stringify({ ...ok, regions_class_order: undefined }))).toContain('dataset.regions-class-order');
    expect(rules(JSON.stringify({ ...ok, regions_class_order: [1, 2] }))).toContain('dataset.regions-class-order');
  });

  it('catches regions that mix the two BraTS schemes', () => {
    // Tumour core [1, 2] holds edema under either scheme (Dataset137: 1 = edema; keep: 2 = edema).
    expect(rules(JSON.stringify({ ...ok, labels: { background: 0, 'whole tumor': [1, 2, 3], 'tumor core': [1, 2], 'enhancing tumor': [3] } }))).toContain('dataset.regions-mixed-scheme');
    // The "keep" regions are consistent on their own.
    expect(rules(JSON.stringify({ ...ok, labels: { background: 0, 'whole tumor': [1, 2, 3], 'tumor core': [1, 3], 'enhancing tumor': [3] }, regions_class_order: [2, 1, 3] }))).toEqual([]);
  });

  it('checks keys, types, file_ending and the v1 modality key', () => {
    const { channel_names, ...noChannels } = ok;
    expect(rules(JSON.stringify({ ...noChannels, modality: channel_names }))).toEqual(['dataset.json-v1-modality']);
    expect(rules(JSON.stringify(noChannels))).toContain('dataset.json-keys');
    expect(rules(JSON.stringify({ ...ok, numTraining: '4' }))).toContain('dataset.json-keys');
    expect(rules(JSON.stringify({ ...ok, file_ending: 'nii.gz' }))).toContain('dataset.file-ending');
    expect(rules(JSON.stringify({ ...ok, file_ending: '.jpg' }))).toContain('dataset.file-ending');
    expect(rules(JSON.stringify({ ...ok, overwrite_image_reader_writer: null }))).toContain('dataset.json-keys');
  });
});

describe('rule table', () => {
  it('holds every fixed rule id, each with a lesson link and a fix', () => {
    const fixed = 'folder-name reserved-id missing-folder json-missing json-syntax json-keys json-v1-modality labels-background labels-consecutive labels-ignore regions-class-order regions-mixed-scheme file-ending num-training channel-missing channel-gap channel-extra channel-suffix label-suffix image-without-label label-without-image wrong-ending hidden-file case-collision images-ts-channels non-regular-file unreadable shape-mismatch spacing-mismatch geometry-mismatch dimensionality image-nan image-inf label-values label-unconverted-brats label-non-integer label-float-dtype label-empty label-unused format-unchecked channel-swap channel-names-mismatch test-in-train brats-geometry duplicate-case channel-all-zero orientation-varies'
      .split(' ')
      .map((s) => `dataset.${s}`);
    expect([...RULE_IDS].sort()).toEqual([...fixed].sort());
    for (const id of RULE_IDS) {
      expect(isRuleId(id)).toBe(true);
      expect(RULES[id].lesson).toMatch(/^\/weeks\/week-06\/0[345]-/);
      expect(RULES[id].hint.length).toBeGreaterThan(20);
    }
  });
});
