// Bundled by scripts/bench/engine.mjs: one full recompute of the store file, in a worker thread
// with the engine worker's heap (workers.ts ENGINE_RESOURCE_LIMITS), as the app (engine/run-engine.ts)
// and the CLI (cli/full-recompute.ts) run one on a large store; then the WAL checkpoint its helper
// runs after the commit, timed apart.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../src/main/store/open-store';
import { recomputeFull } from '../../src/main/engine/recompute';
import { backgroundWork } from '../../src/main/engine/full-run';

const { file, asOf } = workerData as { file: string; asOf: number };
const store = openStore(file);
try {
  const phases: string[] = [];
  const t0 = performance.now();
  const r = recomputeFull(store, {
    asOf,
    onPhase: (n, t) => phases.push(`${n} ${(t / 1000).toFixed(2)} s`),
  });
  const took = performance.now() - t0;
  const t1 = performance.now();
  await backgroundWork();
  phases.push(`(then background checkpoint ${((performance.now() - t1) / 1000).toFixed(2)} s)`);
  parentPort!.postMessage({ took, phases, stats: r.stats });
} finally {
  await store.close();
}
