import { showLockWaitsInQueues } from '../../jobs/lock-waits';
import { queueFor } from '../../jobs/store-queue';
import type { HandlersOf } from '../handler-types';
import type { jobsContract } from './jobs.contract';

// a decision waiting for another desk's write says so in the job list (issue 13)
showLockWaitsInQueues();

export const jobsHandlers: HandlersOf<typeof jobsContract> = {
  'jobs.list': async (ctx) => queueFor(ctx.store).list(),
};
