import { ImportFileError } from '../../sources/messages';
import { importOrder, sources, type SourceName } from '../../sources';
import { runEngine } from '../../engine/run-engine';
import { importJobsFor, type ImportJobState } from '../../sync/jobs';
import { listApiSources, listImports, listRejections, saveApiSource } from '../../sync/history';
import { previewFile } from '../../sync/preview';
import { pullSource } from '../../sync/pull';
import type { ApiContext } from '../context';
import { actorOf } from '../context';
import { stagingFor } from '../../sync/staging';
import { queueFor } from '../../jobs/store-queue';
import { TOKEN_ENV_PREFIX } from '../fields';
import type { HandlersOf } from '../handler-types';
import { ApiError } from '../errors';
import type { SyncJob, SyncPullResult, syncSourceNames, syncContract } from './sync.contract';

// The contract's list of sources and the importers' list must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSources: Same<(typeof syncSourceNames)[number], SourceName> = true;
void sameSources;

const view = (s: ImportJobState): SyncJob => structuredClone(s) as SyncJob;

/**
 * The store's import jobs. The worker opens the store with the same native binding as the
 * app, and a committed file is followed by an incremental recompute of what it touched
 * (R-RECALC-1), so the screens never show results older than the data.
 */
const jobsOf = (ctx: ApiContext) =>
  importJobsFor(ctx.store, {
    storeOptions: ctx.storeOptions,
    afterCommit: async (result) => {
      if (result.importId !== null)
        await runEngine(
          ctx.store,
          { kind: 'incremental', scope: { importIds: [result.importId] } },
          // inside the import's own turn of the store's queue
          { storeOptions: ctx.storeOptions, inQueue: true },
        );
    },
  });

/**
 * Issue 12: the page never names a file the app reads. An import reads what the app received
 * through staging (a drop, an upload), nothing else; a page-supplied path is refused.
 */
function requireStaged(ctx: ApiContext, path: string): undefined {
  if (!stagingFor(ctx.store.file).isStaged(path))
    throw new ApiError(
      'SYNC_PATH_NOT_STAGED',
      '只能导入通过本应用上传的文件 / only files uploaded to the app can be imported',
      { path },
    );
  return undefined;
}

/** The token of a saved API source: an environment variable, or sealed in the store (app only). */
function tokenOf(ctx: ApiContext, tokenRef: string | null): string | undefined {
  if (!tokenRef) return undefined;
  // only the variables the user named under the fixed prefix, whatever a stored reference says
  if (tokenRef.startsWith('env:'))
    return tokenRef.startsWith(`env:${TOKEN_ENV_PREFIX}`) ? process.env[tokenRef.slice(4)] : undefined;
  if (tokenRef.startsWith('sealed:')) {
    if (!ctx.secrets)
      throw new ApiError(
        'SYNC_TOKEN_SEALED_ELSEWHERE',
        '该接口令牌由桌面应用加密保存，只能在应用中拉取 / this token is sealed by the desktop app; pull from the app',
      );
    return ctx.secrets.open(tokenRef.slice(7));
  }
  return undefined;
}

export const syncHandlers: HandlersOf<typeof syncContract> = {
  'sync.sources': async () =>
    importOrder.map((name) => {
      const d = sources[name];
      return {
        name,
        labelZh: d.labelZh,
        key: d.key,
        columns: d.columns.map((c) => ({
          name: c.name,
          aliases: c.aliases,
          kind: c.kind,
          required: c.required,
          values: c.values,
        })),
      };
    }),
  'sync.preview': async (ctx, input) => {
    requireStaged(ctx, input.path);
    try {
      return await previewFile(input.path, input.source, input.rows);
    } catch (e) {
      throw new ApiError(
        'SYNC_FILE_UNREADABLE',
        e instanceof ImportFileError
          ? e.message
          : `无法读取文件 / cannot read the file: ${(e as Error).message}`,
        { path: input.path },
      );
    }
  },
  'sync.start': async (ctx, input) =>
    requireStaged(ctx, input.path) ??
    view(
      jobsOf(ctx).start({
        path: input.path,
        source: input.source,
        skipInvalid: input.skipInvalid,
        actor: actorOf(ctx),
        expected: input.fingerprint,
      }),
    ),
  'sync.progress': async (ctx, input) => {
    const s = jobsOf(ctx).get(input.jobId);
    if (!s)
      throw new ApiError('SYNC_NO_SUCH_JOB', `没有这个导入任务 / no import job ${input.jobId}`, {
        jobId: input.jobId,
      });
    return view(s);
  },
  'sync.cancel': async (ctx, input) => ({ cancelled: jobsOf(ctx).cancel(input.jobId) }),
  'sync.jobs': async (ctx) => jobsOf(ctx).list().map(view),
  'sync.history': async (ctx, input) => listImports(ctx.store.db, input),
  'sync.rejections': async (ctx, input) => listRejections(ctx.store.db, input),
  'sync.apiSources.list': async (ctx) => listApiSources(ctx.store.db),
  'sync.apiSources.save': async (ctx, input) =>
    saveApiSource(
      ctx.store.db,
      { source: input.source, baseUrl: input.baseUrl, tokenRef: tokenRefFor(ctx, input) },
      actorOf(ctx),
    ),
  'sync.apiSources.pullNow': async (ctx, input) =>
    queueFor(ctx.store).run('pull', input.source ?? 'all', () => pullNow(ctx, input)),
};

/** Pulls the saved sources (one, or all in import order), in the store's turn. */
async function pullNow(
  ctx: ApiContext,
  input: { source?: string; timeoutMs: number; retries: number },
): Promise<SyncPullResult[]> {
  {
    const saved = (await listApiSources(ctx.store.db)).filter(
      (s) => !input.source || s.source === input.source,
    );
    if (input.source && saved.length === 0) {
      throw new ApiError(
        'SYNC_NO_API_SOURCE',
        `未配置该数据源的接口 / no API endpoint saved for ${input.source}`,
        {
          source: input.source,
        },
      );
    }
    const order = (s: string) => importOrder.indexOf(s as never);
    const out = [];
    for (const s of saved.sort((a, b) => order(a.source) - order(b.source))) {
      out.push(
        await pullSource(
          ctx.store,
          s.source as (typeof importOrder)[number],
          { url: s.base_url, token: tokenOf(ctx, s.token_ref), tokenRef: s.token_ref },
          { timeoutMs: input.timeoutMs, retries: input.retries, backoffMs: 250 },
          { actor: actorOf(ctx) },
        ),
      );
    }
    return out;
  }
}

/** A token typed in the app is sealed with the OS keychain (safeStorage); never stored in clear. */
function tokenRefFor(ctx: ApiContext, input: { token?: string; tokenEnv?: string }): string | null {
  if (input.token !== undefined) {
    if (!ctx.secrets)
      throw new ApiError(
        'SYNC_TOKEN_STORAGE_UNAVAILABLE',
        '此处无法安全保存令牌，请改用环境变量名 / no secure token storage here: give an environment variable name instead',
      );
    return `sealed:${ctx.secrets.seal(input.token)}`;
  }
  return input.tokenEnv ? `env:${input.tokenEnv}` : null;
}
