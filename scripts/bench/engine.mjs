#!/usr/bin/env node
// Rule engine benchmark (a measurement, not a test). Targets (issue 4), on `demo --scale 20`:
//   full recompute ≤ 3 × one raw scan of every table; same-person grouping of all customers ≤ 2 s;
//   incremental recompute after 1,000 new orders ≤ 300 ms; explain of one order ≤ 20 ms; peak RSS.
// usage: node scripts/bench/engine.mjs [--db FILE] [--scale N] [--keep]
//   Without --db a demo store is generated (cached in $TMPDIR/yunke-bench-s<N>.db).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const scale = Number(arg('scale', '20'));
let db = arg('db', undefined);
if (!db) {
  db = join(tmpdir(), `yunke-bench-s${scale}.db`);
  if (!existsSync(db)) {
    console.log(`generating demo --scale ${scale} into ${db} …`);
    execFileSync(
      process.execPath,
      [join(root, 'bin', 'yunke-desk.mjs'), 'demo', '--db', db, '--scale', String(scale)],
      {
        stdio: 'inherit',
      },
    );
  }
}
// work on a copy so the cached store stays clean
const work = mkdtempSync(join(tmpdir(), 'yunke-bench-'));
const file = join(work, 'store.db');
copyFileSync(db, file);
for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, file + ext);

const out = join(work, 'engine-entry.mjs');
await build({
  entryPoints: [join(root, 'scripts', 'bench', 'engine-entry.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
  nodePaths: [join(root, 'node_modules')],
});
// resolve externals from the repository
const entry = join(root, 'node_modules', '.yunke-bench-entry.mjs');
copyFileSync(out, entry);
const E = await import(pathToFileURL(entry).href);
rmSync(entry);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();
const store = E.openStore(file);
const sqlite = store.sqlite;
const asOf = Date.parse('2026-11-01T00:00:00+08:00');
const counts = Object.fromEntries(
  ['partners', 'customers', 'referral_events', 'orders', 'refunds', 'login_ips'].map((t) => [
    t,
    sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get(),
  ]),
);
console.log('store:', JSON.stringify(counts));

// 1. one raw scan of every table the engine reads
let t0 = now();
let cells = 0;
for (const t of [
  'product_lines',
  'sales_subjects',
  'partners',
  'customers',
  'referral_events',
  'orders',
  'refunds',
  'login_ips',
  'blacklist_entries',
  'level_overrides',
  'shared_ips',
]) {
  for (const row of sqlite.prepare(`SELECT * FROM ${t}`).raw(true).iterate()) cells += row.length;
}
const rawScan = ms(t0);

// 2. same-person grouping of every customer (load excluded)
let world = E.loadWorld(sqlite, asOf);
t0 = now();
const sp = E.buildSamePerson(world.identity, world.sharedIps);
const grouping = ms(t0);
const spEdges = sp.edges.length;
const nCustomers = world.customers.length;
world = null;

// 3. full recompute (load + compute + write, one transaction)
t0 = now();
const phases = [];
const full = E.recomputeFull(store, {
  asOf,
  onPhase: (n, t) => phases.push(`${n} ${(t / 1000).toFixed(2)} s`),
});
const fullMs = ms(t0);

// 4. incremental after 1,000 new orders
const customers = sqlite
  .prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1000 OFFSET 12345')
  .pluck()
  .all();
const importId = 1 + (sqlite.prepare('SELECT COALESCE(MAX(import_id), 0) FROM imports').pluck().get() ?? 0);
sqlite
  .prepare(
    "INSERT INTO imports (import_id, source, origin, file_name, operator_id, started_at, status) VALUES (?, 'orders', 'file', 'bench.csv', 'bench', 0, 'committed')",
  )
  .run(importId);
const ins = sqlite.prepare(
  "INSERT INTO orders (order_id, customer_id, product_line, billing, subscription, paid_fen, ordered_at, import_id) VALUES (?, ?, (SELECT product_line FROM product_lines WHERE rebate_eligible = 1 ORDER BY product_line LIMIT 1), 'prepaid', 1, 120000, ?, ?)",
);
sqlite.transaction(() =>
  customers.forEach((c, i) => ins.run(`BENCH-${i}`, c, asOf - 86_400_000 * (1 + (i % 20)), importId)),
)();
t0 = now();
const incPhases = [];
const inc = E.recomputeIncremental(
  store,
  { importIds: [importId] },
  { onPhase: (n, t) => incPhases.push(`${n} ${t.toFixed(0)} ms`) },
);
const incMs = ms(t0);

// 5. explain one order (median of 20)
const ids = sqlite
  .prepare("SELECT order_id FROM result_orders WHERE status = 'valid' ORDER BY order_id LIMIT 20")
  .pluck()
  .all();
const times = ids.map((id) => {
  const t = now();
  E.explainOrder(sqlite, id, 'zh-CN');
  return ms(t);
});
times.sort((a, b) => a - b);

await store.close();
rmSync(work, { recursive: true, force: true });
const rss = process.resourceUsage().maxRSS / 1024;
const f = (x) => `${(x / 1000).toFixed(2)} s`;
console.log(`raw scan of every table:        ${f(rawScan)} (${cells.toLocaleString('en-US')} cells)`);
console.log(
  `full recompute:                 ${f(fullMs)}  = ${(fullMs / rawScan).toFixed(2)} × raw scan (target ≤ 3×)`,
);
console.log(`  phases: ${phases.join(', ')}`);
console.log(`  incremental phases: ${incPhases.join(', ')}`);
console.log(
  `  ${full.stats.orders} orders, ${full.stats.validOrders} valid, ${full.stats.samePersonGroups} same-person groups`,
);
console.log(
  `same-person grouping:           ${f(grouping)} (${nCustomers} customers, ${spEdges} edges; target ≤ 2 s)`,
);
console.log(
  `incremental after 1,000 orders: ${incMs.toFixed(0)} ms (mode ${inc.mode}${inc.stats.fallback ? ', ' + inc.stats.fallback : ''}, ${inc.stats.recomputedGroups} groups, ${inc.stats.recomputedPartners} partners; target ≤ 300 ms)`,
);
console.log(
  `explain one order:              median ${times[times.length >> 1]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms (target ≤ 20 ms)`,
);
console.log(`peak RSS:                       ${rss.toFixed(0)} MB`);
