/**
 * `COPY (query) TO STDOUT` on a node-pg connection, its rows handed on as the server sent them
 * (issue 13, a team database's full recompute): spans of CopyData messages straight from the
 * socket's chunks, about one call per chunk, none cut into rows here. A message may be cut between
 * two calls (a chunk ends inside it): the reader joins it (copy-out.ts copyDataRest, row-diff.ts),
 * and takes each message's line where it lies. The messages are handed on whole, their five bytes
 * of head included (`d` and their length): a run of them is one span of the chunk, and the length
 * says where each line ends. pg-copy-streams made a buffer of every message and another of every
 * run of them, and the driver thread then copied those once more: millions of buffers a
 * recompute, most of the driver threads' work and much of their collector's.
 *
 * A query object node-pg runs as it runs pg-copy-streams' (`client.query(submittable)`): it takes
 * the connection's bytes from the first of its reply, skips the CopyOutResponse and the messages
 * the protocol allows in between (notices, parameter changes, notifications), and gives the
 * connection back its bytes from the CopyDone on (an error from the first byte of the
 * ErrorResponse, or of any message a COPY does not send): node-pg reads the command's end as it
 * reads any, and the query settles at the ReadyForQuery.
 */
import type { Socket } from 'node:net';
import { COPY_DATA, COPY_DATA_HEAD } from './copy-out';

/** The messages of a COPY's reply (PostgreSQL's frontend/backend protocol) besides CopyData. */
const COPY_DONE = 0x63; // c
/** messages a COPY's reply may hold between its rows: CopyOutResponse, notice, parameter status,
 * notification */
const SKIPPED = new Set([0x48, 0x4e, 0x53, 0x41]); // H N S A
/** a message's head: its code and length (as a CopyData's) */
const FRAME_HEAD = COPY_DATA_HEAD;

/** The part of node-pg's Connection this query uses. */
interface PgConnection {
  stream: Socket;
  query(text: string): void;
}

export class CopyToFrames {
  /** rows the server said it sent (its CommandComplete) */
  rowCount = 0;
  private socket: Socket | null = null;
  private pgData: ((chunk: Buffer) => void) | null = null;
  /** a message's head cut by the end of a chunk: its bytes so far */
  private readonly head = Buffer.alloc(FRAME_HEAD);
  private headHave = 0;
  /** bytes of the message under way still to come, and whether they are a row's (handed on) */
  private rest = 0;
  private restIsRow = false;
  private settled = false;
  private failure: Error | null = null;
  private readonly done: Promise<void>;
  private resolve: () => void = () => undefined;
  private reject: (e: Error) => void = () => undefined;

  /**
   * `frames(chunk, start, end)`: a run of CopyData messages (or the part of one a chunk holds),
   * bytes [start, end) of `chunk`, valid during the call only.
   */
  constructor(
    readonly text: string,
    private readonly frames: (chunk: Uint8Array, start: number, end: number) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Settles once the connection is ready for the next statement (its error thrown). */
  finished(): Promise<void> {
    return this.done;
  }

  /** The server waits meanwhile (its socket read no further). */
  pause(): void {
    this.socket?.pause();
  }

  resume(): void {
    this.socket?.resume();
  }

  // node-pg's side of a query object

  /** (an error returned is node-pg's to report through handleError, as a query that could not start) */
  submit(connection: PgConnection): Error | undefined {
    const socket = connection.stream;
    const listeners = socket.listeners('data');
    if (listeners.length !== 1) return new Error('COPY TO STDOUT: the connection is read elsewhere');
    this.pgData = listeners[0] as (chunk: Buffer) => void;
    socket.removeListener('data', this.pgData);
    this.socket = socket;
    socket.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg?.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }

  handleError(e: Error): void {
    // the server's error (node-pg read it from the bytes given back), or the connection's loss
    this.failure ??= e;
    this.giveBack(null);
    this.settle();
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.failure) this.reject(this.failure);
    else this.resolve();
  }

  /** The connection's bytes go to node-pg again, from `rest` on. */
  private giveBack(rest: Buffer | null): void {
    const socket = this.socket;
    const pgData = this.pgData;
    if (!socket || !pgData) return;
    this.socket = null;
    this.pgData = null;
    socket.removeListener('data', this.onData);
    socket.on('data', pgData);
    socket.resume();
    if (rest && rest.length > 0) pgData(rest);
  }

  private readonly onData = (chunk: Buffer): void => {
    const n = chunk.length;
    let p = 0;
    /** where the run of rows to hand on began in this chunk (-1: none under way) */
    let run = -1;
    while (p < n) {
      if (this.rest > 0) {
        const k = Math.min(this.rest, n - p);
        if (this.restIsRow && run < 0) run = p;
        p += k;
        this.rest -= k;
        continue;
      }
      // a message's head: whole in this chunk (the usual), or cut by a chunk's end
      let code: number;
      let length: number;
      /** where the head began in this chunk (-1: in an earlier one) */
      let at: number;
      if (this.headHave === 0 && n - p >= FRAME_HEAD) {
        at = p;
        code = chunk[p];
        length = chunk.readUInt32BE(p + 1);
        p += FRAME_HEAD;
        if (code === COPY_DATA) {
          if (run < 0) run = at;
          this.rest = length - 4;
          this.restIsRow = true;
          continue;
        }
      } else {
        at = this.headHave === 0 ? p : -1;
        const k = Math.min(FRAME_HEAD - this.headHave, n - p);
        chunk.copy(this.head, this.headHave, p, p + k);
        this.headHave += k;
        p += k;
        if (this.headHave < FRAME_HEAD) break; // the chunk ended inside it (the run ends before it)
        this.headHave = 0;
        code = this.head[0];
        length = this.head.readUInt32BE(1);
        if (code === COPY_DATA) {
          // its head goes on alone, the rest of it as any row's
          if (run >= 0) this.frames(chunk, run, at < 0 ? 0 : at);
          run = -1;
          this.frames(this.head, 0, FRAME_HEAD);
          this.rest = length - 4;
          this.restIsRow = true;
          continue;
        }
      }
      // not a row: the rows before it are handed on first
      if (run >= 0) this.frames(chunk, run, at < 0 ? 0 : at);
      run = -1;
      if (SKIPPED.has(code)) {
        this.rest = length - 4;
        this.restIsRow = false;
        continue;
      }
      if (code === COPY_DONE) {
        // the rows are all here: node-pg reads on from the CopyDone's end
        this.giveBack(chunk.subarray(Math.min(p + length - 4, n)));
        return;
      }
      // an ErrorResponse (or a message a COPY does not send): node-pg reads it from its first byte
      this.giveBack(at >= 0 ? chunk.subarray(at) : Buffer.concat([this.head, chunk.subarray(p)]));
      return;
    }
    // (a head cut by the chunk's end was held back: the run ends where it began)
    if (run >= 0) this.frames(chunk, run, this.headHave > 0 ? n - this.headHave : n);
  };
}
