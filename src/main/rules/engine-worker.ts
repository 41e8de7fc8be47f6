/**
 * Worker-thread entry of an engine run (bundled to dist-cli/engine-worker.mjs and
 * out/main/engine-worker.js): opens its own connection to the store and recomputes, so the
 * Electron main loop never blocks on a full recompute of a large store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store';
import { recomputeFull, recomputeIncremental } from './recompute';
import type { EngineWorkerMessage, EngineWorkerRequest } from './run-engine';

const port = parentPort!;
const req = workerData as EngineWorkerRequest;
const post = (m: EngineWorkerMessage) => port.postMessage(m);

try {
  const store = openStore(req.dbFile, req.storeOptions);
  try {
    const summary =
      req.job.kind === 'full'
        ? recomputeFull(store, {
            asOf: req.job.asOf,
            configVersion: req.job.configVersion,
            parallel: { nativeBinding: req.storeOptions?.nativeBinding },
          })
        : recomputeIncremental(store, req.job.scope);
    post({ type: 'done', summary });
  } finally {
    await store.close();
  }
} catch (e) {
  post({ type: 'error', message: (e as Error).message ?? String(e) });
}
