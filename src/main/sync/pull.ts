import type { Actor } from '../audit/chain';
import { z } from 'zod';
import { importOrder, sourceNames, sources, type SourceName } from '../sources';
import type { Store } from '../store/open-store';
import { canonicalizer, type ImportProgress } from './import-file';
import { shownJson } from './json-line';
import { RowProcessor, type Rejection } from './row-processor';
import { SqliteImportLog, sqliteBegin, sqliteCommit, sqliteRollback, type ImportCounts } from './sqlite-bulk';
import { sourceWriterFor } from './pg-bulk';

/** `yunke-desk pull --config FILE` (DATA.md "API pull"). */
export const pullConfigSchema = z
  .object({
    sources: z.partialRecord(
      z.enum(sourceNames),
      z
        .object({
          url: z.string().url(),
          token: z.string().min(1).optional(),
          token_env: z.string().min(1).optional(),
        })
        .strict(),
    ),
    timeout_ms: z.number().int().positive().max(600_000).optional(),
    retries: z.number().int().min(0).max(20).optional(),
    /** First backoff delay; doubles per attempt, with jitter (default 250 ms). */
    backoff_ms: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();
export type PullConfig = z.infer<typeof pullConfigSchema>;

export interface PullOptions {
  /** who pulls: recorded in the history and the audit log (R-OP-2) */
  actor: Actor;
  /** Environment for token_env (default process.env). */
  env?: Record<string, string | undefined>;
  onRejection?: (r: Rejection) => void;
  onPage?: (p: { source: SourceName; page: number; items: number; cursor: string | null }) => void;
  onRetry?: (r: { source: SourceName; attempt: number; delayMs: number; reason: string }) => void;
  onProgress?: (source: SourceName, p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface SourcePullResult {
  source: SourceName;
  status: 'ok' | 'failed';
  importId: number | null;
  pages: number;
  items: number;
  counts: ImportCounts;
  cursor: string | null;
  retries: number;
  durationMs: number;
  error?: string;
}

export class PullError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const pageSchema = z.object({
  items: z.array(z.unknown()),
  next: z.union([z.string(), z.number(), z.null()]).optional(),
});

/** Retry-After: seconds or an HTTP date → ms (capped at a minute). */
function retryAfterMs(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(h) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 60_000) : undefined;
}

/** One GET of one page: any failure is a PullError saying whether it is worth retrying. */
export async function fetchPage(
  url: string,
  cursor: string | null,
  token: string | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ items: unknown[]; next: string | null }> {
  const u = new URL(url);
  if (cursor !== null) u.searchParams.set('cursor', cursor);
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let text: string;
  let res: Response;
  try {
    res = await fetch(u, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: combined,
    });
    text = await res.text();
  } catch (e) {
    if (signal?.aborted) throw new PullError('pull cancelled', false);
    if (timeout.aborted) throw new PullError(`timed out after ${timeoutMs} ms`, true);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new PullError(`connection failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`, true);
  }
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    throw new PullError(`HTTP ${res.status}`, true, retryAfterMs(res.headers.get('retry-after')));
  }
  if (res.status !== 200)
    throw new PullError(`HTTP ${res.status}${res.status === 401 ? ' (check the token)' : ''}`, false);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PullError('malformed JSON in the response', true);
  }
  const page = pageSchema.safeParse(body);
  if (!page.success) throw new PullError('response is not { "items": [...], "next": cursor | null }', true);
  const next = page.data.next;
  return {
    items: page.data.items,
    next: next === undefined || next === null || next === '' ? null : String(next),
  };
}

