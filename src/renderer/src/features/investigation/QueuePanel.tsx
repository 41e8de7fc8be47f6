import { Badge, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconChevronRight, IconFilterOff, IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueRow } from '../../../../main/api/methods/investigation.contract';
import { useHashParams } from '../../app/use-hash-params';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { EVIDENCE_COLOR, EVIDENCE_KINDS, type EvidenceKind } from './evidence';

const PAGE_SIZE = 20;

export interface QueueFilters {
  evidence: EvidenceKind | null;
  minSize: number | null;
  maxSize: number | null;
  partner: string | null;
}

const sizeParam = (v: string | null) => {
  const n = Number(v);
  return v && Number.isInteger(n) && n >= 2 ? n : null;
};

export function readQueueFilters(params: URLSearchParams): QueueFilters {
  const ev = params.get('qev');
  return {
    evidence: (EVIDENCE_KINDS as readonly string[]).includes(ev ?? '') ? (ev as EvidenceKind) : null,
    minSize: sizeParam(params.get('min')),
    maxSize: sizeParam(params.get('max')),
    partner: params.get('partner')?.trim() || null,
  };
}

const SORTS = ['stake', 'size', 'denied', 'group'] as const;
type QueueSort = (typeof SORTS)[number];

/**
 * 调查队列: same-person groups that touch a partner, ranked by the money at stake the engine
 * stored with its results (R-SAME-4), filtered by evidence kind, size and partner, paged and
 * sorted in the store.
 */
