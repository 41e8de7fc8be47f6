/**
 * The store side of a full recompute (R-RECALC-1: results replaced in one transaction), in one of
 * two ways with the same steps:
 * - inline: this thread's connection takes the write lock, groups accounts, writes every row,
 *   rebuilds the result indexes and commits;
 * - helper (a store of PARALLEL_MIN_CUSTOMERS customers or more, when full-run-worker is built):
 *   a worker thread with its own connection takes the write lock, groups accounts while this
 *   thread loads orders and events, then writes the result rows this thread sends in batches
 *   while this thread goes on evaluating, rebuilds the indexes, commits and checkpoints the WAL.
 *   This thread reads in a read transaction begun after the helper holds the write lock, so both
 *   read the same store (and the accounts fingerprint of the grouping checks it).
 * The engine (recompute.ts) is synchronous: this thread waits for the helper on a shared counter
 * (Atomics.wait) and reads its messages with receiveMessageOnPort.
 */
import { existsSync } from 'node:fs';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import type { PgGroupingMessage, PgGroupingRequest } from './pg-grouping-worker';
import { GO, POSTED, SIGNAL_LENGTH } from './pg-grouping-signal';
import type { SqlPort } from '../store/sql-port';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ENGINE_RESOURCE_LIMITS, findWorker } from '../workers';
import type { GroupingData } from '../rules/grouping';
import { computeGrouping } from './compute-grouping';
import { estimatedRows } from './load';
import { RESULT_TABLES, ResultWriter, type ResultSink, type ResultTable, type RunRecord } from './persist';
import { canSwap } from './pg-result-swap';

type Db = SqlPort;

/** Where a full recompute does its store work: a helper worker (`workerFile`) or this thread (null). */
export interface FullRunOptions {
  workerFile?: string | null;
  nativeBinding?: string;
  /** stores with fewer customers run inline (a worker costs a few tens of ms to start) */
  minCustomers?: number;
  /** a team database's grouping helper (tests: with `workerFile` set, this one is used) */
  pgGroupingWorker?: string;
}

export const PARALLEL_MIN_CUSTOMERS = 20_000;
const HELPER_DEADLINE_MS = 30 * 60_000;
/** how long a team database's run waits for its grouping helper's snapshot, holding the write lock */
const SNAPSHOT_DEADLINE_MS = 60_000;
/** rows per batch sent to the helper */
const BATCH_ROWS = 2000;

export interface FullRun {
  /** where the store work is done: this thread, a helper thread (SQLite), or this connection with
   * the grouping on a second one (a team database) */
  readonly kind: 'inline' | 'helper' | 'pg-grouping';
  /** takes the write lock (or waits until the helper has it) and begins reading */
  begin(): void;
  /** the same-person grouping of the store */
  grouping(): GroupingData;
  /** empties the result tables (the helper does it itself) */
  clear(): void;
  /** where result rows go */
  sink: ResultSink;
  /** writes what is left, rebuilds indexes, records the run and commits; the run's id */
  finish(run: RunRecord, phase: (name: string) => void): number;
  /** gives up: nothing of the run is kept */
  abort(): void;
}

export type HelperRequest = {
  file: string;
  /** the run's as-of (shared-IP marks in force then, R-SAME-4) */
  asOf: number;
  nativeBinding?: string;
  /** its wait for another connection's write lock: as long as the store's connection waits (the
   * command line's is much longer than the app's, open-store.ts setBusyTimeout) */
  busyTimeoutMs: number;
  signal: SharedArrayBuffer;
  port: MessagePort;
};
/** helper → engine */
export type HelperMessage =
  | { type: 'locked' }
  | { type: 'grouping'; data: GroupingData }
  | { type: 'done'; runId: number }
  | { type: 'aborted' }
  | { type: 'error'; message: string };
/** engine → helper */
export type EngineMessage =
  | { type: 'rows'; table: ResultTable; rows: unknown[][] }
  /** no more rows of `tables`: the helper builds their indexes while the engine goes on */
  | { type: 'done'; tables: ResultTable[] }
  | { type: 'finish'; run: RunRecord }
  | { type: 'abort' };
