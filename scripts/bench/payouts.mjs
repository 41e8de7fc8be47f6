#!/usr/bin/env node
// Payouts, levels and trends benchmark (a measurement, not a test). Targets (issue 11), on
// `demo --scale 20`: prepare the largest cycle's batch ≤ 2 s; export it ≤ 1 s (CSV and XLSX);
// a partner's experience ledger and level history ≤ 50 ms (the partner with the most entries);
// the dashboard's trends ≤ 200 ms (26 weeks to the as-of, and the whole year).
// usage: node scripts/bench/payouts.mjs [--db FILE] [--scale N] [--runs N]
//   Without --db the demo store, computed, is cached in $TMPDIR/yunke-bench-payouts-s<N>.db and
//   generated through the CLI (demo, then recompute) when missing or written by another schema.
//   The benchmark works on a copy. --runs N: repetitions of each measurement (default 5; medians).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const scale = Number(arg('scale', '20'));
const runs = Math.max(1, Number(arg('runs', '5')));
const require = createRequire(join(root, 'package.json'));
const native = require.resolve('better-sqlite3');

// the modules timed, bundled from the sources into a temp folder (better-sqlite3 from node_modules)
const work = mkdtempSync(join(tmpdir(), 'yunke-bench-payouts-'));
await build({
  entryPoints: [join(root, 'scripts', 'bench', 'payouts-entry.ts')],
  outfile: join(work, 'entry.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [
    {
      name: 'native-external',
      setup(b) {
        b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: native, external: true }));
      },
    },
  ],
});
const E = await import(pathToFileURL(join(work, 'entry.mjs')).href);
const Database = require('better-sqlite3');

/** true when the store's migrations are exactly this code's and the engine has run on it */
function current(file) {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const applied = db.prepare('SELECT version, checksum FROM _migrations ORDER BY version').all();
      // the migrations a store file applies and records (a PostgreSQL-only one it has not)
      const known = E.migrationsOf('sqlite');
      const ran = db.prepare('SELECT COUNT(*) FROM engine_runs').pluck().get() > 0;
      return (
        ran &&
        applied.length === known.length &&
        applied.every((a, i) => a.checksum === E.migrationChecksum(known[i]))
      );
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

let db = arg('db', undefined);
if (!db) {
  db = join(tmpdir(), `yunke-bench-payouts-s${scale}.db`);
  if (!current(db)) {
    console.log(
      `generating demo --scale ${scale} into ${db}, then a recompute (missing or another schema) …`,
    );
    const tmp = `${db}.${process.pid}.tmp`;
    const cli = (...a) =>
      execFileSync(process.execPath, [join(root, 'bin', 'yunke-desk.mjs'), ...a], { stdio: 'inherit' });
    cli('demo', '--db', tmp, '--scale', String(scale), '--no-recompute');
    cli('recompute', '--db', tmp, '--as-of', '2026-11-25T00:00:00+08:00');
    for (const ext of ['-wal', '-shm']) rmSync(db + ext, { force: true });
    execFileSync(process.execPath, [
      '-e',
      `new (require(${JSON.stringify(native)}))(${JSON.stringify(tmp)}).pragma('wal_checkpoint(TRUNCATE)')`,
    ]);
    renameSync(tmp, db);
    for (const ext of ['-wal', '-shm']) rmSync(tmp + ext, { force: true });
  }
}
const file = join(work, 'store.db');
copyFileSync(db, file);
for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, file + ext);

const now = () => process.hrtime.bigint();
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const load0 = loadavg()[0];
const store = E.openStore(file);
const sqlite = store.sqlite;
const run = sqlite.prepare('SELECT run_id, as_of FROM engine_runs ORDER BY run_id DESC LIMIT 1').get();
console.log(
  `store ${db}: ${sqlite.prepare('SELECT COUNT(*) FROM partners').pluck().get()} partners, ` +
    `${sqlite.prepare("SELECT COUNT(*) FROM result_orders WHERE status = 'valid'").pluck().get()} valid orders, ` +
    `as of ${new Date(run.as_of).toISOString()}`,
);
console.log(`load average ${load0.toFixed(2)} on 2 cores (figures are noisy under load)`);

// the largest cycle: the most partners due
const [cycleKey, dueLines] = sqlite
  .prepare(
    "SELECT cycle_key, COUNT(*) FROM result_payouts WHERE status = 'due' AND amount_fen > 0 GROUP BY cycle_key ORDER BY 2 DESC, 1 LIMIT 1",
  )
  .raw(true)
  .get();
const maker = { operatorId: 'bench-maker', role: 'finance', name: 'bench-maker' };
const checker = { operatorId: 'bench-checker', role: 'finance', name: 'bench-checker' };

