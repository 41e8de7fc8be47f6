import type { Generated, Selectable } from 'kysely';

/**
 * 争议 (R-DISP-1): `open` until an admin decides; `upheld` grants the claimant a manual
 * attribution from `manual_from` (R-DISP-2); `revoked` withdraws a granted one (it then grants
 * nothing, whatever the as-of); `rejected` changes nothing.
 */
export type DisputeStatus = 'open' | 'upheld' | 'rejected' | 'revoked';

export interface DisputesTable {
  dispute_id: Generated<number>;
  partner_id: string;
  customer_id: string;
  order_id: string | null;
  claim: string;
  /** the instant the partner says the customer came to them */
  claimed_at: number;
  opened_by: string;
  opened_at: number;
  status: Generated<DisputeStatus>;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  /** upheld (and revoked): the manual attribution's start, by default the instant claimed */
  manual_from: number | null;
  revoked_by: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
}

export type DisputeRow = Selectable<DisputesTable>;
