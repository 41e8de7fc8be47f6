import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconLockOpen, IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BlacklistRow } from '../../../../main/api/methods/blacklist.contract';
import { useHashParams } from '../../app/use-hash-params';
import { formatDateTime, formatFen } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { BLACKLIST_READS, EntryStatusBadge } from './HistoryPanel';

const STATUSES = ['active', 'scheduled', 'lifted', 'all'] as const;
type EntryFilter = (typeof STATUSES)[number];
const SORTS = ['since', 'frozen', 'partner'] as const;
type EntrySort = (typeof SORTS)[number];

/**
 * 黑名单: entries with partner, reason, operator, since, until, the restrict flag and the amount
 * frozen now (R-BL-1..3), filtered by status and partner, paged and sorted in the store.
 */
export function EntriesPanel({
  onOpen,
  onLift,
}: {
  onOpen(partnerId: string): void;
  onLift(partnerId: string): void;
}) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const status: EntryFilter = STATUSES.includes(params.get('status') as EntryFilter)
    ? (params.get('status') as EntryFilter)
    : 'active';
  const query = params.get('q')?.trim() || '';
  const [draft, setDraft] = useState(query);
  const canLift = useCan('blacklist.lift');
  const selected = params.get('partner');

  const columns: DataTableColumn<BlacklistRow>[] = [
    {
      accessor: 'partner',
      title: t('table.partner'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm" fw={600} data-col="partner">
            {r.partnerId}
          </Text>
          {r.partnerName && (
            <Text size="xs" c="dimmed">
              {r.partnerName}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'reason',
      title: t('table.reason'),
      width: '24%',
      render: (r) => (
        <Text size="sm" lineClamp={2} data-col="reason">
          {r.reason}
        </Text>
      ),
    },
    {
      accessor: 'addedBy',
      title: t('table.operator'),
      render: (r) => (
        <Text size="sm" data-col="operator">
          {r.addedBy}
        </Text>
      ),
    },
    {
      accessor: 'since',
      title: t('table.since'),
      sortable: true,
      render: (r) => (
        <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }} data-col="since">
          {formatDateTime(r.since, locale)}
        </Text>
      ),
    },
    {
      accessor: 'until',
      title: t('table.until'),
      render: (r) => (
        <Stack gap={0} data-col="until">
          <Text
            size="sm"
            className="tabular-nums"
            style={{ whiteSpace: 'nowrap' }}
            c={r.until ? undefined : 'dimmed'}
          >
            {r.until !== null ? formatDateTime(r.until, locale) : t('table.open')}
          </Text>
          {r.liftedBy && (
            <Text size="xs" c="dimmed">
              {r.liftedBy}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'restrictPromotion',
      title: t('table.restrict'),
      render: (r) => (
        <Badge
          size="sm"
          radius="sm"
          variant="outline"
          color={r.restrictPromotion ? 'red' : 'gray'}
          tt="none"
          data-col="restrict"
        >
          {t(r.restrictPromotion ? 'restrict.yes' : 'restrict.no')}
        </Badge>
      ),
    },
    {
      accessor: 'status',
      title: t('table.status'),
      render: (r) => <EntryStatusBadge status={r.status} />,
    },
    {
      accessor: 'frozen',
      title: t('table.frozen'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Text
          size="sm"
          fw={r.frozenFen > 0 ? 650 : 400}
          c={r.frozenFen > 0 ? 'red' : 'dimmed'}
          className="tabular-nums"
          data-col="frozen"
        >
          {formatFen(r.frozenFen, locale)}
        </Text>
      ),
    },
    {
      accessor: 'actions',
      title: '',
      textAlign: 'right',
      render: (r) =>
        canLift && r.until === null ? (
          <Button
            size="compact-sm"
            variant="light"
            color="teal"
            leftSection={<IconLockOpen size={14} />}
            onClick={(e) => {
              e.stopPropagation();
              onLift(r.partnerId);
            }}
            data-testid="entry-lift"
          >
            {t('actions.liftShort')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
        <Group gap="sm" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => update({ status: v === 'active' ? null : v, page: null })}
            data={STATUSES.map((s) => ({ value: s, label: t(`filter.${s}`) }))}
            data-testid="entries-status"
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              update({ q: draft.trim() || null, page: null });
            }}
          >
            <TextInput
              size="xs"
              placeholder={t('filter.partner')}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              leftSection={<IconSearch size={14} />}
              w={220}
              spellCheck={false}
              data-testid="entries-partner"
            />
          </form>
        </Group>
      </Paper>
      <ServerTable<BlacklistRow>
        testId="entries-table"
        reads={BLACKLIST_READS}
        filterKey={`${status}|${query}`}
        idAccessor="entryId"
        sortable={{ default: { column: 'since', direction: 'desc' } }}
        load={(api, page) =>
          api.blacklist.list({
            status,
            partnerId: query || undefined,
            sort: (SORTS as readonly string[]).includes(page.sort?.column ?? '')
              ? (page.sort!.column as EntrySort)
              : 'since',
            dir: page.sort?.direction ?? 'desc',
            limit: page.limit,
            offset: page.offset,
          })
        }
        columns={columns}
        empty={t(query ? 'table.emptyQuery' : `table.empty.${status}`)}
        onRowClick={(r) => onOpen(r.partnerId)}
        highlighted={(r) => r.partnerId === selected}
        rowAttributes={(r) => ({
          'data-partner': r.partnerId,
          'data-entry': String(r.entryId),
          'data-status': r.status,
          'aria-label': t('table.openHistory', { partner: r.partnerId }),
        })}
      />
    </Stack>
  );
}
