/**
 * A team database's SQL port (sql-port.ts): the same synchronous interface as a SQLite store's
 * better-sqlite3 connection, over ONE PostgreSQL connection that a driver thread owns
 * (pg-driver-worker.ts). A call posts its request and waits on a shared flag (Atomics.wait) until
 * the driver has the reply; the store's Kysely (kysely-driver.ts) sends its queries down the same
 * connection without waiting, so the engine's statements and the domain modules' queries share
 * one transaction, exactly as on a SQLite store.
 *
 * The store's write lock (SQLite: one writer per file, BEGIN IMMEDIATE) is a session advisory
 * lock on PostgreSQL, taken by every write on every desk: BEGIN IMMEDIATE takes it and then opens
 * a REPEATABLE READ transaction (a consistent read for the engine, taken once nobody else can
 * write), COMMIT / ROLLBACK give it back; a lone write outside a transaction takes it for itself.
 * Two desks' recomputes never interleave their writes, and an import waits for a recompute.
 */
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { findWorker } from '../../workers';
import type { SqlPort, SqlRunResult, SqlStatement, SqlTransaction } from '../sql-port';
import {
  DRIVER_STOPPED,
  DRIVER_STOPPED_FLAG,
  type CopyShape,
  type DriverError,
  type DriverReply,
  type DriverRequest,
  type DriverResult,
  type DriverStart,
  type SpareBuffer,
  SPARE_BUFFERS,
} from './protocol';
import { translate, type Catalog, type Translated } from './translate';
import { ROW_HASH } from '../schema/row-hash.sql';
import { CopyLines, CopyRowReader, inlineValues, type CopyRow } from './copy-out';

