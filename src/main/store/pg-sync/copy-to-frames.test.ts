/**
 * Issue 13: a COPY's rows go from the connection's bytes to their reader as the server's CopyData
 * messages, whole runs of them per chunk (copy-to-frames.ts). However the socket cuts its chunks,
 * the reader gets every row once and nothing else (no CopyOutResponse, notice or parameter change),
 * and node-pg gets back exactly the bytes after the CopyDone, or from an error's first byte on.
 * The connection here is the part of node-pg's a query object sees (its socket's data events and
 * the query it sends); a real server's COPY runs in pg-sync-port.test.ts.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { copyData } from '../../test-support/copy-data';
import { CopyLines } from './copy-out';
import { CopyToFrames } from './copy-to-frames';

/** A backend message: its code, its length, its body. */
function message(code: string, body: Uint8Array | string = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeUInt32BE(4 + b.length, 1);
  return Buffer.concat([head, b]);
}

const ROWS = 'a\t1\n张三😀\t2\n' + `${'x'.repeat(300)}\t3\n` + 'd\t4\n';
const TEXT = 25;
const INT4 = 23;
/** what node-pg reads after the rows: CommandComplete and ReadyForQuery */
const AFTER = Buffer.concat([message('C', 'COPY 4\0'), message('Z', 'I')]);

/** The reply to a COPY: CopyOutResponse, the rows with a notice and a parameter change among them, CopyDone, and AFTER. */
function reply(): Buffer {
  const rows = Buffer.from(copyData(ROWS));
  const firstTwo = Buffer.from(copyData('a\t1\n张三😀\t2\n')).length;
  return Buffer.concat([
    message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])),
    rows.subarray(0, firstTwo),
    message('N', 'SNOTICE\0Mhalf-way\0\0'),
    message('S', 'TimeZone\0UTC\0'),
    rows.subarray(firstTwo),
    message('c'),
    AFTER,
  ]);
}

/** Runs a CopyToFrames over `bytes`, cut into chunks at `cuts`; the rows read and what node-pg got back. */
function run(bytes: Buffer, cuts: number[]) {
  // (a paused socket must be resumed when node-pg reads it again)
  const stream = new EventEmitter() as EventEmitter & { pause(): void; resume(): void; paused: boolean };
  stream.paused = false;
  stream.pause = () => void (stream.paused = true);
  stream.resume = () => void (stream.paused = false);
  const toPg: Buffer[] = [];
  stream.on('data', (b: Buffer) => toPg.push(Buffer.from(b)));
  const lines = new CopyLines([TEXT, INT4]);
  const rows: unknown[][] = [];
  // (the reader pauses the socket at its first rows, as the driver's pacer may)
  let q: CopyToFrames | null = null;
  q = new CopyToFrames('COPY (…) TO STDOUT', (chunk, start, end) => {
    rows.push(...lines.rows(chunk.slice(start, end)));
    q!.pause();
  });
  const sent: string[] = [];
  q.submit({ stream: stream as unknown as Socket, query: (text) => sent.push(text) });
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    stream.emit('data', bytes.subarray(from, to));
    from = to;
  }
  lines.end();
  return {
    rows,
    toPg: Buffer.concat(toPg),
    sent,
    listeners: stream.listenerCount('data'),
    paused: stream.paused,
  };
}

const EXPECTED = [
  ['a', 1],
  ['张三😀', 2],
  ['x'.repeat(300), 3],
  ['d', 4],
];

describe('a COPY read from the connection as CopyData messages (issue 13)', () => {
  it('every row once, in order, however the chunks cut the reply: in a head, in a line, in a notice, in the CopyDone', () => {
    const bytes = reply();
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = run(bytes, [cut]);
      expect(got.rows, `cut at ${cut}`).toEqual(EXPECTED);
      // node-pg reads on exactly from the CopyDone's end, with its own listener again
      expect(got.toPg.equals(AFTER), `cut at ${cut}`).toBe(true);
      expect(got.listeners).toBe(1);
      expect(got.paused, 'the socket read again').toBe(false);
      expect(got.sent).toEqual(['COPY (…) TO STDOUT']);
    }
    // a byte at a time
    const bytewise = run(
      bytes,
      Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
    );
    expect(bytewise.rows).toEqual(EXPECTED);
    expect(bytewise.toPg.equals(AFTER)).toBe(true);
  });

  it('an error half-way: the rows before it are read, and node-pg gets the error from its first byte, however it is cut', () => {
    const error = Buffer.concat([message('E', 'SERROR\0C22012\0Mdivision by zero\0\0'), message('Z', 'I')]);
    const bytes = Buffer.concat([
      message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0])),
      Buffer.from(copyData('a\t1\n')),
      error,
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = run(bytes, [cut]);
      expect(got.rows, `cut at ${cut}`).toEqual([['a', 1]]);
      expect(got.toPg.equals(error), `cut at ${cut}`).toBe(true);
      expect(got.listeners).toBe(1);
      expect(got.paused, 'the socket read again').toBe(false);
    }
  });

  it('a connection lost half-way: node-pg reads the socket again, and the query fails with its error', async () => {
    const stream = new EventEmitter() as EventEmitter & { pause(): void; resume(): void };
    let paused = false;
    stream.pause = () => void (paused = true);
    stream.resume = () => void (paused = false);
    const pgGot: Buffer[] = [];
    const pgListener = (b: Buffer) => pgGot.push(b);
    stream.on('data', pgListener);
    const got: string[] = [];
    const lines = new CopyLines([TEXT, INT4]);
    const q = new CopyToFrames('COPY', (chunk, start, end) => {
      for (const r of lines.rows(chunk.slice(start, end))) got.push(String(r[0]));
    });
    q.submit({ stream: stream as unknown as Socket, query: () => undefined });
    stream.emit('data', Buffer.from(copyData('a\t1\n')));
    q.pause();
    q.handleError(new Error('Connection terminated unexpectedly'));
    await expect(q.finished()).rejects.toThrow(/terminated/);
    expect(got).toEqual(['a']);
    expect(stream.listeners('data')).toEqual([pgListener]);
    expect(paused).toBe(false);
    // a connection read elsewhere: the query does not start, and says why (node-pg reports it)
    stream.on('data', () => undefined);
    expect(
      new CopyToFrames('COPY', () => undefined).submit({
        stream: stream as unknown as Socket,
        query: () => undefined,
      })?.message,
    ).toMatch(/read elsewhere/);
  });

  it('settles when node-pg says the connection is ready, with the row count it read; with the error it read', async () => {
    const q = new CopyToFrames('COPY', () => undefined);
    q.handleCommandComplete({ text: 'COPY 4' });
    q.handleReadyForQuery();
    await q.finished();
    expect(q.rowCount).toBe(4);
    const failed = new CopyToFrames('COPY', () => undefined);
    failed.handleError(new Error('division by zero'));
    failed.handleReadyForQuery();
    await expect(failed.finished()).rejects.toThrow(/division by zero/);
  });
});
