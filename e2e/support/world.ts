/**
 * A small world with known answers for the lookup specs, imported through the real CLI (the same
 * path as the scenarios): e2e/fixtures/lookup-world/*.csv, based on shared scenario s03
 * (login, last touch) plus a second order, a same-person account and an unattributed customer.
 *
 * As of 2026-11-01 00:00 (Asia/Shanghai):
 *  O1 C1 → valid, partner P2, rebate ¥100.00 confirmed (R-ATTR-2: the later login wins)
 *  O2 C1 → not_first, NOT_FIRST_ORDER
 *  O3 C2 → not_attributed, NOT_ATTRIBUTED + SAME_PERSON_AS_PARTNER (C2 shares P1's phone)
 *  O4 C3 → ineligible, NOT_ELIGIBLE_PRODUCT (cdn)
 *  O5 C3 → not_attributed, NOT_ATTRIBUTED
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'e2e', 'fixtures');
export const WORLD_AS_OF = '2026-11-01T00:00:00+08:00';

function cli(...args: string[]): void {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'yunke-desk.mjs'), ...args], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

/**
 * Imports the world's sources (in the scenarios' order) into `file`; recomputes unless told not to.
 * `world`: another fixture folder of e2e/fixtures with the same five files (default lookup-world),
 * and refunds.csv where the world has refunds.
 */
export function importWorld(file: string, options: { recompute: boolean; world?: string }): void {
  const dir = join(FIXTURES, options.world ?? 'lookup-world');
  for (const source of ['product_lines', 'partners', 'customers', 'referral_events', 'orders'])
    cli('import', '--db', file, '--source', source, join(dir, `${source}.csv`));
  if (existsSync(join(dir, 'refunds.csv')))
    cli('import', '--db', file, '--source', 'refunds', join(dir, 'refunds.csv'));
  if (options.recompute) cli('recompute', '--db', file, '--as-of', WORLD_AS_OF);
}
