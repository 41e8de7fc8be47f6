/** Messages between a team database's SQL port and its driver thread (pg-driver-worker.ts). */
import type { MessagePort } from 'node:worker_threads';

export interface DriverStart {
  url: string;
  application: string;
  /**
   * Int32Array[3]: [0] is 1 when a sync reply is waiting on syncReply; [1] counts the batches of
   * streamed rows the port has taken (the driver keeps at most STREAM_AHEAD batches untaken); [2]
   * (DRIVER_STOPPED_FLAG) is 1 once the driver thread has ended
   */
  signal: SharedArrayBuffer;
  syncReply: MessagePort;
  asyncReply: MessagePort;
}

export type DriverRequest = {
  id: number;
  sync: boolean;
  /**
   * The request starts outside any transaction and write lock of the port: a connection lost since
   * the last request (the server restarted, the network failed) is made again first. A request
   * inside one fails instead (its transaction or lock went with the connection).
   */
  fresh?: boolean;
} & (
  | { op: 'connect' }
  | { op: 'end' }
  | { op: 'query'; text: string; values: unknown[]; booleans: 'int' | 'keep' }
  /** a query whose rows come in batches while the server sends them (replies with `more`) */
  | { op: 'stream'; text: string; values: unknown[] }
  /**
   * `COPY (text) TO STDOUT`: the server's CopyData messages in batches (`bytes`, transferred)
   * while the server sends them, the first reply with the columns' names and type OIDs (copy-out.ts)
   */
  | { op: 'copyOut'; text: string; shape?: CopyShape }
  /**
   * data: COPY text, or its UTF-8 bytes (transferred, not copied); `diff`: only the lines the
   * stored rows read by `diffRead` under that name do not match are copied, each with its digest
   * (row-diff.ts); `digests`: every line is copied with its digest (the statement names the
   * row_hash column last either way)
   */
  | {
      op: 'copy';
      text: string;
      data: string | Uint8Array;
      diff?: string;
      digests?: boolean;
      /** the run's columns (row-diff.ts shapeSalt), with `diff` or `digests` */
      columns?: string[];
    }
  /** reads the stored rows of `COPY (text) TO STDOUT` (ctid, then row_hash) under the name `diff`
   * (`expected`: about how many, to size its table) */
  | { op: 'diffRead'; diff: string; text: string; expected?: number }
  /**
   * ends a diff (its copies all sent before): unless `rebuildShare` or more of the rows changed,
   * the stored rows nothing matched are deleted from `table` and the changed ones inserted from
   * `staging`; its one row is [stored,
   * matched, kept, written, rebuild (0/1)]; rebuilt, the stored rows the copies matched are added
   * to `staging`, the table to be made again
   */
  | {
      op: 'diffApply';
      diff: string;
      table: string;
      staging: string;
      columns: string[];
      rebuildShare: number;
    }
  /** forgets every diff (a run that failed) */
  | { op: 'diffDrop' }
);

/**
 * A buffer the port is done with (a copyOut batch it has read), given back for the driver's next
 * batches: not a request (no id, no reply), taken as it comes, beside the request under way.
 */
export interface SpareBuffer {
  op: 'spare';
  bytes: Uint8Array;
}

/** The columns of a read: names and type OIDs. */
export interface CopyShape {
  fields: string[];
  types: number[];
}

export interface DriverError {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
}

/** What a request gives when it succeeds. */
export interface DriverResult {
  id: number;
  rows: unknown[][];
  fields: string[];
  rowCount: number;
  /** a stream's batch, more to come (its last reply has none) */
  more?: boolean;
  /** copyOut: the server's CopyData messages, a line of COPY text each (the first and last may be
   * cut: copy-out.ts joins them) */
  bytes?: Uint8Array;
  /** copyOut: the type OID of each column (in its first reply) */
  types?: number[];
  /** copy: the buffer of its bytes, done with, given back for the port's next copies */
  spare?: Uint8Array;
  error?: undefined;
}

export type DriverReply = DriverResult | { id: number; error: DriverError };

/** Rows per batch of a stream. */
export const STREAM_BATCH = 20_000;
/** Batches of a stream the driver sends ahead of its port's reading. */
export const STREAM_AHEAD = 2;
/**
 * Spare buffers each side keeps (SpareBuffer, DriverResult.spare): written again rather than
 * allocated afresh, a batch's megabyte costs no page faults to map nor to unmap once the collector
 * frees it (some 600 MB a full recompute of `demo --scale 20` went that way, issue 13).
 */
export const SPARE_BUFFERS = 8;

/** The id of the reply a driver thread sends when it stops on a failure outside any request. */
export const DRIVER_STOPPED = -1;
/** The slot of the shared flag a driver thread sets to 1 as it exits, however it ends. */
export const DRIVER_STOPPED_FLAG = 2;
