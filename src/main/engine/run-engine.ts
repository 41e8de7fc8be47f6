import { Worker } from 'node:worker_threads';
import type { AuditInput } from '../audit/chain';
import { runDecision, runDecisionOnFile, type DecisionJob, type DecisionOutcome } from './decision-run';
import {
  busyTimeout,
  onStoreClose,
  storeClosed,
  type OpenStoreOptions,
  type Store,
} from '../store/open-store';
import { queueFor } from '../jobs/store-queue';
import { ENGINE_RESOURCE_LIMITS, findWorker } from '../workers';
import { recomputeFull, recomputeIncremental, type IncrementalScope, type RunSummary } from './recompute';

export type EngineJob =
  | { kind: 'full'; asOf?: number; configVersion?: number; audit?: AuditInput }
  | { kind: 'incremental'; scope: IncrementalScope; audit?: AuditInput }
  | { kind: 'decision'; decision: DecisionJob };

type Outcome<J extends EngineJob> = J extends { kind: 'decision' } ? DecisionOutcome : RunSummary;

/**
 * One job posted to an engine worker (engine-worker.ts), for the store `connection` names (one
 * number per Store object of this thread); or the end of that store's connection in the worker.
 */
export type EngineWorkerRequest =
  /** job null: only open (or keep) the store's connection (warmEngine) */
  | { dbFile: string; storeOptions?: OpenStoreOptions; job: EngineJob | null; connection: number }
  | { release: number };

/** How an engine worker starts: it then waits for EngineWorkerRequest messages, one at a time. */
export interface EngineWorkerStart {
  persistent: true;
}

export type EngineWorkerMessage =
  | { type: 'done'; summary: RunSummary | DecisionOutcome | null }
  | { type: 'error'; message: string; code?: string; details?: unknown }
  /** the job's write waits for another desk's (a team database), held by `holder`; then no more */
  | { type: 'waiting'; holder: string }
  | { type: 'waited' };

/**
 * One job on a store, in this thread: a recompute on the store's connection, a decision on a
 * connection of its own (engine/decision-run.ts) — the store's own when `exclusive` (the engine
 * worker's connection, which nothing else uses while a job runs). The engine worker runs the same
 * function.
 */
export async function runEngineJob(
  store: Store,
  job: EngineJob,
  storeOptions?: OpenStoreOptions,
  exclusive = false,
): Promise<RunSummary | DecisionOutcome> {
  if (job.kind === 'decision')
    return exclusive
      ? runDecision(store, job.decision)
      : runDecisionOnFile(store.file, job.decision, storeOptions);
  return job.kind === 'full'
    ? recomputeFull(store, {
        asOf: job.asOf,
        configVersion: job.configVersion,
        // a full-run helper loads the same native addon as this thread (Electron's ABI)
        parallel: { nativeBinding: storeOptions?.nativeBinding },
        audit: job.audit,
      })
    : recomputeIncremental(store, job.scope, { audit: job.audit });
}

/** How long an engine worker waits for its next job before it ends. */
const IDLE_MS = 60_000;

/**
 * The engine worker, kept between jobs: starting a worker thread and loading the engine in it
 * costs more than a small decision itself (a shared-IP what-if, a blacklist), and a worker that
 * stays has its code compiled. It also keeps its connection to the store of the last job
 * (engine-worker.ts), whose page cache then holds what the next decision reads (a shared-IP
 * what-if reads thousands of pages: on a fresh connection that costs about as much as the rest of
 * it). That connection belongs to one Store object of this thread: it ends before that store
 * closes (onStoreClose; a restore closes the store before it replaces the file), and a job of
 * another Store object (another file, or the same file opened again) gets a new one. One worker
 * per worker file serves every store, a job at a time (jobs of one store are already serialized
 * by `queues`). While idle it does not keep the process alive, and it ends after IDLE_MS.
 */
interface EngineHost {
  worker: Worker;
  /** the job under way */
  pending: {
    resolve: (v: RunSummary | DecisionOutcome | null) => void;
    reject: (e: Error) => void;
    /** its write waits for another desk's (`holder`), or no more (null) */
    onWait?: (holder: string | null) => void;
  } | null;
  /** the end of the last job posted (the next one waits for it) */
  tail: Promise<unknown>;
  idle: ReturnType<typeof setTimeout> | null;
}
const hosts = new Map<string, EngineHost>();

/** The number of each Store object whose jobs went to an engine worker (EngineWorkerRequest). */
const connections = new WeakMap<Store, number>();
let lastConnection = 0;

function connectionOf(store: Store): number {
  const known = connections.get(store);
  if (known !== undefined) return known;
  const id = ++lastConnection;
  connections.set(store, id);
  // the workers' connections for this store end when it closes (a worker that ended has none)
  onStoreClose(store, async () => {
    for (const workerFile of [...hosts.keys()]) await runInHost(workerFile, { release: id }, false);
  });
  return id;
}

