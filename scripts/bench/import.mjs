// Benchmark (not a test): `yunke-desk import` of a 1,000,000-row orders CSV end to end, against raw
// better-sqlite3 prepared inserts of the same rows in one transaction, in the same run; and the
// peak RSS of the import process for a 2,000,000-row file. Targets (issue 3): CLI ≥ 40% of raw,
// peak RSS < 300 MB.
//   node scripts/bench/import.mjs [--rows N] [--big N] [--repeat K]
//   --rows    rows of the rate comparison (default 1,000,000)
//   --big     rows of the peak-RSS import (default 2,000,000; 0 skips it)
//   --repeat  raw/CLI pairs, interleaved so both see the same machine load (default 3); the
//             verdict uses the median ratio of the pairs.
// The machine is shared: the load average is printed, and CPU time (user + system) is reported
// beside wall time — the CPU ratio is far less sensitive to other processes than the wall ratio.
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const ROWS = arg('rows', 1_000_000);
const BIG = arg('big', 2_000_000);
const REPEAT = Math.max(1, arg('repeat', 3));
const RATE_TARGET = 0.4;
const RSS_TARGET_MB = 300;

mkdirSync(join(root, '.bench'), { recursive: true });
const work = mkdtempSync(join(root, '.bench', 'import-'));
const cli = join(root, 'bin', 'yunke-desk.mjs');
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const load0 = loadavg()[0];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (r) => `${(r * 100).toFixed(0)}%`;

const SHANGHAI = 8 * 3600_000;
function row(i) {
  const fen = (i % 100_000) + 100;
  const day = 1 + (i % 28);
  const minute = i % 60;
  return {
    text: `O${i},C${i % 50_000},ecs,${i % 3 ? 'prepaid' : 'postpaid'},${i % 2 ? 'true' : 'false'},${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')},2026-03-${String(day).padStart(2, '0')} 12:${String(minute).padStart(2, '0')}:00`,
    values: [
      `O${i}`,
      `C${i % 50_000}`,
      'ecs',
      i % 3 ? 'prepaid' : 'postpaid',
      i % 2,
      fen,
      Date.UTC(2026, 2, day, 12, minute) - SHANGHAI,
    ],
  };
}

async function writeCsv(path, n) {
  const out = createWriteStream(path);
  out.write('order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += row(i).text + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  await new Promise((r) => out.end(chunk, r));
}

const TICK_MS = 10; // /proc/<pid>/stat counts CPU time in clock ticks of 10 ms (USER_HZ = 100)

/** Runs the CLI; returns wall ms, CPU ms (user + system) and the peak RSS (VmHWM) in MB, polled from /proc. */
function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let cpuMs = 0;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuMs = Math.max(cpuMs, (Number(f[11]) + Number(f[12])) * TICK_MS);
      } catch {
        /* exited */
      }
    }, 25);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`import exited ${code}: ${err.slice(0, 500)}`));
      else resolve({ ms: performance.now() - t0, cpuMs, peakMb: peak, out: out.trim() });
    });
  });
}

const plCsv = join(work, 'pl.csv');
writeFileSync(plCsv, 'product_line,name,rebate_eligible\necs,云服务器,true\n');
let stores = 0;
function freshStore() {
  const db = join(work, `store-${++stores}.db`);
  // The CLI creates the store with its migrations and tuning; the raw run uses the same kind of file.
  execFileSync(process.execPath, [cli, 'import', '--db', db, '--source', 'product_lines', plCsv]);
  return db;
}
function dropStore(db) {
  for (const ext of ['', '-wal', '-shm']) rmSync(db + ext, { force: true });
}

