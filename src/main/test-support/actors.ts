/** Actors and contract contexts for tests (R-OP-1 roles). */
import type { ApiContext } from '../api/context';
import type { Actor } from '../audit/chain';
import type { Role } from '../store/admin.table';
import type { Store } from '../store/open-store';

export const actor = (operatorId: string, role: Role | 'system' = 'admin'): Actor => ({
  operatorId,
  role,
  name: operatorId,
});

/** A contract context with `who` signed in (null: nobody). */
export function contextFor(
  store: Store,
  who: Actor | null = actor('tester'),
  extra: Partial<ApiContext> = {},
): ApiContext {
  return { store, session: { actor: who }, transport: 'bridge', version: 'test', ...extra };
}
