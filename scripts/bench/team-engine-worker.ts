// Bundled by scripts/bench/team.mjs: the full recomputes of the bench, in a worker thread with the
// engine worker's heap (ENGINE_RESOURCE_LIMITS), as the app runs them (engine/run-engine.ts). Each
// run may be prepared by statements first (not timed): the stored results changed or emptied.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../src/main/store/open-store';
import { recomputeFull } from '../../src/main/engine/recompute';

const { url, asOf, runs } = workerData as {
  url: string;
  asOf: number;
  runs: { label: string; before?: string[] }[];
};
const store = openStore(url);
try {
  for (const { label, before } of runs) {
    for (const sql of before ?? []) store.sqlite.exec(sql);
    const phases: string[] = [];
    const t0 = performance.now();
    const r = recomputeFull(store, {
      asOf,
      onPhase: (n, t) => phases.push(`${n} ${(t / 1000).toFixed(1)}`),
    });
    parentPort!.postMessage({ label, took: performance.now() - t0, orders: r.stats.orders, phases });
  }
} finally {
  await store.close();
}
