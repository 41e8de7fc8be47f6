/**
 * Worker-thread entry of engine jobs (bundled to dist-cli/engine-worker.mjs and
 * out/main/engine-worker.js). It stays between jobs (run-engine.ts EngineHost), so the Electron
 * main loop never blocks on a full recompute of a large store. Each message is one job on a
 * store, or the end of a store's connection: the connection of the last job's store is kept for
 * the next job of the same store (its page cache and compiled statements stay warm), and ends when
 * that store closes in the main thread (a `release` request), when a job of another store comes,
 * after a failed job, or with the worker.
 *
 * Its WAL is checkpointed once the worker is idle, not by the commit of each job: a checkpoint
 * writes the committed pages into the store file and waits for the disk (fsync), which took as
 * long as the rest of an applied shared-IP decision (it rewrites thousands of scattered pages).
 * A commit is in the WAL either way and survives the process ending; with synchronous = NORMAL
 * the WAL reaches the disk at a checkpoint, so a power cut before it may lose the last commits,
 * as with any commit too small to checkpoint by itself. A burst of jobs checkpoints once
 * WAL_GUARD_PAGES are pending.
 */
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../store/open-store';
import { backgroundWork } from './full-run';
import { runEngineJob, type EngineWorkerMessage, type EngineWorkerRequest } from './run-engine';

const port = parentPort!;
const post = (m: EngineWorkerMessage) => port.postMessage(m);

/** The connection kept for the store of the last job (run-engine.ts connectionOf). */
let kept: { connection: number; file: string; store: Store } | null = null;

/** How long the worker waits without a job before it checkpoints the WAL. */
const IDLE_CHECKPOINT_MS = 500;
/** A commit that leaves more pages than this in the WAL checkpoints at once (128 MiB of 4 KiB pages). */
const WAL_GUARD_PAGES = 32_768;
/**
 * The kept connection's page cache, in KiB (openStore sets 64 MiB): a shared-IP decision on the
 * largest group of demo --scale 20 holds 25–50 MiB of changed pages until its commit or rollback,
 * and reads about as much again; with 64 MiB its reads went back to the file on every run.
 */
const CACHE_KIB = 262_144;
let checkpoint: ReturnType<typeof setTimeout> | null = null;

function checkpointWhenIdle(): void {
  if (checkpoint) clearTimeout(checkpoint);
  checkpoint = setTimeout(() => {
    checkpoint = null;
    try {
      // PASSIVE: copies what no reader still needs, never waits for the main thread's readers
      kept?.store.sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // a busy or read-only store: a later commit (or the last connection's close) checkpoints
    }
  }, IDLE_CHECKPOINT_MS);
}

async function release(): Promise<void> {
  const k = kept;
  kept = null;
  await k?.store.close();
}

port.on('message', async (req: EngineWorkerRequest) => {
  if (checkpoint) clearTimeout(checkpoint);
  checkpoint = null;
  try {
    if ('release' in req) {
      if (kept?.connection === req.release) await release();
      // a full recompute's helpers checkpoint and close their own connections after the run has
      // returned: the store's close waits for them too (this reply), so that once it resolves no
      // thread of this process has the file open (a restore renames it and its log next). Any
      // helper, not only this store's: one of a store released before may still be at it
      await backgroundWork();
      post({ type: 'done', summary: null });
      return;
    }
    if (!kept || kept.connection !== req.connection || kept.file !== req.dbFile) {
      await release();
      kept = { connection: req.connection, file: req.dbFile, store: openStore(req.dbFile, req.storeOptions) };
      kept.store.sqlite.pragma(`wal_autocheckpoint = ${WAL_GUARD_PAGES}`);
      kept.store.sqlite.pragma(`cache_size = -${CACHE_KIB}`);
    }
    const { store } = kept;
    if (req.job === null) {
      post({ type: 'done', summary: null });
      return;
    }
    try {
      // the connection is this job's alone: a decision runs its transaction on it
      post({ type: 'done', summary: await runEngineJob(store, req.job, req.storeOptions, true) });
      checkpointWhenIdle();
    } catch (e) {
      // a failed job leaves nothing behind: the next one starts on a fresh connection
      await release();
      throw e;
    }
  } catch (e) {
    const err = e as { message?: string; code?: unknown; details?: unknown };
    post({
      type: 'error',
      message: err.message ?? String(e),
      code: typeof err.code === 'string' ? err.code : undefined,
      details: err.details,
    });
  }
});
