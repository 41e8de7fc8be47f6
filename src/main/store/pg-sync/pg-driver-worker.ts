/**
 * Driver thread of a team database's SQL port (pg-sync-port.ts): owns ONE node-pg connection and
 * runs the requests of its port, in the order they were posted, one at a time. A synchronous
 * caller (the engine, the importer) waits on a shared flag until its reply is on the sync reply
 * port; an asynchronous one (the store's Kysely) gets its reply as a message. Bundled to
 * dist-cli/pg-driver.mjs and out/main/pg-driver.js.
 */
import pg from 'pg';
import { connectPg } from '../pg-connection';
import { from as copyFrom } from 'pg-copy-streams';
import { CopyToFrames } from './copy-to-frames';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pgTypes } from '../pg-types';
import { COPY_BATCH_BYTES } from './copy-out';
import {
  DRIVER_STOPPED,
  DRIVER_STOPPED_FLAG,
  SPARE_BUFFERS,
  STREAM_AHEAD,
  STREAM_BATCH,
  type DriverReply,
  type DriverRequest,
  type DriverStart,
  type SpareBuffer,
} from './protocol';
import type { Socket } from 'node:net';
import { RowDiff, shapeSalt, withDigests } from './row-diff';
import { teamDbErrorKind } from './team-db-errors';
import { ROW_DIGESTS_SETTING } from '../schema/row-hash.sql';

const start = workerData as DriverStart;
const flag = new Int32Array(start.signal);
/**
 * How long connecting may take (TCP, TLS, sign-in) before it fails: a host that takes the
 * connection and never answers (not a PostgreSQL server, a dead proxy) ends in an error, not a
 * command that waits forever. A running statement has no limit.
 */
const CONNECT_TIMEOUT_MS = 15_000;
/**
 * The server's keepalives on a desk's connection (seconds: idle before the first probe, between
 * probes, probes unanswered; and how long data it sent may go unacknowledged, in ms): a desk whose
 * machine or network goes away while it holds the write lock or a demo load's lock (session
 * advisory locks) lets go of them within about a minute, when the server drops its connection,
 * instead of the system's default of two hours and more (or some fifteen minutes of retransmission
 * when the server was sending). Each is set on its own: a server or system without one (Windows
 * takes no probe count; tcp_user_timeout is PostgreSQL 12's) keeps the others.
 */
const SERVER_KEEPALIVES = {
  tcp_keepalives_idle: 30,
  tcp_keepalives_interval: 10,
  tcp_keepalives_count: 3,
  tcp_user_timeout: 60_000,
};
/** the connection (a placeholder, not connected, until `connect` makes it: connectPg) */
let client = new pg.Client({ types: pgTypes });
let connected: Promise<void> | null = null;
/** the connection broke (the server ended it, the network failed) */
let broken = false;
/**
 * Whether the connection broke: as its events said, or as the client knows already (a request
 * that failed on it may be answered before its events come).
 */
const isBroken = (): boolean => {
  const c = client as unknown as { _queryable?: boolean; connection?: { stream?: { destroyed?: boolean } } };
  return broken || c._queryable === false || c.connection?.stream?.destroyed === true;
};

/** How long a connection made again may take (a desk's action waits for it) */
const RECONNECT_TIMEOUT_MS = 5_000;
/** After a connection could not be made again, fresh requests fail at once for this long */
const RECONNECT_PAUSE_MS = 10_000;
/** the last failed attempt to make the connection again, failed requests answer with it meanwhile */
let failedReconnect: { at: number; error: unknown } | null = null;

/**
 * The connection made again, for a request that starts outside any transaction and write lock
 * (DriverRequest.fresh): what the lost one held is gone either way. A server still away answers
 * this request as unreachable (within RECONNECT_TIMEOUT_MS); so does every fresh request for
 * RECONNECT_PAUSE_MS after, at once (a desk's action does not wait for it again and again); then
 * the next one tries again.
 */
