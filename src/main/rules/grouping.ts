/**
 * Same-person grouping of the whole store for a full recompute (R-SAME-1), computed either in
 * this thread or, on a large store, in a worker thread with its own read-only connection while
 * this thread loads the rest of the store (the two loads are about even, and a machine has
 * at least two cores). Both paths run the same code (loadIdentity + buildSamePerson) and pass
 * the grouping as plain arrays, so their results are identical (tested).
 *
 * Consistency: the caller holds the store's write lock (an immediate transaction, begun before
 * the worker starts), so no other connection can commit while the two connections read; the
 * worker's accounts fingerprint is still checked against the caller's.
 *
 * Checkpoint: a full recompute writes a few hundred MB of results into the WAL. The caller
 * turns automatic checkpoints off for its transaction and, once it has committed, tells the
 * worker, which checkpoints the WAL into the database file on its own connection while the
 * caller goes on (readers are never blocked by a checkpoint). `backgroundWork()` says when it is
 * done; without a worker the caller's connection checkpoints as usual.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { findWorker } from '../workers';
import { accountsFingerprint, loadIdentity } from './load';
import { buildSamePerson, samePersonResult, type SamePersonEdge, type SamePersonResult } from './same-person';
import type { EvidenceKind } from './types';

type Db = BetterSqlite3.Database;

const KINDS: EvidenceKind[] = ['account', 'phone', 'id_number_name', 'ip'];

/** A grouping as arrays (what a worker posts; typed arrays are transferred, not copied). */
export interface GroupingData {
  customers: number;
  partners: number;
  /** accountsFingerprint of the ids the grouping numbered */
  fingerprint: number;
  root: Int32Array;
  size: Int32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  /** index into KINDS */
  edgeKind: Uint8Array;
  edgeValue: string[];
  /** referral events naming no known customer (sorted) */
  danglingEvents: string[];
}

/** Reads the store's identity evidence and groups every account (one connection, this thread). */
export function computeGrouping(db: Db): GroupingData {
  const { identity, sharedIps, danglingEvents } = loadIdentity(db);
  const sp = buildSamePerson(identity, sharedIps);
  const m = sp.edges.length;
  const data: GroupingData = {
    customers: identity.customerIds.length,
    partners: identity.partnerIds.length,
    fingerprint: accountsFingerprint(identity.customerIds, identity.partnerIds),
    root: sp.root,
    size: sp.size,
    edgeA: new Int32Array(m),
    edgeB: new Int32Array(m),
    edgeKind: new Uint8Array(m),
    edgeValue: new Array<string>(m),
    danglingEvents,
  };
  sp.edges.forEach((e, i) => {
    data.edgeA[i] = e.a;
    data.edgeB[i] = e.b;
    data.edgeKind[i] = KINDS.indexOf(e.evidence);
    data.edgeValue[i] = e.value;
  });
  return data;
}

/** The grouping over the caller's accounts; throws when the grouping numbered other accounts. */
export function groupingResult(
  data: GroupingData,
  customerIds: string[],
  partnerIds: string[],
): SamePersonResult {
  if (
    data.customers !== customerIds.length ||
    data.partners !== partnerIds.length ||
    data.fingerprint !== accountsFingerprint(customerIds, partnerIds)
  )
    throw new Error(
      'same-person grouping read other accounts than the recompute (store changed while reading)',
    );
  const edges: SamePersonEdge[] = new Array<SamePersonEdge>(data.edgeA.length);
  for (let i = 0; i < edges.length; i++)
    edges[i] = {
      a: data.edgeA[i],
      b: data.edgeB[i],
      evidence: KINDS[data.edgeKind[i]],
      value: data.edgeValue[i],
    };
  return samePersonResult(data.root, data.size, edges, customerIds, partnerIds);
}

export interface GroupingWorkerRequest {
  task: 'group' | 'checkpoint';
  file: string;
  nativeBinding?: string;
  /** group: Int32Array over a SharedArrayBuffer, [0] becomes 1 when the reply has been posted */
  signal?: SharedArrayBuffer;
  port?: MessagePort;
}

