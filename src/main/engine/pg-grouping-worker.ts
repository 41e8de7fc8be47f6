/**
 * A full recompute's helper on a team database (full-run.ts `pgGroupingRun`; bundled to
 * dist-cli/pg-grouping-worker.mjs and out/main/pg-grouping-worker.js): the same-person grouping,
 * computed on a connection of its own, beside the engine's loading. It reads exactly what the
 * engine reads: the engine's transaction exports its snapshot and this one takes it (REPEATABLE
 * READ, SET TRANSACTION SNAPSHOT), so both see one state of the store.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { GroupingData } from '../rules/grouping';
import { computeGrouping } from './compute-grouping';

export interface PgGroupingRequest {
  url: string;
  snapshot: string;
  asOf: number;
  /** Int32Array[1]: 1 once the answer is on `port` */
  signal: SharedArrayBuffer;
  port: MessagePort;
}
export type PgGroupingMessage = { type: 'grouping'; data: GroupingData } | { type: 'error'; message: string };

const req = workerData as PgGroupingRequest;
const flag = new Int32Array(req.signal);
const answer = (m: PgGroupingMessage, transfer: ArrayBuffer[] = []) => {
  req.port.postMessage(m, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};

let port: PgSyncPort | null = null;
try {
  port = new PgSyncPort(req.url, { application: 'yunke-desk full recompute helper' });
  // in a transaction, the port streams its reads, a batch at a time (not a table at once)
  port.beginRead(req.snapshot);
  const data = computeGrouping(port, req.asOf);
  port.end('COMMIT');
  answer(
    { type: 'grouping', data },
    [data.root, data.size, data.edgeA, data.edgeB, data.edgeKind].map((a) => a.buffer as ArrayBuffer),
  );
} catch (e) {
  answer({ type: 'error', message: (e as Error).message ?? String(e) });
} finally {
  port?.close();
}
