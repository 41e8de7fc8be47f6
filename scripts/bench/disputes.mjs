#!/usr/bin/env node
// Attribution disputes benchmark (a measurement, not a test). Targets (issue 14), on
// `demo --scale 20`: a customer's attribution timeline ≤ 50 ms (every sampled customer: those of
// the open cases, the ones with the most referral events, and others); the uphold what-if
// ≤ 1 s (through the contract, as the app runs it: the engine worker, its own connection, the
// decision's incremental run, rolled back); the queue's first page ≤ 50 ms p95.
// usage: node scripts/bench/disputes.mjs [--db FILE [--computed]] [--scale N] [--samples N]
//   --computed: the --db store has results already (no full recompute first)
//   Without --db the demo store is cached in $TMPDIR/yunke-bench-s<N>.db (the engine benchmark's
//   cache, generated through the CLI when missing or written by another schema). The benchmark
//   works on a copy, which it recomputes first (as of 2026-11-21).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { arg, bundle, cachedDemoStore, copyOf, currentFor, ms, now, root } from './lib/bench-kit.mjs';

const scale = Number(arg('scale', '20'));
const samples = Math.max(5, Number(arg('samples', '100')));

// the engine worker the app's decisions run in, built from these sources (dist-cli/)
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
const { mod: E, files } = await bundle({
  'disputes-entry': join(import.meta.dirname, 'disputes-entry.ts'),
  'full-run-worker': join(root, 'src', 'main', 'engine', 'full-run-worker.ts'),
});
process.env.YUNKE_FULL_RUN_WORKER = files['full-run-worker'];
process.env.YUNKE_ENGINE_WORKER = join(root, 'dist-cli', 'engine-worker.mjs');
const db = arg('db', undefined) ?? cachedDemoStore(scale, currentFor(E));
const file = copyOf(db);

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const load0 = loadavg()[0];
const store = E.openStore(file);
const sqlite = store.sqlite;
const asOf = Date.parse('2026-11-21T00:00:00+08:00');
let t0 = now();
if (!process.argv.includes('--computed') || !arg('db', undefined)) {
  E.recomputeFull(store, { asOf });
  await E.backgroundWork();
}
const setup = ms(t0);
const counts = Object.fromEntries(
  ['partners', 'customers', 'referral_events', 'orders', 'disputes'].map((t) => [
    t,
    sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get(),
  ]),
);
const open = sqlite.prepare("SELECT COUNT(*) FROM disputes WHERE status = 'open'").pluck().get();
console.log(
  `store ${db}: ${JSON.stringify(counts)}, ${open} open cases; full recompute ${(setup / 1000).toFixed(1)} s`,
);
console.log(`load average ${load0.toFixed(2)} on 2 cores (figures are noisy under load)`);

