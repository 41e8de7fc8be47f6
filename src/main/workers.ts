import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the bundled entry of a worker thread (`import-worker`, `engine-worker`): next to this
 * bundle (dist-cli/*.mjs for the CLI and bridge, out/main/*.js for Electron), else in the
 * repository's dist-cli/ (above the bundle, or in the working directory). Null when none is built (tests from sources): callers run inline.
 */
export function findWorker(name: string): string | null {
  const fromEnv = process.env[`YUNKE_${name.toUpperCase().replace(/-/g, '_')}`];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (const file of [`${name}.mjs`, `${name}.js`]) if (existsSync(join(dir, file))) return join(dir, file);
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'dist-cli', `${name}.mjs`);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  // a bundle outside the repository (a test's worker in a temp folder), run from the checkout
  const fromCwd = join(process.cwd(), 'dist-cli', `${name}.mjs`);
  if (existsSync(fromCwd)) return fromCwd;
  return null;
}
