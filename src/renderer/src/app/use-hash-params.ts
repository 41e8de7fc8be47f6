import { useCallback } from 'react';
import { redirect, useHashLocation, type HashParams } from './router';

/**
 * A screen's view state in the hash URL (`#/audit?operator=ADM1&page=3`), so any view can be
 * linked, reloaded or shared. `update` changes some params and keeps the others; an empty value
 * removes its param.
 */
export function useHashParams(): [URLSearchParams, (changes: HashParams) => void, string] {
  const location = useHashLocation();
  const update = useCallback(
    (changes: HashParams) => {
      const next: HashParams = Object.fromEntries(location.params.entries());
      for (const [k, v] of Object.entries(changes)) next[k] = v ?? null;
      redirect(location.path, next);
    },
    [location],
  );
  return [location.params, update, location.path];
}

/** A positive page number from the hash (1 when absent or unreadable). */
export function pageParam(params: URLSearchParams, name = 'page'): number {
  const n = Number(params.get(name));
  return Number.isInteger(n) && n > 1 ? n : 1;
}