async function reconnect(): Promise<void> {
  if (failedReconnect && Date.now() - failedReconnect.at < RECONNECT_PAUSE_MS) throw failedReconnect.error;
  const old = client;
  void old.end().catch(() => undefined);
  connected = connect(RECONNECT_TIMEOUT_MS);
  try {
    await connected;
    failedReconnect = null;
  } catch (e) {
    connected = null;
    failedReconnect = { at: Date.now(), error: e };
    throw e;
  }
}

/**
 * What a broken connection answers without the server: giving back a session advisory lock, or
 * rolling back, undoes nothing left (the session ended with both); a COMMIT or anything else fails
 * as node-pg fails it.
 */
const MOOT_WHEN_BROKEN = /^\s*(SELECT\s+pg_advisory_unlock\s*\(|ROLLBACK\s*;?\s*$)/i;

/** Connects (a URL node-pg or psql would refuse is the answer to `connect`). */
async function connect(timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  ({ client } = await connectPg(start.url, (config) => {
    const c = new pg.Client({
      types: pgTypes,
      application_name: start.application,
      connectionTimeoutMillis: timeoutMs,
      ...config,
    });
    // a connection lost between requests: the next request fails with node-pg's error, unless it
    // starts afresh (`fresh`): then the connection is made again first (run)
    // (the one in use only: the one a reconnect let go of ends later)
    const lost = () => {
      if (client === c) broken = true;
    };
    c.on('error', lost);
    c.on('end', lost);
    return c;
  }));
  // (from here on a loss of this one counts, the settings below included)
  broken = false;
  // (over a local socket the server ignores them; a server that refuses one is still used)
  for (const [name, value] of Object.entries(SERVER_KEEPALIVES))
    await client.query(`SELECT set_config('${name}', '${value}', false)`).catch(() => undefined);
}

function reply(sync: boolean, port: MessagePort, m: DriverReply): void {
  // a copyOut batch's bytes, and a copy's spare buffer, are handed over, not cloned
  const transfer: ArrayBuffer[] = [];
  if (!m.error && m.bytes) transfer.push(m.bytes.buffer as ArrayBuffer);
  if (!m.error && m.spare) transfer.push(m.spare.buffer as ArrayBuffer);
  port.postMessage(m, transfer);
  if (sync) {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
}

/** PostgreSQL's boolean results as SQLite's 0/1 (the engine's statements were written for it). */
function intBooleans(rows: unknown[][]): void {
  for (const r of rows) for (let i = 0; i < r.length; i++) if (typeof r[i] === 'boolean') r[i] = r[i] ? 1 : 0;
}

/** stream batches posted so far (the port counts those it has taken, in flag[1]) */
let streamed = 0;

/**
 * Paces a read (`stream`, `copyOut`): after each batch posted, `posted()` pauses the source while
 * the port has STREAM_AHEAD batches it has not taken, and resumes it once it has taken one; `stop()`
 * at the read's end.
 */
function pacer(source: { pause(): void; resume(): void }) {
  let paused = false;
  let timer: NodeJS.Timeout | null = null;
  const ahead = () => streamed - Atomics.load(flag, 1);
  const resumeWhenTaken = () => {
    timer = null;
    if (ahead() < STREAM_AHEAD) {
      paused = false;
      source.resume();
    } else timer = setTimeout(resumeWhenTaken, 1);
  };
  return {
    posted() {
      streamed++;
      if (paused || ahead() < STREAM_AHEAD) return;
      paused = true;
      source.pause();
      timer = setTimeout(resumeWhenTaken, 1);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      if (paused) source.resume();
      paused = false;
    },
  };
}

/**
 * A query whose rows go to the port in batches of STREAM_BATCH as the server sends them: the
 * server, this thread and the port's thread work at once (a cursor's FETCHes take turns). While
 * the port has STREAM_AHEAD batches it has not taken, the socket is paused (the server waits).
 */
function stream(req: Extract<DriverRequest, { op: 'stream' }>, port: MessagePort): Promise<DriverReply> {
  // rows as arrays (rowMode: the config node-pg's typings leave out of Query's)
  const q = new pg.Query({ text: req.text, values: req.values, rowMode: 'array' } as pg.QueryConfig);
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  let rows: unknown[][] = [];
  const pace = pacer(socket);
  // a text of several statements ends with the last one's result (as `query` takes it)
  const last = (r: pg.Result | pg.Result[] | undefined) => (Array.isArray(r) ? r.at(-1) : r);
  const names = (r: pg.Result | pg.Result[] | undefined) => (last(r)?.fields ?? []).map((f) => f.name);
  q.on('row', (row: unknown[], result?: pg.Result) => {
    rows.push(row);
    if (rows.length < STREAM_BATCH) return;
    intBooleans(rows);
    reply(true, port, { id: req.id, rows, fields: names(result), rowCount: 0, more: true });
    rows = [];
    pace.posted();
  });
  return new Promise((resolve, reject) => {
    q.on('end', (result: pg.Result | pg.Result[]) => {
      pace.stop();
      intBooleans(rows);
      resolve({ id: req.id, rows, fields: names(result), rowCount: last(result)?.rowCount ?? 0 });
    });
    q.on('error', (e: Error) => {
      pace.stop();
      reject(e);
    });
    void client.query(q);
  });
}

/** the port's spare buffers (SpareBuffer), for the next copyOut batches */
const spares: Uint8Array[] = [];
/** A copyOut batch's buffer: a spare one, or a new one. */
function batchBuffer(): Uint8Array {
  return spares.pop() ?? new Uint8Array(COPY_BATCH_BYTES);
}

/**
 * `COPY (query) TO STDOUT`, its bytes posted in batches of COPY_BATCH_BYTES as they come, none
 * parsed here (the reader does: copy-out.ts); the first reply carries the columns (as the port gave
 * them, or read from the query's description). Paced as `stream` is: at most STREAM_AHEAD batches
 * untaken.
 */
async function copyOut(
  req: Extract<DriverRequest, { op: 'copyOut' }>,
  port: MessagePort,
): Promise<DriverReply> {
  // the columns, from the query's description unless the port knows them (it has read it before)
  let shape = req.shape;
  if (!shape) {
    const d = await client.query({
      text: `SELECT * FROM (${req.text}) AS yunke_copy LIMIT 0`,
      rowMode: 'array',
    });
    shape = { fields: d.fields.map((f) => f.name), types: d.fields.map((f) => f.dataTypeID) };
  }
  let fields: string[] | undefined = shape.fields;
  let types: number[] | undefined = shape.types;
  let batch = batchBuffer();
  let used = 0;
  const first = () => {
    const f = { fields: fields ?? [], types };
    fields = undefined;
    types = undefined;
    return f;
  };
  const post = () => {
    reply(true, port, {
      id: req.id,
      rows: [],
      ...first(),
      rowCount: 0,
      more: true,
      bytes: batch.subarray(0, used),
    });
    batch = batchBuffer();
    used = 0;
    pace.posted();
  };
  // the server's messages as they come, a batch cut anywhere (the reader joins a message cut)
  const out = new CopyToFrames(`COPY (${req.text}) TO STDOUT`, (chunk, start, end) => {
    while (start < end) {
      const k = Math.min(end - start, batch.length - used);
      batch.set(chunk.subarray(start, start + k), used);
      used += k;
      start += k;
      if (used === batch.length) post();
    }
  });
  const pace = pacer(out);
  void client.query(out);
  try {
    await out.finished();
  } catch (e) {
    // the rows before the error are the reader's, then the error (as a stream's)
    if (used > 0) post();
    throw e;
  } finally {
    pace.stop();
  }
  return { id: req.id, rows: [], ...first(), rowCount: out.rowCount, bytes: batch.subarray(0, used) };
}

/** the digests' salt of each column list a run copies (row-diff.ts shapeSalt) */
const salts = new Map<string, number>();
function saltOf(columns: string[] | undefined): number {
  if (!columns) throw new Error('a copy with digests names its columns');
  const key = columns.join(',');
  let salt = salts.get(key);
  if (salt === undefined) salts.set(key, (salt = shapeSalt(columns)));
  return salt;
}

/** the stored rows of the result tables a full recompute writes what changed in (row-diff.ts) */
const diffs = new Map<string, RowDiff>();

/** Reads the stored rows of a diff: `COPY (ctid, row_hash) TO STDOUT`, kept as they come. */
async function diffRead(req: Extract<DriverRequest, { op: 'diffRead' }>): Promise<DriverReply> {
  const diff = new RowDiff(req.expected);
  diffs.set(req.diff, diff);
  // a batch the diff refuses ends it with that error, once the server's rows are all taken (a COPY
  // left unread would hold the connection forever)
  let failure: Error | null = null;
  const out = new CopyToFrames(`COPY (${req.text}) TO STDOUT`, (chunk, start, end) => {
    if (failure) return;
    try {
      diff.read(chunk.subarray(start, end));
    } catch (e) {
      failure = e as Error;
    }
  });
  void client.query(out);
  await out.finished();
  if (failure) throw failure;
  diff.end();
  return { id: req.id, rows: [], fields: [], rowCount: diff.stored };
}

function diffOf(name: string): RowDiff {
  const diff = diffs.get(name);
  if (!diff) throw new Error(`no stored rows were read for ${name}`);
  return diff;
}

/** Ends a diff: its changes made in place, or left to the caller to rebuild (protocol.ts). */
async function diffApply(req: Extract<DriverRequest, { op: 'diffApply' }>): Promise<DriverReply> {
  const diff = diffOf(req.diff);
  diffs.delete(req.diff);
  const deleted = diff.stored - diff.matched;
  const changed = deleted + diff.kept;
  const rows = Math.max(diff.stored, diff.written);
  const counts = [diff.stored, diff.matched, diff.kept, diff.written];
  const cols = req.columns.join(', ');
  if (changed > 0 && req.rebuildShare > 0 && changed >= req.rebuildShare * rows) {
    // made again: the stored rows the run wrote unchanged join its changed ones
    await client.query(
      `INSERT INTO ${req.staging} (${cols}) SELECT ${cols} FROM ${req.table} WHERE ctid = ANY($1::tid[])`,
      [diff.matchedTids()],
    );
    return { id: req.id, rows: [[...counts, 1]], fields: [], rowCount: 0 };
  }
  // the stored rows nothing matched go first: a changed row keeps its key (a unique index)
  if (deleted > 0)
    await client.query(`DELETE FROM ${req.table} WHERE ctid = ANY($1::tid[])`, [diff.unmatched()]);
  if (diff.kept > 0) {
    await client.query(`INSERT INTO ${req.table} (${cols}) SELECT ${cols} FROM ${req.staging}`);
    // (the staging table's keys and indexes, sent next, are then built over no row)
    await client.query(`TRUNCATE ${req.staging}`);
  }
  return { id: req.id, rows: [[...counts, 0]], fields: [], rowCount: 0 };
}

async function run(req: DriverRequest, port: MessagePort): Promise<DriverReply> {
  if (req.op !== 'connect' && req.op !== 'end' && isBroken()) {
    if (req.op === 'query' && MOOT_WHEN_BROKEN.test(req.text))
      return { id: req.id, rows: [[false]], fields: ['moot'], rowCount: 0 };
    if (req.fresh) await reconnect();
  }
  if (req.op === 'stream') return stream(req, port);
  if (req.op === 'copyOut') return copyOut(req, port);
  if (req.op === 'diffRead') return diffRead(req);
  if (req.op === 'diffApply') return diffApply(req);
  if (req.op === 'diffDrop') {
    diffs.clear();
    return { id: req.id, rows: [], fields: [], rowCount: 0 };
  }
  if (req.op === 'connect') {
    connected ??= connect();
    await connected;
    const v = await client.query('SHOW server_version');
    return { id: req.id, rows: [[v.rows[0].server_version]], fields: ['server_version'], rowCount: 0 };
  }
  if (req.op === 'copy') {
    let data = req.data;
    // the bytes the port sent, given back once read (a diff's or digests' copy sends others)
    const spare = typeof data !== 'string' && (req.diff !== undefined || req.digests) ? data : undefined;
    if (req.diff !== undefined) {
      const { kept, rows } = diffOf(req.diff).filter(
        typeof data === 'string' ? new TextEncoder().encode(data) : data,
        saltOf(req.columns),
      );
      if (rows === 0) return { id: req.id, rows: [], fields: [], rowCount: 0, spare };
      data = kept;
    } else if (req.digests)
      data = withDigests(
        typeof data === 'string' ? new TextEncoder().encode(data) : data,
        saltOf(req.columns),
      );
    // the digests are the run's own: its transaction keeps them (store/schema/row-hash.sql.ts)
    if (req.diff !== undefined || req.digests)
      await client.query(`SELECT set_config('${ROW_DIGESTS_SETTING}', 'on', true)`);
    const stream = client.query(copyFrom(req.text));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(
        typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
    });
    return { id: req.id, rows: [], fields: [], rowCount: Number(stream.rowCount ?? 0), spare };
  }
  if (req.op === 'end') {
    await client.end().catch(() => undefined);
    return { id: req.id, rows: [], fields: [], rowCount: 0 };
  }
  const r = await client.query({ text: req.text, values: req.values, rowMode: 'array' });
  // a multi-statement text (exec) gives one result per statement: the last one counts
  const last = Array.isArray(r) ? (r as pg.QueryArrayResult[]).at(-1)! : r;
  const rows = (last.rows ?? []) as unknown[][];
  if (req.booleans === 'int') intBooleans(rows);
  return {
    id: req.id,
    rows,
    fields: (last.fields ?? []).map((f) => f.name),
    rowCount: last.rowCount ?? 0,
  };
}

// a failure outside any request ends this thread: the port, which may be waiting for a reply,
// hears it (DRIVER_STOPPED) instead of waiting forever; however the thread ends, the flag says so
process.on('uncaughtException', (e: Error) => {
  reply(true, start.syncReply, { id: DRIVER_STOPPED, error: { message: e.message } });
  process.exit(1);
});
process.on('exit', () => {
  Atomics.store(flag, DRIVER_STOPPED_FLAG, 1);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

// one request at a time, in the order posted (the connection is the transaction)
let chain = Promise.resolve();
parentPort!.on('message', (req: DriverRequest | SpareBuffer) => {
  if (req.op === 'spare') {
    // (a buffer of the size of a batch, whole again)
    const whole = new Uint8Array(req.bytes.buffer as ArrayBuffer);
    if (spares.length < SPARE_BUFFERS && whole.length === COPY_BATCH_BYTES) spares.push(whole);
    return;
  }
  chain = chain.then(async () => {
    const port = req.sync ? start.syncReply : start.asyncReply;
    try {
      reply(req.sync, port, await run(req, port));
    } catch (e) {
      const err = e as Error & Record<string, unknown>;
      // a request the connection broke under: the next one knows, whatever the events say yet
      if (teamDbErrorKind(e, false) === 'TEAM_DB_LOST') broken = true;
      reply(req.sync, port, {
        id: req.id,
        error: {
          message: err.message,
          code: typeof err.code === 'string' ? err.code : undefined,
          detail: typeof err.detail === 'string' ? err.detail : undefined,
          constraint: typeof err.constraint === 'string' ? err.constraint : undefined,
        },
      });
    }
    if (req.op === 'end') process.exit(0);
  });
});
