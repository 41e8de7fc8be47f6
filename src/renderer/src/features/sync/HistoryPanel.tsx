import { ActionIcon, Badge, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconHistory } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncImportRecord } from '../../../../main/api/methods/sync.contract';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime } from '../../shared/format';
import { formatDuration } from './format';
import { RejectionsTable } from './RejectionsTable';
import { sourceColor } from './sources';

const PAGE_SIZE = 10;
const REJECTIONS_PAGE = 100;
const STATUS_COLORS: Record<SyncImportRecord['status'], string> = {
  committed: 'teal',
  cancelled: 'gray',
  failed: 'red',
};

function Sha({ sha }: { sha: string | null }) {
  const { t } = useTranslation('sync');
  if (!sha)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label={sha} withArrow fz="xs" ff="monospace">
        <Text span ff="monospace" fz="xs" data-sha={sha}>
          {sha.slice(0, 8)}
        </Text>
      </Tooltip>
      <CopyButton value={sha}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('history.copied') : t('history.copy')} withArrow>
            <ActionIcon
              size="xs"
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={(e) => {
                e.stopPropagation();
                copy();
              }}
              aria-label={t('history.copy')}
            >
              {copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function Rejections({ record, onClose }: { record: SyncImportRecord; onClose: () => void }) {
  const { t } = useTranslation('sync');
  const rejections = useApiQuery(
    (api) => api.sync.rejections({ importId: record.import_id, limit: REJECTIONS_PAGE, offset: 0 }),
    ['import_rejections'],
  );
  const rows = (rejections.data?.rejections ?? []).map((r) => ({
    line: r.line,
    column: r.column_name,
    value: r.value,
    messageZh: r.message_zh,
    messageEn: r.message_en,
  }));
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={<Text fw={650}>{t('rejections.title', { file: record.file_name })}</Text>}
      data-testid="rejections-modal"
    >
      {rejections.error ? (
        <ErrorAlert error={rejections.error} onRetry={rejections.reload} />
      ) : rejections.data && rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="lg">
          {t('rejections.empty')}
        </Text>
      ) : (
        <Stack gap="xs">
          <RejectionsTable rejections={rows} testId="history-rejections" />
          {rejections.data && rejections.data.total > rows.length && (
            <Text fz="xs" c="dimmed">
              {t('result.firstRejections', { shown: rows.length, total: rejections.data.total })}
            </Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}

/** Every import (file, API pull, demo), newest first, paged; a row opens its rejected lines. */
export function HistoryPanel() {
  const { t, i18n } = useTranslation('sync');
  const locale = i18n.language;
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<SyncImportRecord | null>(null);
  const history = useApiQuery(
    (api) => api.sync.history({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ['imports'],
  );
  // The page is part of the query: reload when it changes.
  const [shownPage, setShownPage] = useState(page);
  if (shownPage !== page) {
    setShownPage(page);
    history.reload();
  }

  if (history.error)
    return <ErrorAlert error={history.error} context={t('errors.loadFailed')} onRetry={history.reload} />;
  const n = (v: number) => formatCount(v, locale);
  const count = (v: number, color?: string) => (
    <Text span fz="sm" c={v > 0 ? color : 'dimmed'} className="tabular-nums">
      {n(v)}
    </Text>
  );

  return (
    <>
      <DataTable<SyncImportRecord>
        data-testid="history"
        withTableBorder
        borderRadius="md"
        minHeight={history.data?.total ? undefined : 240}
        verticalSpacing={8}
        horizontalSpacing="xs"
        highlightOnHover
        fetching={history.loading && !history.data}
        records={history.data?.imports ?? []}
        idAccessor="import_id"
        totalRecords={history.data?.total ?? 0}
        recordsPerPage={PAGE_SIZE}
        page={page}
        onPageChange={setPage}
        paginationText={({ from, to, totalRecords }) =>
          t('history.records', { from: n(from), to: n(to), total: n(totalRecords) })
        }
        noRecordsText={t('history.empty')}
        emptyState={
          <Stack align="center" gap={6} py="xl" data-testid="history-empty">
            <IconHistory size={32} stroke={1.4} color="var(--mantine-color-dimmed)" />
            <Text fw={600}>{t('history.empty')}</Text>
            <Text fz="sm" c="dimmed">
              {t('history.emptyHint')}
            </Text>
          </Stack>
        }
        onRowClick={({ record }) => setOpen(record)}
        rowStyle={() => ({ cursor: 'pointer' })}
        customRowAttributes={(r) => ({
          'data-import-id': r.import_id,
          'data-file': r.file_name,
          'data-status': r.status,
          title: t('history.clickForRejections'),
        })}
        columns={[
          {
            accessor: 'started_at',
            title: t('history.time'),
            noWrap: true,
            render: (r) => (
              <Stack gap={0}>
                <Text fz="sm" className="tabular-nums">
                  {formatDateTime(r.started_at, locale)}
                </Text>
                <Text fz="xs" c="dimmed" data-cell="operator">
                  {t('history.by', { operator: r.operator_id })}
                </Text>
              </Stack>
            ),
          },
          {
            accessor: 'file_name',
            title: t('history.file'),
            width: 190,
            render: (r) => (
              <Stack gap={0} style={{ minWidth: 0 }} title={r.file_name}>
                <Text fz="sm" fw={500} truncate="end" maw={176} data-cell="file">
                  {r.file_name}
                </Text>
                <Text fz="xs" c="dimmed">
                  {t(`history.origin.${r.origin}`)}
                </Text>
              </Stack>
            ),
          },
          {
            accessor: 'source',
            title: t('history.source'),
            noWrap: true,
            render: (r) => (
              <Badge
                variant="light"
                radius="sm"
                tt="none"
                color={sourceColor(r.source)}
                data-cell="source"
                styles={{ label: { overflow: 'visible' } }}
              >
                {t(`sources.${r.source}`, { defaultValue: r.source })}
              </Badge>
            ),
          },
          {
            accessor: 'sha256',
            title: t('history.sha256'),
            noWrap: true,
            render: (r) => <Sha sha={r.sha256} />,
          },
          {
            accessor: 'rows_added',
            title: t('result.added'),
            textAlign: 'right',
            render: (r) => <span data-cell="added">{count(r.rows_added, 'teal.7')}</span>,
          },
          {
            accessor: 'rows_updated',
            title: t('result.updated'),
            textAlign: 'right',
            render: (r) => <span data-cell="updated">{count(r.rows_updated, 'yunke.7')}</span>,
          },
          {
            accessor: 'rows_unchanged',
            title: t('result.unchanged'),
            textAlign: 'right',
            render: (r) => <span data-cell="unchanged">{count(r.rows_unchanged)}</span>,
          },
          {
            accessor: 'rows_rejected',
            title: t('result.rejected'),
            textAlign: 'right',
            render: (r) => <span data-cell="rejected">{count(r.rows_rejected, 'red.7')}</span>,
          },
          {
            accessor: 'rows_dangling',
            title: t('result.dangling'),
            textAlign: 'right',
            render: (r) => <span data-cell="dangling">{count(r.rows_dangling, 'orange.7')}</span>,
          },
          {
            accessor: 'duration_ms',
            title: t('history.duration'),
            textAlign: 'right',
            render: (r) => (
              <Text fz="sm" c="dimmed" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatDuration(r.duration_ms, t, locale)}
              </Text>
            ),
          },
          {
            accessor: 'status',
            title: t('history.status'),
            noWrap: true,
            render: (r) => (
              <Badge
                variant="dot"
                color={STATUS_COLORS[r.status]}
                tt="none"
                data-cell="status"
                styles={{ label: { overflow: 'visible' } }}
              >
                {t(`history.statuses.${r.status}`)}
              </Badge>
            ),
          },
        ]}
      />
      {open && <Rejections record={open} onClose={() => setOpen(null)} />}
    </>
  );
}
