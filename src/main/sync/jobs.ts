import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { queueFor } from '../jobs/store-queue';
import type { OpenStoreOptions, Store } from '../store/open-store';
import { findWorker } from '../workers';
import { failureText } from '../store/pg-sync/team-db-errors';
import {
  importFile,
  type ImportFileOptions,
  type ImportFileResult,
  type ImportProgress,
} from './import-file';

/** What the worker gets: plain data only (no callbacks, no signal). */
export interface WorkerRequest {
  dbFile: string;
  storeOptions?: OpenStoreOptions;
  options: Omit<ImportFileOptions, 'signal' | 'onProgress' | 'onRejection'>;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'waiting'; holder: string }
  /** the write lock it waited for is its own now */
  | { type: 'waited' }
  | { type: 'done'; result: ImportFileResult }
  | { type: 'error'; message: string };

/**
 * `recomputing`: the rows are committed and the engine recomputes after them — past the point a
 * cancel could roll anything back.
 */
export type JobStatus =
  'queued' | 'running' | 'cancelling' | 'recomputing' | 'committed' | 'refused' | 'cancelled' | 'failed';

/** What sync.progress returns for the 数据同步 screen. */
export interface ImportJobState {
  jobId: string;
  file: string;
  source: string;
  status: JobStatus;
  /** 'worker' (a worker thread) or 'inline' (no built worker found: runs in this thread, yielding between batches). */
  runner: 'worker' | 'inline';
  startedAt: number;
  /** while queued: the jobs ahead of it in the store's queue (store-queue.ts); null once running */
  queuePosition: number | null;
  progress: ImportProgress | null;
  /**
   * A team database (issue 13): the other desk whose write this import waits for (the database's
   * write lock, pg-sync-port.ts); null once it has the lock, and on a store file.
   */
  waitingFor: string | null;
  result: ImportFileResult | null;
  error: string | null;
}

let live = 0;
/** Import worker threads not yet exited (issue 12: a finished job leaves none). */
export function liveImportWorkers(): number {
  return live;
}

/** Finds the bundled import worker (see findWorker). */
export function findImportWorker(): string | null {
  return findWorker('import-worker');
}

interface Job {
  state: ImportJobState;
  cancel(): void;
  done: Promise<ImportJobState>;
  queuePosition(): number | null;
}

/**
 * Import jobs of the app: each runs in a worker thread with its own store connection,
 * reports progress (rows, bytes, rows/s, eta) and can be cancelled (= rollback).
 */