/** A session advisory lock taken (pg_advisory_lock, pg_try_advisory_lock), given back. */
const LOCKS = /^\s*SELECT\s+pg_(try_)?advisory_lock\s*\(/i;
const TRIES = /^\s*SELECT\s+pg_try_advisory_lock\s*\(/i;
const UNLOCKS = /^\s*SELECT\s+pg_advisory_unlock\s*\(/i;

/** The advisory lock key of a store's write lock ('ykwr'). */
export const WRITE_LOCK_KEY = 0x796b7772;

export class PgError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  constructor(e: DriverError) {
    super(e.message);
    this.code = e.code;
    this.detail = e.detail;
    this.constraint = e.constraint;
  }
}

let devDriver: string | null = null;
/**
 * The driver thread's first code: it loads the driver (pg-driver-worker.ts), and when that fails
 * (a module it imports is missing or cannot load) says so to the port, which waits for its connect
 * reply with its event loop blocked, and would otherwise wait forever: the failure as the reply of
 * DRIVER_STOPPED, and the flag's "driver stopped".
 */
const DRIVER_GUARD = `
const { workerData } = require('node:worker_threads');
import(workerData.entry).catch((e) => {
  const flag = new Int32Array(workerData.signal);
  workerData.syncReply.postMessage({
    id: ${DRIVER_STOPPED},
    error: { message: 'the driver could not load: ' + (e && e.message ? e.message : String(e)) },
  });
  Atomics.store(flag, ${DRIVER_STOPPED_FLAG}, 1);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** Tests from sources: the driver bundled once per process (a worker thread runs JavaScript). */
function driverFile(): string {
  const built = findWorker('pg-driver');
  if (built) return built;
  if (devDriver) return devDriver;
  const require = createRequire(join(process.cwd(), 'package.json'));
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  // inside the checkout's node_modules, so that the bundle's externals (pg) resolve from there
  const out = join(process.cwd(), 'node_modules', '.cache', `yunke-pg-driver-${process.pid}.mjs`);
  buildSync({
    entryPoints: [new URL('./pg-driver-worker.ts', import.meta.url).pathname],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    absWorkingDir: process.cwd(),
    logLevel: 'warning',
  });
  devDriver = out;
  const { rmSync } = require('node:fs') as typeof import('node:fs');
  process.once('exit', () => rmSync(out, { force: true }));
  return out;
}

const BEGIN_LOCKED = /^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)(\s+TRANSACTION)?\s*;?\s*$/i;
const BEGIN_PLAIN = /^\s*BEGIN(\s+DEFERRED)?(\s+TRANSACTION)?\s*;?\s*$/i;
const ENDS = /^\s*(COMMIT|END|ROLLBACK)(\s+TRANSACTION)?\s*;?\s*$/i;
/** in_failed_sql_transaction: refused because an earlier statement of the transaction failed */
const IN_FAILED_TRANSACTION = '25P02';
const TRY_LOCK = 'SELECT pg_try_advisory_lock($1)';
/** the connection holding the write lock: its application name, server process, address */
const LOCK_HOLDER = `SELECT a.application_name, a.pid, host(a.client_addr)
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1`;

/**
 * Who holds the write lock, as a wait says it (`name · address · pid N`): no words of either
 * language in it (the sync screen puts it into a zh-CN or English line); '' when the holder could
 * not be seen (it let go meanwhile). A desk's process id, as its machine shows it (ps, the task
 * manager), from its application name (deskApplicationName); another program's, its server
 * process's.
 */
function holderOf(row: unknown[] | undefined): string {
  if (!row) return '';
  const [name, pid, address] = row as [string | null, number, string | null];
  const desk = DESK_APPLICATION.exec(name ?? '');
  return [
    (desk ? desk[1] : name) || 'yunke-desk',
    ...(address ? [address] : []),
    `pid ${desk ? desk[2] : pid}`,
  ].join(' · ');
}

/**
 * A desk's application name on the server (pg_stat_activity): `yunke-desk@<host>:<process id>`,
 * so that a desk waiting for another's write can name the process to look for on that machine.
 */
export function deskApplicationName(): string {
  const pid = `:${process.pid}`;
  return `yunke-desk@${hostname()}`.slice(0, 63 - pid.length) + pid;
}
const DESK_APPLICATION = /^(yunke-desk@.*):(\d+)$/;

/** Statements after which a read's columns may have changed (the copy shapes are read again). */
const DDL = /^\s*(CREATE|DROP|ALTER)\b/i;
const WRITES = /^\s*(WITH\b[\s\S]*?\)\s*)?(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE)\b/i;

type SyncRequest =
  | { op: 'connect' }
  | { op: 'end' }
  | Omit<Extract<DriverRequest, { op: 'query' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'stream' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'copyOut' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'copy' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'diffRead' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'diffApply' }>, 'id' | 'sync'>
  | Omit<Extract<DriverRequest, { op: 'diffDrop' }>, 'id' | 'sync'>;

const copyStatement = (table: string, columns: string[], freeze = false) =>
  `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN${freeze ? ' WITH (FREEZE)' : ''}`;

/** What a diff's apply found (rows stored, matched by a written one, kept as changed, written)
 * and whether it made the table again (the stored rows matched added to its fresh table). */
export interface DiffApplied {
  stored: number;
  matched: number;
  kept: number;
  written: number;
  rebuild: boolean;
}

export interface PgSyncPortOptions {
  application?: string;
}

export class PgSyncPort implements SqlPort {
  private readonly worker: Worker;
  private readonly flag: Int32Array;
  private readonly syncReply: MessagePort;
  private readonly asyncReply: MessagePort;
  private readonly pending = new Map<number, { resolve(r: DriverReply): void }>();
  private nextId = 1;
  /** Replies of pipelined requests that came before they were settled (a stream's, in order). */
  private readonly early = new Map<number, DriverReply[]>();
  /** Pipelined requests whose replies are dropped when they come. */
  private readonly forgotten = new Set<number>();
  /** buffers copies gave back (spareBuffer) */
  private readonly spares: Uint8Array[] = [];
  /** streamed reads whose last batch has not come yet */
  private readonly reads = new Set<number>();
  /** the driver stopped, as it said in its last reply (thrown by every reply waited for) */
  private stopped: DriverError | null = null;
  /** the last error of a request that was not 25P02 (cause) */
  private failure: { id: number; error: DriverError } | null = null;
  private catalog: Catalog | null = null;
  /** The columns of the reads copied so far, by statement text (a read's first copy describes it). */
  private readonly copyShapes = new Map<string, CopyShape>();
  private depth = 0;
  private holdsLock = false;
  /** the write locks the store's Kysely takes or took (lockForWrite) and has not given back
   * (unlockForWrite): two of its writes at once each count (the session's lock is reentrant) */
  private lockedForWrite = 0;
  /** other session advisory locks taken through `query` and not given back (a demo load's, the
   * migrations'): the session is theirs, as a transaction's */
  private sessionLocks = 0;
  private closed = false;
  readonly serverVersion: string;

  /** `url`: the database's, as the store was opened with it (its password too: never shown) */
  constructor(
    readonly url: string,
    options: PgSyncPortOptions = {},
  ) {
    // [reply posted, stream batches taken, driver stopped] (protocol.ts)
    const signal = new SharedArrayBuffer(12);
    this.flag = new Int32Array(signal);
    const sync = new MessageChannel();
    const asy = new MessageChannel();
    this.syncReply = sync.port2;
    this.asyncReply = asy.port2;
    const start: DriverStart = {
      url,
      application: options.application ?? deskApplicationName(),
      signal,
      syncReply: sync.port1,
      asyncReply: asy.port1,
    };
    this.worker = new Worker(DRIVER_GUARD, {
      eval: true,
      workerData: { ...start, entry: pathToFileURL(driverFile()).href },
      transferList: [sync.port1, asy.port1],
    });
    this.worker.unref();
    this.asyncReply.on('message', (m: DriverReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.asyncReply.unref();
      p?.resolve(m);
    });
    this.asyncReply.unref();
    // a driver thread that ended: the store's async queries in flight are answered with an error
    // (a synchronous caller hears it through the flag, above)
    this.worker.once('exit', () => {
      this.closed = true;
      for (const [id, p] of this.pending)
        p.resolve({ id, error: { message: 'The team database driver stopped' } });
      this.pending.clear();
    });
    try {
      this.serverVersion = String(this.call({ op: 'connect' }).rows[0][0]);
    } catch (e) {
      void this.worker.terminate();
      throw e;
    }
  }

  // ——— the driver ———

  private call(req: SyncRequest): { rows: unknown[][]; fields: string[]; rowCount: number } {
    const id = this.post(req);
    const m = this.reply(id);
    if (m.error) throw new PgError(this.cause(id, m.error));
    return m;
  }

  /**
   * The error to report for request `id`: when the server refused it only because an earlier
   * request of the transaction failed (25P02, a pipelined COPY or index build whose reply nobody
   * read yet), that earlier error, which says why.
   */
  private cause(id: number, error: DriverError): DriverError {
    const first = this.failure;
    return error.code === IN_FAILED_TRANSACTION && first && first.id < id ? first.error : error;
  }

  /** Remembers the last error that was not 25P02 (the cause of those that follow it). */
  private noteFailure(m: DriverReply): void {
    if (m.error && m.error.code !== IN_FAILED_TRANSACTION) this.failure = { id: m.id, error: m.error };
  }

  /**
   * Posts a request whose reply comes on the sync port, without waiting for it (`transfer`: buffers
   * handed to the driver thread, no longer usable here).
   */
  private post(req: SyncRequest, transfer: ArrayBuffer[] = []): number {
    if (this.closed) throw new TypeError('The database connection is not open');
    const id = this.nextId++;
    this.worker.postMessage({ ...req, id, sync: true, fresh: this.fresh } as DriverRequest, transfer);
    return id;
  }

  /**
   * Waits for the reply of request `id`. Replies come in the order of the requests: those of
   * earlier pipelined requests (send/sendCopy) that arrive first are kept until settled, or
   * dropped when forgotten.
   */
  private reply(id: number): DriverReply {
    const early = this.early.get(id);
    if (early) {
      const m = early.shift()!;
      if (early.length === 0) this.early.delete(id);
      return m;
    }
    Atomics.store(this.flag, 0, 0);
    for (;;) {
      // the driver's last word (taken here, or while looking for spare buffers)
      if (this.stopped) {
        this.closed = true;
        throw new PgError(this.stopped);
      }
      const got = receiveMessageOnPort(this.syncReply);
      if (got) {
        const m = got.message as DriverReply;
        if (this.received(m, id)) return m;
        continue;
      }
      // a driver thread that ended without a reply (it says so in the flag as it exits)
      if (Atomics.load(this.flag, DRIVER_STOPPED_FLAG) === 1) {
        this.closed = true;
        throw new Error('The team database driver stopped');
      }
      Atomics.wait(this.flag, 0, 0, 30_000);
      Atomics.store(this.flag, 0, 0);
    }
  }

  /** A reply taken from the driver: whether it is the one of `id` (the others are kept until
   * settled, or dropped when forgotten). */
  private received(m: DriverReply, id: number): boolean {
    if (m.id === DRIVER_STOPPED && m.error) {
      this.stopped = { ...m.error, message: `The team database driver stopped: ${m.error.message}` };
      return false;
    }
    // a stream's batch is taken: the driver may send the next (pg-driver-worker.ts)
    if (!m.error && m.more) Atomics.add(this.flag, 1, 1);
    else this.reads.delete(m.id);
    if (!m.error && m.spare) {
      if (this.spares.length < SPARE_BUFFERS) this.spares.push(new Uint8Array(m.spare.buffer as ArrayBuffer));
      m.spare = undefined;
    }
    this.noteFailure(m);
    if (m.id === id) return true;
    if (this.forgotten.delete(m.id)) return false;
    const queue = this.early.get(m.id);
    if (queue) queue.push(m);
    else this.early.set(m.id, [m]);
    return false;
  }

  /**
   * A buffer of at least `bytes` bytes a copy sent earlier is done with (given back with its reply,
   * DriverResult.spare), for the next copy's rows; none when none has come back yet. Replies that
   * have come are taken first, without waiting.
   */
  spareBuffer(bytes: number): Uint8Array | undefined {
    // (not while a read streams: its batches taken early would let the driver send more ahead,
    // pg-driver-worker.ts pacer)
    // (a driver's stop taken here is thrown by the next reply waited for, not by an abandoned
    // run's clean-up)
    while (this.spares.length === 0 && !this.closed && !this.stopped && this.reads.size === 0) {
      const got = receiveMessageOnPort(this.syncReply);
      if (!got) break;
      this.received(got.message as DriverReply, Number.NaN);
    }
    while (this.spares.length > 0) {
      const b = this.spares.pop()!;
      if (b.length >= bytes) return b;
    }
    return undefined;
  }

  /** A copyOut batch read (`eachCopyRow`, a statement's rows): its buffer goes back to the driver
   * for its next batches. */
  giveBack(bytes: Uint8Array): void {
    if (this.closed) return;
    this.worker.postMessage({ op: 'spare', bytes } satisfies SpareBuffer, [bytes.buffer as ArrayBuffer]);
  }

  // ——— pipelining: statements sent now, their results collected later (bulk import) ———

  /** Sends a raw PostgreSQL statement (as `query`) without waiting; `settle(id)` gives its result. */
  send(text: string, values: unknown[] = []): number {
    this.schemaMayChange(text);
    return this.post({ op: 'query', text, values: values.map(pgValue), booleans: 'int' });
  }

  /**
   * `copyIn` without waiting; `settle(id).rowCount` is the number of rows copied. Bytes (UTF-8 COPY
   * text, copy-buffer.ts) are transferred to the driver thread: `data` is detached afterwards.
   * `freeze`: COPY … FREEZE, rows written already frozen and their pages marked all-visible, so
   * that no vacuum need visit them (only into a table made in this transaction, which holds no
   * other snapshot than its own: PostgreSQL refuses it otherwise).
   */
  sendCopy(
    table: string,
    columns: string[],
    data: string | Uint8Array,
    how: {
      /** COPY … FREEZE */
      freeze?: boolean;
      /** only the lines the stored rows read under this name (sendDiffRead) do not match, each
       * with its digest */
      diff?: string;
      /** every line with its digest */
      digests?: boolean;
    } = {},
  ): number {
    const transfer = typeof data === 'string' ? [] : [data.buffer as ArrayBuffer];
    const { freeze = false, diff, digests } = how;
    const named = diff !== undefined || digests ? [...columns, ROW_HASH] : columns;
    return this.post(
      { op: 'copy', text: copyStatement(table, named, freeze), data, diff, digests, columns },
      transfer,
    );
  }

  /**
   * Reads, in the driver thread, the stored rows of `SELECT ctid, <digest> FROM <table>` under the
   * name `diff`, without waiting (`settle(id).rowCount`: how many); copies sent with that name then
   * write only the lines no stored row matches (store/pg-sync/row-diff.ts). `expected`: about how
   * many rows there are (its table is made that size at once).
   */
  sendDiffRead(diff: string, text: string, expected?: number): number {
    return this.post({ op: 'diffRead', diff, text, expected });
  }

  /**
   * Ends a diff without waiting (its copies sent before): the driver makes its changes in `table`
   * unless `rebuildShare` or more of the rows changed (protocol.ts diffApply); `diffApplied(id)`
   * says what it did.
   */
  sendDiffApply(req: Omit<Extract<DriverRequest, { op: 'diffApply' }>, 'id' | 'sync' | 'op'>): number {
    return this.post({ op: 'diffApply', ...req });
  }

  /** What a diff's apply found and did (sendDiffApply). */
  diffApplied(id: number): DiffApplied {
    const [[stored, matched, kept, written, rebuild]] = this.settle(id).rows as [
      [number, number, number, number, number],
    ];
    return { stored, matched, kept, written, rebuild: rebuild === 1 };
  }

  /** Forgets the diffs of a run that failed (sent without waiting: its answer is not needed). */
  dropDiffs(): void {
    // (a driver that stopped has none; the run's own error is the one to report)
    if (this.closed) return;
    this.forget(this.post({ op: 'diffDrop' }));
  }

  /** Waits for the result of a request sent with `send` or `sendCopy` (its error is thrown here). */
  settle(id: number): DriverResult {
    const m = this.reply(id);
    if (m.error) throw new PgError(this.cause(id, m.error));
    return m;
  }

  /**
   * Streams the rows of a raw PostgreSQL statement (`stream` of the driver): `settle(id)` gives
   * each batch in turn, with `more` until the last.
   */
  sendStream(text: string, values: unknown[] = []): number {
    const id = this.post({ op: 'stream', text, values: values.map(pgValue) });
    this.reads.add(id);
    return id;
  }

  /**
   * `COPY (text) TO STDOUT` (a read-only statement, its values written in: copy-out.ts
   * inlineValues): `settle(id)` gives each batch of bytes in turn, the first with the columns'
   * types, with `more` until the last.
   */
  sendCopyOut(text: string, shape?: CopyShape): number {
    const id = this.post({ op: 'copyOut', text, shape });
    this.reads.add(id);
    return id;
  }

  /**
   * The rows of a read-only PostgreSQL statement of `columns` columns (its values written in), as
   * COPY text read in place: `each` is given every row in turn (copy-out.ts CopyRow, valid during
   * the call). The engine's largest reads (engine/load.ts), which take ints and keys from the bytes.
   */
  eachCopyRow(text: string, columns: number, each: (row: CopyRow) => void): void {
    const id = this.sendCopyOut(text, this.copyShape(text));
    const reader = new CopyRowReader(columns);
    let more = true;
    try {
      while (more) {
        more = false; // an error is a read's last reply
        const r = this.settle(id);
        more = !!r.more;
        if (r.types) {
          if (r.types.length !== columns)
            throw new Error(`COPY output: ${r.types.length} columns where ${columns} were expected`);
          if (!this.copyShape(text)) this.rememberCopyShape(text, { fields: r.fields, types: r.types });
        }
        if (r.bytes) {
          reader.rows(r.bytes, each);
          this.giveBack(r.bytes);
        }
      }
      reader.end();
    } finally {
      // a reader that stopped early (its error): the rest is read and dropped, so that the
      // connection is free again at once
      while (more) {
        try {
          more = !!this.settle(id).more;
        } catch {
          more = false;
        }
      }
    }
  }

  /** The columns of a read (its statement text, before values are written in) copied before. */
  copyShape(statement: string): CopyShape | undefined {
    return this.copyShapes.get(statement);
  }

  rememberCopyShape(statement: string, shape: CopyShape): void {
    this.copyShapes.set(statement, shape);
  }

  /** A statement that may change tables' columns: the shapes of reads are described again. */
  private schemaMayChange(text: string): void {
    if (this.copyShapes.size > 0 && DDL.test(text)) this.copyShapes.clear();
  }

  /** A sent request whose result nobody will ask for (an abandoned import; not a stream). */
  forget(id: number): void {
    if (!this.early.delete(id)) this.forgotten.add(id);
  }

  /** A query for the store's Kysely: same connection, in order, without blocking. */
  queryAsync(
    text: string,
    values: unknown[],
    /** (lockForWrite: whether the session was free before it began taking the lock) */
    fresh = this.fresh,
  ): Promise<{ rows: unknown[][]; fields: string[]; rowCount: number }> {
    if (this.closed) return Promise.reject(new TypeError('The database connection is not open'));
    const id = this.nextId++;
    this.track(text);
    this.schemaMayChange(text);
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (m) => (m.error ? reject(new PgError(m.error)) : resolve(m)),
      });
      this.asyncReply.ref();
      this.worker.postMessage({
        id,
        sync: false,
        op: 'query',
        text,
        values,
        booleans: 'keep',
        fresh,
      } satisfies DriverRequest);
    });
  }

  query(text: string, values: unknown[] = []): { rows: unknown[][]; fields: string[]; rowCount: number } {
    this.schemaMayChange(text);
    // a session advisory lock given back is no longer the session's (whatever the answer)
    if (UNLOCKS.test(text)) this.sessionLocks = Math.max(0, this.sessionLocks - 1);
    const r = this.call({ op: 'query', text, values: values.map(pgValue), booleans: 'int' });
    // one taken (the demo load's, the migrations'): the session must not be made again meanwhile
    if (LOCKS.test(text) && (TRIES.test(text) ? r.rows[0]?.[0] === 1 : true)) this.sessionLocks++;
    return r;
  }

  /** `COPY table (columns) FROM STDIN` with rows in COPY's text format (copyText). */
  copyIn(table: string, columns: string[], data: string): number {
    return this.call({ op: 'copy', text: copyStatement(table, columns), data }).rowCount;
  }

  // ——— the write lock and transactions ———

  /** Keeps `inTransaction` true to what went down the connection (Kysely's BEGIN/COMMIT too). */
  private track(text: string): void {
    if (BEGIN_PLAIN.test(text) || /^\s*(BEGIN|START\s+TRANSACTION)\b/i.test(text))
      this.depth = Math.max(this.depth, 1);
    else if (ENDS.test(text)) this.depth = 0;
  }

  /**
   * Takes the store's write lock, waiting for another desk's write to end. A wait is said (by
   * default on stderr: the command line shows it; `onLockWait` replaces it), naming who holds it.
   */
  lock(): void {
    if (this.holdsLock) return;
    if (this.query(TRY_LOCK, [WRITE_LOCK_KEY]).rows[0][0] !== 1) {
      const waited = PgSyncPort.onLockWait(holderOf(this.query(LOCK_HOLDER, [WRITE_LOCK_KEY]).rows[0]), this);
      try {
        this.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
      } finally {
        if (typeof waited === 'function') waited();
      }
    }
    this.holdsLock = true;
  }

  /**
   * The write lock for one statement or transaction of the store's Kysely (kysely-driver.ts),
   * without blocking this thread: waited for on the driver thread, the wait said as lock() says it.
   * The caller lets go of it (pg_advisory_unlock) when its write ends.
   */
  async lockForWrite(): Promise<void> {
    // the session is this lock's from its first request: another request of this thread sent
    // meanwhile (a synchronous read) must not make a lost connection again under it; the lock's
    // own requests may, when the session was free before
    const fresh = this.fresh;
    this.lockedForWrite++;
    try {
      // (booleans as PostgreSQL sends them here: true)
      const [[got]] = (await this.queryAsync(TRY_LOCK, [WRITE_LOCK_KEY], fresh)).rows;
      if (got === true) return;
      const waited = PgSyncPort.onLockWait(
        holderOf((await this.queryAsync(LOCK_HOLDER, [WRITE_LOCK_KEY], fresh)).rows[0]),
        this,
      );
      try {
        await this.queryAsync('SELECT pg_advisory_lock($1)', [WRITE_LOCK_KEY], fresh);
      } finally {
        if (typeof waited === 'function') waited();
      }
    } catch (e) {
      this.lockedForWrite = Math.max(0, this.lockedForWrite - 1);
      throw e;
    }
  }

  /** Gives back the write lock lockForWrite took. */
  async unlockForWrite(): Promise<void> {
    this.lockedForWrite = Math.max(0, this.lockedForWrite - 1);
    await this.queryAsync('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
  }

  /**
   * Whether a request sent now starts outside any transaction and write lock: then a connection lost
   * since the last one may be made again for it (pg-driver-worker.ts). After a server restart, a
   * desk's next action works again; the action the connection broke under fails (TEAM_DB_LOST).
   */
  private get fresh(): boolean {
    return this.depth === 0 && !this.holdsLock && this.lockedForWrite === 0 && this.sessionLocks === 0;
  }

  /**
   * Told when a write of `port` waits for another desk's, naming the holder (`name · address · pid
   * N`, or '' when unknown); replace to show it elsewhere. What it returns, if anything, is called
   * once the wait is over (the lock taken, or the wait failed).
   */
  static onLockWait: (holder: string, port: PgSyncPort) => (() => void) | void = (holder) =>
    void process.stderr.write(
      `等待团队数据库的写锁（${holder || '另一台工作台'} 正在写入）… / waiting for the team database's write lock (held by ${holder || 'another desk'})…\n`,
    );

  unlock(): void {
    if (!this.holdsLock) return;
    this.holdsLock = false;
    this.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK_KEY]);
  }

  /**
   * Who holds the advisory lock `key` of this database (`name · address · pid N`, as a write's wait
   * says it), or '' when nobody does or the holder cannot be seen.
   */
  holderOf(key: number): string {
    return holderOf(this.query(LOCK_HOLDER, [key]).rows[0]);
  }

  /** Whether this connection holds the store's write lock. */
  get locked(): boolean {
    return this.holdsLock;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  get open(): boolean {
    return !this.closed;
  }

  /** What Kysely's transactions call (kysely-driver.ts): BEGIN with the write lock. */
  beginLocked(isolation = 'REPEATABLE READ'): void {
    this.lock();
    try {
      this.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      this.depth = 1;
    } catch (e) {
      this.unlock();
      throw e;
    }
  }

  /**
   * A read-only REPEATABLE READ transaction, on the snapshot another connection exported
   * (`pg_export_snapshot()`) when given: both then read one state of the store. Its statements
   * stream their rows in batches, as every transaction's do. Ended by `end`.
   */
  beginRead(snapshot?: string): void {
    this.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    this.depth = 1;
    if (snapshot !== undefined) this.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
  }

  end(how: 'COMMIT' | 'ROLLBACK'): void {
    try {
      this.query(how);
    } finally {
      this.depth = 0;
      this.unlock();
    }
  }

  exec(sql: string): this {
    if (BEGIN_LOCKED.test(sql)) this.beginLocked();
    else if (BEGIN_PLAIN.test(sql)) {
      this.query('BEGIN');
      this.depth = 1;
    } else if (ENDS.test(sql)) this.end(/^\s*ROLLBACK/i.test(sql) ? 'ROLLBACK' : 'COMMIT');
    else this.write(() => this.query(translate(sql, this.catalogOf()).text), sql);
    return this;
  }

  /** A write outside a transaction takes the write lock for itself. */
  write<T>(fn: () => T, text: string): T {
    if (this.inTransaction || this.holdsLock || !WRITES.test(text)) return fn();
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F> {
    const wrap =
      (locked: boolean) =>
      (...args: Parameters<F>): ReturnType<F> => {
        if (this.inTransaction) {
          const name = `sp${++this.depth}`;
          this.query(`SAVEPOINT ${name}`);
          try {
            const r = fn(...args) as ReturnType<F>;
            this.query(`RELEASE ${name}`);
            return r;
          } catch (e) {
            this.query(`ROLLBACK TO ${name}`);
            this.query(`RELEASE ${name}`);
            throw e;
          } finally {
            this.depth--;
          }
        }
        if (locked) this.beginLocked();
        else this.exec('BEGIN');
        try {
          const r = fn(...args) as ReturnType<F>;
          this.end('COMMIT');
          return r;
        } catch (e) {
          if (this.inTransaction) this.end('ROLLBACK');
          throw e;
        }
      };
    // better-sqlite3's transaction() is DEFERRED; every store transaction here writes, so all lock
    const t = wrap(true) as SqlTransaction<F>;
    t.deferred = wrap(true);
    t.immediate = wrap(true);
    t.exclusive = wrap(true);
    return t;
  }

  pragma(): unknown {
    return undefined;
  }

  prepare<Row = unknown>(sql: string): SqlStatement<Row> {
    return new PgStatement<Row>(this, sql, translate(sql, this.catalogOf()));
  }

  /** Primary keys and identity columns of the store's tables (read once, after migrations). */
  catalogOf(): Catalog {
    if (this.catalog) return this.catalog;
    const keys = new Map<string, string[]>();
    for (const [table, cols] of this.query(
      `SELECT c.relname, array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum))
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
       WHERE i.indisprimary AND n.nspname = current_schema() GROUP BY c.relname`,
    ).rows as [string, string[]][])
      keys.set(table, cols);
    const identity = new Map<string, string>();
    for (const [table, col] of this.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND is_identity = 'YES'`,
    ).rows as [string, string][])
      identity.set(table, col);
    this.catalog = { keys, identity };
    return this.catalog;
  }

  /** After DDL (migrations): the catalog is read again on next use. */
  forgetCatalog(): void {
    this.catalog = null;
    this.copyShapes.clear();
  }

  close(): this {
    if (this.closed) return this;
    try {
      this.call({ op: 'end' });
    } catch {
      // already gone
    }
    this.closed = true;
    this.syncReply.close();
    this.asyncReply.close();
    return this;
  }
}

/** Values as node-pg takes them (bigint and Buffer pass; undefined is NULL, as SQLite refuses it). */
function pgValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

class PgStatement<Row> implements SqlStatement<Row> {
  private shape: 'object' | 'raw' | 'pluck' = 'object';
  private readonly writes: boolean;

  constructor(
    private readonly port: PgSyncPort,
    private readonly source: string,
    private readonly t: Translated,
  ) {
    this.writes = WRITES.test(t.text);
  }

  pluck(toggle = true): this {
    this.shape = toggle ? 'pluck' : this.shape === 'pluck' ? 'object' : this.shape;
    return this;
  }

  raw(toggle = true): this {
    this.shape = toggle ? 'raw' : this.shape === 'raw' ? 'object' : this.shape;
    return this;
  }

  private values(args: unknown[]): unknown[] {
    const b = this.t.binding;
    if (b.kind === 'named') {
      const o = (args[0] ?? {}) as Record<string, unknown>;
      return b.names.map((n) => {
        if (!(n in o)) throw new RangeError(`Missing named parameter "${n}"`);
        return o[n];
      });
    }
    const flat: unknown[] = [];
    for (const a of args)
      if (Array.isArray(a)) flat.push(...a);
      else flat.push(a);
    if (flat.length !== b.count)
      throw new RangeError(`Too ${flat.length < b.count ? 'few' : 'many'} parameter values were provided`);
    return flat;
  }

  private exec(args: unknown[]) {
    const values = this.values(args);
    return this.port.write(() => this.port.query(this.t.text, values), this.t.text);
  }

  private shaped(rows: unknown[][], fields: string[]): Row[] {
    if (this.shape === 'raw') return rows as Row[];
    if (this.shape === 'pluck') return rows.map((r) => r[0]) as Row[];
    return rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) o[fields[i]] = r[i];
      return o as Row;
    });
  }

  run(...args: unknown[]): SqlRunResult {
    const r = this.exec(args);
    const key = this.t.returnsKey && r.rows.length ? (r.rows.at(-1)![0] as number) : 0;
    return { changes: r.rowCount, lastInsertRowid: key };
  }

  get(...args: unknown[]): Row | undefined {
    const r = this.exec(args);
    return r.rows.length ? this.shaped([r.rows[0]], r.fields)[0] : undefined;
  }

  all(...args: unknown[]): Row[] {
    const r = this.exec(args);
    return this.shaped(r.rows, r.fields);
  }

  *iterate(...args: unknown[]): IterableIterator<Row> {
    if (this.writes || !this.port.inTransaction) {
      yield* this.all(...args);
      return;
    }
    // inside a transaction: streamed, in batches taken as the server sends them (the world of a
    // large store is not held twice in memory, and the server, the driver thread and this one
    // work at once); the driver sends at most a few batches ahead of this reading. A read-only
    // statement whose values can be written into its text goes as COPY, its rows parsed here
    // from the server's bytes (copy-out.ts); any other as a streamed query. A statement run
    // between the rows waits for the read's end on the connection: the rest of the rows are then
    // held here meanwhile.
    const values = this.values(args);
    const copyText = inlineValues(this.t.text, values);
    const known = copyText !== null ? this.port.copyShape(this.t.text) : undefined;
    const id =
      copyText !== null ? this.port.sendCopyOut(copyText, known) : this.port.sendStream(this.t.text, values);
    let lines: CopyLines | null = null;
    let fields: string[] = [];
    let done = false;
    const next = () => {
      done = true; // an error is a stream's last reply
      const r = this.port.settle(id);
      done = !r.more;
      if (!r.bytes) return r;
      if (r.types) {
        lines = new CopyLines(r.types);
        fields = r.fields;
        if (!known) this.port.rememberCopyShape(this.t.text, { fields, types: r.types });
      }
      const rows = lines!.rows(r.bytes);
      this.port.giveBack(r.bytes);
      if (done) lines!.end();
      return { rows, fields };
    };
    try {
      while (!done) {
        const r = next();
        yield* this.shaped(r.rows, r.fields);
      }
    } finally {
      // a caller that stopped early: the rest of the rows are read and dropped here, so that the
      // connection is free again at once (an async query of the store's Kysely would otherwise
      // wait behind a paused stream that nobody reads); an error there was the caller's to see
      while (!done) {
        try {
          done = !this.port.settle(id).more;
        } catch {
          done = true; // the stream's error ends it
        }
      }
    }
  }

  toString(): string {
    return this.source;
  }
}

/** A value in COPY's text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

/** Rows in COPY's text format. */
export function copyText(rows: Iterable<readonly unknown[]>): string {
  let out = '';
  for (const r of rows) out += r.map(copyValue).join('\t') + '\n';
  return out;
}