/** Raw: better-sqlite3 prepared inserts of the same (already parsed) rows, one transaction. */
function runRaw(rows) {
  const file = freshStore();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  const insert = raw.prepare(
    'INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)',
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  raw.transaction(() => {
    for (const r of rows) insert.run(r);
  })();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  raw.close();
  dropStore(file);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const csv = join(work, `orders-${ROWS}.csv`);
await writeCsv(csv, ROWS);
console.log(
  `orders CSV: ${fmt(ROWS)} rows, ${(statSync(csv).size / 1e6).toFixed(1)} MB; load average ${load0.toFixed(2)}`,
);
const rows = Array.from({ length: ROWS }, (_, i) => row(i).values);

const pairs = [];
let lastStore = null;
for (let k = 1; k <= REPEAT; k++) {
  const raw = runRaw(rows);
  if (lastStore) dropStore(lastStore);
  lastStore = freshStore();
  const run = await runCli(['import', '--db', lastStore, '--source', 'orders', csv]);
  const pair = { raw, run, ratio: raw.ms / run.ms, cpuRatio: raw.cpuMs / run.cpuMs };
  pairs.push(pair);
  console.log(
    `pair ${k}/${REPEAT}: raw inserts ${(raw.ms / 1000).toFixed(2)} s (${fmt(ROWS / (raw.ms / 1000))} rows/s, cpu ${(raw.cpuMs / 1000).toFixed(2)} s); ` +
      `yunke-desk import ${(run.ms / 1000).toFixed(2)} s (${fmt(ROWS / (run.ms / 1000))} rows/s, cpu ${(run.cpuMs / 1000).toFixed(2)} s, ` +
      `peak RSS ${run.peakMb.toFixed(0)} MB) → ${pct(pair.ratio)} of raw (cpu ${pct(pair.cpuRatio)}); load ${loadavg()[0].toFixed(2)}`,
  );
}
rows.length = 0;
const again = await runCli(['import', '--db', lastStore, '--source', 'orders', csv]);
console.log(
  `re-import of the same file (all unchanged): ${(again.ms / 1000).toFixed(2)} s, ${fmt(ROWS / (again.ms / 1000))} rows/s`,
);
dropStore(lastStore);
rmSync(csv);

let bigRun = null;
if (BIG > 0) {
  const big = join(work, `orders-${BIG}.csv`);
  await writeCsv(big, BIG);
  const db = freshStore();
  bigRun = await runCli(['import', '--db', db, '--source', 'orders', big]);
  console.log(
    `yunke-desk import of ${fmt(BIG)} rows: ${(bigRun.ms / 1000).toFixed(2)} s (${fmt(BIG / (bigRun.ms / 1000))} rows/s), peak RSS ${bigRun.peakMb.toFixed(0)} MB`,
  );
  dropStore(db);
  rmSync(big);
}
rmSync(work, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratios = pairs.map((p) => p.ratio);
const rateMedian = median(ratios);
const cpuMedian = median(pairs.map((p) => p.cpuRatio));
const cliRate = median(pairs.map((p) => ROWS / (p.run.ms / 1000)));
const rawRate = median(pairs.map((p) => ROWS / (p.raw.ms / 1000)));
const table = [
  ['target', 'measured', 'met'],
  [
    `import rate ≥ ${pct(RATE_TARGET)} of raw inserts (${fmt(ROWS)} rows)`,
    `${pct(rateMedian)} (median of ${pairs.length}: ${ratios.map(pct).join(', ')}; ` +
      `${fmt(cliRate)} vs ${fmt(rawRate)} rows/s; cpu ratio ${pct(cpuMedian)})`,
    rateMedian >= RATE_TARGET ? 'yes' : 'NO',
  ],
  bigRun
    ? [
        `peak RSS < ${RSS_TARGET_MB} MB (${fmt(BIG)} rows)`,
        `${bigRun.peakMb.toFixed(0)} MB`,
        bigRun.peakMb < RSS_TARGET_MB ? 'yes' : 'NO',
      ]
    : [`peak RSS < ${RSS_TARGET_MB} MB`, 'skipped (--big 0)', '-'],
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
console.log(
  `\nimport benchmark summary (load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} on 2 cores):`,
);
for (const r of table) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