export function QueuePanel({ onOpen }: { onOpen(groupId: string): void }) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const filters = readQueueFilters(params);
  const [partner, setPartner] = useState(filters.partner ?? '');
  const [asOf, setAsOf] = useState<number | null>(null);
  const set = (changes: Record<string, string | null>) => update({ ...changes, page: null });
  const commitPartner = () => {
    const v = partner.trim() || null;
    if (v !== filters.partner) set({ partner: v });
  };
  const filtered = Object.values(filters).some((v) => v !== null);

  const columns: DataTableColumn<QueueRow>[] = [
    {
      accessor: 'group',
      title: t('queue.col.group'),
      sortable: true,
      render: (r) => (
        <Stack gap={3}>
          <Text size="sm" fw={600} data-col="group">
            {r.groupId}
          </Text>
          {r.partnerIds.length > 0 && (
            <Group gap={3}>
              {r.partnerIds.slice(0, 4).map((p) => (
                <Badge key={p} size="xs" radius="sm" variant="light" color="grape" tt="none">
                  {p}
                </Badge>
              ))}
              {r.partnerIds.length > 4 && (
                <Text size="xs" c="dimmed">
                  +{r.partnerIds.length - 4}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'size',
      title: t('queue.col.size'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Stack gap={0} align="flex-end">
          <Text size="sm" fw={600} className="tabular-nums" data-col="size">
            {formatCount(r.size, locale)}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {t('queue.composition', { customers: r.customers, partners: r.partners })}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'evidence',
      title: t('queue.col.evidence'),
      render: (r) => (
        <Group gap={4} data-col="evidence">
          {EVIDENCE_KINDS.filter((k) => r.evidence[k] > 0).map((k) => (
            <Badge key={k} size="sm" radius="sm" variant="light" color={EVIDENCE_COLOR[k]} tt="none">
              {t(`evidenceShort.${k}`)} {r.evidence[k]}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      accessor: 'largestShare',
      title: t('queue.col.largestShare'),
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums" c={r.largestShare >= 20 ? 'orange' : undefined}>
          {formatCount(r.largestShare, locale)}
        </Text>
      ),
    },
    {
      accessor: 'orders',
      title: t('queue.col.orders'),
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {t('queue.orders', {
            valid: formatCount(r.validOrders, locale),
            all: formatCount(r.orders, locale),
          })}
        </Text>
      ),
    },
    {
      accessor: 'denied',
      title: t('queue.col.denied'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Stack gap={0} align="flex-end">
          <Text size="sm" className="tabular-nums" c={r.deniedFen > 0 ? 'orange' : 'dimmed'}>
            {formatFen(r.deniedFen, locale)}
          </Text>
          {r.deniedOrders > 0 && (
            <Text size="xs" c="dimmed">
              {t('queue.deniedOrders', { count: r.deniedOrders })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'paid',
      title: t('queue.col.rebates'),
      textAlign: 'right',
      render: (r) => (
        <Stack gap={0} align="flex-end">
          <Text size="sm" className="tabular-nums">
            {formatFen(r.confirmedFen + r.pendingFen, locale)}
          </Text>
          {r.frozenFen > 0 && (
            <Text size="xs" c="red" className="tabular-nums">
              {t('queue.frozen', { amount: formatFen(r.frozenFen, locale) })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'stake',
      title: t('queue.col.stake'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" fw={700} className="tabular-nums" data-col="stake">
          {formatFen(r.stakeFen, locale)}
        </Text>
      ),
    },
    {
      accessor: 'open',
      title: '',
      width: 32,
      render: () => <IconChevronRight size={16} color="var(--mantine-color-dimmed)" />,
    },
  ];

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)" data-testid="queue-filters">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('queue.filter.evidence')}
            placeholder={t('queue.filter.anyEvidence')}
            data={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`evidence.${k}`) }))}
            value={filters.evidence}
            onChange={(v) => set({ qev: v })}
            clearable
            w={180}
            data-testid="queue-evidence"
          />
          <NumberInput
            label={t('queue.filter.minSize')}
            placeholder="2"
            min={2}
            value={filters.minSize ?? ''}
            onChange={(v) => set({ min: typeof v === 'number' && v >= 2 ? String(v) : null })}
            w={120}
            data-testid="queue-min"
          />
          <NumberInput
            label={t('queue.filter.maxSize')}
            placeholder="∞"
            min={2}
            value={filters.maxSize ?? ''}
            onChange={(v) => set({ max: typeof v === 'number' && v >= 2 ? String(v) : null })}
            w={120}
            data-testid="queue-max"
          />
          <TextInput
            label={t('queue.filter.partner')}
            placeholder={t('queue.filter.partnerPlaceholder')}
            value={partner}
            onChange={(e) => setPartner(e.currentTarget.value)}
            onBlur={commitPartner}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitPartner();
            }}
            leftSection={<IconSearch size={14} />}
            w={200}
            spellCheck={false}
            data-testid="queue-partner"
          />
          {filtered && (
            <Button
              variant="subtle"
              leftSection={<IconFilterOff size={15} />}
              onClick={() => {
                setPartner('');
                set({ qev: null, min: null, max: null, partner: null });
              }}
              data-testid="queue-clear"
            >
              {t('queue.filter.clear')}
            </Button>
          )}
          {asOf !== null && (
            <Text size="xs" c="dimmed" ml="auto" data-testid="queue-as-of">
              {t('queue.asOf', { asOf: formatDateTime(asOf, locale) })}
            </Text>
          )}
        </Group>
      </Paper>
      <ServerTable<QueueRow>
        testId="queue-table"
        reads={['result_investigation', 'result_investigation_partners']}
        filterKey={JSON.stringify(filters)}
        pageSize={PAGE_SIZE}
        idAccessor="groupId"
        sortable={{ default: { column: 'stake', direction: 'desc' } }}
        load={async (api, page) => {
          const sort = (SORTS as readonly string[]).includes(page.sort?.column ?? '')
            ? (page.sort!.column as QueueSort)
            : 'stake';
          const out = await api.investigation.queue({
            evidence: filters.evidence ?? undefined,
            minSize: filters.minSize ?? undefined,
            maxSize: filters.maxSize ?? undefined,
            partnerId: filters.partner ?? undefined,
            sort,
            dir: page.sort?.direction ?? 'desc',
            limit: page.limit,
            offset: page.offset,
          });
          setAsOf(out.asOf);
          return out;
        }}
        columns={columns}
        empty={filtered ? t('queue.emptyFiltered') : t('queue.empty')}
        onRowClick={(r) => onOpen(r.groupId)}
        rowAttributes={(r) => ({
          'data-group': r.groupId,
          'aria-label': t('queue.open', { id: r.groupId }),
        })}
      />
    </Stack>
  );
}
