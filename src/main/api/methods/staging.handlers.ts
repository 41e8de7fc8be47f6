import { stagingFor } from '../../sync/staging';
import type { HandlersOf } from '../handler-types';
import { ApiError } from '../errors';
import type { stagingContract } from './staging.contract';
import { syncHandlers } from './sync.handlers';

export const stagingHandlers: HandlersOf<typeof stagingContract> = {
  'staging.begin': async (ctx, input) => stagingFor(ctx.store.file).begin(input),
  'staging.chunk': async (ctx, input) => stagingFor(ctx.store.file).chunk(input),
  'staging.finish': async (ctx, input) => stagingFor(ctx.store.file).finish(input),
  'staging.discard': async (ctx, input) => {
    const area = stagingFor(ctx.store.file);
    const path = area.pathOf(input.stagingId);
    // Asked through sync.jobs, so the job list is created the way the sync handlers configure it.
    const busy = (await syncHandlers['sync.jobs'](ctx, {})).some(
      (j) =>
        j.file === path &&
        (j.status === 'running' || j.status === 'cancelling' || j.status === 'recomputing'),
    );
    if (path && busy)
      throw new ApiError(
        'STAGING_IN_USE',
        '该文件正在导入，导入结束后才能删除 / the file is being imported; discard it when the import has ended',
        { stagingId: input.stagingId },
      );
    return area.discard(input);
  },
};
