#!/usr/bin/env node
// yunke-desk: the headless command line over the same core as the app (DATA.md).
// Runs the bundle in dist-cli/ (built at `npm install`), rebuilding it first when a source
// file under src/ is newer, so a checkout never runs stale code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..');
const built = join(root, 'dist-cli', 'cli.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const srcDirs = ['src/main', 'src/cli'].map((d) => join(root, d)).filter((d) => existsSync(d));
const stale = !existsSync(built) || srcDirs.some((d) => newestSource(d) > statSync(built).mtimeMs);
if (stale && srcDirs.length) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
// `yunke-desk export … | head`: the reader went away; stop quietly, as other Unix tools do
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
