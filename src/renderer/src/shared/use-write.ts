import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput, MethodName, MethodOutput } from '../../../main/api/contract';
import { apiClient, toApiError, type ApiCallError } from '../app/api-client';
import { useAppStore } from '../app/app-store';
import { hintValues } from './hint-values';
import { messageIn } from './message-in';

export interface WriteState<K extends MethodName> {
  /** Calls the method; resolves to its output, or null when it failed (the error is shown). */
  run(input: MethodInput<K>): Promise<MethodOutput<K> | null>;
  pending: boolean;
  error: ApiCallError | null;
  reset(): void;
}

/**
 * The one way a screen writes: call the method, then refresh every query reading a table the
 * method `writes` (the contract says which), and tell the operator how it went in their language
 * (a success title of the caller's choosing, or the structured error's translated title).
 */
export function useWrite<K extends MethodName>(
  method: K,
  options: { success?: (out: MethodOutput<K>) => string | null; notify?: boolean } = {},
): WriteState<K> {
  const { t, i18n } = useTranslation('app');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);
  const { success, notify = true } = options;
  const run = useCallback(
    async (input: MethodInput<K>) => {
      const client = apiClient();
      setPending(true);
      setError(null);
      try {
        const out = await client.call(method, input);
        useAppStore.getState().refresh(client.writes(method));
        const title = success?.(out);
        if (notify && title !== null)
          notifications.show({
            color: 'teal',
            title: title ?? t('write.done'),
            message: '',
            autoClose: 4000,
          });
        return out;
      } catch (e) {
        const err = toApiError(e);
        setError(err);
        if (notify) {
          const key = `errors.${err.code}.title`;
          // a known refusal says what to do in the reader's language; another, the core's own words
          const hint = `errors.${err.code}.hint`;
          notifications.show({
            color: 'red',
            title: t(key, { defaultValue: t('errors.fallback.title') }),
            message: i18n.exists(hint, { ns: 'app' })
              ? t(hint, hintValues(err.details))
              : messageIn(i18n.language, err.message),
            autoClose: 8000,
          });
        }
        return null;
      } finally {
        setPending(false);
      }
    },
    [method, notify, success, t, i18n],
  );
  return { run, pending, error, reset: useCallback(() => setError(null), []) };
}
