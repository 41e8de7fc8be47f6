import { PARALLEL_MIN_CUSTOMERS } from '../main/engine/full-run';
import type { RunSummary } from '../main/engine/recompute';
import { runEngine, type EngineJob } from '../main/engine/run-engine';
import type { Store } from '../main/store/open-store';

/**
 * A full recompute from the command line. A large store is recomputed as the app does it, in the
 * engine worker (its heap sized for a recompute, workers.ts ENGINE_RESOURCE_LIMITS: about a tenth
 * faster); a small one in this thread (starting the worker would cost more than the run).
 */
export function recomputeFromCli(
  store: Store,
  job: Omit<Extract<EngineJob, { kind: 'full' }>, 'kind'> = {},
): Promise<RunSummary> {
  const customers = store.sqlite.prepare('SELECT COUNT(*) FROM customers').pluck().get() as number;
  return runEngine(
    store,
    { kind: 'full', ...job },
    customers >= PARALLEL_MIN_CUSTOMERS ? {} : { workerFile: null },
  );
}
