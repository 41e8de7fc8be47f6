import '@mantine/dropzone/styles.css';
import 'mantine-datatable/styles.css';
import { Alert, Badge, Button, Group, Stack, Tabs, Text, ThemeIcon } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import {
  IconCloudDownload,
  IconFileImport,
  IconFiles,
  IconHistory,
  IconLock,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../shared/use-can';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { PageHeader } from '../../shared/PageHeader';
import { ApiSourcesPanel } from './ApiSourcesPanel';
import { FileCard } from './FileCard';
import { HistoryPanel } from './HistoryPanel';
import { useSyncStore, type SyncTab } from './sync-store';

/** What the file dialog offers; main detects the real format (and refuses binaries) anyway. */
const ACCEPT = {
  'text/csv': ['.csv'],
  'application/vnd.ms-excel': ['.csv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/x-ndjson': ['.jsonl', '.ndjson'],
  'application/jsonl': ['.jsonl'],
  'text/plain': ['.txt', '.jsonl'],
};

function DropArea() {
  const { t } = useTranslation('sync');
  const addFiles = useSyncStore((s) => s.addFiles);
  const openRef = useRef<() => void>(null);
  return (
    <Dropzone
      openRef={openRef}
      onDrop={(files) => addFiles(files)}
      onReject={(rejections) =>
        notifications.show({
          color: 'red',
          message: t('drop.reject', { names: rejections.map((r) => r.file.name).join('、') }),
        })
      }
      accept={ACCEPT}
      multiple
      activateOnClick={false}
      radius="md"
      p="xl"
      data-testid="dropzone"
      inputProps={{ 'data-testid': 'dropzone-input' } as React.InputHTMLAttributes<HTMLInputElement>}
      style={{ borderWidth: 2, background: 'var(--app-card-bg)' }}
    >
      <Group justify="center" gap="xl" mih={140} style={{ pointerEvents: 'none' }} wrap="nowrap">
        <Dropzone.Accept>
          <ThemeIcon size={64} radius="xl" variant="light" color="yunke">
            <IconUpload size={32} stroke={1.5} />
          </ThemeIcon>
        </Dropzone.Accept>
        <Dropzone.Reject>
          <ThemeIcon size={64} radius="xl" variant="light" color="red">
            <IconX size={32} stroke={1.5} />
          </ThemeIcon>
        </Dropzone.Reject>
        <Dropzone.Idle>
          <ThemeIcon size={64} radius="xl" variant="light">
            <IconFileImport size={32} stroke={1.5} />
          </ThemeIcon>
        </Dropzone.Idle>
        <Stack gap={6} maw={620}>
          <Text fz="lg" fw={650}>
            {t('drop.title')}
          </Text>
          <Text fz="sm" c="dimmed">
            {t('drop.hint')}
          </Text>
          <Group gap={6} mt={4}>
            {['CSV', 'XLSX', 'JSONL', 'UTF-8', 'GBK'].map((f) => (
              <Badge key={f} variant="default" radius="sm" size="sm" fw={600}>
                {f}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Button
          style={{ pointerEvents: 'all', flexShrink: 0 }}
          leftSection={<IconFiles size={16} />}
          onClick={() => openRef.current?.()}
          data-testid="choose-files"
        >
          {t('drop.choose')}
        </Button>
      </Group>
    </Dropzone>
  );
}

function FilesTab() {
  const { t } = useTranslation('sync');
  const items = useSyncStore((s) => s.items);
  const sources = useApiQuery((api) => api.sync.sources(), []);
  // R-OP-1: imports are for admins and finance; support reads the history
  if (!useCan('sync.start'))
    return (
      <Alert color="gray" variant="light" icon={<IconLock size={18} />} data-testid="sync-read-only">
        {t('readOnly')}
      </Alert>
    );
  return (
    <Stack gap="lg">
      <DropArea />
      {sources.error && <ErrorAlert error={sources.error} onRetry={sources.reload} />}
      {items.map((item) => (
        <FileCard key={item.key} item={item} sources={sources.data ?? []} />
      ))}
    </Stack>
  );
}

/** 数据同步: file imports with preview and checks, import history, API sources. */
export function SyncScreen() {
  const { t } = useTranslation('sync');
  const tab = useSyncStore((s) => s.tab);
  const setTab = useSyncStore((s) => s.setTab);
  const running = useSyncStore((s) => s.items.filter((i) => i.phase === 'importing').length);
  const adoptRunningJobs = useSyncStore((s) => s.adoptRunningJobs);
  useEffect(() => {
    void adoptRunningJobs();
  }, [adoptRunningJobs]);
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      <Tabs
        value={tab}
        onChange={(v) => v && setTab(v as SyncTab)}
        keepMounted={false}
        data-testid="sync-tabs"
      >
        <Tabs.List mb="lg">
          <Tabs.Tab
            value="files"
            leftSection={<IconFileImport size={16} />}
            rightSection={
              running > 0 ? (
                <Badge size="xs" circle>
                  {running}
                </Badge>
              ) : undefined
            }
            data-testid="tab-files"
          >
            {t('tabs.files')}
          </Tabs.Tab>
          <Tabs.Tab value="history" leftSection={<IconHistory size={16} />} data-testid="tab-history">
            {t('tabs.history')}
          </Tabs.Tab>
          <Tabs.Tab value="api" leftSection={<IconCloudDownload size={16} />} data-testid="tab-api">
            {t('tabs.api')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="files">
          <FilesTab />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <HistoryPanel />
        </Tabs.Panel>
        <Tabs.Panel value="api">
          <ApiSourcesPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
