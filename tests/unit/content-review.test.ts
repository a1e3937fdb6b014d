/**
 * Content checks for the corrections of the review in issue 17 that a forbidden phrase cannot catch
 * (those are rules in content.test.ts): what a page or script must say or do. Each test names the
 * lesson and the fault it guards against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLIST } from '../../labs/checklist';

const ROOT = resolve(__dirname, '../..');
const WEEK = join(ROOT, 'src/content/weeks/week-06');
const lessonFiles = readdirSync(WEEK).filter((f) => f.endsWith('.mdx'));
const lesson = (n: number) => readFileSync(join(WEEK, lessonFiles.find((f) => f.startsWith(String(n).padStart(2, '0') + '-'))!), 'utf8');
const script = (name: string) => readFileSync(join(ROOT, 'course-scripts', name), 'utf8');
const allPages = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? allPages(join(dir, d.name)) : d.name.endsWith('.mdx') ? [readFileSync(join(dir, d.name), 'utf8')] : [],
  );
const pages = allPages(join(ROOT, 'src/content'));

/** Fenced code blocks of one language in a page. */
const blocks = (text: string, lang: string) => [...text.matchAll(new RegExp('```' + lang + '[^\\n]*\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

describe('review corrections (issue 17)', () => {
  it('L9: the loss of a region-based run is Dice plus binary cross-entropy', () => {
    expect(lesson(9)).toMatch(/region-based run[^.]*binary\s+\(BCE/);
  });

  it('L10: the public nnUNet_rain run is read as regions, and #2290 is quoted with its digits', () => {
    const l10 = lesson(10);
    expect(l10).toMatch(/This run is region-based, so its three numbers are the whole-tumour,\s+tumour-core and enhancing-tumour regions/);
    const block = blocks(l10, 'text').find((b) => b.includes('Epoch 2'))!;
    expect(block).toContain('train_loss 0.5986');
    expect(block).toContain('val_loss 3.6355');
  });

  it('the log lab names the nnUNet_rain run\'s entries as regions too (its dataset.json declares WT, TC, ET)', () => {
    const run = JSON.parse(readFileSync(join(ROOT, 'public/data/curves/ucsfmets_default_sgd_resencL.json'), 'utf8'));
    expect(run.classes).toEqual(['whole tumor', 'tumor core', 'enhancing tumor']);
    expect(run.notes).not.toMatch(/necrosis \(class 2\)/);
  });

  it('L7 and L9: with a batch of two, one patch in two is forced to contain foreground', () => {
    expect(lesson(7)).toMatch(/one of two \(50 %\)/);
    expect(lesson(9)).toMatch(/with a batch of two, one patch of each batch forced to contain\s+foreground/);
  });

  it('L12: the low-grade example adds up (8 cases over folds of 12 validation cases)', () => {
    expect(lesson(12)).toMatch(/twelve validation cases can hold four of them and another fold's none/);
  });

  it('L7 and references: the ResEnc presets file exists under that name', () => {
    const refs = readFileSync(join(ROOT, 'src/content/references.mdx'), 'utf8');
    for (const text of [lesson(7), refs]) expect(text).toContain('residual_unets/residual_encoder_unet_planners.py');
  });

  it('L4: BraTS 2017-2019 HGG/LGG sub-folders are named, and the converter reads them', () => {
    expect(lesson(4)).toMatch(/`HGG\/` and `LGG\/` sub-folders: the script reads both/);
    expect(script('convert_brats2021.py')).toMatch(/for grade in \("HGG", "LGG"\)/);
  });

  it('check_labels.py: the raw-BraTS hint follows the scheme dataset.json declares', () => {
    const text = script('check_labels.py');
    const lines = text.split('\n').filter((l) => l.includes('remap 4 -> 3'));
    expect(lines.length).toBeGreaterThan(0);
    // "remap 4 -> 3" alone is right only for the keep scheme; under Dataset137 regions it is the silent mix.
    for (const l of lines) expect(l).toMatch(/keep scheme/);
    expect(text).toContain('remap 1 -> 2, 2 -> 1, 4 -> 3');
  });

  it('L11, L13 and the checklist: every --group-by pattern matches the case ids of the dataset it runs on', () => {
    const exampleId: Record<string, string> = { Dataset137_BraTS2021: 'BraTS2021_00000', Dataset501_FollowUps: 'P0042_s1' };
    const commands = [...pages, ...CHECKLIST.map((c) => c.command ?? '')];
    let seen = 0;
    for (const text of commands) {
      for (const m of text.matchAll(/\/(Dataset\d{3}_\w+)"?\s+--group-by\s+(['"])(.+?)\2/g)) {
        seen++;
        const id = exampleId[m[1]];
        expect(id, `no example case id known for ${m[1]}`).toBeDefined();
        expect(new RegExp(m[3]).test(id), `--group-by '${m[3]}' does not match ${m[1]}'s id ${id}`).toBe(true);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('no shell block or checklist command audits a split before writing it', () => {
    const shells = [...pages.flatMap((p) => blocks(p, 'sh')), ...CHECKLIST.map((c) => (c.command ?? '').replace(/ && /g, '\n'))];
    for (const block of shells) {
      const lines = block.split('\n');
      lines.forEach((line, i) => {
        if (!/bratslab splits .*--check/.test(line)) return;
        const written = lines.slice(0, i).some((l) => /bratslab splits /.test(l) && !/--check/.test(l));
        expect(written, `audits a split that this block never writes:\n${block}`).toBe(true);
      });
    }
  });

  it('pretrain_checks.sh: set -euo pipefail, every file checked, disk space, and the five steps in order', () => {
    const sh = script('pretrain_checks.sh');
    expect(sh).toMatch(/^set -euo pipefail$/m);
    expect(sh).toMatch(/df -Pk "\$nnUNet_preprocessed"/);
    expect(sh).toMatch(/verify_nifti\.py" "\$nnUNet_raw\/\$DATASET\/imagesTr"/);
    const order = ['convert_brats2021.py', 'check_labels.py', 'nnUNetv2_plan_and_preprocess -d', '--force', '--check "$SPLIT"'].map((s) => sh.indexOf(s));
    for (const at of order) expect(at).toBeGreaterThan(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('L13 shows and links the script and names the disk-space check', () => {
    const l13 = lesson(13);
    expect(l13).toContain("course-scripts/pretrain_checks.sh?raw");
    expect(l13).toContain('href="../../../course-scripts/pretrain_checks.sh" download');
    expect(l13).toMatch(/df -h "\$nnUNet_preprocessed"/);
    // The old block checked the files of one case (BraTS2021_00000_000*) while the item says every file.
    expect(l13).not.toMatch(/BraTS2021_00000_000\*?"?\*/);
  });

  it('L10: the sourced tips on mixed precision and the T1ce channel', () => {
    const l10 = lesson(10);
    expect(l10).toMatch(/-device cpu/);
    expect(l10).toMatch(/autocast/);
    expect(l10).toContain('https://github.com/MIC-DKFZ/nnUNet/issues/2629');
    expect(l10).toMatch(/look at the T1ce channel[\s\S]{0,400}references\/#baid-2021/);
  });

  it('every course script has a download link on a lesson page', () => {
    const all = pages.join('\n');
    for (const f of readdirSync(join(ROOT, 'course-scripts')).filter((n) => /\.(py|sh)$/.test(n))) {
      expect(all, `no download link for ${f}`).toContain(`href="../../../course-scripts/${f}" download`);
    }
  });
});
