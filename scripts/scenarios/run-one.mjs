// Runs one worked example through the CLI (bin/yunke-desk.mjs) in a fresh store and returns its
// problems ([] = passed, null = the folder holds no scenario). Formats: docs/data-formats.md,
// "Worked examples".
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Import order: what a row refers to is imported before it (dangling rows would resolve anyway). */
export const SOURCE_ORDER = [
  'product_lines',
  'sales_subjects',
  'partners',
  'customers',
  'login_ips',
  'referral_events',
  'orders',
  'refunds',
];
const DEFAULT_AS_OF = '2026-11-01T00:00:00+08:00';

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** JSON array, or JSON lines. */
function parseJson(text) {
  const t = text.trim();
  if (!t) return [];
  try {
    return JSON.parse(t);
  } catch {
    return t
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }
}

function cli(root, args, env = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin', 'yunke-desk.mjs'), ...args],
      { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20, timeout: 180_000 },
      (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, out: stdout, err: stderr }),
    );
  });
}

/** The files of a source in a folder: `orders.csv`, then `orders-2.csv` … */
function filesOf(dir, source) {
  return readdirSync(dir)
    .filter((f) => f.startsWith(source + '.') || f.startsWith(source + '-'))
    .sort();
}

/** Compares exported orders / partners with an expectation (expected.json or an `expect` step). */
function compare(problems, at, kind, got, want) {
  for (const [id, fields] of Object.entries(want)) {
    const row = got[id];
    if (!row) {
      problems.push(`${at}${kind} ${id} missing`);
      continue;
    }
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'earns') {
        const earns = row.status === 'valid' && (row.rebate_fen ?? 0) > 0;
        if (earns !== v) problems.push(`${at}${kind} ${id} earns: want ${v}, got ${earns} (${row.status})`);
      } else if (k === 'reasons_include') {
        for (const code of v)
          if (!(row.reasons ?? []).includes(code))
            problems.push(`${at}${kind} ${id} reasons lack ${code}: ${JSON.stringify(row.reasons)}`);
      } else if (JSON.stringify(row[k]) !== JSON.stringify(v))
        problems.push(`${at}${kind} ${id}.${k}: want ${JSON.stringify(v)}, got ${JSON.stringify(row[k])}`);
    }
  }
}

let databases = 0;
/**
 * With SCENARIO_PG (a PostgreSQL server's URL without a database, as the extra scenarios' tools take it),
 * each scenario runs on a team database of its own, created here and dropped afterwards.
 */
