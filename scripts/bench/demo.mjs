// Benchmark of the demo generator through the CLI: wall time and peak RSS per scale.
// Usage: node scripts/bench/demo.mjs [scale ...]   (default: 1 20; needs `node scripts/build-cli.mjs`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'bin/yunke-desk.mjs');
const scales = process.argv.slice(2).length ? process.argv.slice(2) : ['1', '20'];
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const dir = mkdtempSync(join(tmpdir(), 'yunke-bench-'));
try {
  for (const scale of scales) {
    const db = join(dir, `demo-${scale}.db`);
    const args = ['demo', '--db', db, '--scale', scale, '--no-recompute'];
    const started = process.hrtime.bigint();
    const r = gnuTime
      ? spawnSync(gnuTime, ['-v', process.execPath, cli, ...args], { encoding: 'utf8' })
      : spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      process.exit(1);
    }
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '')?.[1];
    console.log(
      `demo --scale ${scale}: ${seconds.toFixed(1)} s wall` +
        (rss ? `, peak RSS ${(Number(rss) / 1024).toFixed(0)} MB` : '') +
        ` — ${r.stdout.trim()}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
