/**
 * One job queue per store (issue 12): imports, pulls, recomputes and decisions, backups and payout
 * preparation take their turn one after the other, instead of meeting on SQLite's write lock and
 * failing on its busy timeout. A waiting job knows its position; the queue is listed for the
 * screens ("2 jobs ahead"). Keyed by the store's file, so a restored store keeps its queue.
 */
import { randomUUID } from 'node:crypto';

export type JobKind = 'import' | 'pull' | 'recompute' | 'decision' | 'backup' | 'restore' | 'payout';

export interface QueuedJob {
  id: string;
  kind: JobKind;
  /** what the job is about (a file name, a cycle …), for the screens */
  label: string;
  enqueuedAt: number;
  startedAt: number | null;
  /** 0: running; 1: next; … */
  position: number;
}

interface Entry extends Omit<QueuedJob, 'position'> {
  start: () => void;
}

export class StoreQueue {
  private readonly entries: Entry[] = [];

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
    return this.entries.map(({ start: _start, ...e }, position) => ({ ...e, position }));
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
