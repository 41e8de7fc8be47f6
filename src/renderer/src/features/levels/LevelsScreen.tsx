import { IconAward } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function LevelsScreen() {
  return <ComingSoon ns="levels" icon={IconAward} />;
}
