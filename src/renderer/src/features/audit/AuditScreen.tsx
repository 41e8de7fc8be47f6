import { Button, Group, Menu, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChevronRight,
  IconDownload,
  IconFileSpreadsheet,
  IconJson,
  IconLinkOff,
} from '@tabler/icons-react';
import { Drawer } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../../main/api/methods/audit.contract';
import { apiClient, toApiError } from '../../app/api-client';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { formatCount, formatDateTime } from '../../shared/format';
import { PageHeader } from '../../shared/PageHeader';
import { ServerTable } from '../../shared/ServerTable';
import { RoleBadge } from '../session/SessionGate';
import { AuditFiltersBar } from './AuditFilters';
import { ChainBadge, ChainBrokenAlert } from './ChainStatus';
import { ActionLabel, EntityLabel, EntryDetail } from './EntryDetail';
import { filterInput, hasFilters, readFilters, type AuditFilters, type AuditRole } from './params';

const PAGE_SIZE = 25;

/** Saves text as a file in the browser (the bridge) or the app's renderer alike. */
function download(fileName: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportMenu({ filters }: { filters: AuditFilters }) {
  const { t } = useTranslation('audit');
  const [busy, setBusy] = useState(false);
  async function run(format: 'csv' | 'jsonl') {
    setBusy(true);
    try {
      const out = await apiClient().api.audit.export({ ...filterInput(filters), format });
      download(
        out.fileName,
        out.content,
        format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson',
      );
      notifications.show({
        color: 'teal',
        title: t('export.done', { count: out.entries, file: out.fileName }),
        message: '',
        autoClose: 4000,
      });
    } catch (e) {
      notifications.show({ color: 'red', title: t('export.failed'), message: toApiError(e).message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} />}
          loading={busy}
          data-testid="audit-export"
        >
          {t('export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('export.hint')}</Menu.Label>
        <Menu.Item
          leftSection={<IconFileSpreadsheet size={16} />}
          onClick={() => void run('csv')}
          data-testid="audit-export-csv"
        >
          {t('export.csv')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconJson size={16} />}
          onClick={() => void run('jsonl')}
          data-testid="audit-export-jsonl"
        >
          {t('export.jsonl')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** 操作日志: the decision trail (R-OP-2), filtered and paged in the store, with the chain's verdict. */
export function AuditScreen() {
  const { t, i18n } = useTranslation('audit');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const filters = readFilters(params);
  const entryId = Number(params.get('entry')) || null;
  const verdict = useApiQuery((api) => api.audit.verify(), ['audit_log']);
  const broken = verdict.data?.broken ?? null;
  const brokenId = broken && broken.problem !== 'head' ? broken.auditId : null;
  // the rows of the page shown, so an entry opens without another call
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  // the store counts at most 10,000 matches (a huge log stays fast): say so
  const [lowerBound, setLowerBound] = useState<number | null>(null);
  const [shown, setShown] = useState<AuditEntryView | null>(null);
  const selected = rows.find((r) => r.audit_id === entryId) ?? null;
  if (selected && selected !== shown) setShown(selected);

  const setFilters = (changes: Partial<AuditFilters>) =>
    update({ ...changes, page: null, entry: null } as Record<string, string | null>);

  // R-OP-2: take the reader to the first broken entry: oldest first, the page holding it
  const showBroken = () => {
    if (brokenId === null) return;
    update({
      operator: null,
      role: null,
      action: null,
      entity: null,
      from: null,
      to: null,
      sort: 'audit_id',
      dir: 'asc',
      page: String(Math.max(1, Math.ceil(brokenId / PAGE_SIZE))),
      entry: String(brokenId),
    });
  };

  const columns: DataTableColumn<AuditEntryView>[] = [
    {
      accessor: 'audit_id',
      title: t('table.id'),
      sortable: true,
      width: 70,
      render: (r) =>
        r.audit_id === brokenId ? (
          <Group gap={4} wrap="nowrap">
            <Text size="sm" fw={700} className="tabular-nums" c="red">
              {r.audit_id}
            </Text>
            <IconLinkOff size={14} color="var(--mantine-color-red-6)" />
          </Group>
        ) : (
          <Text size="sm" fw={600} className="tabular-nums">
            {r.audit_id}
          </Text>
        ),
    },
    {
      accessor: 'recorded_at',
      title: t('table.recordedAt'),
      width: 150,
      render: (r) => (
        <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }} data-col="recorded-at">
          {formatDateTime(r.recorded_at, locale)}
        </Text>
      ),
    },
    {
      accessor: 'effective_at',
      title: t('table.effectiveAt'),
      width: 150,
      render: (r) =>
        Math.abs(r.effective_at - r.recorded_at) < 1000 ? (
          <Text size="xs" c="dimmed" data-col="effective-at">
            {t('table.sameTime')}
          </Text>
        ) : (
          <Text
            size="sm"
            className="tabular-nums"
            style={{ whiteSpace: 'nowrap' }}
            fw={500}
            data-col="effective-at"
          >
            {formatDateTime(r.effective_at, locale)}
          </Text>
        ),
    },
    {
      accessor: 'operator_id',
      title: t('table.operator'),
      width: 150,
      render: (r) => (
        <Stack gap={3} align="flex-start" data-col="operator">
          <Text size="sm" truncate maw={140} title={r.operator_id}>
            {r.operator_id}
          </Text>
          <RoleBadge role={r.role as AuditRole} />
        </Stack>
      ),
    },
    {
      accessor: 'action',
      title: t('table.action'),
      render: (r) => (
        <div data-col="action">
          <ActionLabel action={r.action} />
        </div>
      ),
    },
    {
      accessor: 'entity',
      title: t('table.entity'),
      width: 170,
      render: (r) => (
        <div data-col="entity">
          <EntityLabel entry={r} />
        </div>
      ),
    },
    {
      accessor: 'reason',
      title: t('table.reason'),
      width: '22%',
      render: (r) => (
        <Text size="sm" lineClamp={2} c={r.reason ? undefined : 'dimmed'} data-col="reason">
          {r.reason ?? t('table.noReason')}
        </Text>
      ),
    },
    {
      accessor: 'open',
      title: '',
      width: 36,
      render: () => <IconChevronRight size={16} color="var(--mantine-color-dimmed)" />,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('summary')}
        actions={
          <>
            <ChainBadge verdict={verdict} />
            <ExportMenu filters={filters} />
          </>
        }
      />
      <Stack gap="md">
        {verdict.data && <ChainBrokenAlert verdict={verdict.data} onShow={showBroken} />}
        <AuditFiltersBar key={filters.entity ?? ''} filters={filters} onChange={setFilters} />
        {lowerBound !== null && (
          <Text size="sm" c="dimmed" data-testid="audit-total-lower-bound">
            {t('table.lowerBound', { n: formatCount(lowerBound, locale) })}
          </Text>
        )}
        <ServerTable<AuditEntryView>
          testId="audit-table"
          reads={['audit_log']}
          filterKey={JSON.stringify(filters)}
          pageSize={PAGE_SIZE}
          idAccessor="audit_id"
          sortable={{ default: { column: 'audit_id', direction: 'desc' } }}
          load={async (api, page) => {
            const out = await api.audit.list({
              ...filterInput(filters),
              limit: page.limit,
              offset: page.offset,
              order: page.sort?.direction ?? 'desc',
            });
            setRows(out.rows);
            setLowerBound(out.totalIsLowerBound ? out.total : null);
            return out;
          }}
          columns={columns}
          empty={hasFilters(filters) ? t('table.emptyFiltered') : t('table.empty')}
          onRowClick={(r) => update({ entry: String(r.audit_id) })}
          highlighted={(r) => r.audit_id === entryId}
          rowAttributes={(r) => ({
            'data-audit-id': String(r.audit_id),
            'data-action': r.action,
            'aria-label': t('table.open', { id: r.audit_id }),
            ...(r.audit_id === brokenId ? { 'data-broken': 'true', title: t('table.broken') } : {}),
          })}
        />
      </Stack>
      <Drawer
        opened={selected !== null}
        onClose={() => update({ entry: null })}
        position="right"
        size={720}
        padding="lg"
        title={
          shown ? (
            <Text fw={650} fz="lg">
              {t('entry.title', { id: shown.audit_id })}
            </Text>
          ) : null
        }
        closeButtonProps={{ 'aria-label': t('entry.close') }}
        withOverlay={false}
        closeOnClickOutside={false}
        trapFocus={false}
        lockScroll={false}
        shadow="xl"
        styles={{ inner: { top: 'var(--app-shell-header-height, 60px)', height: 'auto', bottom: 0 } }}
        data-testid="entry-drawer"
      >
        {shown && <EntryDetail key={shown.audit_id} entry={shown} brokenHere={shown.audit_id === brokenId} />}
      </Drawer>
    </>
  );
}
