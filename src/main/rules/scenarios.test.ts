import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRows } from './export';
import { recomputeFull } from './recompute';
import { loadScenario, t, world } from './test-fixtures';

const root = join(__dirname, '../../../../shared/scenarios');
const dirs = existsSync(root)
  ? readdirSync(root)
      .filter((d) => existsSync(join(root, d, 'expected.json')))
      .sort()
  : [];

interface Expected {
  as_of?: string;
  import_fails?: boolean;
  orders?: Record<string, Record<string, unknown>>;
  partners?: Record<string, Record<string, unknown>>;
}

describe('shared scenarios (loaded without the importer)', () => {
  it.skipIf(dirs.length === 0)('finds the scenarios', () => expect(dirs.length).toBeGreaterThan(0));
  for (const d of dirs) {
    const exp = JSON.parse(readFileSync(join(root, d, 'expected.json'), 'utf8')) as Expected;
    it.skipIf(exp.import_fails === true)(`${d} matches expected.json`, async () => {
      const w = world({ productLines: false });
      try {
        loadScenario(w.store, join(root, d));
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
