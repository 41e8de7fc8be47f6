import { DISPUTE_STATUSES, type DisputeStatus } from '../../../../main/api/methods/disputes.contract';

/** The status filter: one status, or every case; `open` (the queue) when absent. */
export type StatusFilter = DisputeStatus | 'all';
export const STATUS_FILTERS: readonly StatusFilter[] = [...DISPUTE_STATUSES, 'all'];

/** The queue's filters as they sit in the hash (`#/disputes?status=upheld&partner=P1`). */
export interface DisputeFilters {
  status: StatusFilter;
  partner: string | null;
  customer: string | null;
}

export function readFilters(params: URLSearchParams): DisputeFilters {
  const status = params.get('status');
  const text = (k: string) => params.get(k)?.trim() || null;
  return {
    status: STATUS_FILTERS.includes(status as StatusFilter) ? (status as StatusFilter) : 'open',
    partner: text('partner'),
    customer: text('customer'),
  };
}

/** Filters besides the status. */
export const hasFilters = (f: DisputeFilters) => f.partner !== null || f.customer !== null;