async function pgAdmin(root, fn) {
  const pg = createRequire(join(root, 'package.json'))('pg');
  const client = new pg.Client({ connectionString: `${process.env.SCENARIO_PG}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function teamDatabase(root) {
  const name = `yk_scenario_${process.pid}_${++databases}`;
  await pgAdmin(root, (c) => c.query(`CREATE DATABASE ${name}`));
  return { url: `${process.env.SCENARIO_PG}/${name}`, name };
}

export async function runScenario(root, dir) {
  const expectedFile = join(dir, 'expected.json');
  const stepsFile = join(dir, 'steps.json');
  if (!existsSync(expectedFile) && !existsSync(stepsFile)) return null;
  const work = mkdtempSync(join(tmpdir(), 'yunke-scenario-'));
  const team = process.env.SCENARIO_PG ? await teamDatabase(root) : null;
  try {
    return await runIn(root, dir, work, team, expectedFile, stepsFile);
  } finally {
    if (team)
      await pgAdmin(root, (c) => c.query(`DROP DATABASE IF EXISTS ${team.name} WITH (FORCE)`)).catch(
        () => undefined,
      );
  }
}

async function runIn(root, dir, work, team, expectedFile, stepsFile) {
  const vars = { DB: team ? team.url : join(work, 'store.db'), OUT: work };
  const problems = [];
  const sub = (v) =>
    typeof v === 'string'
      ? v.replace(/\$([A-Z_]+)/g, (m, k) => (k in vars ? String(vars[k]) : m))
      : Array.isArray(v)
        ? v.map(sub)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]))
          : v;
  const exported = async (what) => {
    const r = await cli(root, ['export', '--db', vars.DB, '--what', what, '--format', 'json']);
    if (r.code !== 0) throw new Error(`export ${what} exited ${r.code}: ${r.err.trim().slice(0, 200)}`);
    return parseJson(r.out);
  };
  const byId = (rows, key) => Object.fromEntries(rows.map((r) => [r[key], r]));
  try {
    const expected = existsSync(expectedFile) ? JSON.parse(readFileSync(expectedFile, 'utf8')) : null;
    for (const source of SOURCE_ORDER)
      for (const f of filesOf(dir, source)) {
        const r = await cli(root, ['import', '--db', vars.DB, '--source', source, join(dir, f)]);
        if (expected?.import_fails) {
          if (r.code !== 0 && r.code !== 1) problems.push(`import ${f}: want exit 0 or 1, got ${r.code}`);
        } else if (r.code !== 0) problems.push(`import ${f} failed: ${r.err.trim().slice(0, 200)}`);
      }
    if (expected) {
      const rc = await cli(root, ['recompute', '--db', vars.DB, '--as-of', expected.as_of ?? DEFAULT_AS_OF]);
      if (rc.code !== 0) throw new Error(`recompute exited ${rc.code}: ${rc.err.trim().slice(0, 200)}`);
      const orders = byId(await exported('orders'), 'order_id');
      compare(problems, '', 'order', orders, expected.orders ?? {});
      for (const id of expected.orders_absent ?? [])
        if (orders[id]) problems.push(`order ${id} should not be in the store`);
      if (expected.import_fails && (expected.orders_absent ?? []).length === 0)
        problems.push('import_fails without orders_absent checks nothing');
      compare(
        problems,
        '',
        'partner',
        byId(await exported('partners'), 'partner_id'),
        expected.partners ?? {},
      );
    } else {
      await runSteps(root, stepsFile, vars, sub, problems, exported, byId, team);
    }
  } catch (e) {
    problems.push(`error: ${String(e.message ?? e).slice(0, 300)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return problems;
}

async function runSteps(root, stepsFile, vars, sub, problems, exported, byId, team) {
  const steps = JSON.parse(readFileSync(stepsFile, 'utf8'));
  const dir = join(stepsFile, '..');
  for (const [i, raw] of steps.entries()) {
    const s = sub(raw);
    const at = `step ${i + 1}: `;
    if (s.cli) {
      const r = await cli(root, [...s.cli, '--db', vars.DB], s.env);
      const want = [s.exit ?? 0].flat();
      if (!want.includes(r.code))
        problems.push(
          `${at}${s.cli.slice(0, 2).join(' ')} exited ${r.code}, want ${want}: ${r.err.trim().split('\n')[0]}`,
        );
      for (const h of s.out_has ?? [])
        if (!(r.out + r.err).includes(h)) problems.push(`${at}output lacks ${JSON.stringify(h)}`);
      for (const h of s.out_lacks ?? [])
        if ((r.out + r.err).includes(h)) problems.push(`${at}output holds ${JSON.stringify(h)}`);
      if (
        s.out_sha256_of &&
        (!existsSync(s.out_sha256_of) || !(r.out + r.err).includes(sha256(s.out_sha256_of)))
      )
        problems.push(`${at}output does not show the SHA-256 of ${s.out_sha256_of}`);
      if (s.capture) {
        const j = parseJson(r.out);
        const row = Array.isArray(j) ? j[0] : j;
        for (const [k, field] of Object.entries(s.capture)) vars[k] = row?.[field];
      }
    } else if (s.import) {
      const r = await cli(root, ['import', '--db', vars.DB, '--source', s.import[0], join(dir, s.import[1])]);
      if (r.code !== 0) problems.push(`${at}import ${s.import[1]} failed: ${r.err.trim().slice(0, 200)}`);
    } else if (s.recompute) {
      const r = await cli(root, ['recompute', '--db', vars.DB, '--as-of', s.recompute]);
      if (r.code !== 0) problems.push(`${at}recompute failed: ${r.err.trim().slice(0, 200)}`);
    } else if (s.same_files) {
      const [a, b] = s.same_files;
      if (!existsSync(a) || !existsSync(b))
        problems.push(`${at}missing ${[a, b].filter((f) => !existsSync(f))}`);
      else if (sha256(a) !== sha256(b)) problems.push(`${at}${a} and ${b} differ`);
    } else if (s.file_has) {
      const f = s.file_has.file;
      if (!existsSync(f)) {
        problems.push(`${at}${f} missing`);
        continue;
      }
      const text = readFileSync(f, 'utf8');
      for (const h of s.file_has.has ?? [])
        if (!text.includes(h)) problems.push(`${at}${f} lacks ${JSON.stringify(h)}`);
      for (const h of s.file_has.not ?? [])
        if (text.includes(h)) problems.push(`${at}${f} holds ${JSON.stringify(h)}`);
    } else if (s.xlsx_no_formulas) {
      const ExcelJS = createRequire(join(root, 'package.json'))('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(s.xlsx_no_formulas);
      wb.eachSheet((ws) =>
        ws.eachRow((row) =>
          row.eachCell((c) => {
            if (c.type === ExcelJS.ValueType.Formula) problems.push(`${at}formula in ${c.address}`);
          }),
        ),
      );
    } else if (s.tamper_audit) {
      // behind the store's back, as someone with the sqlite3 shell (psql) would: drop the guards, edit a row
      if (team) {
        const pg = createRequire(join(root, 'package.json'))('pg');
        const c = new pg.Client({ connectionString: team.url });
        await c.connect();
        await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
        await c.query(
          "UPDATE audit_log SET reason = reason || ' (edited)' WHERE audit_id = (SELECT MIN(audit_id) FROM audit_log)",
        );
        await c.end();
        continue;
      }
      const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
      const db = new Database(vars.DB);
      for (const { name } of db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        .all())
        db.exec(`DROP TRIGGER "${name}"`);
      db.exec(
        "UPDATE audit_log SET reason = reason || ' (edited)' WHERE audit_id = (SELECT MIN(audit_id) FROM audit_log)",
      );
      db.close();
    } else if (s.expect) {
      const e = s.expect;
      if (e.orders) compare(problems, at, 'order', byId(await exported('orders'), 'order_id'), e.orders);
      if (e.partners)
        compare(problems, at, 'partner', byId(await exported('partners'), 'partner_id'), e.partners);
      if (e.payouts) {
        const lines = await exported('payouts');
        for (const want of e.payouts) {
          const got = lines.find(
            (l) => l.partner_id === want.partner_id && (!want.cycle || l.cycle === want.cycle),
          );
          if (!got) problems.push(`${at}payout line ${want.cycle ?? ''}/${want.partner_id} missing`);
          else
            for (const [k, v] of Object.entries(want)) {
              const value = k === 'abs_carried_negative_fen' ? Math.abs(got.carried_negative_fen) : got[k];
              if (value !== v) problems.push(`${at}payout ${want.partner_id}.${k}: want ${v}, got ${value}`);
            }
        }
      }
      if (e.risk) {
        const r = await cli(root, ['risk', 'list', '--db', vars.DB, '--format', 'json']);
        const rows = r.code === 0 ? parseJson(r.out) : [];
        if (r.code !== 0) problems.push(`${at}risk list exited ${r.code}`);
        for (const [id, want] of Object.entries(e.risk)) {
          const status = rows.find((x) => x.partner_id === id)?.status ?? 'absent';
          if (status !== want.status) problems.push(`${at}risk ${id}: want ${want.status}, got ${status}`);
        }
      }
    } else problems.push(`${at}unknown step ${JSON.stringify(raw).slice(0, 80)}`);
  }
}