export class ImportJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly store: Store,
    private readonly opts: {
      storeOptions?: OpenStoreOptions;
      workerFile?: string | null;
      /**
       * Runs after a file has committed and before the job reports it: the app recomputes
       * what the import touched here, so "committed" means the results are current too.
       */
      afterCommit?: (result: ImportFileResult) => void | Promise<void>;
    } = {},
  ) {}

  start(options: WorkerRequest['options']): ImportJobState {
    const jobId = randomUUID();
    const workerFile = this.opts.workerFile === undefined ? findImportWorker() : this.opts.workerFile;
    const state: ImportJobState = {
      jobId,
      file: options.path,
      source: options.source,
      status: 'queued',
      runner: workerFile ? 'worker' : 'inline',
      startedAt: Date.now(),
      queuePosition: null,
      progress: null,
      waitingFor: null,
      result: null,
      error: null,
    };
    const finishNow = (result: ImportFileResult | null, error: string | null) => {
      state.result = result;
      state.error = error;
      state.status = result ? (result.status === 'committed' ? 'committed' : result.status) : 'failed';
      if (result) state.progress = state.progress && { ...state.progress, etaMs: 0 };
      return state;
    };
    const finish = async (result: ImportFileResult | null, error: string | null) => {
      if (result?.status === 'committed' && this.opts.afterCommit) {
        // the rows are in: from here on a cancel has nothing to roll back (it is refused)
        state.status = 'recomputing';
        try {
          await this.opts.afterCommit(result);
        } catch (e) {
          return finishNow(result, `imported, but recomputing the results failed: ${(e as Error).message}`);
        }
      }
      return finishNow(result, error);
    };
    // cancelled while still waiting its turn: it never runs
    let cancelledEarly = false;
    let cancelRunning: () => void = () => undefined;
    const runInWorker = (file: string) => {
      const worker = new Worker(file, {
        workerData: {
          dbFile: this.store.file,
          storeOptions: this.opts.storeOptions,
          options,
        } satisfies WorkerRequest,
      });
      live++;
      worker.once('exit', () => live--);
      cancelRunning = () => worker.postMessage({ type: 'cancel' });
      return new Promise<ImportJobState>((resolve) => {
        let settled = false;
        // the header's job list shows the wait too (store-queue.ts noteWait)
        let waited: (() => void) | null = null;
        const stopWaiting = () => {
          waited?.();
          waited = null;
        };
        worker.once('exit', stopWaiting);
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') {
            state.progress = m.progress;
            state.waitingFor = null; // its rows are going in: it holds the write lock
            stopWaiting();
          } else if (m.type === 'waiting') {
            state.waitingFor = m.holder;
            stopWaiting();
            waited = queueFor(this.store).noteWait(m.holder, 'job');
          } else if (m.type === 'waited') {
            state.waitingFor = null;
            stopWaiting();
          } else if (!settled) {
            stopWaiting();
            settled = true;
            // its answer is in: the thread has nothing left to do
            void worker.terminate();
            resolve(m.type === 'done' ? finish(m.result, null) : finish(null, m.message));
          }
        });
        worker.on('error', (e) => !settled && ((settled = true), resolve(finish(null, e.message))));
        worker.on(
          'exit',
          (code) => !settled && ((settled = true), resolve(finish(null, `import worker exited (${code})`))),
        );
      });
    };
    const runInline = () => {
      const ac = new AbortController();
      cancelRunning = () => ac.abort();
      return importFile(this.store, {
        ...options,
        signal: ac.signal,
        onProgress: (p) => (state.progress = p),
      }).then(
        (r) => finish(r, null),
        (e: Error) =>
          finish(null, failureText(e, this.store.dialect === 'postgres' ? this.store.file : null)),
      );
    };
    // one job at a time per store (issue 12): it waits its turn instead of meeting a busy timeout
    const queue = queueFor(this.store);
    let queueId = '';
    const done = queue.run(
      'import',
      basename(options.path),
      async () => {
        state.queuePosition = null;
        if (cancelledEarly) {
          state.status = 'cancelled';
          return state;
        }
        state.status = state.status === 'cancelling' ? 'cancelling' : 'running';
        state.startedAt = Date.now();
        const p = workerFile ? runInWorker(workerFile) : runInline();
        if (state.status === 'cancelling') cancelRunning();
        return p;
      },
      { onQueued: (id) => (queueId = id) },
    );
    const job: Job = {
      state,
      done,
      cancel: () => {
        if (state.status === 'cancelling' && queue.position(queueId) !== 0) cancelledEarly = true;
        else cancelRunning();
      },
      queuePosition: () => queue.position(queueId),
    };
    this.jobs.set(jobId, job);
    state.queuePosition = state.status === 'queued' ? queue.position(queueId) : null;
    return state;
  }

  get(jobId: string): ImportJobState | null {
    const job = this.jobs.get(jobId);
    if (!job) return null;
    if (job.state.status === 'queued') job.state.queuePosition = job.queuePosition();
    return job.state;
  }

  /** Resolves when the job has ended (committed, refused, cancelled or failed). */
  wait(jobId: string): Promise<ImportJobState> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`no import job ${jobId}`));
    return job.done;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || (job.state.status !== 'running' && job.state.status !== 'queued')) return false;
    job.state.status = 'cancelling';
    job.cancel();
    return true;
  }

  list(): ImportJobState[] {
    return [...this.jobs.keys()].map((id) => this.get(id)!);
  }
}

const registry = new WeakMap<Store, ImportJobs>();

/** The job list of a store (one per open store, shared by the contract handlers). */
export function importJobsFor(store: Store, opts?: ConstructorParameters<typeof ImportJobs>[1]): ImportJobs {
  let jobs = registry.get(store);
  if (!jobs) {
    jobs = new ImportJobs(store, opts);
    registry.set(store, jobs);
  }
  return jobs;
}