export type GroupingWorkerReply = { ok: true; data: GroupingData } | { ok: false; message: string };

/** Where a full recompute groups accounts: in a worker (`workerFile`) or in this thread (null). */
export interface GroupingOptions {
  workerFile?: string | null;
  nativeBinding?: string;
  /** stores with fewer customers group in this thread (a worker costs a few tens of ms to start) */
  minCustomers?: number;
}

export const PARALLEL_MIN_CUSTOMERS = 20_000;
const GROUPING_DEADLINE_MS = 10 * 60_000;

/** A grouping under way. */
export interface PendingGrouping {
  /** the grouping; blocks until it is there */
  take(): GroupingData;
  /** after the caller's commit: checkpoint the WAL (in a worker when the grouping had one) */
  committed(): void;
  /** the caller's transaction failed (its connection checkpoints as usual again) */
  abandoned(): void;
}

/** flag values (Int32Array over the shared buffer) */
export const FLAG = { waiting: 0, replied: 1 } as const;

const background = new Set<Promise<void>>();

/** Resolves when every background checkpoint started so far has ended (benchmark, tests, shutdown). */
export async function backgroundWork(): Promise<void> {
  while (background.size > 0) await Promise.all([...background]);
}

/**
 * Starts the grouping of the store in `file`: in a worker thread when one is built and the store
 * is large enough, else lazily in this thread on `take()`. `take()` is synchronous (the engine
 * is synchronous): it waits on a shared flag, then reads the reply from its message port.
 */
export function startGrouping(db: Db, file: string, options: GroupingOptions = {}): PendingGrouping {
  const workerFile = options.workerFile === undefined ? findWorker('grouping-worker') : options.workerFile;
  const inline: PendingGrouping = {
    take: () => computeGrouping(db),
    committed: () => undefined, // automatic checkpoints stay on
    abandoned: () => undefined,
  };
  if (!workerFile || file === ':memory:' || file === '') return inline;
  const customers = db.prepare('SELECT COUNT(*) FROM customers').pluck().get() as number;
  if (customers < (options.minCustomers ?? PARALLEL_MIN_CUSTOMERS)) return inline;

  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = spawn(
    workerFile,
    { task: 'group', file, nativeBinding: options.nativeBinding, signal, port: port2 },
    [port2],
  );
  // the caller's connection leaves checkpoints to a worker until it has committed
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  const restore = () => db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  return {
    take() {
      try {
        const deadline = Date.now() + GROUPING_DEADLINE_MS;
        while (Atomics.load(flag, 0) === FLAG.waiting) {
          Atomics.wait(flag, 0, FLAG.waiting, 1000);
          if (Atomics.load(flag, 0) === FLAG.waiting && Date.now() > deadline)
            throw new Error('same-person grouping worker did not reply in time');
        }
        const reply = receiveMessageOnPort(port1)?.message as GroupingWorkerReply | undefined;
        if (!reply) throw new Error('same-person grouping worker sent no reply');
        if (!reply.ok) throw new Error(`same-person grouping worker failed: ${reply.message}`);
        return reply.data;
      } finally {
        port1.close();
      }
    },
    committed() {
      restore();
      spawn(workerFile, { task: 'checkpoint', file, nativeBinding: options.nativeBinding });
    },
    abandoned() {
      restore();
      void worker.terminate();
    },
  };
}

/** A worker whose end `backgroundWork()` waits for. */
function spawn(file: string, request: GroupingWorkerRequest, transferList: MessagePort[] = []): Worker {
  const worker = new Worker(file, { workerData: request, transferList });
  // the grouping worker reports its own errors (grouping-worker.ts); the engine thread is blocked
  // while it waits, so a worker that dies without replying is caught by the deadline
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  background.add(exited);
  void exited.then(() => background.delete(exited));
  return worker;
}
