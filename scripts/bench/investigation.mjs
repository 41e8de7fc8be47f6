#!/usr/bin/env node
// The admin's desk benchmark (a measurement, not a test). Targets (issue 10), on `demo --scale 20`:
//   investigation queue, first page: p95 ≤ 50 ms;
//   the largest same-person group opens: its data ≤ 300 ms (so that data + first paint ≤ 1 s);
//   a shared-IP what-if ≤ 1 s; applying it (incremental recompute included) ≤ 2 s.
// Every figure goes through the contract (dispatch, role checks, the decision run in its engine
// worker), as the app calls it. The shared IP is the one that joins the largest group.
// usage: node scripts/bench/investigation.mjs [--db FILE] [--scale N] [--runs N]
//   Without --db the demo store is cached in $TMPDIR/yunke-bench-s<N>-<schema>.db (generated through
//   the CLI when missing); the benchmark works on a copy, recomputed in full as of 2026-11-01.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
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
const runs = Math.max(1, Number(arg('runs', '3')));

// the contract and the engine's workers, bundled from the sources
const work = mkdtempSync(join(tmpdir(), 'yunke-bench-inv-'));
await build({
  entryPoints: {
    'investigation-entry': join(root, 'scripts', 'bench', 'investigation-entry.ts'),
    'engine-worker': join(root, 'src', 'main', 'rules', 'engine-worker.ts'),
    'full-run-worker': join(root, 'src', 'main', 'rules', 'full-run-worker.ts'),
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
// run from node_modules/ so that the externals resolve; the workers are found through the environment
const bundles = ['investigation-entry', 'engine-worker', 'full-run-worker'].map((n) => {
  const to = join(root, 'node_modules', `.yunke-bench-${n}-${process.pid}.mjs`);
  copyFileSync(join(work, `${n}.mjs`), to);
  return to;
});
process.env.YUNKE_ENGINE_WORKER = bundles[1];
process.env.YUNKE_FULL_RUN_WORKER = bundles[2];
process.on('exit', () => bundles.forEach((b) => rmSync(b, { force: true })));
const E = await import(pathToFileURL(bundles[0]).href);

let db = arg('db', undefined);
if (!db) {
  // the schema's checksum in the name: branches with other schemas keep their own cached store
  const schema = E.migrations.map((m) => E.migrationChecksum(m)).join('-');
  db = join(tmpdir(), `yunke-bench-s${scale}-${schema}.db`);
  if (!existsSync(db)) {
    console.log(`generating demo --scale ${scale} into ${db} …`);
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
const file = join(work, 'store.db');
copyFileSync(db, file);
for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, file + ext);

const now = () => process.hrtime.bigint();
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const store = E.openStore(file);
const sqlite = store.sqlite;
const asOf = Date.parse('2026-11-01T00:00:00+08:00');
console.log(`store ${db}; load average ${loadavg()[0].toFixed(2)} on 2 cores (figures are noisy under load)`);
let t0 = now();
E.recomputeFull(store, { asOf });
await E.backgroundWork();
console.log(`full recompute as of 2026-11-01: ${(ms(t0) / 1000).toFixed(1)} s`);

const ctx = {
  store,
  session: { actor: { operatorId: 'bench-admin', role: 'admin', name: 'bench' } },
  transport: 'bridge',
  version: 'bench',
};
async function call(method, input) {
  const r = await E.dispatch(ctx, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const timed = async (method, input) => {
  const t = now();
  const value = await call(method, input);
  return { ms: ms(t), value };
};

// 1. the queue's first page (default order: money at stake), and with filters (for the record)
const queue = [];
for (let i = 0; i < 60; i++) queue.push((await timed('investigation.queue', {})).ms);
const firstPage = await call('investigation.queue', {});
const filtered = [];
const topPartner = firstPage.rows.find((r) => r.partnerIds.length > 0)?.partnerIds[0];
for (let i = 0; i < 20; i++) {
  filtered.push((await timed('investigation.queue', { evidence: 'ip', minSize: 3 })).ms);
  if (topPartner) filtered.push((await timed('investigation.queue', { partnerId: topPartner })).ms);
  filtered.push((await timed('investigation.queue', { sort: 'size', offset: 100 })).ms);
}

// 2. the largest group: its data (hubs for values shared by 20 or more), and a why-linked path
const [largest, size] = sqlite
  .prepare('SELECT group_id, COUNT(*) n FROM result_same_person GROUP BY group_id ORDER BY n DESC LIMIT 1')
  .raw(true)
  .get();
const groups = [];
let view;
for (let i = 0; i < 5; i++) {
  const r = await timed('investigation.group', { groupId: largest });
  groups.push(r.ms);
  view = r.value;
}
const bytes = Buffer.byteLength(JSON.stringify(view));
const ends = [view.members[0].key, view.members.at(-1).key];
const paths = [];
let path;
for (let i = 0; i < 5; i++) {
  const r = await timed('investigation.path', { a: ends[0], b: ends[1] });
  paths.push(r.ms);
  path = r.value;
}

// 3. and 4. the IP that joins the largest group: what-if, then mark and unmark (effective before the as-of)
const [ip] = sqlite
  .prepare(
    "SELECT value, COUNT(*) n FROM result_same_person_edges WHERE group_id = ? AND evidence = 'ip' GROUP BY value ORDER BY n DESC LIMIT 1",
  )
  .raw(true)
  .get(largest);
const day = 86_400_000;
const whatIfs = [];
let preview;
for (let i = 0; i < runs; i++) {
  const r = await timed('ips.preview', { ip, action: 'mark', effectiveAt: asOf - 20 * day, limit: 500 });
  whatIfs.push(r.ms);
  preview = r.value;
}
const applies = [];
const summaries = [];
for (let i = 0; i < runs; i++) {
  const mark = await timed('ips.mark', {
    ip,
    reason: '基准测试：共享出口',
    effectiveAt: asOf - (20 - 2 * i) * day,
    limit: 500,
  });
  const unmark = await timed('ips.unmark', {
    ip,
    reason: '基准测试：恢复为证据',
    effectiveAt: asOf - (19 - 2 * i) * day,
    limit: 500,
  });
  applies.push(mark.ms, unmark.ms);
  summaries.push(
    `mark ${mark.ms.toFixed(0)} ms (${mark.value.run?.mode}, ${mark.value.orders.total} orders, ${mark.value.members.length} accounts moved), ` +
      `unmark ${unmark.ms.toFixed(0)} ms (${unmark.value.run?.mode}, ${unmark.value.orders.total} orders)`,
  );
}
await store.close();
rmSync(work, { recursive: true, force: true });

const f = (x) => `${x.toFixed(0)} ms`;
console.log(
  `queue: ${firstPage.total} groups queued; first page p95 ${f(p95(queue))} (median ${f(median(queue))}, 60 calls); ` +
    `filtered/sorted pages p95 ${f(p95(filtered))}`,
);
console.log(
  `largest group ${largest}: ${size} accounts, ${view.edges.length} edges + ${view.hubs.length} hubs ` +
    `(${view.hubs.map((h) => `${h.evidence} ×${h.count}`).join(', ')}), ${(bytes / 1024).toFixed(0)} KiB; ` +
    `data ${groups.map(f).join(', ')}; why-linked ${ends.join(' ↔ ')}: ${path.steps.length} steps in ${paths.map(f).join(', ')}`,
);
console.log(
  `shared-IP what-if on ${ip}: ${whatIfs.map(f).join(', ')} (${preview.orders.total} orders, ${preview.members.length} accounts move, ` +
    `${preview.groups.length} group moves; run ${preview.run?.mode})`,
);
for (const s of summaries) console.log(`apply: ${s}`);

const rows = [
  ['investigation queue first page p95', 50, p95(queue)],
  ['largest group data (median)', 300, median(groups)],
  ['shared-IP what-if (median)', 1000, median(whatIfs)],
  ['apply mark/unmark incl. recompute (max)', 2000, Math.max(...applies)],
];
console.log('\ntarget                                      target     measured   met');
for (const [name, target, got] of rows)
  console.log(
    `${name.padEnd(44)}≤ ${String(target).padStart(5)} ms ${f(got).padStart(9)}   ${got <= target ? 'yes' : 'NO'}`,
  );