/** Exponential backoff with full jitter: base × 2^attempt × [0.5, 1.5), capped at 30 s. */
export function backoffDelay(attempt: number, baseMs: number): number {
  return Math.min(30_000, baseMs * 2 ** attempt * (0.5 + Math.random()));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

interface ApiSourceRow {
  base_url: string;
  cursor: string | null;
}

/**
 * Pulls one source: pages from the stored cursor on, each page validated like a file row
 * and committed in its own transaction together with the next cursor, so a pull that
 * stops half-way resumes from its last committed page.
 */
export async function pullSource(
  store: Store,
  source: SourceName,
  endpoint: { url: string; token?: string; tokenRef: string | null },
  config: { timeoutMs: number; retries: number; backoffMs: number },
  options: PullOptions,
): Promise<SourcePullResult> {
  const started = Date.now();
  const sqlite = store.sqlite;
  const def = sources[source];
  const log = new SqliteImportLog(sqlite);
  const saved = sqlite.prepare('SELECT base_url, cursor FROM api_sources WHERE source = ?').get(source) as
    ApiSourceRow | undefined;
  // A cursor belongs to the endpoint that issued it.
  let cursor = saved && saved.base_url === endpoint.url ? saved.cursor : null;
  const saveSource = sqlite.prepare(
    `INSERT INTO api_sources (source, base_url, token_ref, cursor, last_pull_at, last_status, last_error)
     VALUES (@source, @url, @tokenRef, @cursor, @at, @status, @error)
     ON CONFLICT (source) DO UPDATE SET base_url = excluded.base_url, token_ref = excluded.token_ref,
       cursor = excluded.cursor, last_pull_at = excluded.last_pull_at, last_status = excluded.last_status,
       last_error = excluded.last_error`,
  );
  const counts: ImportCounts = { added: 0, updated: 0, unchanged: 0, rejected: 0, dangling: 0 };
  const result: SourcePullResult = {
    source,
    status: 'ok',
    importId: null,
    pages: 0,
    items: 0,
    counts,
    cursor,
    retries: 0,
    durationMs: 0,
  };
  const canonical = canonicalizer(source, null);
  const record = (status: string, error: string | null) =>
    saveSource.run({
      source,
      url: endpoint.url,
      tokenRef: endpoint.tokenRef,
      cursor,
      at: Date.now(),
      status,
      error,
    });
  try {
    for (;;) {
      let page: { items: unknown[]; next: string | null } | null = null;
      for (let attempt = 0; ; attempt++) {
        try {
          page = await fetchPage(endpoint.url, cursor, endpoint.token, config.timeoutMs, options.signal);
          break;
        } catch (e) {
          const err = e as PullError;
          if (!(err instanceof PullError) || !err.retryable || attempt >= config.retries) throw e;
          const delayMs = err.retryAfterMs ?? backoffDelay(attempt, config.backoffMs);
          result.retries++;
          options.onRetry?.({ source, attempt: attempt + 1, delayMs, reason: err.message });
          await sleep(delayMs, options.signal);
          if (options.signal?.aborted) throw new PullError('pull cancelled', false);
        }
      }
      // One page = one transaction: rows, history counts and the cursor land together.
      sqliteBegin(sqlite);
      try {
        if (result.importId === null) {
          result.importId = log.start({
            source,
            origin: 'api',
            fileName: endpoint.url,
            sha256: null,
            actor: options.actor,
            startedAt: started,
          });
        }
        const importId = result.importId;
        const proc = new RowProcessor(def, endpoint.url, sourceWriterFor(sqlite, def, importId), (r) => {
          log.reject(importId, r);
          options.onRejection?.(r);
        });
        for (const item of page.items) {
          const line = ++result.items;
          if (!item || typeof item !== 'object' || Array.isArray(item)) {
            proc.reject(line, null, shownJson(item), 'INVALID_JSON');
            continue;
          }
          const { row, problem } = canonical({ line, object: item as Record<string, unknown> });
          if (problem) proc.reject(line, problem.column, problem.value, problem.code);
          else proc.process(line, row);
        }
        proc.finish();
        for (const k of Object.keys(counts) as (keyof ImportCounts)[]) counts[k] += proc.counts[k];
        if (page.next !== null) cursor = page.next;
        log.finish(importId, {
          ...counts,
          sha256: null,
          durationMs: Date.now() - started,
          status: 'committed',
        });
        record('running', null);
        sqliteCommit(sqlite);
      } catch (e) {
        sqliteRollback(sqlite);
        throw e;
      }
      result.pages++;
      result.cursor = cursor;
      options.onPage?.({ source, page: result.pages, items: page.items.length, cursor });
      const elapsed = Date.now() - started;
      options.onProgress?.(source, {
        rows: result.items,
        bytes: 0,
        totalBytes: 0,
        rowsPerSec: Math.round((result.items * 1000) / Math.max(1, elapsed)),
        etaMs: null,
        elapsedMs: elapsed,
      });
      if (page.next === null) break;
    }
    record('ok', null);
  } catch (e) {
    result.status = 'failed';
    result.error = (e as Error).message;
    record('failed', result.error);
    if (result.importId !== null) {
      log.finish(result.importId, {
        ...counts,
        sha256: null,
        durationMs: Date.now() - started,
        status: 'failed',
      });
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** Pulls every configured source, in the dependency order of DATA.md. */
export async function pullAll(
  store: Store,
  config: PullConfig,
  options: PullOptions,
): Promise<SourcePullResult[]> {
  const env = options.env ?? process.env;
  const out: SourcePullResult[] = [];
  for (const source of importOrder) {
    const s = config.sources[source];
    if (!s) continue;
    const token = s.token ?? (s.token_env ? env[s.token_env] : undefined);
    if (s.token_env && !token) {
      out.push({
        source,
        status: 'failed',
        importId: null,
        pages: 0,
        items: 0,
        counts: { added: 0, updated: 0, unchanged: 0, rejected: 0, dangling: 0 },
        cursor: null,
        retries: 0,
        durationMs: 0,
        error: `environment variable ${s.token_env} is not set / 未设置环境变量 ${s.token_env}`,
      });
      continue;
    }
    out.push(
      await pullSource(
        store,
        source,
        { url: s.url, token, tokenRef: s.token_env ? `env:${s.token_env}` : s.token ? 'config' : null },
        {
          timeoutMs: config.timeout_ms ?? 30_000,
          retries: config.retries ?? 5,
          backoffMs: config.backoff_ms ?? 250,
        },
        options,
      ),
    );
  }
  return out;
}
