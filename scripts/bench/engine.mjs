#!/usr/bin/env node
// Rule engine benchmark (a measurement, not a test). Targets (issue 4), on `demo --scale 20`:
//   full recompute ≤ 3 × one raw scan of every table of the store (same run);
//   same-person grouping of all customers ≤ 2 s; incremental recompute after 1,000 new orders
//   ≤ 300 ms; explain of one order ≤ 20 ms (every sampled order, including orders of the largest
//   same-person groups); peak RSS reported (no target): after the first full recompute in this
//   fresh process (both threads), and for the whole benchmark. RSS counts the pages of the store
//   file read through its memory map (open-store.ts): the system's file cache, shared and given
//   back under memory pressure, not heap.
// usage: node scripts/bench/engine.mjs [--db FILE] [--scale N] [--runs N]
//   Without --db the demo store is cached in $TMPDIR/yunke-bench-s<N>.db, and generated (through
//   the CLI) when missing or written by another schema. The benchmark works on a copy.
//   --runs N repeats the raw scan and the full recompute N times (default 3; medians are reported).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The engine runs in threads with a young generation of 192 MB (workers.ts ENGINE_RESOURCE_LIMITS:
// the app's engine worker, and the CLI's for a large store); this benchmark runs it in its own main
// thread, so it runs itself again with the same young generation (3 semi-spaces of 64 MB; checked
// against ENGINE_RESOURCE_LIMITS below).
const SEMI_SPACE_MB = 64;
if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  const r = spawnSync(
    process.execPath,
    [`--max-semi-space-size=${SEMI_SPACE_MB}`, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const scale = Number(arg('scale', '20'));
// three by default: the first recompute of a store (no results yet, the WAL file still growing) and
// two that replace results, as a user's later recomputes do; the target row takes the median
const runs = Math.max(1, Number(arg('runs', '3')));

// the engine and its full-run helper, bundled from the sources (externals resolved from the
// repository, so the bundles are run from node_modules/)
const work = mkdtempSync(join(tmpdir(), 'yunke-bench-'));
const out = join(work, 'engine-entry.mjs');
await build({
  entryPoints: {
    'engine-entry': join(root, 'scripts', 'bench', 'engine-entry.ts'),
    'full-run-worker': join(root, 'src', 'main', 'engine', 'full-run-worker.ts'),
  },
  outdir: work,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
  nodePaths: [join(root, 'node_modules')],
});
const entry = join(root, 'node_modules', `.yunke-bench-entry-${process.pid}.mjs`);
copyFileSync(out, entry);
const helperWorker = join(root, 'node_modules', `.yunke-bench-full-run-${process.pid}.mjs`);
copyFileSync(join(work, 'full-run-worker.mjs'), helperWorker);
process.env.YUNKE_FULL_RUN_WORKER = helperWorker;
process.on('exit', () => rmSync(helperWorker, { force: true }));
const E = await import(pathToFileURL(entry).href);
if (E.ENGINE_RESOURCE_LIMITS.maxYoungGenerationSizeMb !== 3 * SEMI_SPACE_MB)
  throw new Error('bench engine: SEMI_SPACE_MB no longer matches workers.ts ENGINE_RESOURCE_LIMITS');
rmSync(entry);
const Database = createRequire(join(root, 'package.json'))('better-sqlite3');

/** true when the store's applied migrations are exactly this code's */
function current(file) {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const applied = db.prepare('SELECT version, checksum FROM _migrations ORDER BY version').all();
      // the migrations a store file applies and records (a PostgreSQL-only one it has not)
      const known = E.migrationsOf('sqlite');
      return (
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
  db = join(tmpdir(), `yunke-bench-s${scale}.db`);
  if (!current(db)) {
    console.log(`generating demo --scale ${scale} into ${db} (missing or another schema) …`);
    const tmp = `${db}.${process.pid}.tmp`;
    execFileSync(
      process.execPath,
      [join(root, 'bin', 'yunke-desk.mjs'), 'demo', '--db', tmp, '--scale', String(scale), '--no-recompute'],
      { stdio: 'inherit' },
    );
    for (const ext of ['-wal', '-shm']) rmSync(db + ext, { force: true });
    renameSync(tmp, db);
  }
}
// work on a copy so the cached store stays clean
const file = join(work, 'store.db');
copyFileSync(db, file);
for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, file + ext);

const now = () => process.hrtime.bigint();
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const load0 = loadavg()[0];
const store = E.openStore(file);
// the connection as the app's and the command line's engine worker keeps it for a store's jobs
// (engine-connection.ts: its page cache, and its WAL checkpointed when idle)
E.keepAsEngineConnection(store);
const sqlite = store.sqlite;
const asOf = Date.parse('2026-11-01T00:00:00+08:00');
const counts = Object.fromEntries(
  ['partners', 'customers', 'referral_events', 'orders', 'refunds', 'login_ips'].map((t) => [
    t,
    sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get(),
  ]),
);
console.log(`store ${db}: ${JSON.stringify(counts)}`);
console.log(`load average ${load0.toFixed(2)} on 2 cores (figures are noisy under load)`);

// 1. one raw scan of every table of the store, as generated: the engine's own tables (results,
//    runs) are left out, so that a scan repeated after a recompute reads the same rows
const tables = sqlite
  .prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'result\\_%' ESCAPE '\\' AND name <> 'engine_runs' ORDER BY name",
  )
  .pluck()
  .all();
let cells = 0;
const scan = () => {
  const t0 = now();
  cells = 0;
  for (const t of tables)
    for (const row of sqlite.prepare(`SELECT * FROM "${t}"`).raw(true).iterate()) cells += row.length;
  return ms(t0);
};

// 2. full recompute (load + compute + write, one transaction), alternating with the raw scan; first,
//    in a fresh heap, as the CLI (a process) and the app (an engine worker per run) run it
const scans = [];
const fulls = [];
let t0;
let firstRssMb = 0;
let full;
let phases = [];
for (let r = 0; r < runs; r++) {
  scans.push(scan());
  const p = [];
  t0 = now();
  full = E.recomputeFull(store, { asOf, onPhase: (n, t) => p.push(`${n} ${(t / 1000).toFixed(2)} s`) });
  fulls.push(ms(t0));
  if (r === 0) firstRssMb = process.resourceUsage().maxRSS / 1024;
  // the WAL checkpoint after the commit runs in the helper thread: timed, not overlapped
  const t1 = now();
  await E.backgroundWork();
  p.push(`(then background checkpoint ${(ms(t1) / 1000).toFixed(2)} s)`);
  if (fulls.at(-1) === median(fulls)) phases = p;
}
const rawScan = median(scans);
const fullMs = median(fulls);

// 3. same-person grouping of every customer (the load is not part of it)
let world = E.loadWorld(sqlite, asOf);
t0 = now();
const sp = E.buildSamePerson(world.identity, world.sharedIps);
const grouping = ms(t0);
const spEdges = sp.edges.length;
const nCustomers = world.customers.length;
world = null;

// 4. incremental after 1,000 new orders (three imports, 1,000 different customers each); the WAL is
//    checkpointed once the run has answered, as the engine worker does when idle (timed apart)
const line = sqlite
  .prepare('SELECT product_line FROM product_lines WHERE rebate_eligible = 1 ORDER BY product_line LIMIT 1')
  .pluck()
  .get();
const incs = [];
for (let round = 0; round < 3; round++) {
  const customers = sqlite
    .prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1000 OFFSET ?')
    .pluck()
    .all(12345 + round * 100_000);
  const importId = 1 + sqlite.prepare('SELECT COALESCE(MAX(import_id), 0) FROM imports').pluck().get();
  sqlite
    .prepare(
      "INSERT INTO imports (import_id, source, origin, file_name, operator_id, started_at, status) VALUES (?, 'orders', 'file', 'bench.csv', 'bench', 0, 'committed')",
    )
    .run(importId);
  const ins = sqlite.prepare(
    "INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id) VALUES (?, ?, ?, 'prepaid', 1, 120000, ?, ?)",
  );
  sqlite.transaction(() =>
    customers.forEach((c, i) =>
      ins.run(`BENCH-${round}-${i}`, c, line, asOf - 86_400_000 * (1 + (i % 20)), importId),
    ),
  )();
  const p = [];
  t0 = now();
  const inc = E.recomputeIncremental(
    store,
    { importIds: [importId] },
    { onPhase: (n, t) => p.push(`${n} ${t.toFixed(0)} ms`) },
  );
  const t = ms(t0);
  p.push(`write ${(t - p.reduce((s, x) => s + Number(x.split(' ').at(-2)), 0)).toFixed(0)} ms`);
  t0 = now();
  E.checkpointIdle(store);
  incs.push({ ms: t, inc, phases: p, checkpointMs: ms(t0) });
}
const incMedian = median(incs.map((x) => x.ms));
const incMax = Math.max(...incs.map((x) => x.ms));
const incAt = incs.find((x) => x.ms === incMedian);

// 5. explain one order: 20 valid, 10 others, and 2 of each of the 3 largest same-person groups
const ids = [
  ...sqlite
    .prepare("SELECT order_id FROM result_orders WHERE status = 'valid' ORDER BY order_id LIMIT 20")
    .pluck()
    .all(),
  ...sqlite
    .prepare('SELECT order_id FROM result_orders ORDER BY order_id LIMIT 10 OFFSET 4321')
    .pluck()
    .all(),
];
const largest = sqlite
  .prepare('SELECT group_id, COUNT(*) n FROM result_same_person GROUP BY group_id ORDER BY n DESC LIMIT 3')
  .raw(true)
  .all();
for (const [g] of largest)
  ids.push(
    ...sqlite
      .prepare(
        "SELECT order_id FROM result_orders WHERE group_id = ? ORDER BY status = 'valid' DESC, order_id LIMIT 2",
      )
      .pluck()
      .all(g),
  );
const explains = ids.map((id) => {
  const t = now();
  E.explainOrder(sqlite, id, 'zh-CN');
  return { id, ms: ms(t) };
});
explains.sort((a, b) => a.ms - b.ms);
const explainMedian = explains[(explains.length - 1) >> 1].ms;
const explainMax = explains.at(-1).ms;

await store.close();
rmSync(work, { recursive: true, force: true });
const rssMb = process.resourceUsage().maxRSS / 1024;
const s = (x) => `${(x / 1000).toFixed(2)} s`;

console.log(
  `\nraw scan of every table (${tables.length} tables, ${cells.toLocaleString('en-US')} cells): ${scans.map(s).join(', ')}`,
);
console.log(
  `full recompute: ${fulls.map(s).join(', ')} (ratios ${fulls.map((f, i) => (f / scans[i]).toFixed(2)).join(', ')}; the first on a store without results)`,
);
console.log(`  phases: ${phases.join(', ')}`);
console.log(
  `  ${full.stats.orders} orders, ${full.stats.validOrders} valid, ${full.stats.samePersonGroups} same-person groups (largest: ${largest.map(([, n]) => n).join(', ')} accounts)`,
);
console.log(`same-person grouping: ${s(grouping)} (${nCustomers} customers, ${spEdges} edges)`);
for (const [i, x] of incs.entries())
  console.log(
    `incremental #${i + 1}: ${x.ms.toFixed(0)} ms (mode ${x.inc.mode}${x.inc.stats.fallback ? ', ' + x.inc.stats.fallback : ''}, ${x.inc.stats.recomputedGroups} groups of which ${x.inc.stats.partialGroups ?? 0} partial, ${x.inc.stats.recomputedPartners} partners; ${x.phases.join(', ')}; then idle checkpoint ${x.checkpointMs.toFixed(0)} ms)`,
  );
console.log(
  `explain (${explains.length} orders): median ${explainMedian.toFixed(1)} ms; slowest ${explains
    .slice(-3)
    .map((x) => `${x.id} ${x.ms.toFixed(1)} ms`)
    .join(', ')}`,
);

const rows = [
  [
    'full recompute',
    '≤ 3 × raw scan',
    `${(fullMs / rawScan).toFixed(2)} × (${s(fullMs)} / ${s(rawScan)})`,
    fullMs <= 3 * rawScan,
  ],
  ['same-person grouping', '≤ 2 s', s(grouping), grouping <= 2000],
  [
    'incremental, 1,000 orders',
    '≤ 300 ms',
    `${incMedian.toFixed(0)} ms (median of 3, max ${incMax.toFixed(0)})`,
    incMedian <= 300,
  ],
  [
    'explain one order',
    '≤ 20 ms',
    `max ${explainMax.toFixed(1)} ms (median ${explainMedian.toFixed(1)})`,
    explainMax <= 20,
  ],
  [
    'peak RSS',
    'reported',
    `${firstRssMb.toFixed(0)} MB after one full recompute; ${rssMb.toFixed(0)} MB for the whole benchmark`,
    null,
  ],
];
const head = ['figure', 'target', 'measured', 'met'];
const width = head.map((h, i) =>
  Math.max(
    h.length,
    ...rows.map((r) => String(i === 3 ? (r[3] === null ? '—' : r[3] ? 'yes' : 'NO') : r[i]).length),
  ),
);
const fmt = (r) =>
  r
    .map((c, i) => String(c).padEnd(width[i]))
    .join('  ')
    .trimEnd();
console.log(
  `\nsummary (scale ${scale}, load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}; median incremental phases: ${incAt.phases.join(', ')})`,
);
console.log(fmt(head));
console.log(fmt(width.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(fmt([r[0], r[1], r[2], r[3] === null ? '—' : r[3] ? 'yes' : 'NO']));
