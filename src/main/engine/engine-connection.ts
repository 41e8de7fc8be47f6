/**
 * How the engine worker (engine-worker.ts) sets up the connection it keeps for a store's jobs,
 * shared with the engine benchmark so that it times an incremental run as the app runs it.
 *
 * Its WAL is checkpointed once the worker is idle, not by the commit of each job: a checkpoint
 * writes the committed pages into the store file and waits for the disk (fsync), which took as
 * long as the rest of an applied shared-IP decision (it rewrites thousands of scattered pages).
 * A commit is in the WAL either way and survives the process ending; with synchronous = NORMAL
 * the WAL reaches the disk at a checkpoint, so a power cut before it may lose the last commits,
 * as with any commit too small to checkpoint by itself. A burst of jobs checkpoints once
 * WAL_GUARD_PAGES are pending.
 */
import type { Store } from '../store/open-store';

/** How long the worker waits without a job before it checkpoints the WAL. */
export const IDLE_CHECKPOINT_MS = 500;
/** A commit that leaves more pages than this in the WAL checkpoints at once (128 MiB of 4 KiB pages). */
const WAL_GUARD_PAGES = 32_768;
/**
 * The kept connection's page cache, in KiB (openStore sets 64 MiB): a shared-IP decision on the
 * largest group of demo --scale 20 holds 25–50 MiB of changed pages until its commit or rollback,
 * and reads about as much again; with 64 MiB its reads went back to the file on every run.
 */
const CACHE_KIB = 262_144;

/** Sets up a store file's connection as the engine worker keeps it (a team database has none of this). */
export function keepAsEngineConnection(store: Store): void {
  store.sqlite.pragma(`wal_autocheckpoint = ${WAL_GUARD_PAGES}`);
  store.sqlite.pragma(`cache_size = -${CACHE_KIB}`);
}

/**
 * The checkpoint of an idle worker. PASSIVE: copies what no reader still needs, never waits for
 * another connection's readers; a busy or read-only store is left to a later commit (or the last
 * connection's close).
 */
export function checkpointIdle(store: Store): void {
  try {
    store.sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // see above
  }
}
