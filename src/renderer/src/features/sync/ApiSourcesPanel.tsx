import {
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCloudDownload, IconDeviceFloppy, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncApiSource, SyncPullResult } from '../../../../main/api/methods/sync.contract';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { useCan } from '../../shared/use-can';
import { endpointField, tokenEnvField } from '../../../../main/api/fields';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime } from '../../shared/format';
import { formatDuration } from './format';
import { SOURCE_NAMES } from './sources';

const envOkFor = (name: string) => tokenEnvField.safeParse(name).success;

/** The variable name of an `env:NAME` token reference ('' for none or a sealed token). */
const envOf = (ref: string | null | undefined): string => (ref?.startsWith('env:') ? ref.slice(4) : '');

function EditForm({ saved, onSaved }: { saved: SyncApiSource[]; onSaved: () => void }) {
  const { t } = useTranslation('sync');
  const [source, setSource] = useState<string>('partners');
  const current = saved.find((s) => s.source === source);
  const [baseUrl, setBaseUrl] = useState(current?.base_url ?? '');
  const [tokenEnv, setTokenEnv] = useState(envOf(current?.token_ref));
  // Only the desktop app can seal a typed token (safeStorage); elsewhere it is an env variable.
  const canSeal = apiClient().transport === 'ipc';
  const [mode, setMode] = useState<'env' | 'token'>(
    canSeal && current?.token_ref?.startsWith('sealed:') ? 'token' : 'env',
  );
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiCallError | null>(null);
  const [saving, setSaving] = useState(false);
  // the contract's own rule: https, or http to this machine only
  const urlOk = endpointField.safeParse(baseUrl.trim()).success;
  const envOk = tokenEnv.trim() === '' || envOkFor(tokenEnv.trim());

  function pick(v: string) {
    setSource(v);
    const s = saved.find((x) => x.source === v);
    setBaseUrl(s?.base_url ?? '');
    setTokenEnv(envOf(s?.token_ref));
    setToken('');
  }

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const client = apiClient();
      await client.call('sync.apiSources.save', {
        source: source as never,
        baseUrl: baseUrl.trim(),
        ...(mode === 'token' && token
          ? { token }
          : { tokenEnv: mode === 'env' ? tokenEnv.trim() || undefined : undefined }),
      });
      setToken('');
      useAppStore.getState().refresh(client.writes('sync.apiSources.save'));
      notifications.show({ color: 'teal', message: t('api.saved', { source: t(`sources.${source}`) }) });
      onSaved();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap="sm">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          label={t('api.source')}
          w={200}
          allowDeselect={false}
          value={source}
          onChange={(v) => v && pick(v)}
          data={SOURCE_NAMES.map((n) => ({ value: n, label: `${t(`sources.${n}`)} · ${n}` }))}
          data-testid="api-source"
        />
        <TextInput
          label={t('api.baseUrl')}
          placeholder={t('api.baseUrlPlaceholder')}
          style={{ flex: 1, minWidth: 280 }}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.currentTarget.value)}
          error={baseUrl.trim() && !urlOk ? t('api.invalidUrl') : undefined}
          data-testid="api-base-url"
        />
        {canSeal && (
          <SegmentedControl
            mt={25}
            value={mode}
            onChange={(v) => setMode(v as 'env' | 'token')}
            data={[
              { value: 'env', label: t('api.modeEnv') },
              { value: 'token', label: t('api.modeToken') },
            ]}
            data-testid="api-token-mode"
          />
        )}
        {mode === 'token' ? (
          <PasswordInput
            label={t('api.token')}
            w={240}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            data-testid="api-token"
          />
        ) : (
          <TextInput
            label={t('api.tokenEnv')}
            placeholder={t('api.tokenEnvPlaceholder')}
            w={220}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={tokenEnv}
            onChange={(e) => setTokenEnv(e.currentTarget.value)}
            error={!envOk ? t('api.invalidEnv') : undefined}
            data-testid="api-token-env"
          />
        )}
        <Button
          mt={25}
          leftSection={<IconDeviceFloppy size={16} />}
          disabled={!urlOk || (mode === 'env' ? !envOk : !token)}
          loading={saving}
          onClick={() => void save()}
          data-testid="api-save"
        >
          {t('api.save')}
        </Button>
      </Group>
      {mode === 'token' && (
        <Text fz="xs" c="dimmed">
          {t('api.tokenSealedHint')}
        </Text>
      )}
      {error && <ErrorAlert error={error} context={t('errors.saveFailed')} />}
    </Stack>
  );
}

