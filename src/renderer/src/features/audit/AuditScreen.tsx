import { IconHistory } from '@tabler/icons-react';
import { ComingSoon } from '../../shared/ComingSoon';

/** Placeholder until its issue lands. */
export function AuditScreen() {
  return <ComingSoon ns="audit" icon={IconHistory} />;
}
