/**
 * Worker-thread entry of an import job (bundled to dist-cli/import-worker.mjs): opens its own
 * connection to the store, runs importFile, posts progress, and rolls back on "cancel" — so
 * the Electron main loop never runs a million-row parse itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store';
import { isTeamDatabase } from '../store/pg-sync/open-port-store';
import { PgSyncPort } from '../store/pg-sync/pg-sync-port';
import { failureText } from '../store/pg-sync/team-db-errors';
import { importFile } from './import-file';
import type { WorkerRequest, WorkerMessage } from './jobs';

const port = parentPort!;
const req = workerData as WorkerRequest;
const ac = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') ac.abort();
});
const post = (m: WorkerMessage) => port.postMessage(m);
// a team database: waiting for another desk's write is shown on the job (sync.progress), not lost
PgSyncPort.onLockWait = (holder) => {
  post({ type: 'waiting', holder });
  return () => post({ type: 'waited' });
};

try {
  const store = openStore(req.dbFile, req.storeOptions);
  let result;
  try {
    result = await importFile(store, {
      ...req.options,
      signal: ac.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
  } finally {
    // closed before the answer: the main thread ends this thread once it has the answer
    await store.close();
  }
  post({ type: 'done', result });
} catch (e) {
  // a team database's missing privilege or lost connection in words the operator can act on
  post({ type: 'error', message: failureText(e, isTeamDatabase(req.dbFile) ? req.dbFile : null) });
}
// the job has ended: nothing keeps this thread (the 'cancel' listener would, otherwise)
port.close();