/** API sources: endpoint + token variable per source, pull now, last status and cursor. */
export function ApiSourcesPanel() {
  const { t, i18n } = useTranslation('sync');
  const locale = i18n.language;
  const list = useApiQuery(() => apiClient().call('sync.apiSources.list'), ['api_sources']);
  const [pulling, setPulling] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, SyncPullResult>>({});
  const [pullError, setPullError] = useState<ApiCallError | null>(null);

  async function pull(source?: string) {
    setPulling(source ?? '*');
    setPullError(null);
    try {
      const client = apiClient();
      const out = await client.call('sync.apiSources.pullNow', { source: source as never });
      setResults((r) => ({ ...r, ...Object.fromEntries(out.map((x) => [x.source, x])) }));
      useAppStore.getState().refresh(client.writes('sync.apiSources.pullNow'));
      for (const x of out) {
        const name = t(`sources.${x.source}`);
        notifications.show({
          color: x.status === 'ok' ? 'teal' : 'red',
          message:
            x.status === 'ok'
              ? t('api.pullOk', {
                  source: name,
                  pages: formatCount(x.pages, locale),
                  items: formatCount(x.items, locale),
                  added: formatCount(x.counts.added, locale),
                  updated: formatCount(x.counts.updated, locale),
                  duration: formatDuration(x.durationMs, t, locale),
                })
              : t('api.pullFailed', { source: name, error: x.error ?? '' }),
        });
      }
    } catch (e) {
      setPullError(toApiError(e));
    } finally {
      setPulling(null);
    }
  }

  const saved = list.data ?? [];
  // R-OP-1: admins configure sources; admins and finance pull; support reads
  const canSave = useCan('sync.apiSources.save');
  const canPull = useCan('sync.apiSources.pullNow');
  return (
    <Stack gap="lg" data-testid="api-sources">
      <Paper withBorder radius="md" p="lg" bg="var(--app-card-bg)">
        <Stack gap="sm">
          <Group gap="xs">
            <IconPlugConnected size={18} />
            <Title order={3} fz={16} fw={650}>
              {t('api.title')}
            </Title>
          </Group>
          <Text fz="sm" c="dimmed" maw={860}>
            {t('api.hint')}
          </Text>
          {list.data && canSave && (
            <EditForm
              key={saved.map((s) => s.source + s.base_url).join()}
              saved={saved}
              onSaved={list.reload}
            />
          )}
        </Stack>
      </Paper>

      {pullError && <ErrorAlert error={pullError} context={t('errors.pullFailed')} />}
      {list.error ? (
        <ErrorAlert error={list.error} context={t('errors.apiFailed')} onRetry={list.reload} />
      ) : !list.data ? (
        <Skeleton h={120} radius="md" />
      ) : saved.length === 0 ? (
        <Paper withBorder radius="md" p="xl" ta="center" data-testid="api-empty">
          <Text fw={600}>{t('api.empty')}</Text>
          <Text fz="sm" c="dimmed">
            {t('api.emptyHint')}
          </Text>
        </Paper>
      ) : (
        <Paper withBorder radius="md" bg="var(--app-card-bg)">
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="api-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('api.source')}</Table.Th>
                <Table.Th>{t('api.baseUrl')}</Table.Th>
                <Table.Th>{t('api.tokenEnv')}</Table.Th>
                <Table.Th>{t('api.lastPull')}</Table.Th>
                <Table.Th>{t('api.cursor')}</Table.Th>
                <Table.Th ta="right">
                  {canPull && (
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconCloudDownload size={14} />}
                      loading={pulling === '*'}
                      disabled={pulling !== null}
                      onClick={() => void pull()}
                      data-testid="pull-all"
                    >
                      {t('api.pullAll')}
                    </Button>
                  )}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {saved.map((s) => {
                const r = results[s.source];
                return (
                  <Table.Tr key={s.source} data-source={s.source}>
                    <Table.Td>
                      <Text fz="sm" fw={600}>
                        {t(`sources.${s.source}`, { defaultValue: s.source })}
                      </Text>
                      <Text fz="xs" c="dimmed" ff="monospace">
                        {s.source}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text fz="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {s.base_url}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {s.token_ref?.startsWith('sealed:') ? (
                        <Badge variant="light" color="teal" tt="none" radius="sm">
                          {t('api.tokenSealed')}
                        </Badge>
                      ) : (
                        <Text fz="sm" ff="monospace" c={s.token_ref ? undefined : 'dimmed'}>
                          {envOf(s.token_ref) || '—'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td data-cell="last-pull">
                      {s.last_pull_at ? (
                        <Stack gap={2}>
                          <Group gap={6}>
                            <Badge
                              size="sm"
                              variant="dot"
                              tt="none"
                              color={s.last_status === 'ok' ? 'teal' : 'red'}
                            >
                              {t(`api.statuses.${s.last_status === 'ok' ? 'ok' : 'failed'}`)}
                            </Badge>
                            <Text fz="xs" c="dimmed" className="tabular-nums">
                              {formatDateTime(s.last_pull_at, locale)}
                            </Text>
                          </Group>
                          {s.last_error && (
                            <Text fz="xs" c="var(--mantine-color-red-text)" lineClamp={2}>
                              {s.last_error}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <Text fz="sm" c="dimmed">
                          {t('api.never')}
                        </Text>
                      )}
                      {r && r.status === 'ok' && (
                        <Text fz="xs" c="var(--mantine-color-teal-text)" data-testid="pull-result">
                          {t('api.pullOk', {
                            source: t(`sources.${r.source}`),
                            pages: formatCount(r.pages, locale),
                            items: formatCount(r.items, locale),
                            added: formatCount(r.counts.added, locale),
                            updated: formatCount(r.counts.updated, locale),
                            duration: formatDuration(r.durationMs, t, locale),
                          })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text
                        fz="xs"
                        ff="monospace"
                        c={s.cursor ? undefined : 'dimmed'}
                        lineClamp={1}
                        maw={160}
                      >
                        {s.cursor ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {canPull && (
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconCloudDownload size={14} />}
                          loading={pulling === s.source}
                          disabled={pulling !== null}
                          onClick={() => void pull(s.source)}
                          data-testid="pull-now"
                        >
                          {t('api.pullNow')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
