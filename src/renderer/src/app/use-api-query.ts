import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { apiClient, toApiError, type ApiCallError, type YunkeApi } from './api-client';
import { useAppStore } from './app-store';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiCallError | null;
  /** True while a load is in flight (the previous data stays shown meanwhile). */
  loading: boolean;
  /** Time the data was loaded (epoch ms). */
  loadedAt: number | null;
  reload(): void;
}

/**
 * Loads data through the contract and loads it again whenever one of the tables it reads is
 * refreshed (`useAppStore.refresh(tables)`), or on `reload()`. `reads: 'all'` follows every refresh.
 * `key` names the query's inputs (search terms, page, language): a new key loads again.
 */
export function useApiQuery<T>(
  load: (api: YunkeApi) => Promise<T>,
  reads: readonly string[] | 'all',
  key = '',
): QueryState<T> {
  const readsKey = reads === 'all' ? 'all' : reads.join(',');
  const version = useAppStore(
    (s) =>
      `${s.epoch}|` +
      (readsKey === 'all'
        ? String(s.all)
        : readsKey
            .split(',')
            .map((t) => s.versions[t] ?? 0)
            .join(',')),
  );
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<Omit<QueryState<T>, 'reload'>>({
    data: undefined,
    error: null,
    loading: true,
    loadedAt: null,
  });
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let live = true;
    const { beginLoad, endLoad } = useAppStore.getState();
    beginLoad();
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current(apiClient().api)
      .then(
        (data) => live && setState({ data, error: null, loading: false, loadedAt: Date.now() }),
        (e: unknown) => live && setState((s) => ({ ...s, error: toApiError(e), loading: false })),
      )
      .finally(endLoad);
    return () => {
      live = false;
    };
  }, [version, nonce, key]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
