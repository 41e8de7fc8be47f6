/**
 * Every row of a paged list method of the contract (it gives at most 500 or 1,000 a call), all
 * pages read in one snapshot of the store and at one instant: a row another desk adds or removes
 * meanwhile, or an entry whose status changes with the clock between two pages (a blacklist entry
 * lifted, a shared-IP mark ended), neither repeats a row into two pages nor drops one from both.
 */
import { nowOf, type ApiContext } from '../main/api/context';
import { PgSyncPort } from '../main/store/pg-sync/pg-sync-port';

export interface Page<T> {
  rows: T[];
  total: number;
}

/**
 * The rows of `page(offset, at)` for offset 0, then after each page's rows, until `total`; in a read
 * transaction of the store's connection, which the contract's queries share (a team database's in
 * REPEATABLE READ, as the engine's read). `at`: `ctx` with its clock stopped at the first page's
 * instant, for every page's call (a status in force "now" is the same on each page).
 * `betweenPages`: called after each page but the last (tests).
 */
export async function everyPage<T>(
  ctx: ApiContext,
  page: (offset: number, at: ApiContext) => Promise<Page<T>>,
  betweenPages?: () => Promise<void> | void,
): Promise<T[]> {
  const port = ctx.store.sqlite;
  const own = !port.inTransaction;
  const end = () => {
    if (port instanceof PgSyncPort) port.end('ROLLBACK');
    else port.exec('ROLLBACK');
  };
  if (own) {
    if (port instanceof PgSyncPort) port.beginRead();
    else port.exec('BEGIN');
  }
  const instant = nowOf(ctx);
  const at: ApiContext = { ...ctx, now: () => instant };
  let rows: T[];
  try {
    rows = [];
    for (;;) {
      const p = await page(rows.length, at);
      rows.push(...p.rows);
      if (rows.length >= p.total || p.rows.length === 0) break;
      await betweenPages?.();
    }
  } catch (e) {
    if (own)
      try {
        end();
      } catch {
        // a read that failed says why; the end of its transaction failing too (a connection lost)
        // is no news
      }
    throw e;
  }
  if (own) end();
  return rows;
}
