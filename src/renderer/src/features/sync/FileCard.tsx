import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Grid,
  Group,
  Loader,
  Paper,
  Progress,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconCheck,
  IconFileSpreadsheet,
  IconInfoCircle,
  IconPlayerPlay,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SyncPreview, SyncSourceInfo } from '../../../../main/api/methods/sync.contract';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount } from '../../shared/format';
import { formatBytes, pickLanguage } from './format';
import { ImportProgress, ImportResult } from './ImportStatus';
import { RejectionsTable } from './RejectionsTable';
import { SOURCE_NAMES } from './sources';
import { useSyncStore, type FileItem } from './sync-store';

const PREVIEW_ROWS_SHOWN = 8;
const ENCODINGS: Record<string, string> = { utf8: 'UTF-8', gb18030: 'GBK / GB18030' };

function MappingTable({ preview, info }: { preview: SyncPreview; info: SyncSourceInfo | undefined }) {
  const { t } = useTranslation('sync');
  const required = new Set(info?.columns.filter((c) => c.required).map((c) => c.name));
  return (
    <Table verticalSpacing={5} fz="sm" data-testid="mapping">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('file.header')}</Table.Th>
          <Table.Th w={24} />
          <Table.Th>{t('file.column')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {preview.mapping.map((m) => (
          <Table.Tr
            key={m.header}
            data-header={m.header}
            data-column={m.column ?? ''}
            data-kind={m.column ? 'mapped' : 'extra'}
            bg={m.column ? undefined : 'var(--mantine-color-orange-light)'}
          >
            <Table.Td>{m.header}</Table.Td>
            <Table.Td c="dimmed">
              <IconArrowRight size={14} />
            </Table.Td>
            <Table.Td>
              {m.column ? (
                <Group gap={6} wrap="nowrap">
                  <Text span ff="monospace" fz="xs">
                    {m.column}
                  </Text>
                  {required.has(m.column) && (
                    <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
                      {t('file.required')}
                    </Badge>
                  )}
                </Group>
              ) : (
                <Text span fz="xs" c="var(--mantine-color-orange-text)">
                  {t('file.extra')}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
        {preview.missing.map((c) => (
          <Table.Tr
            key={`missing-${c}`}
            data-kind="missing"
            data-column={c}
            bg="var(--mantine-color-red-light)"
          >
            <Table.Td>
              <Text span fz="xs" c="var(--mantine-color-red-text)" fw={600}>
                {t('file.missing')}
              </Text>
            </Table.Td>
            <Table.Td c="dimmed">
              <IconArrowRight size={14} />
            </Table.Td>
            <Table.Td>
              <Text span ff="monospace" fz="xs" c="var(--mantine-color-red-text)">
                {c}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PreviewRows({ preview }: { preview: SyncPreview }) {
  const { t } = useTranslation('sync');
  const columns = preview.mapping.flatMap((m) => (m.column ? [m.column] : []));
  const bad = new Set(preview.rejections.map((r) => `${r.line}:${r.column ?? ''}`));
  const badLines = new Set(preview.rejections.map((r) => r.line));
  const rows = preview.rows.slice(0, PREVIEW_ROWS_SHOWN);
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table
        verticalSpacing={5}
        fz="xs"
        withColumnBorders
        data-testid="preview-rows"
        className="tabular-nums"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56} style={{ whiteSpace: 'nowrap' }}>
              {t('file.line')}
            </Table.Th>
            {columns.map((c) => (
              <Table.Th key={c} style={{ whiteSpace: 'nowrap' }} ff="monospace" fw={600}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.line} data-line={r.line} data-invalid={badLines.has(r.line) || undefined}>
              <Table.Td
                c={badLines.has(r.line) ? 'var(--mantine-color-red-text)' : 'dimmed'}
                fw={badLines.has(r.line) ? 600 : 400}
              >
                {r.line}
              </Table.Td>
              {columns.map((c) => (
                <Table.Td
                  key={c}
                  style={{
                    whiteSpace: 'nowrap',
                    maxWidth: 220,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                  }}
                  bg={bad.has(`${r.line}:${c}`) ? 'var(--mantine-color-red-light)' : undefined}
                  c={bad.has(`${r.line}:${c}`) ? 'var(--mantine-color-red-text)' : undefined}
                >
                  {r.values[c] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function SectionLabel({ children, extra }: { children: string; extra?: string }) {
  return (
    <Group gap={8} align="baseline" mb={6}>
      <Text fw={600} fz="sm">
        {children}
      </Text>
      {extra && (
        <Text fz="xs" c="dimmed">
          {extra}
        </Text>
      )}
    </Group>
  );
}

function PreviewBody({ item, sources }: { item: FileItem; sources: SyncSourceInfo[] }) {
  const { t, i18n } = useTranslation('sync');
  const { t: tApp } = useTranslation('app');
  const locale = i18n.language;
  const chooseSource = useSyncStore((s) => s.chooseSource);
  const startImport = useSyncStore((s) => s.startImport);
  const remove = useSyncStore((s) => s.remove);
  const preview = item.preview!;
  const source = preview.source;
  const info = sources.find((s) => s.name === source);
  // the list holds the first 100 problems; the count is of every previewed line
  const invalidLines = preview.rejectionLines;
  const blocked = preview.fileError !== null || !source;
  const busy = item.phase !== 'ready';
  const fileErrorText = preview.fileError ? pickLanguage(preview.fileError.message, locale) : null;

  return (
    <Stack gap="md">
      <Group gap="lg" align="flex-end" wrap="wrap">
        <Select
          label={t('file.source')}
          data-testid="source-select"
          w={240}
          allowDeselect={false}
          value={source}
          placeholder={t('file.sourceUnknown')}
          onChange={(v) => v && chooseSource(item.key, v)}
          disabled={busy}
          data={SOURCE_NAMES.map((name) => ({ value: name, label: `${t(`sources.${name}`)} · ${name}` }))}
          comboboxProps={{ withinPortal: true }}
        />
        <Stack gap={4} pb={6}>
          <Badge
            variant="light"
            radius="sm"
            tt="none"
            color={item.chosenSource ? 'grape' : source ? 'teal' : 'orange'}
            data-testid="source-origin"
            leftSection={item.chosenSource ? undefined : <IconCheck size={12} />}
          >
            {item.chosenSource
              ? t('file.sourceOverridden')
              : source
                ? t('file.sourceDetected')
                : t('file.sourceUnknown')}
          </Badge>
        </Stack>
        <Group gap="lg" pb={6} ml="auto">
          <Meta label={t('file.format')} value={preview.format.toUpperCase()} testId="format" />
          <Meta
            label={t('file.encoding')}
            value={
              preview.encoding
                ? (ENCODINGS[preview.encoding] ?? preview.encoding.toUpperCase())
                : tApp('common.none')
            }
            testId="encoding"
          />
          <Meta label={t('file.size')} value={formatBytes(item.size, locale)} />
          {item.staged && (
            <Tooltip label={item.staged.sha256} withArrow>
              <Box>
                <Meta label={t('file.sha256')} value={item.staged.sha256.slice(0, 12)} mono />
              </Box>
            </Tooltip>
          )}
        </Group>
      </Group>

      {preview.fileError && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={t('file.fileError')}
          data-testid="file-error"
          data-error-code={preview.fileError.code}
        >
          {fileErrorText}
        </Alert>
      )}

      {preview.mapping.length > 0 && (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <SectionLabel>{t('file.mapping')}</SectionLabel>
            <MappingTable preview={preview} info={info} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 8 }} style={{ minWidth: 0 }}>
            <SectionLabel
              extra={t('file.previewRowsHint', {
                shown: Math.min(PREVIEW_ROWS_SHOWN, preview.rows.length),
                checked: formatCount(preview.rows.length + invalidRowsWithoutValues(preview), locale),
              })}
            >
              {t('file.previewRows')}
            </SectionLabel>
            <PreviewRows preview={preview} />
          </Grid.Col>
        </Grid>
      )}

      {preview.rejections.length > 0 ? (
        <Box>
          <Group gap={8} mb={6}>
            <ThemeIcon size={20} radius="xl" color="red" variant="light">
              <IconAlertTriangle size={12} />
            </ThemeIcon>
            <Text fw={600} fz="sm">
              {t('file.errors')}
            </Text>
            <Text fz="xs" c="var(--mantine-color-red-text)" data-testid="errors-count">
              {t('file.errorsHint', { count: invalidLines })}
            </Text>
          </Group>
          <Paper withBorder radius="sm">
            <RejectionsTable rejections={preview.rejections} testId="preview-errors" />
          </Paper>
        </Box>
      ) : (
        !preview.fileError && (
          <Group gap={6} c="var(--mantine-color-teal-text)" data-testid="no-errors">
            <IconCheck size={16} />
            <Text fz="sm">{t('file.noErrors', { count: preview.rows.length })}</Text>
          </Group>
        )
      )}

      {item.error && item.errorStep === 'import' && (
        <ErrorAlert error={item.error} context={t('errors.importFailed')} />
      )}

      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap={6} c="dimmed">
          <IconInfoCircle size={15} />
          <Text fz="xs" c="dimmed" data-testid="nothing-written">
            {preview.rejections.length > 0 && !blocked
              ? t('file.importsValidOnly')
              : t('file.nothingWritten')}
          </Text>
        </Group>
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() => remove(item.key)}
            data-testid="cancel-file"
            disabled={busy}
          >
            {t('file.cancel')}
          </Button>
          {preview.rejections.length > 0 && !blocked && (
            <Tooltip label={t('file.importValidHint')} withArrow>
              <Button
                color="orange"
                variant="light"
                onClick={() => void startImport(item.key, true)}
                loading={item.phase === 'starting'}
                disabled={busy}
                data-testid="import-valid"
              >
                {t('file.importValid')}
              </Button>
            </Tooltip>
          )}
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            onClick={() => void startImport(item.key, false)}
            disabled={busy || blocked || preview.rejections.length > 0}
            loading={item.phase === 'starting'}
            data-testid="import"
          >
            {t('file.import')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** Lines the reader could not even split into cells are rejected without a row of values. */
function invalidRowsWithoutValues(preview: SyncPreview): number {
  const withValues = new Set(preview.rows.map((r) => r.line));
  return new Set(preview.rejections.filter((r) => !withValues.has(r.line)).map((r) => r.line)).size;
}

function Meta({
  label,
  value,
  testId,
  mono,
}: {
  label: string;
  value: string;
  testId?: string;
  mono?: boolean;
}) {
  return (
    <Stack gap={0}>
      <Text fz={11} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text fz="sm" fw={600} ff={mono ? 'monospace' : undefined} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** One dropped file: upload, preview and checks, then its import. */
export function FileCard({ item, sources }: { item: FileItem; sources: SyncSourceInfo[] }) {
  const { t, i18n } = useTranslation('sync');
  const locale = i18n.language;
  const remove = useSyncStore((s) => s.remove);
  const percent = item.size > 0 ? (item.sent / item.size) * 100 : 100;
  const canRemove = item.phase !== 'importing' && item.phase !== 'starting';
  const source = item.preview?.source ?? item.job?.source ?? null;

  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      bg="var(--app-card-bg)"
      data-testid="sync-file"
      data-file={item.name}
      data-phase={item.phase}
      data-source={source ?? ''}
    >
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <ThemeIcon size={38} radius="md" variant="light">
              <IconFileSpreadsheet size={21} stroke={1.7} />
            </ThemeIcon>
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text fw={650} truncate data-testid="file-name">
                {item.name}
              </Text>
              <Text fz="xs" c="dimmed">
                {formatBytes(item.size, locale)}
                {source ? ` · ${t(`sources.${source}`)} (${source})` : ''}
              </Text>
            </Stack>
          </Group>
          {canRemove && (
            <Tooltip label={t('file.remove')} withArrow>
              <ActionIcon
                variant="subtle"
                color="gray"
                onClick={() => remove(item.key)}
                aria-label={t('file.remove')}
                data-testid="remove-file"
              >
                <IconX size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>

        {item.phase === 'uploading' && (
          <Stack gap={6} data-testid="upload-progress">
            <Progress value={percent} size="sm" animated />
            <Text fz="xs" c="dimmed" className="tabular-nums">
              {t('file.uploading', {
                percent: new Intl.NumberFormat(locale, { style: 'percent' }).format(percent / 100),
              })}{' '}
              · {formatBytes(item.sent, locale)} / {formatBytes(item.size, locale)}
            </Text>
          </Stack>
        )}

        {item.phase === 'previewing' && (
          <Group gap="sm" data-testid="previewing">
            <Loader size="xs" />
            <Text fz="sm" c="dimmed">
              {t('file.previewing')}
            </Text>
          </Group>
        )}

        {item.error && item.errorStep !== 'import' && (
          <ErrorAlert
            error={item.error}
            context={
              t(item.errorStep === 'upload' ? 'errors.uploadFailed' : 'errors.previewFailed') +
              (i18n.exists(`errors.${item.error.code}`, { ns: 'sync' })
                ? t('errors.separator') + t(`errors.${item.error.code}`)
                : '')
            }
          />
        )}

        {item.preview &&
          (item.phase === 'ready' || item.phase === 'starting' || item.phase === 'previewing') && (
            <PreviewBody item={item} sources={sources} />
          )}

        {(item.phase === 'importing' || item.phase === 'finished') && item.job && (
          <>
            {item.job.result || item.job.status === 'failed' ? (
              <ImportResult item={item} />
            ) : (
              <ImportProgress item={item} />
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
