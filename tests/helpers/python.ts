/**
 * Finds the Python that carries the reference tools (nibabel, scikit-learn, PyTorch). On these
 * machines the `python3` on PATH may be another interpreter (pyenv) without Debian's packages,
 * so $PYTHON, then Debian's /usr/bin/python3, then `python3` are tried, in that order.
 */
import { spawnSync } from 'node:child_process';

export const CI = process.env.CI === 'true';

const found = new Map<string, string | null>();

/** An interpreter that imports every module in `modules` (e.g. 'nibabel, numpy'), or null. */
export function pythonWith(modules: string): string | null {
  if (found.has(modules)) return found.get(modules)!;
  let hit: string | null = null;
  for (const exe of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (exe && spawnSync(exe, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0) {
      hit = exe;
      break;
    }
  }
  found.set(modules, hit);
  return hit;
}

/**
 * Like pythonWith, but under CI=true a missing reference tool is a failure, not a skip: the
 * error names the Debian package that provides it.
 */
export function requirePython(modules: string, debianPackages: string): string | null {
  const py = pythonWith(modules);
  if (!py && CI) throw new Error(`CI=true but no python3 can import ${modules} (apt-get install ${debianPackages})`);
  return py;
}
