/**
 * Worker-thread entry of an engine job (bundled to dist-cli/engine-worker.mjs and
 * out/main/engine-worker.js): opens its own connection to the store and runs the job, so the
 * Electron main loop never blocks on a full recompute of a large store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store';
import { runEngineJob, type EngineWorkerMessage, type EngineWorkerRequest } from './run-engine';

const port = parentPort!;
const req = workerData as EngineWorkerRequest;
const post = (m: EngineWorkerMessage) => port.postMessage(m);

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
