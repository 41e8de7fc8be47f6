import { contract, type MethodName } from '../../../main/api/contract';
import { useAppStore } from '../app/app-store';

/**
 * May the signed-in operator call `method` (R-OP-1)? The contract's own access list, so a screen
 * shows exactly the actions the dispatcher would allow; the dispatcher still refuses the others.
 */
export function useCan(method: MethodName): boolean {
  const role = useAppStore((s) => s.actor?.role ?? null);
  const access = contract[method].access;
  return access === 'public' || (role !== null && (access as readonly string[]).includes(role));
}
