/**
 * A team database (issue 13): a write of this process that waits for another desk's write lock is
 * shown in its store's job queue (store-queue.ts noteWait), so that the header's job indicator
 * says whose write a decision waits for instead of showing a spinner only. The store's own
 * connection in this thread (the screens' decisions through its Kysely) is hooked here; the engine
 * worker's runs say so in their messages (run-engine.ts), the import worker's in theirs.
 */
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { queueFor } from './store-queue';

let installed = false;

/** From now on, this thread's waits for another desk's write show in their store's queue. */
export function showLockWaitsInQueues(): void {
  if (installed) return;
  installed = true;
  const told = PgSyncPort.onLockWait;
  PgSyncPort.onLockWait = (holder, port) => {
    // (said as before too: the command line's stderr line)
    const before = told(holder, port);
    // (a store's queue is keyed by what it was opened with: the port's URL, open-store.ts)
    const shown = queueFor({ file: port.url }).noteWait(holder, 'write');
    return () => {
      shown();
      before?.();
    };
  };
}