// 1. prepare the largest cycle's batch (rejected between runs, so that the cycle may be prepared again)
const prepares = [];
let batch;
for (let r = 0; r < runs; r++) {
  const t0 = now();
  batch = await E.prepareBatch(store.db, { cycleKey, actor: maker });
  prepares.push(ms(t0));
  if (r < runs - 1)
    await E.decide(store.db, {
      batchId: batch.batchId,
      decision: 'reject',
      reason: 'benchmark run',
      actor: checker,
    });
}
await E.decide(store.db, {
  batchId: batch.batchId,
  decision: 'approve',
  reason: 'benchmark run',
  actor: checker,
});

// 2. export it: bank layout, CSV and XLSX (each twice at least: the same bytes)
const exportTimes = { csv: [], xlsx: [] };
const sums = { csv: new Set(), xlsx: new Set() };
let rows = 0;
let bytes = {};
for (let r = 0; r < runs; r++)
  for (const format of ['csv', 'xlsx']) {
    const t0 = now();
    const f = await E.payoutFile(store.db, batch.batchId, format, 'bank');
    exportTimes[format].push(ms(t0));
    sums[format].add(f.sha256);
    rows = f.rows;
    bytes[format] = f.bytes.length;
  }

// 3. a partner's ledger and level history: the partner with the most experience entries, and others
const [top, topEntries] = sqlite
  .prepare('SELECT partner_id, COUNT(*) n FROM result_experience GROUP BY partner_id ORDER BY n DESC LIMIT 1')
  .raw(true)
  .get();
const sample = sqlite
  .prepare('SELECT partner_id FROM result_partners ORDER BY partner_id LIMIT 20 OFFSET 5000')
  .pluck()
  .all();
const ledgers = [];
for (let r = 0; r < runs; r++) {
  const t0 = now();
  await E.partnerLevels(store.db, top);
  ledgers.push(ms(t0));
}
const others = [];
for (const pid of sample) {
  const t0 = now();
  await E.partnerLevels(store.db, pid);
  others.push(ms(t0));
}

// 4. the dashboard's trends: the default 26 weeks, and the whole demo year. A full recompute keeps
//    the weeks with its results (CLI recompute, engine.recompute); the first call here finds them
//    computed for an older state of the paid lines (the batches above), so it computes them again
let t0 = now();
await E.dashboardTrends(store.db, {});
const trendsCold = ms(t0);
const trends = [];
const trendsYear = [];
for (let r = 0; r < runs; r++) {
  t0 = now();
  await E.dashboardTrends(store.db, {});
  trends.push(ms(t0));
  t0 = now();
  await E.dashboardTrends(store.db, { from: Date.parse('2025-12-29T00:00:00+08:00'), until: run.as_of });
  trendsYear.push(ms(t0));
}

// 5. (no target) the level table and one statement
t0 = now();
await E.levelTable(store.db);
const tableMs = ms(t0);
t0 = now();
await E.partnerStatement(store.db, { partnerId: top, cycleKey });
const statementMs = ms(t0);

await store.close();
rmSync(work, { recursive: true, force: true });

const f1 = (x) => `${x.toFixed(1)} ms`;
const rowsOut = [
  [
    'prepare the largest cycle’s batch',
    2000,
    median(prepares),
    `${cycleKey}: ${batch.lines} lines (${dueLines} due in the engine’s rows), ${prepares.map(f1).join(', ')}`,
  ],
  [
    'export it, CSV (bank)',
    1000,
    median(exportTimes.csv),
    `${rows} rows, ${bytes.csv} bytes, ${sums.csv.size === 1 ? 'identical bytes every time' : 'BYTES DIFFER'}`,
  ],
  [
    'export it, XLSX (bank)',
    1000,
    median(exportTimes.xlsx),
    `${bytes.xlsx} bytes, ${sums.xlsx.size === 1 ? 'identical bytes every time' : 'BYTES DIFFER'}`,
  ],
  [
    'ledger + level history (largest partner)',
    50,
    median(ledgers),
    `${top}: ${topEntries} entries; slowest ${f1(Math.max(...ledgers))}`,
  ],
  [
    'ledger + level history (20 others)',
    50,
    Math.max(...others),
    `median ${f1(median(others))}, slowest shown`,
  ],
  [
    'dashboard trends, 26 weeks',
    200,
    median(trends),
    `slowest ${f1(Math.max(...trends))}; kept weeks computed again first (a payment since the recompute): ${f1(trendsCold)}`,
  ],
  ['dashboard trends, the whole year', 200, median(trendsYear), `slowest ${f1(Math.max(...trendsYear))}`],
];
console.log('\n| measurement | target | measured | met | notes |');
console.log('|---|---|---|---|---|');
for (const [name, target, measured, note] of rowsOut)
  console.log(
    `| ${name} | ≤ ${target} ms | ${f1(measured)} | ${measured <= target ? 'yes' : 'NO'} | ${note} |`,
  );
console.log(`(no target) level table ${f1(tableMs)}; statement of ${top} for ${cycleKey} ${f1(statementMs)}`);
if (sums.csv.size !== 1 || sums.xlsx.size !== 1) process.exitCode = 1;
