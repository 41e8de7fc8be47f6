import { IconDatabaseImport } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function SyncScreen() {
  return <ComingSoon ns="sync" icon={IconDatabaseImport} />;
}
