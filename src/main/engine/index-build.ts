/**
 * How a store file builds the result tables' indexes after a full recompute's bulk insert
 * (persist.ts ResultWriter.createIndexes).
 *
 * SQLite sorts an index's keys in memory up to the connection's cache size, then writes the
 * sorted run aside and merges the runs at the end. With the store's 64 MB cache (open-store.ts) the
 * keys of 800k orders are one run, sorted as one list far larger than the processor's cache; in
 * runs of 2 MB each sort stays in it, and with `threads` a second thread sorts one run while the
 * statement fills the next and helps merge them. On demo --scale 20 the ten indexes of the orders
 * and attributions took 2.6–3.2 s one way and 1.6–2.1 s the other (same file, same machine,
 * alternated). The settings are the connection's, put back after the builds.
 */
import type { SqlPort } from '../store/sql-port';

/** the sorter's memory per run while indexes are built (a negative cache_size is KiB) */
export const INDEX_BUILD_CACHE_KIB = 2048;
/** auxiliary threads a statement may start to sort and merge (PRAGMA threads) */
export const INDEX_BUILD_THREADS = 2;

/** Runs `build` (CREATE INDEX statements) with the sorter settings above; the connection's own
 * settings are restored afterwards, whatever `build` did. */
export function withIndexBuildSettings<T>(db: SqlPort, build: () => T): T {
  const cache = Number(db.pragma('cache_size', { simple: true }));
  const threads = Number(db.pragma('threads', { simple: true }));
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  db.pragma(`threads = ${INDEX_BUILD_THREADS}`);
  try {
    return build();
  } finally {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`threads = ${threads}`);
  }
}
