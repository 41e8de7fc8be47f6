/**
 * Driver thread of a team database's SQL port (pg-sync-port.ts): owns ONE node-pg connection and
 * runs the requests of its port, in the order they were posted, one at a time. A synchronous
 * caller (the engine, the importer) waits on a shared flag until its reply is on the sync reply
 * port; an asynchronous one (the store's Kysely) gets its reply as a message. Bundled to
 * dist-cli/pg-driver.mjs and out/main/pg-driver.js.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pgTypes } from '../pg-types';
import type { DriverReply, DriverRequest, DriverStart } from './protocol';

const start = workerData as DriverStart;
const flag = new Int32Array(start.signal);
const client = new pg.Client({
  connectionString: start.url,
  types: pgTypes,
  application_name: start.application,
});
let connected: Promise<void> | null = null;

function reply(sync: boolean, port: MessagePort, m: DriverReply): void {
  port.postMessage(m);
  if (sync) {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
}

/** PostgreSQL's boolean results as SQLite's 0/1 (the engine's statements were written for it). */
function intBooleans(rows: unknown[][]): void {
  for (const r of rows) for (let i = 0; i < r.length; i++) if (typeof r[i] === 'boolean') r[i] = r[i] ? 1 : 0;
}

async function run(req: DriverRequest): Promise<DriverReply> {
  if (req.op === 'connect') {
    connected ??= client.connect().then(() => undefined);
    await connected;
    const v = await client.query('SHOW server_version');
    return { id: req.id, rows: [[v.rows[0].server_version]], fields: ['server_version'], rowCount: 0 };
  }
  if (req.op === 'copy') {
    const stream = client.query(copyFrom(req.text));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      const data = req.data;
      stream.end(
        typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
    });
    return { id: req.id, rows: [], fields: [], rowCount: Number(stream.rowCount ?? 0) };
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

client.on('error', () => {
  // a connection lost between requests: the next request fails with node-pg's error
});

// one request at a time, in the order posted (the connection is the transaction)
let chain = Promise.resolve();
parentPort!.on('message', (req: DriverRequest) => {
  chain = chain.then(async () => {
    const port = req.sync ? start.syncReply : start.asyncReply;
    try {
      reply(req.sync, port, await run(req));
    } catch (e) {
      const err = e as Error & Record<string, unknown>;
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
