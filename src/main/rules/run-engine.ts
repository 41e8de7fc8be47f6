import { Worker } from 'node:worker_threads';
import type { OpenStoreOptions, Store } from '../store/open-store';
import { findWorker } from '../workers';
import { recomputeFull, recomputeIncremental, type IncrementalScope, type RunSummary } from './recompute';

export type EngineJob =
  { kind: 'full'; asOf?: number; configVersion?: number } | { kind: 'incremental'; scope: IncrementalScope };

export interface EngineWorkerRequest {
  dbFile: string;
  storeOptions?: OpenStoreOptions;
  job: EngineJob;
}

export type EngineWorkerMessage = { type: 'done'; summary: RunSummary } | { type: 'error'; message: string };

/** One engine run at a time per store: a second request waits for the first (R-RECALC-1). */
const queues = new WeakMap<Store, Promise<unknown>>();

/**
 * Runs the engine for the app: in a worker thread with its own connection when the worker
 * is built (the window stays responsive), else inline. Results are the same either way: the
 * worker calls the same recomputeFull / recomputeIncremental on the same file.
 */
export function runEngine(
  store: Store,
  job: EngineJob,
  options: { storeOptions?: OpenStoreOptions; workerFile?: string | null } = {},
): Promise<RunSummary> {
  const workerFile = options.workerFile === undefined ? findWorker('engine-worker') : options.workerFile;
  const run = (): Promise<RunSummary> => {
    if (!workerFile || store.file === ':memory:') {
      return Promise.resolve(
        job.kind === 'full'
          ? recomputeFull(store, {
              asOf: job.asOf,
              configVersion: job.configVersion,
              // a full-run helper loads the same native addon as this thread (Electron's ABI)
              parallel: { nativeBinding: options.storeOptions?.nativeBinding },
            })
          : recomputeIncremental(store, job.scope),
      );
    }
    return new Promise<RunSummary>((resolve, reject) => {
      const worker = new Worker(workerFile, {
        workerData: {
          dbFile: store.file,
          storeOptions: options.storeOptions,
          job,
        } satisfies EngineWorkerRequest,
      });
      let settled = false;
      worker.on('message', (m: EngineWorkerMessage) => {
        settled = true;
        if (m.type === 'done') resolve(m.summary);
        else reject(new Error(m.message));
      });
      worker.on('error', (e) => !settled && ((settled = true), reject(e)));
      worker.on(
        'exit',
        (code) => !settled && ((settled = true), reject(new Error(`engine worker exited (${code})`))),
      );
    });
  };
  const previous = queues.get(store) ?? Promise.resolve();
  const next = previous.then(run, run);
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}
