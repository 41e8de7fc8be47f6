// Benchmark (not a test): `yunke-desk import` of a 1,000,000-row orders CSV end to end, against raw
// better-sqlite3 prepared inserts of the same rows in one transaction, in the same run; and the
// peak RSS of the import process for a 2,000,000-row file. Targets (issue 3): CLI ≥ 40% of raw,
// peak RSS < 300 MB.   node scripts/bench/import.mjs [--rows N] [--big N]
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const ROWS = arg('rows', 1_000_000);
const BIG = arg('big', 2_000_000);
const work = join(root, '.bench', 'import');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const cli = join(root, 'bin', 'yunke-desk.mjs');
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });

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

/** Runs the CLI; returns wall ms and the peak RSS (VmHWM, polled from /proc) in MB. */
function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* exited */
      }
    }, 25);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`import exited ${code}: ${err.slice(0, 500)}`));
      else resolve({ ms: performance.now() - t0, peakMb: peak, out: out.trim() });
    });
  });
}

function freshStore(name) {
  const db = join(work, name);
  // The CLI creates the store with its migrations and tuning; the raw run then uses the same file.
  execFileSync(process.execPath, [
    cli,
    'import',
    '--db',
    db,
    '--source',
    'product_lines',
    join(work, 'pl.csv'),
  ]);
  return db;
}

execFileSync('sh', [
  '-c',
  `printf 'product_line,name,rebate_eligible\\necs,云服务器,true\\n' > ${join(work, 'pl.csv')}`,
]);
const csv = join(work, `orders-${ROWS}.csv`);
await writeCsv(csv, ROWS);
console.log(`orders CSV: ${ROWS.toLocaleString('en-US')} rows, ${(statSync(csv).size / 1e6).toFixed(1)} MB`);

// Raw: better-sqlite3 prepared inserts of the same (already parsed) rows, one transaction.
const rawFile = freshStore('raw.db');
const raw = new Database(rawFile);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.pragma('cache_size = -65536');
const rows = Array.from({ length: ROWS }, (_, i) => row(i).values);
const insert = raw.prepare(
  'INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)',
);
const r0 = performance.now();
raw.transaction(() => {
  for (const r of rows) insert.run(r);
})();
const rawMs = performance.now() - r0;
raw.close();
rows.length = 0;
const rawRate = ROWS / (rawMs / 1000);
console.log(
  `raw better-sqlite3 inserts: ${(rawMs / 1000).toFixed(2)} s, ${Math.round(rawRate).toLocaleString('en-US')} rows/s`,
);

const cliRun = await runCli(['import', '--db', freshStore('cli.db'), '--source', 'orders', csv]);
const cliRate = ROWS / (cliRun.ms / 1000);
const ratio = cliRate / rawRate;
console.log(
  `yunke-desk import (end to end, process start included): ${(cliRun.ms / 1000).toFixed(2)} s, ` +
    `${Math.round(cliRate).toLocaleString('en-US')} rows/s = ${(ratio * 100).toFixed(0)}% of raw (target ≥ 40%) ` +
    `${ratio >= 0.4 ? 'OK' : 'BELOW TARGET'}; peak RSS ${cliRun.peakMb.toFixed(0)} MB`,
);
const again = await runCli(['import', '--db', join(work, 'cli.db'), '--source', 'orders', csv]);
console.log(
  `re-import of the same file (all unchanged): ${(again.ms / 1000).toFixed(2)} s, ${Math.round(ROWS / (again.ms / 1000)).toLocaleString('en-US')} rows/s`,
);
rmSync(csv);

if (BIG > 0) {
  const big = join(work, `orders-${BIG}.csv`);
  await writeCsv(big, BIG);
  const bigRun = await runCli(['import', '--db', freshStore('big.db'), '--source', 'orders', big]);
  console.log(
    `yunke-desk import of ${BIG.toLocaleString('en-US')} rows: ${(bigRun.ms / 1000).toFixed(2)} s, ` +
      `peak RSS ${bigRun.peakMb.toFixed(0)} MB (target < 300 MB) ${bigRun.peakMb < 300 ? 'OK' : 'ABOVE TARGET'}`,
  );
  rmSync(big);
}
if (existsSync(work)) rmSync(work, { recursive: true, force: true });
