/**
 * Issue 13: the same demo store on SQLite and on a team database gives byte-identical exports —
 * every result export in every format, through the command line, as finance and support take them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProcess } from '../../test-support/cli-process';
import { freshPgDatabase, onPostgres } from '../../test-support/dialect';

const cli = cliProcess;
const AS_OF = '2026-11-01T00:00:00+08:00';
const WHAT = ['attributions', 'orders', 'partners', 'same-person', 'payouts', 'payouts-due'] as const;
const FORMATS = ['csv', 'json', 'xlsx'] as const;

describe.skipIf(!onPostgres)('one demo store, two databases (issue 13)', () => {
  let dir = '';
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const file = () => join(dir, 'desk.db');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yunke-same-'));
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    for (const db of [file(), url]) {
      const demo = await cli(['demo', '--db', db, '--scale', '0.1', '--seed', '11', '--no-recompute']);
      expect(demo.code, demo.err).toBe(0);
      const run = await cli(['recompute', '--db', db, '--as-of', AS_OF]);
      expect(run.code, run.err).toBe(0);
    }
  }, 600_000);

  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('R-RECALC-1: every export (attributions, orders, partners, same-person, payouts, payouts-due) in CSV, JSON and xlsx is the same bytes', async () => {
    let compared = 0;
    for (const what of WHAT)
      for (const format of FORMATS) {
        const bytes: Buffer[] = [];
        for (const [name, db] of [
          ['sqlite', file()],
          ['postgres', url],
        ]) {
          const out = join(dir, `${what}-${name}.${format}`);
          const r = await cli(['export', '--db', db, '--what', what, '--format', format, '--out', out]);
          expect(r.code, `${what} ${format} on ${name}: ${r.err}`).toBe(0);
          bytes.push(readFileSync(out));
        }
        expect(bytes[0].length, `${what}.${format} is empty`).toBeGreaterThan(0);
        expect(bytes[1].equals(bytes[0]), `${what}.${format} differs`).toBe(true);
        compared++;
      }
    expect(compared).toBe(WHAT.length * FORMATS.length);
    // the exports are not trivially equal: the demo's results are there
    expect(readFileSync(join(dir, 'orders-sqlite.csv'), 'utf8').split('\n').length).toBeGreaterThan(1000);
  }, 600_000);
  it('R-OP-2: a what-if and a refused decision leave no gap in the numbers: the next entry, mark and batch have the same ids on both', async () => {
    const at = '2026-10-01T00:00:00+08:00';
    const steps: [string[], number][] = [
      // refused: the cycle had not ended at the results' as-of
      [['payouts', 'prepare', '--cycle', '2026-12', '--as', 'demo-finance'], 1],
      [['what-if', '--blacklist', 'YK100001', '--at', at, '--as', 'demo-admin'], 0],
      [
        [
          'blacklist',
          'add',
          '--partner',
          'YK100001',
          '--reason',
          '退款率偏高待复核',
          '--at',
          at,
          '--as',
          'demo-admin',
        ],
        0,
      ],
      [['what-if', '--shared-ip', '10.77.0.1', '--at', at, '--as', 'demo-admin'], 0],
      [
        ['shared-ip', 'add', '--ip', '10.77.0.1', '--reason', '办公室出口', '--at', at, '--as', 'demo-admin'],
        0,
      ],
      [['payouts', 'prepare', '--cycle', '2026-09', '--as', 'demo-finance'], 0],
      [['blacklist', 'list', '--status', 'all', '--format', 'json'], 0],
      [['shared-ip', 'list', '--status', 'all', '--format', 'json'], 0],
    ];
    const said: string[][] = [[], []];
    for (const [i, db] of [file(), url].entries())
      for (const [argv, code] of steps) {
        const [command, ...rest] = argv;
        const sub = rest[0] && !rest[0].startsWith('--') ? [rest.shift()!] : [];
        const r = await cli([command, ...sub, '--db', db, ...rest]);
        expect(r.code, `${argv.join(' ')} on ${i ? 'postgres' : 'sqlite'}: ${r.err}`).toBe(code);
        // (when each desk recorded its decision: the wall clock's)
        said[i].push(r.out.replace(/"recorded_at":"[^"]*"/g, '"recorded_at":"…"'));
      }
    expect(said[1]).toEqual(said[0]);
    // the batch, the entry and the mark are the first of their kind the desk made (demo ones aside)
    expect(said[0][5]).toMatch(/^batch 1 for 2026-09/);
    const entries = JSON.parse(said[0][6]) as { entry_id: number; partner_id: string }[];
    expect(entries.find((e) => e.partner_id === 'YK100001')?.entry_id).toBe(
      Math.max(...entries.map((e) => e.entry_id)),
    );
  }, 600_000);
});
