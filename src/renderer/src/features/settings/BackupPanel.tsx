import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconCircleCheck,
  IconDatabase,
  IconDatabaseExport,
  IconFolderOpen,
  IconHistory,
  IconLock,
  IconRestore,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BackupInfoView,
  BackupResultView,
  RestoreResultView,
} from '../../../../main/api/methods/backup.contract';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { baseName, formatDateTime } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';
import { formatDecimal } from './rule-fields';

export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatDecimal(bytes / 1024, locale)} KB`;
  return `${formatDecimal(bytes / 1024 / 1024, locale)} MB`;
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function BackupResult({ r }: { r: BackupResultView }) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  return (
    <Alert
      color="teal"
      variant="light"
      radius="md"
      icon={<IconCircleCheck size={20} />}
      title={t('backup.result')}
      data-testid="backup-result"
      data-file={baseName(r.file)}
      data-integrity={r.integrity}
    >
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="md" verticalSpacing="sm" mt={4}>
        <Fact label={t('backup.file')}>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} title={r.file}>
            {baseName(r.file)}
          </Text>
        </Fact>
        <Fact label={t('backup.size')}>
          <Text size="sm" className="tabular-nums">
            {formatBytes(r.bytes, locale)}
          </Text>
        </Fact>
        <Fact label={t('backup.integrity')} testId="backup-integrity">
          <Badge color="teal" variant="filled" radius="sm" tt="none">
            {r.integrity}
          </Badge>
        </Fact>
        <Fact label={t('backup.migrations')}>
          <Text size="sm">{r.migrations}</Text>
        </Fact>
        <Fact label={t('backup.auditEntries')}>
          <Text size="sm" className="tabular-nums">
            {t('backup.auditEntriesValue', { count: r.auditEntries })}
          </Text>
        </Fact>
        <Fact label={t('backup.auditHead')} testId="backup-audit-head">
          <Code title={r.auditHead}>{r.auditHead ? `${r.auditHead.slice(0, 12)}…` : '—'}</Code>
        </Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        {t('backup.timing', { copy: Math.round(r.copyMs), verify: Math.round(r.verifyMs) })}
      </Text>
    </Alert>
  );
}

function kindOf(b: BackupInfoView): 'auto' | 'preRestore' | 'manual' {
  if (b.automatic) return 'auto';
  return b.name.startsWith('pre-restore-') ? 'preRestore' : 'manual';
}

function BackupList({
  onRestored,
  canChoose,
}: {
  onRestored(r: RestoreResultView, name: string): void;
  /** the desktop app has a native file dialog (R-OP-1: the bridge never takes a path) */
  canChoose: boolean;
}) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  const canRestore = useCan('backup.restore');
  // a backup (or a restore) appends to the audit log: its refresh lists the folder again
  const list = useApiQuery((api) => api.backup.list(), ['audit_log']);
  // a backup of the folder, or `choose`: one picked in the app's open dialog
  const [restoring, setRestoring] = useState<BackupInfoView | 'choose' | null>(null);
  if (list.error) return <ErrorAlert error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Skeleton h={160} radius="md" />;
  const backups = list.data.backups;
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Title order={3} fz={17}>
          {t('backup.listTitle')}
        </Title>
        <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }} data-testid="backups-dir">
            {t('backup.backupsDir')}: {list.data.dir}
          </Text>
          {canRestore && canChoose && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFolderOpen size={14} />}
              onClick={() => setRestoring('choose')}
              style={{ flexShrink: 0 }}
              data-testid="restore-choose"
            >
              {t('backup.restoreFrom')}
            </Button>
          )}
        </Group>
      </Group>
      {backups.length === 0 ? (
        <Paper withBorder radius="md" p="lg" bg="var(--app-card-bg)" data-testid="backups-empty">
          <Text size="sm" c="dimmed" ta="center">
            {t('backup.empty')}
          </Text>
        </Paper>
      ) : (
        <Table
          withTableBorder
          highlightOnHover
          verticalSpacing={8}
          data-testid="backups-table"
          style={{ background: 'var(--app-card-bg)' }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('backup.name')}</Table.Th>
              <Table.Th>{t('backup.kind')}</Table.Th>
              <Table.Th ta="right">{t('backup.size')}</Table.Th>
              <Table.Th>{t('backup.modifiedAt')}</Table.Th>
              {canRestore && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {backups.map((b) => {
              const kind = kindOf(b);
              return (
                <Table.Tr key={b.name} data-backup={b.name} data-kind={kind}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {b.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      radius="sm"
                      tt="none"
                      color={kind === 'auto' ? 'gray' : kind === 'preRestore' ? 'orange' : 'yunke'}
                    >
                      {t(`backup.kinds.${kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    <Text size="sm">{formatBytes(b.bytes, locale)}</Text>
                  </Table.Td>
                  <Table.Td className="tabular-nums">
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(b.modifiedAt, locale)}
                    </Text>
                  </Table.Td>
                  {canRestore && (
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        color="orange"
                        leftSection={<IconRestore size={14} />}
                        onClick={() => setRestoring(b)}
                        data-testid="backup-restore"
                      >
                        {t('backup.restore')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {canRestore && restoring && (
        <DecisionDialog
          opened
          onClose={() => setRestoring(null)}
          method="backup.restore"
          title={
            restoring === 'choose'
              ? t('backup.restoreFromTitle')
              : t('backup.restoreTitle', { name: restoring.name })
          }
          input={restoring === 'choose' ? { choose: true } : { name: restoring.name }}
          confirmLabel={t('backup.restoreConfirm')}
          confirmColor="orange"
          success={(out) =>
            out ? t('backup.restored', { name: baseName(out.restored) }) : t('backup.restoreCancelled')
          }
          onDone={(out) => out && onRestored(out, baseName(out.restored))}
        >
          <Stack gap={6} data-testid="restore-summary">
            <Text size="sm" fw={500}>
              {t('backup.restoreWhat')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('backup.restoreSteps')}
            </Text>
          </Stack>
        </DecisionDialog>
      )}
    </Stack>
  );
}

/** 数据与备份: the data file in use, backup now (verified), and restore from the backups folder. */
export function BackupPanel() {
  const { t } = useTranslation('settings');
  const info = useAppStore((s) => s.info);
  const canBackup = useCan('backup.create');
  const canList = useCan('backup.list');
  const [result, setResult] = useState<BackupResultView | null>(null);
  const [restored, setRestored] = useState<{ r: RestoreResultView; name: string } | null>(null);
  const backup = useWrite('backup.create', { success: (out) => (out ? t('backup.result') : null) });
  const canChoose = info?.transport === 'ipc';
  const backUp = async (choose: boolean) => {
    const out = await backup.run({ choose });
    if (out) setResult(out);
  };
  if (info?.teamDatabase)
    return (
      <Alert
        color="blue"
        variant="light"
        radius="md"
        icon={<IconDatabase size={20} />}
        title={t('backup.teamTitle')}
        data-testid="backup-team-database"
      >
        <Text size="sm">{t('backup.teamBody')}</Text>
      </Alert>
    );
  return (
    <Stack gap="lg" data-testid="backup-panel">
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="lg">
          <Group gap="md" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            <ThemeIcon variant="light" size={40} radius="md">
              <IconDatabase size={22} />
            </ThemeIcon>
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed" fw={500}>
                {t('backup.storeTitle')}
              </Text>
              <Text
                size="sm"
                fw={600}
                ff="monospace"
                style={{ wordBreak: 'break-all' }}
                data-testid="store-file-path"
              >
                {info?.storeFile ?? '—'}
              </Text>
              {canBackup && (
                <Text size="xs" c="dimmed" maw={640} mt={4}>
                  {t('backup.nowHint')}
                </Text>
              )}
            </Stack>
          </Group>
          {canBackup && (
            <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
              {canChoose && (
                <Button
                  variant="default"
                  leftSection={<IconFolderOpen size={16} />}
                  disabled={backup.pending}
                  onClick={() => void backUp(true)}
                  data-testid="backup-choose"
                >
                  {t('backup.nowTo')}
                </Button>
              )}
              <Button
                leftSection={<IconDatabaseExport size={16} />}
                loading={backup.pending}
                onClick={() => void backUp(false)}
                data-testid="backup-now"
              >
                {t('backup.now')}
              </Button>
            </Group>
          )}
        </Group>
      </Paper>
      {backup.error && <ErrorAlert error={backup.error} />}
      {result && <BackupResult r={result} />}
      {restored && (
        <Alert
          color="orange"
          variant="light"
          radius="md"
          icon={<IconHistory size={20} />}
          title={t('backup.restoredTitle')}
          withCloseButton
          onClose={() => setRestored(null)}
          data-testid="restore-result"
        >
          <Text size="sm">
            {t('backup.restoredBody', {
              name: restored.name,
              aside: baseName(restored.r.keptAside),
              id: restored.r.auditId,
              entries: restored.r.auditEntries,
            })}
          </Text>
        </Alert>
      )}
      {canList ? (
        <BackupList
          canChoose={canChoose}
          onRestored={(r, name) => {
            setResult(null);
            setRestored({ r, name });
          }}
        />
      ) : (
        <Group gap={6} data-testid="backup-admin-only">
          <IconLock size={15} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {t('backup.adminOnly')}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