/** counters of the shared Int32Array: messages posted by the helper, posted by the engine, and
 * handled by the helper */
export const POSTED_BY_HELPER = 0;
export const POSTED_BY_ENGINE = 1;
export const HANDLED_BY_HELPER = 2;
/** batches the engine may send ahead of the helper (bounds the memory of rows in flight): enough
 * for the rows of the partners to wait while the helper builds the attributions' indexes */
const MAX_IN_FLIGHT = 96;

const background = new Set<Promise<void>>();

/** Resolves when every helper started so far has ended, its checkpoint included (benchmark, tests). */
export async function backgroundWork(): Promise<void> {
  while (background.size > 0) await Promise.all([...background]);
}

/** The way a full recompute of the store in `file` does its store work (see above). */
export function startFullRun(db: Db, file: string, asOf: number, options: FullRunOptions = {}): FullRun {
  // inside a transaction of the caller (a decision's run, engine/decision-run.ts): this connection
  // already holds what it wrote, which no helper could see; the run is part of that transaction,
  // which its caller rolls back whole if the run fails (a savepoint would journal every page the
  // run rewrites)
  if (db.inTransaction) return inlineRun(db, asOf, true);
  const workerFile = options.workerFile === undefined ? findWorker('full-run-worker') : options.workerFile;
  if (db instanceof PgSyncPort) {
    // a team database: the grouping on a second connection that shares the run's snapshot
    const grouping =
      options.workerFile === undefined
        ? findWorker('pg-grouping-worker')
        : options.workerFile && (options.pgGroupingWorker ?? null);
    // the server's estimate is enough to choose by, and costs nothing where counting half a million
    // customers takes a tenth of a second (none yet: counted)
    const customers =
      estimatedRows(db, 'customers') || Number(db.query('SELECT COUNT(*) FROM customers').rows[0][0]);
    if (grouping && existsSync(grouping) && customers >= (options.minCustomers ?? PARALLEL_MIN_CUSTOMERS))
      return pgGroupingRun(db, file, asOf, grouping);
    return inlineRun(db, asOf);
  }
  // the helper opens the store file
  if (workerFile && file !== ':memory:' && file !== '') {
    const customers = db.prepare('SELECT COUNT(*) FROM customers').pluck().get() as number;
    if (customers >= (options.minCustomers ?? PARALLEL_MIN_CUSTOMERS))
      return helperRun(db, file, asOf, workerFile, options);
  }
  return inlineRun(db, asOf);
}

function inlineRun(db: Db, asOf: number, inCallers = false): FullRun {
  // a team database's own run writes what changed, or fresh tables it swaps in (pg-full-write.ts)
  const team = !inCallers && db instanceof PgSyncPort ? { swappable: canSwap(db, RESULT_TABLES) } : undefined;
  const w = new ResultWriter(db, team);
  let indexes: string[] = [];
  return {
    kind: 'inline',
    begin: () => {
      if (inCallers) return;
      db.exec('BEGIN IMMEDIATE');
      // a team database: room to sort the world's reads and the swapped tables' index builds in
      // memory, for this transaction only
      if (db instanceof PgSyncPort) {
        db.query("SET LOCAL work_mem = '64MB'");
        db.query("SET LOCAL maintenance_work_mem = '256MB'");
      }
    },
    grouping: () => computeGrouping(db, asOf),
    clear() {
      // indexes first: emptying tables without them frees fewer pages
      indexes = w.dropIndexes();
      w.clearAll();
    },
    sink: w,
    finish(run, phase) {
      w.flush();
      w.createIndexes(indexes);
      phase('indexes');
      const runId = w.run(run);
      if (!inCallers) db.exec('COMMIT');
      return runId;
    },
    abort: () => {
      // a team database: COPYs and index builds sent and not answered are not waited for (a
      // rollback still comes after them on the connection)
      w.abandon();
      // the caller's transaction is the caller's to roll back (it has the error)
      if (!db.inTransaction || inCallers) return;
      db.exec('ROLLBACK');
    },
  };
}

