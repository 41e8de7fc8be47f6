import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { formatCount } from '../../shared/format';

interface RecomputeState {
  running: boolean;
  error: ApiCallError | null;
}

/**
 * One recompute at a time for the whole window: the lookup header and the dashboard share this
 * state, so both buttons show it running, whichever started it.
 */
const useRecomputeStore = create<RecomputeState>()(() => ({ running: false, error: null }));

export interface Recompute extends RecomputeState {
  run(): Promise<void>;
  dismissError(): void;
}

/**
 * engine.recompute (full run, as of now), then refresh() of the tables it writes so every screen
 * showing results loads them again (R-RECALC-1).
 */
export function useRecompute(): Recompute {
  const { t, i18n } = useTranslation('lookup');
  const state = useRecomputeStore();
  const refresh = useAppStore((s) => s.refresh);
  return {
    ...state,
    async run() {
      if (useRecomputeStore.getState().running) return;
      useRecomputeStore.setState({ running: true, error: null });
      const client = apiClient();
      try {
        const run = await client.api.engine.recompute({});
        const stats = run.stats as { orders?: number; validOrders?: number };
        notifications.show({
          color: 'teal',
          title: t('recompute.done'),
          message: t('recompute.doneBody', {
            orders: formatCount(stats.orders ?? 0, i18n.language),
            valid: formatCount(stats.validOrders ?? 0, i18n.language),
            seconds: (run.durationMs / 1000).toFixed(1),
          }),
        });
        refresh(client.writes('engine.recompute'));
        useRecomputeStore.setState({ running: false });
      } catch (e) {
        useRecomputeStore.setState({ running: false, error: toApiError(e) });
      }
    },
    dismissError: () => useRecomputeStore.setState({ error: null }),
  };
}
