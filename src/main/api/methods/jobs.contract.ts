/**
 * 任务队列: the store's jobs, one at a time (imports, pulls, recomputes and decisions, backups and
 * restores, payout preparation), so a screen shows what runs and what waits its turn. No Node imports.
 */
import { z } from 'zod';
import { method, READERS } from '../define';

export interface QueuedJobView {
  id: string;
  /** `write`: a decision of a screen outside any job, shown only while it waits for another desk */
  kind: 'import' | 'pull' | 'recompute' | 'decision' | 'backup' | 'restore' | 'payout' | 'write';
  label: string;
  enqueuedAt: number;
  startedAt: number | null;
  /** 0: running; 1: next; … */
  position: number;
  /**
   * A team database (issue 13): the running job's write waits for another desk's, held by this one
   * (`name · address · pid N`; '' when it cannot be seen); null when it does not wait.
   */
  waitingFor: string | null;
  waitingSince: number | null;
}

export const jobsContract = {
  'jobs.list': method<QueuedJobView[]>()(z.object({}).strict(), READERS),
};
