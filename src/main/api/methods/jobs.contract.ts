/**
 * 任务队列: the store's jobs, one at a time (imports, pulls, recomputes and decisions, backups and
 * restores, payout preparation), so a screen shows what runs and what waits its turn. No Node imports.
 */
import { z } from 'zod';
import { method, READERS } from '../define';

export interface QueuedJobView {
  id: string;
  kind: 'import' | 'pull' | 'recompute' | 'decision' | 'backup' | 'restore' | 'payout';
  label: string;
  enqueuedAt: number;
  startedAt: number | null;
  /** 0: running; 1: next; … */
  position: number;
}

export const jobsContract = {
  'jobs.list': method<QueuedJobView[]>()(z.object({}).strict(), READERS),
};
