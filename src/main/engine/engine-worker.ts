/**
 * Worker-thread entry of engine jobs (bundled to dist-cli/engine-worker.mjs and
 * out/main/engine-worker.js). It stays between jobs (run-engine.ts EngineHost), so the Electron
 * main loop never blocks on a full recompute of a large store. Each message is one job on a
 * store, or the end of a store's connection: the connection of the last job's store is kept for
 * the next job of the same store (its page cache and compiled statements stay warm), and ends when
 * that store closes in the main thread (a `release` request), when a job of another store comes,
 * after a failed job, or with the worker.
 *
 * Its WAL is checkpointed once the worker is idle (engine-connection.ts).
 */
import { parentPort } from 'node:worker_threads';
import { openStore, type Store } from '../store/open-store';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { backgroundWork } from './full-run';
import { checkpointIdle, IDLE_CHECKPOINT_MS, keepAsEngineConnection } from './engine-connection';
import { runEngineJob, type EngineWorkerMessage, type EngineWorkerRequest } from './run-engine';

const port = parentPort!;
const post = (m: EngineWorkerMessage) => port.postMessage(m);

// a job's write that waits for another desk's (a team database's write lock) says so: the main
// thread shows it in the store's job list (run-engine.ts)
PgSyncPort.onLockWait = (holder) => {
  post({ type: 'waiting', holder });
  return () => post({ type: 'waited' });
};

/** The connection kept for the store of the last job (run-engine.ts connectionOf). */
let kept: { connection: number; file: string; store: Store } | null = null;

let checkpoint: ReturnType<typeof setTimeout> | null = null;

function checkpointWhenIdle(): void {
  if (checkpoint) clearTimeout(checkpoint);
  checkpoint = setTimeout(() => {
    checkpoint = null;
    if (kept) checkpointIdle(kept.store);
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
      // a full recompute's helpers checkpoint and close their own connections after the run has
      // returned: the store's close waits for them too (this reply), so that once it resolves no
      // thread of this process has the file open (a restore renames it and its log next). Any
      // helper, not only this store's: one of a store released before may still be at it. They
      // close first: the last connection to close folds the WAL in and removes it, and two that
      // close at once each see the other and leave it
      await backgroundWork();
      if (kept?.connection === req.release) await release();
      post({ type: 'done', summary: null });
      return;
    }
    if (!kept || kept.connection !== req.connection || kept.file !== req.dbFile) {
      await release();
      kept = { connection: req.connection, file: req.dbFile, store: openStore(req.dbFile, req.storeOptions) };
      keepAsEngineConnection(kept.store);
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
