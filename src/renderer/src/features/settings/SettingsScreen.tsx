import { IconAdjustmentsHorizontal } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function SettingsScreen() {
  return <ComingSoon ns="settings" icon={IconAdjustmentsHorizontal} />;
}