/**
 * A team database's full run: this connection reads, computes and writes as inline; the
 * same-person grouping is computed meanwhile by a helper thread on a second connection, so the two
 * reads overlap. Both read one state of the store: once this connection holds the write lock and
 * has begun, the helper begins and exports its snapshot, and this transaction takes it
 * (pg-grouping-worker.ts says why this way round).
 */
function pgGroupingRun(db: PgSyncPort, url: string, asOf: number, workerFile: string): FullRun {
  const inline = inlineRun(db, asOf);
  const signal = new SharedArrayBuffer(4 * SIGNAL_LENGTH);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | null = null;
  let received = 0;
  const stop = () => {
    if (worker) {
      // a helper still waiting for the go, or for this transaction to take its snapshot, gives up
      Atomics.store(flag, GO, -1);
      Atomics.notify(flag, GO);
      void worker.terminate();
    }
    worker = null;
  };
  /** the helper's next message (its error thrown) */
  const next = (deadlineMs = HELPER_DEADLINE_MS): Exclude<PgGroupingMessage, { type: 'error' }> => {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      if (Atomics.load(flag, POSTED) > received) {
        const got = receiveMessageOnPort(port1)?.message as PgGroupingMessage | undefined;
        if (!got) throw new Error('same-person grouping helper sent nothing');
        received++;
        if (got.type === 'error') throw new Error(`same-person grouping helper failed: ${got.message}`);
        return got;
      }
      if (Date.now() > deadline) throw new Error('same-person grouping helper did not answer in time');
      Atomics.wait(flag, POSTED, received, 1000);
    }
  };
  /** the helper could not begin (no second connection, say): this connection groups itself */
  let alone = false;
  return {
    ...inline,
    get kind() {
      return alone ? 'inline' : 'pg-grouping';
    },
    begin() {
      // the helper starts and connects while this connection waits for the write lock
      worker = new Worker(workerFile, {
        workerData: { url, asOf, signal, port: port2 } satisfies PgGroupingRequest,
        transferList: [port2],
        resourceLimits: ENGINE_RESOURCE_LIMITS,
      });
      worker.on('error', () => undefined); // its errors come as messages; a silent death meets the deadline
      inline.begin();
      Atomics.store(flag, GO, 1);
      Atomics.notify(flag, GO);
      // it is connected already: its snapshot comes at once, unless it could not connect (a role
      // limited to one connection, a server out of connections) or died without a word (this
      // connection holds every desk's write lock meanwhile); then nothing has been read yet, and
      // this connection reads and groups alone, as a small store's run does
      let got: Exclude<PgGroupingMessage, { type: 'error' }>;
      try {
        got = next(SNAPSHOT_DEADLINE_MS);
      } catch {
        stop();
        port1.close();
        alone = true;
        return;
      }
      if (got.type !== 'snapshot') throw new Error(`same-person grouping helper sent ${got.type} first`);
      try {
        db.query(`SET TRANSACTION SNAPSHOT '${got.snapshot.replace(/'/g, "''")}'`);
      } finally {
        // taken (or failed): the helper may end its transaction
        Atomics.store(flag, GO, 2);
        Atomics.notify(flag, GO);
      }
    },
    grouping() {
      if (alone) return inline.grouping();
      const got = next();
      stop();
      port1.close();
      if (got.type !== 'grouping') throw new Error(`same-person grouping helper sent ${got.type}`);
      return got.data;
    },
    abort() {
      stop();
      port1.close();
      inline.abort();
    },
  };
}

