#!/usr/bin/env node
// Runs the shared rule scenarios through the CLI (import → recompute → export), with the shared
// runner (../shared/tools/run-scenarios.mjs). Exits non-zero when any scenario fails.
// usage: node scripts/scenarios.mjs [SCENARIO_DIR...]   (default: ../shared/scenarios/*)
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared');
const runner = join(shared, 'tools', 'run-scenarios.mjs');
if (!existsSync(runner)) {
  console.error(`scenarios: runner not found at ${runner}`);
  process.exit(1);
}
// The runner calls node_modules/.bin/yunke-desk; npm does not link a root package's own bin.
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'yunke-desk');
if (!existsSync(link)) {
  mkdirSync(binDir, { recursive: true });
  symlinkSync(relative(binDir, join(root, 'bin', 'yunke-desk.mjs')), link);
}
chmodSync(join(root, 'bin', 'yunke-desk.mjs'), 0o755);
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });

let dirs = process.argv.slice(2);
if (dirs.length === 0) {
  const base = join(shared, 'scenarios');
  dirs = readdirSync(base)
    .sort()
    .map((d) => join(base, d))
    .filter((d) => existsSync(join(d, 'expected.json')));
}
try {
  execFileSync(process.execPath, [runner, root, ...dirs], { stdio: 'inherit' });
} catch (e) {
  process.exit(typeof e.status === 'number' && e.status !== 0 ? e.status : 1);
}
