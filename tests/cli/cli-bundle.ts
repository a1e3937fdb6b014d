/** Bundles the CLI into a private temp file (other test files may be rebuilding dist-cli at the same time) and runs it on Node. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function bundleCli(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'bratslab-cli-')), 'bratslab.mjs');
  await build({
    entryPoints: ['labs/cli/main.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    define: { __BRATSLAB_VERSION__: '"test"' },
    banner: { js: "import { createRequire as __bl_createRequire } from 'node:module'; const require = __bl_createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return out;
}

export function runCli(bundle: string, args: string[], env: Record<string, string | undefined> = {}): { code: number; stdout: string; stderr: string } {
  // /usr/bin/node is Node 20 here: the bundle must run there (DESIGN.md).
  const node = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
  const r = spawnSync(node, [bundle, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
