#!/usr/bin/env node
/**
 * Nightly-size fuzzing (issue 12): the fuzz properties of the test suite (importers, every
 * contract method) with many more cases.
 *
 *   npm run fuzz                      a fresh seed, 2,000 runs of the largest property
 *   npm run fuzz -- --runs 10000      more
 *   npm run fuzz -- --seed 123456     replay a run (same seed, same runs → same cases)
 *
 * The seed is printed first and again at the end with the line that replays it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const seed = Number(option('seed') ?? Math.floor(Math.random() * 0x7fffffff));
const runs = Number(option('runs') ?? 2000);
if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run fuzz -- [--seed N] [--runs N]');
  process.exit(2);
}
const files = ['src/main/sync/import-fuzz.test.ts', 'src/main/api/contract-fuzz.test.ts'];
console.log(`fuzz: seed ${seed}, ${runs} runs`);
const started = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(runs) },
});
const secs = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `fuzz: seed ${seed}, ${runs} runs, ${secs} s: ${r.status === 0 ? 'no failure' : 'FAILED'} ` +
    `(replay: npm run fuzz -- --seed ${seed} --runs ${runs})`,
);
process.exit(r.status ?? 1);
