/**
 * Worker-thread entry of engine jobs (bundled to dist-cli/engine-worker.mjs and
 * out/main/engine-worker.js). It stays between jobs (run-engine.ts EngineHost): each message is
 * one job on a store, run on a connection opened for it and closed after, so the Electron main
 * loop never blocks on a full recompute of a large store, and no connection outlives its job.
 */
import { parentPort } from 'node:worker_threads';
import { openStore } from '../store/open-store';
import { runEngineJob, type EngineWorkerMessage, type EngineWorkerRequest } from './run-engine';

const port = parentPort!;
const post = (m: EngineWorkerMessage) => port.postMessage(m);

port.on('message', async (req: EngineWorkerRequest) => {
  try {
    const store = openStore(req.dbFile, req.storeOptions);
    try {
      post({ type: 'done', summary: await runEngineJob(store, req.job, req.storeOptions) });
    } finally {
      await store.close();
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
