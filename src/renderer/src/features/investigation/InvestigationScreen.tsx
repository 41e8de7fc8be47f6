import { IconFingerprint } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function InvestigationScreen() {
  return <ComingSoon ns="investigation" icon={IconFingerprint} />;
}
