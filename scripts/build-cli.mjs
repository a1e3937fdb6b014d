// Bundles the bratslab CLI into one plain-JavaScript file that runs on Node >= 20.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['labs/cli/main.ts'],
  outfile: 'dist-cli/bratslab.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  define: { __BRATSLAB_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies (commander) may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __bl_createRequire } from 'node:module'; const require = __bl_createRequire(import.meta.url);" },
  logLevel: 'warning',
});
