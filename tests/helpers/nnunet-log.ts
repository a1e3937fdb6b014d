/**
 * Renders per-epoch figures in nnU-Net v2's log line templates (nnunet-facts.md §5.3;
 * nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py, on_train_epoch_start / on_epoch_end), so tests
 * and benches can rebuild logs from real transcribed curves (public/data/curves) or made-up runs.
 * The numbers are printed as nnU-Net prints them: losses and Dice rounded to 4 decimals, the LR to 5
 * (scientific below 1e-4), Dice wrapped as numpy 2 scalars.
 */
export interface RenderEpoch {
  epoch: number;
  lr: number | null;
  train_loss: number | null;
  val_loss: number | null;
  pseudo_dice: number[] | null;
  epoch_time: number | null;
}

export const r4 = (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1e4) / 1e4) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

/** Python repr of np.round(lr, 5) (scientific below 1e-4). */
export const lrText = (v: number) => {
  const x = Math.round(v * 1e5) / 1e5;
  return x !== 0 && x < 1e-4 ? x.toExponential().replace(/e-(\d)$/, 'e-0$1') : String(x);
};

/** The header nnU-Net writes when a training process starts (banner and first records); `stamp`,
 * the time of its first record, tells processes apart (nnU-Net prints microseconds). */
export function renderHeader(stamp: string): string {
  return [
    '',
    '#######################################################################',
    'Please cite the following paper when using nnU-Net:',
    'Isensee, F., Jaeger, P. F., Kohl, S. A., Petersen, J., & Maier-Hein, K. H. (2021). nnU-Net: a self-configuring method for deep learning-based biomedical image segmentation. Nature methods, 18(2), 203-211.',
    '#######################################################################',
    ' ',
    `${stamp}: do_dummy_2d_data_aug: False `,
    `${stamp}: Using splits from existing split file: /data/nnUNet_preprocessed/Dataset001_X/splits_final.json `,
    `${stamp}: Desired fold for training: 0 `,
  ].join('\n');
}

/**
 * Epoch blocks (and "Training done." when `done`). `begun`: one more epoch whose block stops after
 * its learning rate, as a process that died inside it leaves it.
 */
export function renderV2(epochs: RenderEpoch[], opts: { done?: boolean; begun?: { epoch: number; lr: number } } = {}): string {
  const out: string[] = [];
  let ema: number | null = null;
  let best = -Infinity;
  epochs.forEach((p, i) => {
    const ts = `2026-03-05 ${String(9 + Math.floor(i / 60) % 14).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000001`;
    out.push(`${ts}: `, `${ts}: Epoch ${p.epoch} `);
    if (p.lr !== null) out.push(`${ts}: Current learning rate: ${lrText(p.lr)} `);
    if (p.train_loss !== null) out.push(`${ts}: train_loss ${r4(p.train_loss)} `);
    if (p.val_loss !== null) out.push(`${ts}: val_loss ${r4(p.val_loss)} `);
    if (p.pseudo_dice) out.push(`${ts}: Pseudo dice [${p.pseudo_dice.map((d) => `np.float32(${r4(d)})`).join(', ')}] `);
    if (p.epoch_time !== null) out.push(`${ts}: Epoch time: ${Math.round(p.epoch_time * 100) / 100} s `);
    const fin = (p.pseudo_dice ?? []).filter((d) => !Number.isNaN(d));
    if (fin.length > 0) {
      const m = fin.reduce((a, b) => a + b, 0) / fin.length;
      ema = ema === null ? m : 0.9 * ema + 0.1 * m;
      if (ema > best) {
        best = ema;
        out.push(`${ts}: Yayy! New best EMA pseudo Dice: ${r4(ema)} `);
      }
    }
  });
  if (opts.begun) out.push('2026-03-05 23:00:00.000001: ', `2026-03-05 23:00:00.000001: Epoch ${opts.begun.epoch} `, `2026-03-05 23:00:00.000001: Current learning rate: ${lrText(opts.begun.lr)} `);
  if (opts.done) out.push('2026-03-05 23:59:59.000001: Training done. ');
  return out.join('\n') + '\n';
}
