import { Worker } from 'node:worker_threads';
import type { AuditInput } from '../audit/chain';
import { runDecisionOnFile, type DecisionJob, type DecisionOutcome } from '../engine/decision-run';
import type { OpenStoreOptions, Store } from '../store/open-store';
import { findWorker } from '../workers';
import { recomputeFull, recomputeIncremental, type IncrementalScope, type RunSummary } from './recompute';

export type EngineJob =
  | { kind: 'full'; asOf?: number; configVersion?: number; audit?: AuditInput }
  | { kind: 'incremental'; scope: IncrementalScope; audit?: AuditInput }
  | { kind: 'decision'; decision: DecisionJob };

type Outcome<J extends EngineJob> = J extends { kind: 'decision' } ? DecisionOutcome : RunSummary;

export interface EngineWorkerRequest {
  dbFile: string;
  storeOptions?: OpenStoreOptions;
  job: EngineJob;
}

export type EngineWorkerMessage =
  | { type: 'done'; summary: RunSummary | DecisionOutcome }
  | { type: 'error'; message: string; code?: string; details?: unknown };

/**
 * One job on a store, in this thread: a recompute on the store's connection, a decision on a
 * connection of its own (engine/decision-run.ts). The engine worker runs the same function.
 */
export async function runEngineJob(
  store: Store,
  job: EngineJob,
  storeOptions?: OpenStoreOptions,
): Promise<RunSummary | DecisionOutcome> {
  if (job.kind === 'decision') return runDecisionOnFile(store.file, job.decision, storeOptions);
  return job.kind === 'full'
    ? recomputeFull(store, {
        asOf: job.asOf,
        configVersion: job.configVersion,
        // a full-run helper loads the same native addon as this thread (Electron's ABI)
        parallel: { nativeBinding: storeOptions?.nativeBinding },
        audit: job.audit,
      })
    : recomputeIncremental(store, job.scope, { audit: job.audit });
}

/** One engine job at a time per store: a second request waits for the first (R-RECALC-1). */
const queues = new WeakMap<Store, Promise<unknown>>();

/**
 * Runs an engine job for the app: in a worker thread with its own connection when the worker
 * is built (the window stays responsive), else inline. Results are the same either way: the
 * worker calls the same runEngineJob on the same file.
 */
export function runEngine<J extends EngineJob>(
  store: Store,
  job: J,
  options: { storeOptions?: OpenStoreOptions; workerFile?: string | null } = {},
): Promise<Outcome<J>> {
  const workerFile = options.workerFile === undefined ? findWorker('engine-worker') : options.workerFile;
  const run = (): Promise<Outcome<J>> => {
    if (!workerFile || store.file === ':memory:')
      return runEngineJob(store, job, options.storeOptions) as Promise<Outcome<J>>;
    return new Promise<Outcome<J>>((resolve, reject) => {
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
        if (m.type === 'done') resolve(m.summary as Outcome<J>);
        else reject(Object.assign(new Error(m.message), { code: m.code, details: m.details }));
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
