/**
 * A full recompute's helper on a team database (full-run.ts `pgGroupingRun`; bundled to
 * dist-cli/pg-grouping-worker.mjs and out/main/pg-grouping-worker.js): the same-person grouping,
 * computed on a connection of its own, beside the engine's loading. It reads exactly what the
 * engine reads: once the engine holds the write lock and has begun its transaction, this one
 * begins (REPEATABLE READ) and exports its snapshot, and the engine's takes it (SET TRANSACTION
 * SNAPSHOT), so both see one state of the store. This way round, the engine's transaction holds
 * one snapshot, so that it may copy its result rows into the tables it made already frozen
 * (COPY … FREEZE, pg-result-swap.ts), which a transaction that exported a snapshot may not.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { GroupingData } from '../rules/grouping';
import { computeGrouping } from './compute-grouping';
import { GO, POSTED } from './pg-grouping-signal';

export interface PgGroupingRequest {
  url: string;
  asOf: number;
  /** Int32Array of the counters in pg-grouping-signal.ts */
  signal: SharedArrayBuffer;
  port: MessagePort;
}
export type PgGroupingMessage =
  | { type: 'snapshot'; snapshot: string }
  | { type: 'grouping'; data: GroupingData }
  | { type: 'error'; message: string };

const req = workerData as PgGroupingRequest;
const flag = new Int32Array(req.signal);
const answer = (m: PgGroupingMessage, transfer: ArrayBuffer[] = []) => {
  req.port.postMessage(m, transfer);
  Atomics.add(flag, POSTED, 1);
  Atomics.notify(flag, POSTED);
};

let port: PgSyncPort | null = null;
try {
  // connected while the engine takes the write lock
  port = new PgSyncPort(req.url, { application: 'yunke-desk full recompute helper' });
  // as long as the engine waits for the write lock (another desk's run may hold it for minutes);
  // an engine that gives up says so, or ends this thread
  while (Atomics.load(flag, GO) === 0) Atomics.wait(flag, GO, 0, 1000);
  if (Atomics.load(flag, GO) !== 1) throw new Error('the engine gave up its run');
  // in a transaction, the port streams its reads, a batch at a time (not a table at once)
  port.beginRead();
  answer({ type: 'snapshot', snapshot: port.query('SELECT pg_export_snapshot()').rows[0][0] as string });
  const data = computeGrouping(port, req.asOf);
  // a snapshot can be taken only while its transaction is open: wait until the engine has it
  while (Atomics.load(flag, GO) === 1) Atomics.wait(flag, GO, 1, 1000);
  port.end('COMMIT');
  answer(
    { type: 'grouping', data },
    [data.root, data.size, data.edgeA, data.edgeB, data.edgeKind].map((a) => a.buffer as ArrayBuffer),
  );
} catch (e) {
  answer({ type: 'error', message: (e as Error).message ?? String(e) });
  // its snapshot posted and not yet taken: the transaction stays open until the engine has it (or
  // gives up), so that the engine reads this error, not one about a vanished snapshot
  for (let waited = 0; Atomics.load(flag, GO) === 1 && waited < 60; waited++) Atomics.wait(flag, GO, 1, 1000);
} finally {
  port?.close();
}
