/**
 * How a store file builds the result tables' indexes after a full recompute's bulk insert
 * (persist.ts ResultWriter.createIndexes).
 *
 * SQLite sorts an index's keys in memory up to the connection's cache size, then writes the
 * sorted run to a temporary file and merges the runs at the end, with `threads` auxiliary threads
 * sorting and merging beside the statement. The full run's helper (full-run-worker.ts, a 64 MB
 * cache) sorts the keys of 800k orders as one list far larger than the processor's cache; in runs
 * of 2 MB each sort stays in it and a second thread works alongside. On demo --scale 20 the ten
 * indexes of the orders and attributions took 2.6–3.2 s one way and 1.6–2.1 s the other (same
 * file, same machine, alternated).
 *
 * A connection whose temporary files are kept in memory (the app's, open-store.ts: temp_store =
 * MEMORY) never writes runs nor starts threads, whatever these settings say: there, shrinking its
 * cache would only evict pages it keeps warm (the engine worker's, engine-worker.ts) and spill the
 * transaction's changes early, so it is left as it is.
 */
import type { SqlPort } from '../store/sql-port';

/** the sorter's memory per run while indexes are built (a negative cache_size is KiB) */
export const INDEX_BUILD_CACHE_KIB = 2048;
/** auxiliary threads a statement may start to sort and merge (PRAGMA threads) */
export const INDEX_BUILD_THREADS = 2;

/**
 * Whether this connection keeps temporary files in memory (SQLite's sqlite3TempInMemory: the
 * build's SQLITE_TEMP_STORE, then PRAGMA temp_store 1 = file, 2 = memory).
 */
export function tempInMemory(db: SqlPort): boolean {
  const options = (db.pragma('compile_options') as { compile_options: string }[]).map(
    (o) => o.compile_options,
  );
  const built = Number(
    /^TEMP_STORE=(\d)$/.exec(options.find((o) => o.startsWith('TEMP_STORE=')) ?? '')?.[1] ?? 1,
  );
  const pragma = Number(db.pragma('temp_store', { simple: true }));
  if (built === 0) return false;
  if (built === 3) return true;
  if (built === 1) return pragma === 2;
  return pragma !== 1;
}

/**
 * Runs `build` (CREATE INDEX statements) with the sorter settings above where the sorter writes
 * runs (see above); the connection's own settings are restored afterwards. An error of `build`
 * is the one thrown, even when the restore fails too.
 */
export function withIndexBuildSettings<T>(db: SqlPort, build: () => T): T {
  if (tempInMemory(db)) return build();
  const cache = Number(db.pragma('cache_size', { simple: true }));
  const threads = Number(db.pragma('threads', { simple: true }));
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  db.pragma(`threads = ${INDEX_BUILD_THREADS}`);
  const restore = () => {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`threads = ${threads}`);
  };
  let result: T;
  try {
    result = build();
  } catch (e) {
    try {
      restore();
    } catch {
      // after a failed build (an I/O error, say) the build's error is the one to report
    }
    throw e;
  }
  restore();
  return result;
}