function helperRun(db: Db, file: string, asOf: number, workerFile: string, options: FullRunOptions): FullRun {
  const signal = new SharedArrayBuffer(12);
  const counters = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerFile, {
    workerData: {
      file,
      asOf,
      nativeBinding: options.nativeBinding,
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
      signal,
      port: port2,
    } satisfies HelperRequest,
    transferList: [port2],
    resourceLimits: ENGINE_RESOURCE_LIMITS,
  });
  // the helper reports its own errors as messages; this thread's loop is blocked while it
  // waits, so a helper that dies without a word is caught by the deadline
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  background.add(exited);
  void exited.then(() => background.delete(exited));

  let received = 0;
  let helperEnded = false; // it sent done or error: nothing more will come
  const nextAny = (deadlineMs: number): HelperMessage => {
    const deadline = Date.now() + deadlineMs;
    while (Atomics.load(counters, POSTED_BY_HELPER) === received) {
      Atomics.wait(counters, POSTED_BY_HELPER, received, 1000);
      if (Atomics.load(counters, POSTED_BY_HELPER) === received && Date.now() > deadline)
        throw new Error('full recompute helper did not answer in time');
    }
    received++;
    const m = receiveMessageOnPort(port1)?.message as HelperMessage | undefined;
    if (!m) throw new Error('full recompute helper sent nothing');
    if (m.type === 'error' || m.type === 'done' || m.type === 'aborted') helperEnded = true;
    return m;
  };
  const next = <T extends HelperMessage['type']>(type: T): Extract<HelperMessage, { type: T }> => {
    const m = nextAny(HELPER_DEADLINE_MS);
    if (m.type === 'error') throw new Error(`full recompute helper failed: ${m.message}`);
    if (m.type !== type) throw new Error(`full recompute helper sent ${m.type}, not ${type}`);
    return m as Extract<HelperMessage, { type: T }>;
  };
  const send = (m: EngineMessage) => {
    // wait while the helper is MAX_IN_FLIGHT batches behind (it may have ended: then nothing waits)
    while (!helperEnded) {
      // while rows go, the helper has nothing to say but an error: stop at once
      if (Atomics.load(counters, POSTED_BY_HELPER) > received) {
        const said = nextAny(HELPER_DEADLINE_MS);
        throw new Error(
          said.type === 'error'
            ? `full recompute helper failed: ${said.message}`
            : `full recompute helper sent ${said.type} while rows were being sent`,
        );
      }
      const handled = Atomics.load(counters, HANDLED_BY_HELPER);
      if (Atomics.load(counters, POSTED_BY_ENGINE) - handled < MAX_IN_FLIGHT) break;
      Atomics.wait(counters, HANDLED_BY_HELPER, handled, 100);
    }
    port1.postMessage(m);
    Atomics.add(counters, POSTED_BY_ENGINE, 1);
    Atomics.notify(counters, POSTED_BY_ENGINE);
  };
  // rows are sent per table, BATCH_ROWS at a time (arrays of rows: the cheapest to clone)
  const pending = new Map<ResultTable, unknown[][]>();
  const sendRows = (table: ResultTable, rows: unknown[][]) => {
    pending.set(table, []);
    if (rows.length > 0) send({ type: 'rows', table, rows });
  };
  const sink: ResultSink = {
    rows(table, row) {
      let buf = pending.get(table);
      if (!buf) pending.set(table, (buf = []));
      buf.push(row);
      if (buf.length >= BATCH_ROWS) sendRows(table, buf);
    },
    flush() {
      for (const [table, rows] of pending) sendRows(table, rows);
    },
    done(tables) {
      for (const t of tables) sendRows(t, pending.get(t) ?? []);
      send({ type: 'done', tables });
    },
  };
  // this thread only reads: its read transaction ends before the helper commits, so that the
  // helper's checkpoint is not held back by this thread's older snapshot
  const endRead = () => db.inTransaction && db.exec('ROLLBACK');
  return {
    kind: 'helper',
    begin() {
      next('locked');
      db.exec('BEGIN'); // the snapshot starts with the first read, after the helper's lock
    },
    grouping: () => next('grouping').data,
    clear: () => undefined,
    sink,
    finish(run, phase) {
      sink.flush();
      endRead();
      send({ type: 'finish', run });
      const { runId } = next('done');
      port1.close();
      phase('writer');
      return runId;
    },
    abort() {
      try {
        if (!helperEnded) {
          send({ type: 'abort' });
          // whatever it still sends (a grouping under way), up to its answer
          while (!helperEnded) nextAny(60_000);
        }
      } catch {
        void worker.terminate(); // its transaction ends with its connection
      }
      endRead();
      port1.close();
    },
  };
}
