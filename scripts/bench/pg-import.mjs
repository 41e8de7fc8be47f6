// Benchmark (not a test): `yunke-desk import --db postgres://…` of a 1,000,000-row orders CSV into a
// team database (issue 13, src/main/sync/pg-bulk.ts) against a raw `COPY orders (…) FROM STDIN` of
// the same rows through node-pg into an empty copy of the table (same columns and indexes), in the
// same run on a throwaway PostgreSQL cluster (scripts/pg-cluster.mjs). The team database already
// holds the referenced customers (50,000) and the product line. Target: import ≥ 50% of the raw
// COPY rate. For reference, the same file into a SQLite store (the per-row path, unchanged).
//   node scripts/bench/pg-import.mjs [--rows N] [--repeat K] [--url postgres://…/db]
//   --rows    rows of the file (default 1,000,000)
//   --repeat  raw/CLI pairs, interleaved so both see the same machine load (default 3); the
//             verdict uses the median ratio of the pairs
//   --url     an existing, empty database to use instead of a throwaway cluster
// The machine is shared: the load average is printed.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../pg-cluster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const pg = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const argOf = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1];
};
const ROWS = Number(argOf('rows', 1_000_000));
const REPEAT = Math.max(1, Number(argOf('repeat', 3)));
const CUSTOMERS = 50_000;
const RATE_TARGET = 0.5;

mkdirSync(join(root, '.bench'), { recursive: true });
const work = mkdtempSync(join(root, '.bench', 'pg-import-'));
const cli = join(root, 'bin', 'yunke-desk.mjs');
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const load0 = loadavg()[0];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (r) => `${(r * 100).toFixed(0)}%`;

let cluster = null;
let url = argOf('url', null);
if (!url) {
  cluster = await startCluster({ log: (m) => console.log(m) });
  process.on('exit', () => cluster.stop());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE bench TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const u = new URL(cluster.url);
  u.pathname = '/bench';
  url = u.toString();
}
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// the rows of scripts/bench/import.mjs: CSV text and the store values (for the raw COPY)
const SHANGHAI = 8 * 3600_000;
function row(i) {
  const fen = (i % 100_000) + 100;
  const day = 1 + (i % 28);
  const minute = i % 60;
  return {
    text: `O${i},C${i % CUSTOMERS},ecs,${i % 3 ? 'prepaid' : 'postpaid'},${i % 2 ? 'true' : 'false'},${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')},2026-03-${String(day).padStart(2, '0')} 12:${String(minute).padStart(2, '0')}:00`,
    values: [
      `O${i}`,
      `C${i % CUSTOMERS}`,
      'ecs',
      i % 3 ? 'prepaid' : 'postpaid',
      i % 2,
      fen,
      Date.UTC(2026, 2, day, 12, minute) - SHANGHAI,
    ],
  };
}

