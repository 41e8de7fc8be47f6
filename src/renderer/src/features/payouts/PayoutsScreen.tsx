import { IconCashBanknote } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function PayoutsScreen() {
  return <ComingSoon ns="payouts" icon={IconCashBanknote} />;
}
