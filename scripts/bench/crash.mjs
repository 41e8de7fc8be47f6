// Benchmark (not a test), issue 12: crash safety. The command line is killed with SIGKILL at a
// random moment of an import, a recompute, a payout preparation and a backup (50 kills by
// default), each on a fresh copy of one store; after each kill the store must pass
//   - PRAGMA integrity_check,
//   - no half-applied job: the job's tables hold exactly the state before it or exactly the state
//     an uninterrupted run leaves (an import with all its rows and its history row, or none; a
//     payout batch with all its lines and totals, or none; every result table from one run); a
//     backup file is absent or a whole, verified store,
//   - the audit chain verifies (`yunke-desk audit verify`), with the job's audit entry if and
//     only if the job's effect is there.
//   node scripts/bench/crash.mjs [--kills N] [--seed N] [--scale N]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { arg, Database, report, root, work } from './lib/bench-kit.mjs';

const KILLS = Number(arg('kills', 50));
const SEED = Number(arg('seed', Math.floor(Math.random() * 0x7fffffff)));
const SCALE = Number(arg('scale', 1));
const cli = join(root, 'bin', 'yunke-desk.mjs');

// a small deterministic generator (mulberry32), so a seed replays the same kill moments
let state = SEED >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const run = (args, env = {}) =>
  execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

console.log(
  `crash: ${KILLS} kills, seed ${SEED} (replay: node scripts/bench/crash.mjs --seed ${SEED}), demo scale ${SCALE}`,
);

// ---- the store every trial starts from: a demo world and its results as of mid-October
const base = join(work, 'base.db');
run(['demo', '--db', base, '--scale', String(SCALE), '--no-recompute']);
// the demo brings its operators (demo-admin, demo-finance, without PINs)
run(['recompute', '--db', base, '--as-of', '2026-10-15 00:00:00', '--as', 'demo-admin']);
{
  const db = new Database(base);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
const ordersCsv = join(work, 'orders.csv');
{
  const out = createWriteStream(ordersCsv);
  out.write('order_id,customer_id,product_line,billing,subscription,paid_amount,ordered_at\n');
  let chunk = '';
  for (let i = 0; i < 150_000; i++)
    chunk += `K${i},C${i % 997},ecs,prepaid,false,${(i % 5000) + 1}.50,2026-09-05 12:00:00\n`;
  await new Promise((r) => out.end(chunk, r));
}
const backupOut = (file) => `${file}.backup`;

/** The jobs, each with the command and what its tables look like (a digest that ignores instants). */
const JOBS = {
  import: {
    args: (db) => ['import', '--db', db, '--source', 'orders', '--as', 'demo-admin', ordersCsv],
    digest: (db) =>
      JSON.stringify([
        db.prepare('SELECT count(*) n, sum(paid_fen) s, total(length(order_id)) l FROM orders').get(),
        db.prepare(`SELECT status, rows_added FROM imports ORDER BY import_id`).all(),
      ]),
  },
  recompute: {
    args: (db) => ['recompute', '--db', db, '--as-of', '2026-11-30 00:00:00', '--as', 'demo-admin'],
    // the dashboard's trend cache (result_trend_weeks/state) is left out: the CLI warms it after the
    // run's commit, and a kill in between leaves it keyed to the previous run, which makes
    // dashboardTrends compute the trends afresh (dashboard/trends.ts): stale by its key, never
    // served. `consistent` checks that it never names a run the store does not hold.
    digest: (db) => {
      const h = createHash('sha256');
      const tables = db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'result_%'
             AND name NOT LIKE 'result_trend_%' ORDER BY name`,
        )
        .pluck()
        .all();
      for (const t of tables) {
        h.update(t);
        for (const row of db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2, 3`).raw().iterate())
          h.update(JSON.stringify(row));
      }
      h.update(JSON.stringify(db.prepare('SELECT count(*), max(as_of) FROM engine_runs').raw().get()));
      return h.digest('hex');
    },
    consistent: (db) =>
      db
        .prepare(
          'SELECT count(*) FROM result_trend_state s WHERE NOT EXISTS (SELECT 1 FROM engine_runs r WHERE r.run_id = s.run_id)',
        )
        .pluck()
        .get() === 0,
  },
  payouts: {
    args: (db) => ['payouts', 'prepare', '--db', db, '--cycle', '2026-09', '--as', 'demo-finance'],
    digest: (db) =>
      JSON.stringify([
        db
          .prepare('SELECT batch_id, cycle_key, status, lines, total_fen FROM payout_batches ORDER BY 1')
          .all(),
        db
          .prepare('SELECT batch_id, count(*) n, sum(amount_fen) s FROM payout_lines GROUP BY 1 ORDER BY 1')
          .all(),
      ]),
    /** a batch complete: its lines and total are those it declares */
    consistent: (db) =>
      db
        .prepare(
          `SELECT count(*) FROM payout_batches b WHERE b.lines != (SELECT count(*) FROM payout_lines l WHERE l.batch_id = b.batch_id)
             OR b.total_fen != (SELECT coalesce(sum(amount_fen), 0) FROM payout_lines l WHERE l.batch_id = b.batch_id)`,
        )
        .pluck()
        .get() === 0,
  },
  backup: {
    args: (db) => ['backup', '--db', db, '--out', backupOut(db), '--as', 'demo-admin'],
    // the store's data is untouched by a backup; its effect is the file at --out (and an audit entry)
    digest: (db, file) =>
      JSON.stringify([db.prepare('SELECT count(*) FROM orders').pluck().get(), existsSync(backupOut(file))]),
  },
};