function hostFor(workerFile: string): EngineHost {
  const existing = hosts.get(workerFile);
  if (existing) return existing;
  const worker = new Worker(workerFile, {
    workerData: { persistent: true } satisfies EngineWorkerStart,
    resourceLimits: ENGINE_RESOURCE_LIMITS,
  });
  const host: EngineHost = { worker, pending: null, tail: Promise.resolve(), idle: null };
  const fail = (e: Error) => {
    if (hosts.get(workerFile) === host) hosts.delete(workerFile);
    if (host.idle) clearTimeout(host.idle);
    const p = host.pending;
    host.pending = null;
    p?.onWait?.(null);
    p?.reject(e);
  };
  worker.on('message', (m: EngineWorkerMessage) => {
    // (the job goes on)
    if (m.type === 'waiting' || m.type === 'waited') {
      host.pending?.onWait?.(m.type === 'waiting' ? m.holder : null);
      return;
    }
    const p = host.pending;
    host.pending = null;
    p?.onWait?.(null);
    worker.unref();
    host.idle = setTimeout(() => {
      if (hosts.get(workerFile) === host) hosts.delete(workerFile);
      void worker.terminate();
    }, IDLE_MS);
    host.idle.unref?.();
    if (!p) return;
    if (m.type === 'done') p.resolve(m.summary);
    else p.reject(Object.assign(new Error(m.message), { code: m.code, details: m.details }));
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`engine worker exited (${code})`)));
  hosts.set(workerFile, host);
  return host;
}

/** Posts a request after the worker's last one; `start` false: only to a worker still there. */
function runInHost(
  workerFile: string,
  request: EngineWorkerRequest,
  start = true,
  onWait?: (holder: string | null) => void,
): Promise<RunSummary | DecisionOutcome | null> {
  if (!start && !hosts.has(workerFile)) return Promise.resolve(null);
  const first = hosts.get(workerFile);
  const post = () => {
    // a worker that ended (idle, or failed) is replaced by a new one
    if (!start && hosts.get(workerFile) !== first) return null;
    const host = hostFor(workerFile);
    return new Promise<RunSummary | DecisionOutcome | null>((resolve, reject) => {
      if (host.idle) clearTimeout(host.idle);
      host.idle = null;
      host.pending = { resolve, reject, onWait };
      host.worker.ref(); // a job under way keeps the process alive (the CLI awaits it)
      host.worker.postMessage(request);
    });
  };
  const current = first?.tail ?? Promise.resolve();
  const next = current.then(post, post);
  const host = hostFor(workerFile);
  host.tail = next.catch(() => undefined);
  return start ? next : next.catch(() => null);
}

/**
 * Starts the engine worker and opens its connection to the store ahead of a decision the admin
 * is likely to take (the investigation desk calls it when a group or an IP is opened), so that the
 * first what-if does not also pay for starting a thread, loading the engine and opening the
 * store. Nothing is queued for the store, and nothing happens inline or for a closed store.
 */
export function warmEngine(store: Store, storeOptions?: OpenStoreOptions): void {
  const workerFile = findWorker('engine-worker');
  if (!workerFile || store.file === ':memory:' || storeClosed(store)) return;
  void runInHost(workerFile, {
    dbFile: store.file,
    storeOptions,
    job: null,
    connection: connectionOf(store),
  }).catch(() => undefined);
}

/**
 * Runs an engine job for the app (and the CLI): in a worker thread with its own connection when the worker
 * is built (the window stays responsive), else inline. Results are the same either way: the
 * worker calls the same runEngineJob on the same file.
 */
export function runEngine<J extends EngineJob>(
  store: Store,
  job: J,
  options: {
    storeOptions?: OpenStoreOptions;
    workerFile?: string | null;
    /** the caller already holds the store's turn (an import's follow-up recompute) */
    inQueue?: boolean;
  } = {},
): Promise<Outcome<J>> {
  const workerFile = options.workerFile === undefined ? findWorker('engine-worker') : options.workerFile;
  const run = (): Promise<Outcome<J>> => {
    if (!workerFile || store.file === ':memory:')
      return runEngineJob(store, job, options.storeOptions) as Promise<Outcome<J>>;
    // a wait for another desk's write shows in the store's job list (store-queue.ts noteWait)
    let waited: (() => void) | null = null;
    const onWait = (holder: string | null) => {
      waited?.();
      waited = holder === null ? null : queueFor(store).noteWait(holder, 'job');
    };
    return runInHost(
      workerFile,
      {
        dbFile: store.file,
        // the worker's connection waits for another's write lock as long as this thread's do (the
        // command line waits much longer than the app, open-store.ts setBusyTimeout)
        storeOptions: { busyTimeoutMs: busyTimeout(), ...options.storeOptions },
        job,
        connection: connectionOf(store),
      },
      true,
      onWait,
    ) as Promise<Outcome<J>>;
  };
  // one job at a time per store, beside imports, backups and payout preparation (store-queue.ts)
  if (options.inQueue) return run();
  const label =
    job.kind === 'decision' ? job.decision.change.kind : job.kind === 'full' ? 'full' : 'incremental';
  return queueFor(store).run(job.kind === 'decision' ? 'decision' : 'recompute', label, run);
}
