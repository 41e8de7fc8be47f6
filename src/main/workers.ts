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

/**
 * The heap of a thread that runs the engine (the engine worker, a full run's helpers): a young
 * generation of 192 MB (semi-spaces of 64 MB) instead of Node's default (48 MB on Node 20, x64).
 * A recompute makes tens of millions of short-lived objects (rows read, results written) beside a
 * world of a few hundred MB that lives through the run; with the default, the young collector ran
 * four times as often and copied the rows still in use each time. Measured on a team database of
 * `demo --scale 20` (scripts/bench/team.mjs, runs taken in turn with and without): a full
 * recompute 18.2–19.6 s (mean 19.3 s) instead of 19.4–23.6 s (mean 21.6 s); the same engine in one
 * thread, with and without `--max-semi-space-size=64`: 17.6–18.7 s against 20.1–20.8 s. Each
 * such thread may hold up to 144 MB more while it runs (a full run's engine and its helper at
 * once: twice that); the old generation's limit is unchanged.
 */
export const ENGINE_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 192 } as const;