function trialCopy(name) {
  const file = join(work, `${name}.db`);
  for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
  rmSync(backupOut(file), { force: true });
  copyFileSync(base, file);
  return file;
}

function inspect(file, job) {
  const db = new Database(file);
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      digest: job.digest(db, file),
      audit: db.prepare('SELECT count(*) FROM audit_log').pluck().get(),
      consistent: job.consistent ? job.consistent(db) : true,
    };
  } finally {
    db.close();
  }
}

function auditVerifies(file) {
  try {
    run(['audit', 'verify', '--db', file]);
    return true;
  } catch {
    return false;
  }
}

// ---- references: the state before, the state an uninterrupted run leaves, how long a run takes
const ref = {};
for (const [name, job] of Object.entries(JOBS)) {
  const file = trialCopy(`ref-${name}`);
  const before = inspect(file, job);
  const t0 = Date.now();
  run(job.args(file));
  const ms = Date.now() - t0;
  const after = inspect(file, job);
  if (before.digest === after.digest) throw new Error(`${name}: the reference run changed nothing`);
  if (name === 'payouts' && !after.consistent)
    throw new Error('payouts: the reference batch is inconsistent');
  ref[name] = { before, after, ms };
  console.log(`reference ${name}: ${ms} ms, ${after.audit - before.audit} audit entries`);
}

// ---- the kills
const names = Object.keys(JOBS);
const results = Object.fromEntries(
  names.map((n) => [
    n,
    {
      kills: 0,
      killedMidway: 0,
      finished: 0,
      intact: 0,
      before: 0,
      after: 0,
      half: 0,
      auditOk: 0,
      backupOk: 0,
      failures: [],
    },
  ]),
);
for (let k = 0; k < KILLS; k++) {
  const name = names[k % names.length];
  const job = JOBS[name];
  const r = results[name];
  const file = trialCopy(`trial-${name}`);
  // a moment within the run (node start-up included)
  const delay = Math.floor(random() * ref[name].ms);
  const started = Date.now();
  const child = spawn(process.execPath, [cli, ...job.args(file)], { stdio: 'ignore' });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  await Promise.race([sleep(delay), exited]);
  // a run that ended before its kill: later kills aim within what a run takes now (the load varies)
  if (child.exitCode !== null) ref[name].ms = Math.min(ref[name].ms, Date.now() - started);
  child.kill('SIGKILL');
  const { signal } = await exited;
  r.kills++;
  if (signal === 'SIGKILL') r.killedMidway++;
  else r.finished++;
  const got = inspect(file, job);
  const state =
    got.digest === ref[name].before.digest
      ? 'before'
      : got.digest === ref[name].after.digest
        ? 'after'
        : 'half';
  r[state]++;
  const auditDelta = got.audit - ref[name].before.audit;
  const expectedDelta = state === 'after' ? ref[name].after.audit - ref[name].before.audit : 0;
  const audit = auditVerifies(file) && auditDelta === expectedDelta;
  if (audit) r.auditOk++;
  let backupOk = true;
  if (name === 'backup' && existsSync(backupOut(file))) {
    try {
      const b = inspect(backupOut(file), job);
      backupOk = b.integrity === 'ok' && b.digest === ref[name].before.digest;
    } catch {
      backupOk = false;
    }
  }
  if (backupOk) r.backupOk++;
  const ok = got.integrity === 'ok' && state !== 'half' && got.consistent && audit && backupOk;
  if (ok) r.intact++;
  else
    r.failures.push(
      `kill ${k} after ${delay} ms: integrity ${got.integrity}, ${state}, consistent ${got.consistent}, audit ${audit} (Δ${auditDelta}), backup ${backupOk}`,
    );
  process.stdout.write(ok ? '.' : 'X');
}
console.log('');

console.log(`\n  job        kills  mid-run  finished  before  after  half  integrity+audit+whole`);
for (const n of names) {
  const r = results[n];
  console.log(
    `  ${n.padEnd(10)} ${String(r.kills).padStart(5)}  ${String(r.killedMidway).padStart(7)}  ${String(r.finished).padStart(8)}  ${String(r.before).padStart(6)}  ${String(r.after).padStart(5)}  ${String(r.half).padStart(4)}  ${r.intact}/${r.kills}`,
  );
  for (const f of r.failures) console.log(`    ${f}`);
}
const total = names.reduce((a, n) => a + results[n].kills, 0);
const intact = names.reduce((a, n) => a + results[n].intact, 0);
const half = names.reduce((a, n) => a + results[n].half, 0);
const mid = names.reduce((a, n) => a + results[n].killedMidway, 0);
report('crash safety (SIGKILL at a random moment)', [
  [
    'stores intact (integrity, whole job, audit)',
    `${total}/${total}`,
    `${intact}/${total}`,
    intact === total,
  ],
  ['half-applied jobs', '0', String(half), half === 0],
  ['kills that landed mid-run', '—', `${mid}/${total}`],
  ['seed', '—', String(SEED)],
]);
process.exit(intact === total ? 0 : 1);
