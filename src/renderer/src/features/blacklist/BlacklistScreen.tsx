import { IconBan } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function BlacklistScreen() {
  return <ComingSoon ns="blacklist" icon={IconBan} />;
}
