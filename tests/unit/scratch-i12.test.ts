import { it } from 'vitest';
import { join } from 'node:path';
import { nodeCodec } from '../../labs/cli/node-codec';
import { nodeSink, nodeSource } from '../../labs/cli/node-files';
import { checkCase, finishCheck, planCheck } from '../../labs/dataset-check/index';
import { writeNnunet } from '../../labs/synth/dataset';
import { seedBlock, tinyNnunet } from '../helpers/synth';
import { DU, FG, writeRealDataset } from '../helpers/real-dataset';
const perms: [string, number[]][] = [['T1<>T1ce',[1,0,2,3]],['T1<>T2',[2,1,0,3]],['T1<>FLAIR',[3,1,2,0]],['T1ce<>T2',[0,2,1,3]],['T1ce<>FLAIR',[0,3,2,1]],['T2<>FLAIR',[0,1,3,2]],['cycle 1230',[1,2,3,0]],['cycle 3012',[3,0,1,2]],['cycle 2301?',[2,3,1,0]]];
it('table', async () => {
  const sets: [string, () => Promise<string>][] = [
    ['DU 2mm', async () => (await writeRealDataset('/tmp/i12/t-du', DU, { cases: 6, testCases: 2, mm: 2, seed: 3 })).folder],
    ['FG 2mm (held out)', async () => (await writeRealDataset('/tmp/i12/t-fg', FG, { cases: 6, testCases: 2, mm: 2, seed: 3 })).folder],
    ...(['a','b','c'] as const).map((sc) => [`synth ${sc} 2mm`, async () => { const d = `/tmp/i12/t-s${sc}`; const [ds] = await writeNnunet(nodeSink(d), tinyNnunet(seedBlock(60 + sc.charCodeAt(0), 6), { size: 'web', scanners: [sc] }), nodeCodec, 60); return join(d, ds.folder); }] as [string, () => Promise<string>]),
  ];
  for (const [name, mk] of sets) {
    const folder = await mk();
    for (const labels of [true, false]) {
      const source = nodeSource(folder);
      const plan = await planCheck(source);
      if (!labels) for (const t of plan.tasks) t.task = { ...t.task, label: undefined };
      const results = [];
      for (const { task, ctx } of plan.tasks) results.push(await checkCase(source, task, ctx, { codec: nodeCodec }));
      const rows: string[] = [];
      for (const [pn, perm] of perms) {
        for (const k of [1, 4]) {
          const rs = [...results];
          const { task, ctx } = plan.tasks[k];
          rs[k] = await checkCase(source, { ...task, images: perm.map((src, f) => ({ channel: f, path: task.images[src].path })) }, ctx, { codec: nodeCodec });
          const f = finishCheck(plan, rs).findings.filter((x) => x.rule === 'dataset.channel-swap');
          const e = f[0]?.evidence as any;
          rows.push(`${pn}@${k}: ${f.length ? `${e.confidence} gap ${e.physicsGap} ratio ${e.consensusRatio}` : 'MISSED'}`);
        }
      }
      console.log(`${name} ${labels ? 'labels' : 'no labels'}\n  ` + rows.join('\n  '));
    }
  }
}, 1200000);
