/**
 * Worker-thread entry of the payout race tests (payouts/batches.test.ts): opens its own connection
 * to the store, waits at a barrier shared with the other racers, then takes one payout decision or
 * prepares a batch — really at the same time as the others — and posts what happened.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decide, prepareBatch, type Decision } from '../payouts/batches';
import { PayoutError } from '../payouts/errors';
import { openStore } from '../store/open-store';

export type RaceJob =
  | {
      kind: 'decide';
      operatorId: string;
      batchId: number;
      decision: Decision;
      partnerId?: string;
      expectedRevision?: number;
    }
  | { kind: 'prepare'; operatorId: string; cycleKey: string };

export type RaceOutcome = { ok: true; value: unknown } | { ok: false; code: string; details?: unknown };

const { file, job, barrier, parties } = workerData as {
  file: string;
  job: RaceJob;
  barrier: SharedArrayBuffer;
  parties: number;
};
const store = openStore(file);
const arrived = new Int32Array(barrier);
Atomics.add(arrived, 0, 1);
Atomics.notify(arrived, 0);
for (let n = Atomics.load(arrived, 0); n < parties; n = Atomics.load(arrived, 0))
  Atomics.wait(arrived, 0, n, 100);
const actor = { operatorId: job.operatorId, role: 'finance' as const, name: job.operatorId };
let outcome: RaceOutcome;
try {
  const value =
    job.kind === 'decide'
      ? await decide(store.db, {
          batchId: job.batchId,
          partnerId: job.partnerId,
          decision: job.decision,
          reason: `${job.decision} by ${job.operatorId}`,
          actor,
          expectedRevision: job.expectedRevision,
        })
      : await prepareBatch(store.db, { cycleKey: job.cycleKey, actor });
  outcome = { ok: true, value };
} catch (e) {
  outcome =
    e instanceof PayoutError
      ? { ok: false, code: e.code, details: e.details }
      : { ok: false, code: 'ERROR', details: String((e as Error).message ?? e) };
}
await store.close();
parentPort!.postMessage(outcome);