async function writeCsv(path, header, n, line) {
  const out = createWriteStream(path);
  out.write(header);
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += line(i) + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  await new Promise((r) => out.end(chunk, r));
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import exited ${code}: ${err.slice(0, 500)} ${out.slice(0, 500)}`));
      else resolve({ ms: performance.now() - t0, out: out.trim() });
    });
  });
}

// the team database: migrated by the CLI's first import, then the referenced rows
const plCsv = join(work, 'pl.csv');
writeFileSync(plCsv, 'product_line,name,rebate_eligible\necs,云服务器,true\n');
await runCli(['import', '--db', url, '--source', 'product_lines', plCsv]);
const customersCsv = join(work, 'customers.csv');
await writeCsv(
  customersCsv,
  'customer_id,customer_type,name,phone,id_number,registered_at,registration_ip,subject_id,channel\n',
  CUSTOMERS,
  (i) => `C${i},individual,客户${i},,,2026-01-01 10:00:00,,,none`,
);
await runCli(['import', '--db', url, '--source', 'customers', customersCsv]);

const csv = join(work, `orders-${ROWS}.csv`);
await writeCsv(
  csv,
  'order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n',
  ROWS,
  (i) => row(i).text,
);
console.log(
  `orders CSV: ${fmt(ROWS)} rows, ${(statSync(csv).size / 1e6).toFixed(1)} MB; load average ${load0.toFixed(2)}`,
);
// the raw COPY's input, built before its clock starts (as the raw inserts of import.mjs get parsed rows)
const chunks = [];
{
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    chunk += row(i).values.join('\t') + '\t1\n';
    if (chunk.length > 1 << 20) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  chunks.push(chunk);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const cols = 'order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id';

/** Raw: COPY of the same rows into an empty copy of orders (columns, key and indexes). */
async function runRaw() {
  await client.query('DROP TABLE IF EXISTS orders_raw');
  await client.query('CREATE TABLE orders_raw (LIKE orders INCLUDING ALL)');
  const t0 = performance.now();
  await client.query('BEGIN');
  const stream = client.query(copyFrom(`COPY orders_raw (${cols}) FROM STDIN`));
  await new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    (async () => {
      for (const c of chunks) if (!stream.write(c)) await new Promise((r) => stream.once('drain', r));
      stream.end();
    })();
  });
  await client.query('COMMIT');
  const ms = performance.now() - t0;
  await client.query('DROP TABLE orders_raw');
  return { ms };
}

const countsOf = (out) => out.split('\n').filter(Boolean).at(-1) ?? '';
const pairs = [];
for (let k = 1; k <= REPEAT; k++) {
  await client.query('TRUNCATE orders');
  await client.query('CHECKPOINT');
  const raw = await runRaw();
  await client.query('CHECKPOINT');
  const run = await runCli(['import', '--db', url, '--source', 'orders', csv]);
  const pair = { raw, run, ratio: raw.ms / run.ms };
  pairs.push(pair);
  console.log(
    `pair ${k}/${REPEAT}: raw COPY ${(raw.ms / 1000).toFixed(2)} s (${fmt(ROWS / (raw.ms / 1000))} rows/s); ` +
      `yunke-desk import ${(run.ms / 1000).toFixed(2)} s (${fmt(ROWS / (run.ms / 1000))} rows/s) → ${pct(pair.ratio)} of raw; ` +
      `${countsOf(run.out)}; load ${loadavg()[0].toFixed(2)}`,
  );
}
const again = await runCli(['import', '--db', url, '--source', 'orders', csv]);
console.log(
  `re-import of the same file (all unchanged): ${(again.ms / 1000).toFixed(2)} s, ${fmt(ROWS / (again.ms / 1000))} rows/s`,
);
const check = await client.query(
  'SELECT count(*)::int AS n, count(DISTINCT import_id)::int AS imports FROM orders',
);
console.log(
  `orders on the team database: ${fmt(check.rows[0].n)} rows of ${check.rows[0].imports} import(s)`,
);
await client.end();

// for reference: the same file into a SQLite store (the per-row path of sqlite-bulk.ts)
const lite = join(work, 'store.db');
await runCli(['import', '--db', lite, '--source', 'product_lines', plCsv]);
await runCli(['import', '--db', lite, '--source', 'customers', customersCsv]);
const liteRun = await runCli(['import', '--db', lite, '--source', 'orders', csv]);
console.log(
  `SQLite store, same file: ${(liteRun.ms / 1000).toFixed(2)} s (${fmt(ROWS / (liteRun.ms / 1000))} rows/s)`,
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratios = pairs.map((p) => p.ratio);
const rateMedian = median(ratios);
const table = [
  ['target', 'measured', 'met'],
  [
    `team database import ≥ ${pct(RATE_TARGET)} of raw COPY (${fmt(ROWS)} rows)`,
    `${pct(rateMedian)} (median of ${pairs.length}: ${ratios.map(pct).join(', ')}; ` +
      `${fmt(median(pairs.map((p) => ROWS / (p.run.ms / 1000))))} vs ${fmt(median(pairs.map((p) => ROWS / (p.raw.ms / 1000))))} rows/s)`,
    rateMedian >= RATE_TARGET ? 'yes' : 'NO',
  ],
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
console.log(
  `\npg-import benchmark summary (load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} on 2 cores):`,
);
for (const r of table) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
