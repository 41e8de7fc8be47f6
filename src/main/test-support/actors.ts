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

/**
 * A file as the app gets it (issue 12: sync.preview and sync.start take staged files only): sent
 * through staging.begin/chunk/finish; returns the staged path.
 */
export async function stageFile(ctx: ApiContext, file: string): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const { basename } = await import('node:path');
  const { dispatch } = await import('../api/dispatch');
  const bytes = readFileSync(file);
  const ok = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await dispatch(ctx, name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  const { stagingId } = await ok<{ stagingId: string }>('staging.begin', {
    fileName: basename(file),
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += 1024 * 1024)
    await ok('staging.chunk', {
      stagingId,
      offset,
      base64: bytes.subarray(offset, offset + 1024 * 1024).toString('base64'),
    });
  return (await ok<{ path: string }>('staging.finish', { stagingId })).path;
}
