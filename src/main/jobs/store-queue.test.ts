/**
 * The store's job queue (issue 12) and, on a team database, the writes of this desk that wait for
 * another desk's (issue 13): what the header's job indicator lists.
 */
import { describe, expect, it } from 'vitest';
import { StoreQueue } from './store-queue';

describe('StoreQueue', () => {
  it('runs jobs one at a time in the order asked, listing the running one first and the others by position', async () => {
    const q = new StoreQueue();
    let release!: () => void;
    const first = q.run('recompute', 'full', () => new Promise<string>((r) => (release = () => r('a'))));
    const second = q.run('import', 'orders.csv', async () => 'b');
    expect(q.list().map((j) => [j.kind, j.position, j.waitingFor])).toEqual([
      ['recompute', 0, null],
      ['import', 1, null],
    ]);
    release();
    expect(await first).toBe('a');
    expect(await second).toBe('b');
    await new Promise((r) => setTimeout(r, 0)); // (a job leaves the list as its promise settles)
    expect(q.list()).toEqual([]);
  });

  it('a wait for another desk’s write is told on the running job only, with its holder and since when, until it is over', async () => {
    const q = new StoreQueue();
    let release!: () => void;
    const job = q.run('decision', 'blacklist', () => new Promise<void>((r) => (release = r)));
    void q.run('import', 'orders.csv', async () => undefined);
    const before = Date.now();
    const over = q.noteWait('yunke-desk@finance-02 · 10.0.0.7 · pid 4242', 'job');
    const [running, next] = q.list();
    expect(running).toMatchObject({
      kind: 'decision',
      waitingFor: 'yunke-desk@finance-02 · 10.0.0.7 · pid 4242',
    });
    expect(running.waitingSince).toBeGreaterThanOrEqual(before);
    expect(next).toMatchObject({ kind: 'import', waitingFor: null, waitingSince: null });
    over();
    expect(q.list()[0]).toMatchObject({ waitingFor: null, waitingSince: null });
    release();
    await job;
  });

  it('a write of a screen shows as a job of its own while it waits (a holder it cannot see as ""), not on the running job', async () => {
    const q = new StoreQueue();
    // this desk's own recompute holds the lock: a screen's decision waits for it
    let release!: () => void;
    const job = q.run('recompute', 'full', () => new Promise<void>((r) => (release = r)));
    const mine = q.noteWait('yunke-desk@this-desk · 127.0.0.1 · pid 7', 'write');
    expect(q.list().map((j) => [j.kind, j.position, j.waitingFor])).toEqual([
      ['write', 0, 'yunke-desk@this-desk · 127.0.0.1 · pid 7'],
      ['recompute', 0, null],
    ]);
    mine();
    release();
    await job;
    await new Promise((r) => setTimeout(r, 0));
    const over = q.noteWait('', 'write');
    expect(q.list()).toEqual([
      expect.objectContaining({ kind: 'write', position: 0, label: '', waitingFor: '' }),
    ]);
    over();
    over(); // (twice is harmless)
    expect(q.list()).toEqual([]);
  });
});
