import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The system Node (20 on these machines), not the pinned Node 24 that runs the tests. */
const SYSTEM_NODE = '/usr/bin/node';

describe('npm pack', () => {
  it('yields a tarball with no runtime dependencies whose bratslab runs on the system Node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bratslab-pack-'));
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' });
    const [info] = JSON.parse(out.slice(out.indexOf('[')));
    const files = info.files.map((f: { path: string }) => f.path).sort();
    expect(files).toContain('dist-cli/bratslab.mjs');
    expect(files.every((f: string) => f.startsWith('dist-cli/') || ['LICENSE', 'README.md', 'package.json'].includes(f))).toBe(true);

    execFileSync('tar', ['xzf', join(dir, info.filename), '-C', dir]);
    const pkg = JSON.parse(execFileSync('cat', [join(dir, 'package', 'package.json')], { encoding: 'utf8' }));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(dir, 'package'))).toContain('dist-cli');

    const help = spawnSync(SYSTEM_NODE, [join(dir, 'package', 'dist-cli', 'bratslab.mjs'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: bratslab/);
    const version = spawnSync(SYSTEM_NODE, [join(dir, 'package', 'dist-cli', 'bratslab.mjs'), '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(execFileSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' })).toMatch(/^v\d+/);
  });
});