const admin = { operatorId: 'demo-admin', role: 'admin', name: 'bench' };
const ctx = { store, session: { actor: admin }, transport: 'bridge', version: 'bench' };
const call = async (method, input) => {
  const r = await E.dispatch(ctx, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

// 1. timeline: the customers of the open cases, the ones with the most events, and others
const customers = [
  ...new Set([
    ...sqlite
      .prepare("SELECT customer_id FROM disputes WHERE status = 'open' ORDER BY opened_at LIMIT ?")
      .pluck()
      .all(samples),
    ...sqlite
      .prepare(
        "SELECT customer_id FROM referral_events WHERE kind <> 'visit' GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 20",
      )
      .pluck()
      .all(),
    ...sqlite
      .prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT ? OFFSET 7777')
      .pluck()
      .all(samples),
    // customers of the largest same-person groups
    ...sqlite
      .prepare(
        `SELECT member_id FROM result_same_person WHERE member_kind = 'customer' AND group_id IN
           (SELECT group_id FROM result_same_person GROUP BY group_id ORDER BY COUNT(*) DESC LIMIT 3)
         ORDER BY member_id LIMIT 9`,
      )
      .pluck()
      .all(),
  ]),
];
for (const c of customers.slice(0, 5)) await call('customers.timeline', { customerId: c }); // warm up
const timelines = [];
for (const c of customers) {
  const t = now();
  const tl = await call('customers.timeline', { customerId: c });
  timelines.push({ c, ms: ms(t), entries: tl.entries.length });
}
timelines.sort((a, b) => a.ms - b.ms);
const tlMs = timelines.map((x) => x.ms);

// 2. the queue's first page (50 cases), repeated
const queues = [];
for (let i = 0; i < 5; i++) await call('disputes.queue', { limit: 50 });
for (let i = 0; i < samples; i++) {
  const t = now();
  await call('disputes.queue', { limit: 50 });
  queues.push(ms(t));
}
const firstPage = await call('disputes.queue', { limit: 50 });

// 3. the case view
const views = [];
for (const d of firstPage.rows.slice(0, 20)) {
  const t = now();
  await call('disputes.get', { disputeId: d.disputeId });
  views.push(ms(t));
}

// 4. uphold what-if, through the contract (engine worker), for cases across the queue
const picks = sqlite
  .prepare(
    "SELECT dispute_id FROM disputes WHERE status = 'open' ORDER BY (dispute_id * 7919) % 1009, dispute_id LIMIT 10",
  )
  .pluck()
  .all();
const whatIfs = [];
let changed = 0;
for (const id of picks) {
  const t = now();
  const o = await call('disputes.upholdPreview', { disputeId: id, reason: 'benchmark what-if' });
  whatIfs.push({ id, ms: ms(t), engineMs: o.durationMs, orders: o.orders.total, mode: o.run?.mode });
  changed += o.orders.total;
}
// and the engine's part alone, in this thread (no worker start)
const inline = [];
for (const id of picks.slice(0, 5)) {
  const row = sqlite.prepare('SELECT claimed_at FROM disputes WHERE dispute_id = ?').get(id);
  const t = now();
  await E.runDecisionOnFile(file, {
    change: { kind: 'dispute.uphold', disputeId: id },
    actor: admin,
    reason: 'benchmark what-if',
    effectiveAt: row.claimed_at,
    recordedAt: Date.now(),
    commit: false,
    limit: 500,
  });
  inline.push(ms(t));
}
if (
  sqlite
    .prepare(
      "SELECT COUNT(*) FROM disputes WHERE status <> 'open' AND dispute_id IN (SELECT value FROM json_each(?))",
    )
    .pluck()
    .get(JSON.stringify(picks)) !== 0
)
  throw new Error('a what-if changed a case');
await store.close();

const f = (x) => `${x.toFixed(1)} ms`;
console.log(
  `\ntimeline (${timelines.length} customers): median ${f(pct(tlMs, 50))}, p95 ${f(pct(tlMs, 95))}; slowest ${timelines
    .slice(-3)
    .map((x) => `${x.c} (${x.entries} entries) ${f(x.ms)}`)
    .join(', ')}`,
);
console.log(
  `queue first page (${queues.length} calls, ${firstPage.rows.length} of ${firstPage.total} open): median ${f(pct(queues, 50))}, p95 ${f(pct(queues, 95))}, max ${f(Math.max(...queues))}`,
);
console.log(`case view (${views.length}): median ${f(pct(views, 50))}, max ${f(Math.max(...views))}`);
console.log(
  `uphold what-if (${whatIfs.length} cases, ${changed} order changes in all): ${whatIfs
    .map(
      (x) =>
        `#${x.id} ${x.ms.toFixed(0)} ms (engine ${x.engineMs.toFixed(0)}, ${x.orders} orders, ${x.mode})`,
    )
    .join('; ')}`,
);
console.log(`  inline (no worker): ${inline.map((x) => `${x.toFixed(0)} ms`).join(', ')}`);

const wMs = whatIfs.map((x) => x.ms);
const rows = [
  [
    'customer timeline',
    '≤ 50 ms',
    `max ${f(Math.max(...tlMs))} (p95 ${f(pct(tlMs, 95))}, median ${f(pct(tlMs, 50))})`,
    Math.max(...tlMs) <= 50,
  ],
  [
    'uphold what-if',
    '≤ 1 s',
    `max ${Math.max(...wMs).toFixed(0)} ms (median ${pct(wMs, 50).toFixed(0)} ms)`,
    Math.max(...wMs) <= 1000,
  ],
  [
    'queue first page',
    '≤ 50 ms p95',
    `p95 ${f(pct(queues, 95))} (median ${f(pct(queues, 50))})`,
    pct(queues, 95) <= 50,
  ],
];
const head = ['figure', 'target', 'measured', 'met'];
const cells = (r) => [r[0], r[1], r[2], r[3] ? 'yes' : 'NO'];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(cells(r)[i]).length)));
const fmt = (r) =>
  r
    .map((c, i) => String(c).padEnd(width[i]))
    .join('  ')
    .trimEnd();
console.log(`\nsummary (scale ${scale}, load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)})`);
console.log(fmt(head));
console.log(fmt(width.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(fmt(cells(r)));
