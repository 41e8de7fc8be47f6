import { importOrder, sources, type SourceName } from '../../sources';
import { importJobsFor, type ImportJobState } from '../../sync/jobs';
import { listApiSources, listImports, listRejections, saveApiSource } from '../../sync/history';
import { previewFile } from '../../sync/preview';
import { pullSource } from '../../sync/pull';
import type { HandlersOf } from '../contract';
import { ApiError } from '../errors';
import type { SyncJob, syncSourceNames, syncSpec } from './sync.spec';

// The contract's list of sources and the importers' list must be the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSources: Same<(typeof syncSourceNames)[number], SourceName> = true;
void sameSources;

const view = (s: ImportJobState): SyncJob => structuredClone(s) as SyncJob;

export const syncHandlers: HandlersOf<typeof syncSpec> = {
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
  'sync.preview': async (_ctx, input) => {
    try {
      return await previewFile(input.path, input.source, input.rows);
    } catch (e) {
      throw new ApiError(
        'SYNC_FILE_UNREADABLE',
        `无法读取文件 / cannot read the file: ${(e as Error).message}`,
        { path: input.path },
      );
    }
  },
  'sync.start': async (ctx, input) =>
    view(
      importJobsFor(ctx.store).start({
        path: input.path,
        source: input.source,
        skipInvalid: input.skipInvalid,
        operatorId: ctx.operatorId,
        expected: input.fingerprint,
      }),
    ),
  'sync.progress': async (ctx, input) => {
    const s = importJobsFor(ctx.store).get(input.jobId);
    if (!s)
      throw new ApiError('SYNC_NO_SUCH_JOB', `没有这个导入任务 / no import job ${input.jobId}`, {
        jobId: input.jobId,
      });
    return view(s);
  },
  'sync.cancel': async (ctx, input) => ({ cancelled: importJobsFor(ctx.store).cancel(input.jobId) }),
  'sync.jobs': async (ctx) => importJobsFor(ctx.store).list().map(view),
  'sync.history': async (ctx, input) => listImports(ctx.store.db, input),
  'sync.rejections': async (ctx, input) => listRejections(ctx.store.db, input),
  'sync.apiSources.list': async (ctx) => listApiSources(ctx.store.db),
  'sync.apiSources.save': async (ctx, input) =>
    saveApiSource(ctx.store.db, {
      source: input.source,
      baseUrl: input.baseUrl,
      tokenRef: input.tokenEnv ? `env:${input.tokenEnv}` : null,
    }),
  'sync.apiSources.pullNow': async (ctx, input) => {
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
      const env = s.token_ref?.startsWith('env:') ? s.token_ref.slice(4) : null;
      out.push(
        await pullSource(
          ctx.store,
          s.source as (typeof importOrder)[number],
          { url: s.base_url, token: env ? process.env[env] : undefined, tokenRef: s.token_ref },
          { timeoutMs: input.timeoutMs, retries: input.retries, backoffMs: 250 },
          { operatorId: ctx.operatorId },
        ),
      );
    }
    return out;
  },
};
