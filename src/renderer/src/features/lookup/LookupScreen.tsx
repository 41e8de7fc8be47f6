import { IconSearch } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function LookupScreen() {
  return <ComingSoon ns="lookup" icon={IconSearch} />;
}
