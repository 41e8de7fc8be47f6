/**
 * One job queue per store (issue 12): imports, pulls, recomputes and decisions, backups and payout
 * preparation take their turn one after the other, instead of meeting on SQLite's write lock and
 * failing on its busy timeout. A waiting job knows its position; the queue is listed for the
 * screens ("2 jobs ahead"). Keyed by the store's file, so a restored store keeps its queue.
 */
import { randomUUID } from 'node:crypto';

export type JobKind =
  | 'import'
  | 'pull'
  | 'recompute'
  | 'decision'
  | 'backup'
  | 'restore'
  | 'payout'
  /** a write outside any job, waiting for another desk's (noteWait) */
  | 'write';

/** A write of this desk that waits for another desk's on a team database (issue 13). */
interface Wait {
  /** who holds the write lock (`name · address · pid N`), '' when it cannot be seen */
  holder: string;
  since: number;
  /** `job`: the running job's own write (its engine or import worker); `write`: a write of this
   * thread, maybe outside any job (a screen's decision) */
  of: 'job' | 'write';
}

export interface QueuedJob {
  id: string;
  kind: JobKind;
  /** what the job is about (a file name, a cycle …), for the screens */
  label: string;
  enqueuedAt: number;
  startedAt: number | null;
  /** 0: running; 1: next; … */
  position: number;
  /**
   * A team database: the running job's write waits for another desk's, held by this one (`name ·
   * address · pid N`; '' when it cannot be seen); null when it does not wait.
   */
  waitingFor: string | null;
  /** since when it waits (null when it does not) */
  waitingSince: number | null;
}

interface Entry extends Omit<QueuedJob, 'position' | 'waitingFor' | 'waitingSince'> {
  start: () => void;
}

export class StoreQueue {
  private readonly entries: Entry[] = [];
  /** this desk's writes waiting for another desk's, oldest first */
  private readonly waits: Wait[] = [];

  /**
   * A write of this desk waits for another desk's (a team database's write lock): the running job's
   * own (`job`: its worker said so) shows on the running job; a write of this thread (`write`: a
   * screen's decision, which may wait for this desk's own running job too) shows as a job of its
   * own while it waits. Call what it returns when the wait is over.
   */
  noteWait(holder: string, of: Wait['of']): () => void {
    const w: Wait = { holder, since: Date.now(), of };
    this.waits.push(w);
    return () => {
      const i = this.waits.indexOf(w);
      if (i >= 0) this.waits.splice(i, 1);
    };
  }

  /**
   * Runs `fn` when every job enqueued before it has ended (whatever their outcome). `onStart`
   * runs just before it (the caller's state says "running" from then on).
   */
  run<T>(
    kind: JobKind,
    label: string,
    fn: () => Promise<T>,
    hooks: { onQueued?: (id: string) => void } = {},
  ): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        id,
        kind,
        label,
        enqueuedAt: Date.now(),
        startedAt: null,
        start: () => {
          entry.startedAt = Date.now();
          let p: Promise<T>;
          try {
            p = fn();
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(resolve, reject).finally(() => this.done(id));
        },
      };
      this.entries.push(entry);
      hooks.onQueued?.(id);
      if (this.entries.length === 1) entry.start();
    });
  }

  private done(id: string): void {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i >= 0) this.entries.splice(i, 1);
    const next = this.entries[0];
    if (next && next.startedAt === null) next.start();
  }

  list(): QueuedJob[] {
    const own = this.waits.find((w) => w.of === 'job');
    const jobs: QueuedJob[] = this.entries.map(({ start: _start, ...e }, position) => ({
      ...e,
      position,
      // (the running job's worker is the one that can be waiting)
      waitingFor: position === 0 && own ? own.holder : null,
      waitingSince: position === 0 && own ? own.since : null,
    }));
    const writes: QueuedJob[] = this.waits
      .filter((w) => w.of === 'write')
      .map((w, i) => ({
        id: `write-${w.since}-${i}`,
        kind: 'write',
        label: '',
        enqueuedAt: w.since,
        startedAt: w.since,
        position: 0,
        waitingFor: w.holder,
        waitingSince: w.since,
      }));
    return [...writes, ...jobs];
  }

  /** The position of a job (0 running, 1 next …), or null once it has ended. */
  position(id: string): number | null {
    const i = this.entries.findIndex((e) => e.id === id);
    return i < 0 ? null : i;
  }
}

const queues = new Map<string, StoreQueue>();

/** The queue of a store file (one per process: the app's main process, or a CLI command). */
export function queueFor(store: { file: string }): StoreQueue {
  let q = queues.get(store.file);
  if (!q) queues.set(store.file, (q = new StoreQueue()));
  return q;
}
