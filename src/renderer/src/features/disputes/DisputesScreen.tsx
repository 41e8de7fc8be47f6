import {
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconChevronRight, IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisputeQueueRow } from '../../../../main/api/methods/disputes.contract';
import { useHashParams } from '../../app/use-hash-params';
import { formatDateTime, formatFen } from '../../shared/format';
import { PageHeader } from '../../shared/PageHeader';
import { ServerTable } from '../../shared/ServerTable';
import { CaseView, DisputeStatusBadge } from './CaseView';
import { STAKE_COLORS, waitColor } from './labels';
import { hasFilters, readFilters, STATUS_FILTERS, type DisputeFilters } from './params';
import { Waited } from './Waited';

const PAGE_SIZE = 20;

function IdFilter({
  value,
  label,
  placeholder,
  testId,
  onChange,
}: {
  value: string | null;
  label: string;
  placeholder: string;
  testId: string;
  onChange(v: string | null): void;
}) {
  const { t } = useTranslation('disputes');
  const [draft, setDraft] = useState(value ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(draft.trim() || null);
  };
  return (
    <form onSubmit={submit}>
      <TextInput
        size="xs"
        w={170}
        aria-label={label}
        placeholder={placeholder}
        leftSection={<IconSearch size={14} />}
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={() => (draft.trim() || null) !== value && onChange(draft.trim() || null)}
        rightSection={
          draft ? (
            <CloseButton
              size="xs"
              aria-label={t('queue.clear')}
              onClick={() => {
                setDraft('');
                onChange(null);
              }}
            />
          ) : null
        }
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
      />
    </form>
  );
}

