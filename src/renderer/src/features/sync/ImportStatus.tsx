import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconCircleCheck,
  IconHistory,
  IconPlayerStop,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../shared/format';
import { RejectionsTable } from './RejectionsTable';
import { formatBytes, formatDuration } from './format';
import { useSyncStore, type FileItem } from './sync-store';

/** Rows, rows/s, time left and a cancel button (cancel = rollback in main). */
export function ImportProgress({ item }: { item: FileItem }) {
  const { t, i18n } = useTranslation('sync');
  const locale = i18n.language;
  const cancelImport = useSyncStore((s) => s.cancelImport);
  const job = item.job!;
  const p = job.progress;
  const cancelling = job.status === 'cancelling';
  const percent = p && p.totalBytes > 0 ? (p.bytes / p.totalBytes) * 100 : 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid="import-progress"
      data-status={job.status}
      data-rows={p?.rows ?? 0}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} fz="sm" data-testid="progress-title">
            {cancelling
              ? t('progress.cancelling')
              : job.status === 'recomputing'
                ? t('progress.recomputing')
                : job.status === 'queued'
                  ? t('progress.queued', { ahead: job.queuePosition ?? 0 })
                  : job.waitingFor != null
                    ? job.waitingFor
                      ? t('progress.waitingTeam', { holder: job.waitingFor })
                      : t('progress.waitingTeamOther')
                    : t('progress.title')}
          </Text>
          <Text fz="sm" fw={600} className="tabular-nums">
            {new Intl.NumberFormat(locale, { style: 'percent' }).format(percent / 100)}
          </Text>
        </Group>
        <Progress value={percent} size="lg" striped animated color={cancelling ? 'orange' : undefined} />
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="lg" className="tabular-nums">
            <Text fz="sm" data-testid="progress-rows">
              {t('progress.rows', { rows: formatCount(p?.rows ?? 0, locale) })}
            </Text>
            <Text fz="sm" c="dimmed" data-testid="progress-rate">
              {t('progress.rate', { rate: formatCount(p?.rowsPerSec ?? 0, locale) })}
            </Text>
            <Text fz="sm" c="dimmed" data-testid="progress-eta">
              {p?.etaMs != null
                ? t('progress.eta', { time: formatDuration(p.etaMs, t, locale) })
                : t('progress.etaUnknown')}
            </Text>
            {p && (
              <Text fz="sm" c="dimmed">
                {t('progress.bytes', {
                  done: formatBytes(p.bytes, locale),
                  total: formatBytes(p.totalBytes, locale),
                })}
              </Text>
            )}
          </Group>
          <Button
            color="red"
            variant="light"
            leftSection={<IconPlayerStop size={16} />}
            onClick={() => void cancelImport(item.key)}
            loading={cancelling}
            disabled={job.status !== 'running' && job.status !== 'queued'}
            data-testid="cancel-import"
          >
            {t('progress.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

const COUNT_KEYS = ['added', 'updated', 'unchanged', 'rejected', 'dangling'] as const;
const COUNT_COLORS: Record<(typeof COUNT_KEYS)[number], string | undefined> = {
  added: 'teal.7',
  updated: 'yunke.7',
  unchanged: undefined,
  rejected: 'red.7',
  dangling: 'orange.7',
};

/** The ending of an import: committed (counts), cancelled (rolled back), refused or failed. */
export function ImportResult({ item }: { item: FileItem }) {
  const { t, i18n } = useTranslation('sync');
  const locale = i18n.language;
  const en = locale === 'en';
  const setTab = useSyncStore((s) => s.setTab);
  const startImport = useSyncStore((s) => s.startImport);
  const job = item.job!;
  const result = job.result;
  const status = result?.status ?? 'failed';

  if (status === 'cancelled') {
    return (
      <Alert
        color="gray"
        variant="light"
        icon={<IconArrowBackUp size={20} />}
        title={t('result.cancelled')}
        data-testid="import-result"
        data-status="cancelled"
      >
        {t('result.cancelledBody')}
      </Alert>
    );
  }

  if (status === 'failed' || !result) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertTriangle size={20} />}
        title={t('result.failed')}
        data-testid="import-result"
        data-status="failed"
      >
        <Text fz="sm">{t('result.failedBody')}</Text>
        {job.error && (
          <Text fz="xs" c="dimmed" mt={4}>
            {job.error}
          </Text>
        )}
      </Alert>
    );
  }

  if (status === 'refused') {
    const invalidRows = result.error?.code === 'INVALID_ROWS';
    return (
      <Stack gap="sm" data-testid="import-result" data-status="refused">
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} />} title={t('result.refused')}>
          <Text fz="sm">
            {invalidRows
              ? t('result.refusedBody', { count: formatCount(result.counts.rejected, locale) })
              : result.error
                ? en
                  ? result.error.messageEn
                  : result.error.messageZh
                : t('result.failedBody')}
          </Text>
        </Alert>
        {result.rejections.length > 0 && (
          <>
            <Text fz="sm" fw={600}>
              {t('result.firstRejections', {
                shown: formatCount(result.rejections.length, locale),
                total: formatCount(result.counts.rejected, locale),
              })}
            </Text>
            <Paper withBorder radius="sm">
              <RejectionsTable rejections={result.rejections} testId="result-rejections" />
            </Paper>
          </>
        )}
        {invalidRows && item.staged && (
          <Group justify="flex-end">
            <Button
              color="orange"
              variant="light"
              onClick={() => void startImport(item.key, true)}
              data-testid="import-valid"
            >
              {t('file.importValid')}
            </Button>
          </Group>
        )}
      </Stack>
    );
  }

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid="import-result"
      data-status="committed"
      style={{ borderColor: 'var(--mantine-color-teal-light-color)' }}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <IconCircleCheck size={22} color="var(--mantine-color-teal-6)" />
            <Stack gap={0}>
              <Text fw={650}>{t('result.committed')}</Text>
              <Text fz="xs" c="dimmed">
                {t('result.committedBody', {
                  file: item.name,
                  duration: formatDuration(result.durationMs, t, locale),
                })}
                {result.counts.rejected > 0 &&
                  t('result.skipped', { count: formatCount(result.counts.rejected, locale) })}
              </Text>
            </Stack>
          </Group>
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconHistory size={14} />}
            onClick={() => setTab('history')}
            data-testid="view-history"
          >
            {t('result.viewHistory')}
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="sm">
          {COUNT_KEYS.map((k) => (
            <Stack key={k} gap={0} data-result={k}>
              <Group gap={4} wrap="nowrap">
                <Text fz="xs" c="dimmed">
                  {t(`result.${k}`)}
                </Text>
                {k === 'dangling' && (
                  <Tooltip label={t('result.danglingHint')} multiline w={260} withArrow>
                    <Badge size="xs" variant="outline" color="gray" radius="xl" px={4}>
                      ?
                    </Badge>
                  </Tooltip>
                )}
              </Group>
              <Text
                fz={22}
                fw={650}
                className="tabular-nums"
                c={result.counts[k] ? COUNT_COLORS[k] : undefined}
                data-value
              >
                {formatCount(result.counts[k], locale)}
              </Text>
            </Stack>
          ))}
          <Stack gap={0} data-result="duration">
            <Text fz="xs" c="dimmed">
              {t('result.duration')}
            </Text>
            <Text fz={22} fw={650} className="tabular-nums" data-value>
              {formatDuration(result.durationMs, t, locale)}
            </Text>
          </Stack>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
