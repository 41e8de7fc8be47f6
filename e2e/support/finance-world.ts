/**
 * A small payout world for the finance spec, imported through the real CLI (e2e/fixtures/
 * finance-world/*.csv; like src/cli/scenarios/p02-prepare-and-approve, with three partners), with
 * two finance operators who have PINs, added by the e2e admin through `operator add --pin`.
 *
 * As of 2026-08-05 00:00 (Asia/Shanghai), every partner at L1 (20%):
 *  Q1 K1 → P1, ¥1,000 on 2026-03-02: rebate ¥200.00, confirmed in cycle 2026-04
 *  Q2 K2 → P1, ¥1,000 on 2026-06-03: rebate ¥200.00, cycle 2026-07
 *  Q3 K3 → P2, ¥1,500 on 2026-06-10: rebate ¥300.00, cycle 2026-07
 *  Q4 K4 → P3, ¥1,000 on 2026-06-12: rebate ¥200.00, cycle 2026-07 — P3 has no payee details
 * A batch of 2026-07: P1 ¥200.00 and P2 ¥300.00 pending, P3 ¥200.00 held (MISSING_PAYEE).
 * Overriding P1 to L3 (30%) from 2026-05-01 makes Q2 ¥300.00; Q1 keeps ¥200.00 (R-LVL-3).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { E2E_ADMIN } from './seed';

const ROOT = join(import.meta.dirname, '..', '..');
const WORLD = join(ROOT, 'e2e', 'fixtures', 'finance-world');
export const FINANCE_AS_OF = '2026-08-05T00:00:00+08:00';
export const FINANCE_A = { id: 'FIN1', name: '财务甲', pin: '1111' } as const;
export const FINANCE_B = { id: 'FIN2', name: '财务乙', pin: '2222' } as const;

export function cli(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin', 'yunke-desk.mjs'), ...args], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, ...env },
  }).toString();
}

/** Imports the world into `file`, computes it as of FINANCE_AS_OF and adds the finance operators. */
export function importFinanceWorld(file: string): void {
  for (const source of ['product_lines', 'partners', 'customers', 'referral_events', 'orders'])
    cli(['import', '--db', file, '--source', source, join(WORLD, `${source}.csv`)]);
  cli(['recompute', '--db', file, '--as-of', FINANCE_AS_OF]);
  for (const op of [FINANCE_A, FINANCE_B])
    cli(
      [
        'operator',
        'add',
        '--db',
        file,
        '--id',
        op.id,
        '--name',
        op.name,
        '--role',
        'finance',
        '--as',
        E2E_ADMIN.id,
        '--pin',
      ],
      { YUNKE_PIN: op.pin },
    );
}