function Queue({
  filters,
  update,
}: {
  filters: DisputeFilters;
  update(c: Record<string, string | null>): void;
}) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const setFilters = (c: Partial<Record<keyof DisputeFilters, string | null>>) =>
    update({ ...c, page: null });
  const who = (id: string, name: string | null) => (
    <Stack gap={0}>
      <Text size="sm" fw={600}>
        {id}
      </Text>
      {name && (
        <Text size="xs" c="dimmed">
          {name}
        </Text>
      )}
    </Stack>
  );
  const columns: DataTableColumn<DisputeQueueRow>[] = [
    {
      accessor: 'disputeId',
      title: t('queue.col.id'),
      width: 64,
      render: (r) => (
        <Text size="sm" fw={650} className="tabular-nums" data-col="id">
          #{r.disputeId}
        </Text>
      ),
    },
    {
      accessor: 'waitedMs',
      title: filters.status === 'open' ? t('queue.col.waiting') : t('queue.col.waited'),
      width: 120,
      render: (r) => (
        <Text
          size="sm"
          fw={r.status === 'open' ? 600 : 400}
          c={r.status === 'open' ? waitColor(r.waitedMs) : 'dimmed'}
          style={{ whiteSpace: 'nowrap' }}
          data-col="waited"
        >
          <Waited ms={r.waitedMs} />
        </Text>
      ),
    },
    {
      accessor: 'partnerId',
      title: t('queue.col.claimant'),
      render: (r) => <div data-col="claimant">{who(r.partnerId, r.partnerName)}</div>,
    },
    {
      accessor: 'customerId',
      title: t('queue.col.customer'),
      render: (r) => <div data-col="customer">{who(r.customerId, r.customerName)}</div>,
    },
    {
      accessor: 'orderId',
      title: t('queue.col.order'),
      render: (r) => (
        <Text size="sm" c={r.orderId ? undefined : 'dimmed'} data-col="order">
          {r.orderId ?? t('queue.noOrder')}
        </Text>
      ),
    },
    {
      accessor: 'stake',
      title: t('queue.col.stake'),
      textAlign: 'right',
      render: (r) => (
        <Stack gap={2} align="flex-end" data-col="stake">
          <Text
            size="sm"
            fw={r.stake.fen > 0 ? 650 : 400}
            c={r.stake.fen > 0 ? undefined : 'dimmed'}
            className="tabular-nums"
          >
            {formatFen(r.stake.fen, locale)}
          </Text>
          {r.stake.basis !== 'none' && (
            <Badge size="xs" variant="light" radius="sm" tt="none" color={STAKE_COLORS[r.stake.basis]}>
              {t(`stake.short.${r.stake.basis}`, { partner: r.stake.currentPartnerId ?? '—' })}
            </Badge>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'claimedAt',
      title: t('queue.col.claimedAt'),
      render: (r) => (
        <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }} data-col="claimed-at">
          {formatDateTime(r.claimedAt, locale)}
        </Text>
      ),
    },
    {
      accessor: 'openedAt',
      title: t('queue.col.opened'),
      render: (r) => (
        <Stack gap={0} data-col="opened">
          <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(r.openedAt, locale)}
          </Text>
          <Text size="xs" c="dimmed">
            {r.openedBy}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'status',
      title: t('queue.col.status'),
      render: (r) => (
        <Stack gap={2} data-col="status">
          <DisputeStatusBadge status={r.status} />
          {r.decidedBy && (
            <Text size="xs" c="dimmed">
              {r.decidedBy}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'open',
      title: '',
      width: 36,
      render: () => <IconChevronRight size={16} color="var(--mantine-color-dimmed)" />,
    },
  ];

  const empty = hasFilters(filters)
    ? t('queue.emptyFiltered')
    : filters.status === 'open'
      ? t('queue.emptyOpen')
      : t('queue.empty');

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
        <Group gap="md" wrap="wrap" justify="space-between">
          <Group gap={8} wrap="nowrap">
            <Text size="sm" c="dimmed" fw={500}>
              {t('queue.status')}
            </Text>
            <SegmentedControl
              size="xs"
              value={filters.status}
              onChange={(v) => setFilters({ status: v === 'open' ? null : v })}
              data={STATUS_FILTERS.map((s) => ({ value: s, label: t(`queue.statusFilter.${s}`) }))}
              data-testid="dispute-status-filter"
            />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <IdFilter
              key={`p${filters.partner ?? ''}`}
              value={filters.partner}
              label={t('queue.partnerFilter')}
              placeholder={t('queue.partnerFilter')}
              testId="dispute-partner-filter"
              onChange={(v) => setFilters({ partner: v })}
            />
            <IdFilter
              key={`c${filters.customer ?? ''}`}
              value={filters.customer}
              label={t('queue.customerFilter')}
              placeholder={t('queue.customerFilter')}
              testId="dispute-customer-filter"
              onChange={(v) => setFilters({ customer: v })}
            />
            {hasFilters(filters) && (
              <Button
                size="xs"
                variant="subtle"
                onClick={() => setFilters({ partner: null, customer: null })}
                data-testid="dispute-clear-filters"
              >
                {t('queue.clearFilters')}
              </Button>
            )}
          </Group>
        </Group>
      </Paper>
      <ServerTable<DisputeQueueRow>
        testId="dispute-queue"
        reads={['disputes', 'result_orders', 'engine_runs']}
        filterKey={JSON.stringify(filters)}
        pageSize={PAGE_SIZE}
        idAccessor="disputeId"
        load={(api, page) =>
          filters.status === 'open' && !hasFilters(filters)
            ? api.disputes.queue({ limit: page.limit, offset: page.offset })
            : api.disputes.list({
                status: filters.status === 'all' ? undefined : filters.status,
                partnerId: filters.partner ?? undefined,
                customerId: filters.customer ?? undefined,
                limit: page.limit,
                offset: page.offset,
              })
        }
        columns={columns}
        empty={empty}
        onRowClick={(r) => update({ case: String(r.disputeId) })}
        rowAttributes={(r) => ({
          'data-dispute-id': String(r.disputeId),
          'data-status': r.status,
          'aria-label': t('queue.open', { id: r.disputeId }),
        })}
      />
    </Stack>
  );
}

/** 争议处理: the queue of cases (open ones oldest first) and one case (`#/disputes?case=ID`). */
export function DisputesScreen() {
  const { t } = useTranslation('disputes');
  const [params, update] = useHashParams();
  const filters = readFilters(params);
  const caseId = Number(params.get('case'));
  if (Number.isInteger(caseId) && caseId > 0)
    return <CaseView key={caseId} disputeId={caseId} onBack={() => update({ case: null })} />;
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      <Queue filters={filters} update={update} />
    </>
  );
}
