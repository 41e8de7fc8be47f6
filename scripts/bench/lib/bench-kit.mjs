// Shared by the benchmarks: bundle a TypeScript entry of the core with esbuild, find (or generate)
// the cached demo store of a scale, work on a copy, time things. Benchmarks are measurements, not
// tests: they print target / measured / met, with the machine's load.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const work = mkdtempSync(join(tmpdir(), 'yunke-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

export const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};

/** Bundles `entries` ({ name: file.ts }) and imports the first; the others (workers) sit beside it. */
export async function bundle(entries) {
  await build({
    entryPoints: entries,
    outdir: work,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    nodePaths: [join(root, 'node_modules')],
    define: { __APP_VERSION__: '"bench"' },
  });
  // run from inside the repository, so that the externals resolve from node_modules/
  const [first] = Object.keys(entries);
  const copies = Object.keys(entries).map((name) => {
    const to = join(root, 'node_modules', `.yunke-bench-${name}-${process.pid}.mjs`);
    copyFileSync(join(work, `${name}.mjs`), to);
    return [name, to];
  });
  process.on('exit', () => copies.forEach(([, f]) => rmSync(f, { force: true })));
  const mod = await import(pathToFileURL(copies.find(([n]) => n === first)[1]).href);
  return { mod, files: Object.fromEntries(copies) };
}

export const Database = createRequire(join(root, 'package.json'))('better-sqlite3');

/** The demo store of `scale`, cached in $TMPDIR, generated through the CLI when missing or outdated. */
export function cachedDemoStore(scale, isCurrent) {
  const db = join(tmpdir(), `yunke-bench-s${scale}.db`);
  if (!isCurrent(db)) {
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
  return db;
}

/** True when a store file's migrations are exactly this code's (`E` exports migrations, migrationChecksum). */
export function currentFor(E) {
  return (file) => {
    if (!existsSync(file)) return false;
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const applied = db.prepare('SELECT version, checksum FROM _migrations ORDER BY version').all();
        return (
          applied.length === E.migrations.length &&
          applied.every((a, i) => a.checksum === E.migrationChecksum(E.migrations[i]))
        );
      } finally {
        db.close();
      }
    } catch {
      return false;
    }
  };
}

/** A working copy of a store (the cache stays clean). */
export function copyOf(db, name = 'store.db') {
  const file = join(work, name);
  copyFileSync(db, file);
  for (const ext of ['-wal', '-shm']) if (existsSync(db + ext)) copyFileSync(db + ext, file + ext);
  return file;
}

export const now = () => process.hrtime.bigint();
export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
export const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
export const p95 = (xs) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** Prints the figures as a table: label, target, measured, met. */
export function report(title, rows) {
  console.log(`\n${title} (load average ${loadavg()[0].toFixed(2)} on 2 cores)`);
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [label, target, measured, met] of rows)
    console.log(
      `  ${label.padEnd(w)}  target ${String(target).padEnd(14)} measured ${String(measured).padEnd(22)} ${met === undefined ? '' : met ? 'met' : 'NOT MET'}`,
    );
}

/**
 * The list methods of issues 9 and 13, 60 calls each with varied inputs (the first 10 warm the
 * caches and are dropped): rows of [label, target, p95, met]. `skip`: labels not measured.
 */
export async function listMethodRows(E, ctx, store, skip = []) {
  const admin = { operatorId: 'bench-admin', role: 'admin', name: 'bench' };
  const support = { operatorId: 'bench-support', role: 'support', name: 'bench' };
  const customers = store.sqlite
    .prepare('SELECT customer_id, phone, name FROM customers ORDER BY random() LIMIT 60')
    .all();
  // names as support types them: a random customer's (common names come up as often as they are
  // common), the 60 names most customers share (the most orders to merge), names one customer has
  const sharedNames = store.sqlite
    .prepare(
      'SELECT name FROM customers WHERE name IS NOT NULL GROUP BY name ORDER BY count(*) DESC, name LIMIT 60',
    )
    .pluck()
    .all();
  const uniqueNames = store.sqlite
    .prepare(
      'SELECT name FROM customers WHERE name IS NOT NULL GROUP BY name HAVING count(*) = 1 ORDER BY random() LIMIT 60',
    )
    .pluck()
    .all();
  const partners = store.sqlite
    .prepare('SELECT partner_id FROM partners ORDER BY random() LIMIT 60')
    .pluck()
    .all();
  const lists = {
    'orders.search (id prefix)': (i) => [
      'orders.search',
      { query: customers[i].customer_id.slice(0, 12), limit: 20 },
      support,
    ],
    'orders.search (phone)': (i) => [
      'orders.search',
      { query: customers[i].phone ?? '13800000000', limit: 20 },
      support,
    ],
    'orders.search (name)': (i) => [
      'orders.search',
      { query: customers[i].name ?? '张三', limit: 20 },
      support,
    ],
    'orders.search (name many share)': (i) => [
      'orders.search',
      { query: sharedNames[i % sharedNames.length], limit: 20 },
      support,
    ],
    'orders.search (name one has)': (i) => [
      'orders.search',
      { query: uniqueNames[i % uniqueNames.length], limit: 20 },
      support,
    ],
    'partners.search': (i) => ['partners.search', { query: partners[i] }, support],
    'audit.list (page)': (i) => ['audit.list', { limit: 50, offset: (i % 5) * 50 }, support],
    'audit.list (operator)': () => ['audit.list', { operatorId: 'demo-admin', limit: 50 }, support],
    'audit.facets': () => ['audit.facets', {}, support],
    'operators.list': () => ['operators.list', {}, support],
    'config.versions': () => ['config.versions', {}, support],
    'backup.list': () => ['backup.list', {}, admin],
  };
  const rows = [];
  for (const [label, make] of Object.entries(lists)) {
    if (skip.includes(label)) continue;
    const times = [];
    for (let i = 0; i < 60; i++) {
      const [method, input, actor] = make(i);
      const t = now();
      const r = await E.dispatch(ctx(actor), method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      if (i >= 10) times.push(ms(t));
    }
    const v = p95(times);
    rows.push([`${label} p95`, '≤ 50 ms', `${v.toFixed(1)} ms`, v <= 50]);
  }
  return rows;
}
