import { queueFor } from '../../jobs/store-queue';
import type { HandlersOf } from '../handler-types';
import type { jobsContract } from './jobs.contract';

export const jobsHandlers: HandlersOf<typeof jobsContract> = {
  'jobs.list': async (ctx) => queueFor(ctx.store).list(),
};
