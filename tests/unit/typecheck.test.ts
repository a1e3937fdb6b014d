import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const tsc = resolve('node_modules/typescript/bin/tsc');

function compile(args: string[]) {
  return spawnSync(process.execPath, [tsc, ...args], { encoding: 'utf8' });
}

describe('lab cores are framework-free', () => {
  it('labs/ compiles with no DOM and no Node types', () => {
    const r = compile(['-p', 'labs/tsconfig.json', '--noEmit']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the CLI compiles against Node types', () => {
    const r = compile(['-p', 'labs/cli/tsconfig.json', '--noEmit']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a core that touches the DOM or node: modules fails under the labs tsconfig', () => {
    const dir = mkdtempSync(join(resolve('labs'), '.probe-'));
    const cfg = JSON.parse(readFileSync('labs/tsconfig.json', 'utf8'));
    writeFileSync(join(dir, 'bad.ts'), "import { readFileSync } from 'node:fs';\nexport const t = document.title + String(readFileSync);\n");
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: cfg.compilerOptions, include: ['bad.ts'] }));
    const r = compile(['-p', join(dir, 'tsconfig.json'), '--noEmit']);
    spawnSync('rm', ['-rf', dir]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/Cannot find name 'document'/);
    expect(r.stdout).toMatch(/node:fs/);
  });
});
