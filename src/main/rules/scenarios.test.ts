import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRows } from '../export/results';
import { recomputeFull } from '../engine/recompute';
import { loadScenario, t, world } from '../test-support/world';

// the project's own worked examples, and (optionally) extra ones kept beside the repository
const bases = [join(__dirname, 'scenarios'), join(__dirname, '..', '..', '..', '..', 'shared', 'scenarios')];
const dirs = bases.flatMap((base) =>
  existsSync(base)
    ? readdirSync(base)
        .map((d) => join(base, d))
        .filter((d) => existsSync(join(d, 'expected.json')) && plainCsv(d))
        .sort()
    : [],
);

/**
 * This test loads CSVs with a plain UTF-8, English-header reader (no importer), so it takes the
 * scenarios written that way; those about the importer itself (GBK, Chinese headers, XLSX, bad
 * files) run through the CLI only (scripts/scenarios.mjs), like every scenario does.
 */
function plainCsv(dir: string): boolean {
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.json') && !f.endsWith('.md'))
    .every((f) => {
      if (!f.endsWith('.csv')) return false;
      const bytes = readFileSync(join(dir, f));
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return /^[\x20-\x7e]*$/.test(text.split(/\r?\n/)[0]);
      } catch {
        return false;
      }
    });
}

interface Expected {
  as_of?: string;
  import_fails?: boolean;
  orders?: Record<string, Record<string, unknown>>;
  partners?: Record<string, Record<string, unknown>>;
}

describe('worked scenarios (loaded without the importer)', () => {
  it("finds the project's own scenarios", () =>
    expect(dirs.filter((d) => d.startsWith(bases[0])).length).toBeGreaterThanOrEqual(4));
  for (const d of dirs.filter(
    (dir) => !JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')).import_fails,
  )) {
    const exp = JSON.parse(readFileSync(join(d, 'expected.json'), 'utf8')) as Expected;
    it(`${basename(d)} matches expected.json`, async () => {
      const w = world({ productLines: false });
      try {
        loadScenario(w.store, d);
        recomputeFull(w.store, { asOf: t(exp.as_of ?? '2026-11-01T00:00:00+08:00') });
        const orders = Object.fromEntries(
          exportRows(w.store.sqlite, 'orders').rows.map((o) => [o.order_id, o]),
        );
        const partners = Object.fromEntries(
          exportRows(w.store.sqlite, 'partners').rows.map((p) => [p.partner_id, p]),
        );
        for (const [id, want] of Object.entries(exp.orders ?? {})) {
          const got = orders[id];
          expect(got, `order ${id}`).toBeDefined();
          for (const [k, v] of Object.entries(want)) {
            if (k === 'earns')
              expect(got.status === 'valid' && (got.rebate_fen as number) > 0, `${id}.earns`).toBe(v);
            else if (k === 'reasons_include')
              for (const r of v as string[]) expect(got.reasons, `${id}.reasons`).toContain(r);
            else expect(got[k], `${id}.${k}`).toEqual(v);
          }
        }
        for (const [id, want] of Object.entries(exp.partners ?? {})) {
          for (const [k, v] of Object.entries(want)) expect(partners[id]?.[k], `${id}.${k}`).toEqual(v);
        }
      } finally {
        await w.close();
      }
    });
  }
});
