#!/usr/bin/env node
// `npm run bench`: runs every benchmark under scripts/bench/ one after the other (never in
// parallel: they share 2 cores), each printing its own figures against the issue's targets.
//   npm run bench                 all of them
//   npm run bench -- import pull  only those
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
const wanted = process.argv.slice(2);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.replace(/\.mjs$/, ''))
  .sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`bench: unknown benchmark(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length ? wanted : all;
console.log(
  `bench: ${chosen.join(', ')} (load average ${loadavg()[0].toFixed(2)} on 2 cores; figures are noisy under load)`,
);
const failed = [];
for (const name of chosen) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(dir, `${name}.mjs`)], { stdio: 'inherit' });
  console.log(
    `=== ${name}: ${r.status === 0 ? 'done' : `exit ${r.status}`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (r.status !== 0) failed.push(name);
}
process.exit(failed.length ? 1 : 0);
