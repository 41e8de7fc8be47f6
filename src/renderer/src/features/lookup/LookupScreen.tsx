import 'mantine-datatable/styles.css';
import {
  Alert,
  Badge,
  Box,
  SimpleGrid,
  Button,
  CloseButton,
  Drawer,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconClock, IconCpu, IconSearch } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineRunInfo, OrderResultRow } from '../../app/api-client';
import { navigate, redirect, useHashLocation } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { PageHeader } from '../../shared/PageHeader';
import { ReasonBadge, RebateStatusBadge, StatusBadge } from './badges';
import { ORDER_STATUSES, type OrderStatus } from './codes';
import { OrderDetail, OrderDetailTitle } from './OrderDetail';
import { RecomputeButton } from './RecomputeButton';
import { useRecompute, type Recompute } from './recompute';

const PAGE_SIZE = 20;

/** The screen's state lives in the hash, so support can share `#/lookup?q=C1&order=O1`. */
interface LookupParams {
  q: string;
  status: OrderStatus | null;
  page: number;
  order: string | null;
}

function readParams(params: URLSearchParams): LookupParams {
  const status = params.get('status');
  const page = Number(params.get('page'));
  return {
    q: params.get('q')?.trim() ?? '',
    status: ORDER_STATUSES.includes(status as OrderStatus) ? (status as OrderStatus) : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    order: params.get('order')?.trim() || null,
  };
}

function toHash(p: LookupParams) {
  return {
    q: p.q,
    status: p.status,
    page: p.page > 1 ? String(p.page) : null,
    order: p.order,
  };
}

function RunMeta({ run }: { run: EngineRunInfo }) {
  const { t, i18n } = useTranslation('lookup');
  const locale = i18n.language;
  return (
    <Group gap={6} wrap="nowrap" data-testid="last-run">
      <IconClock size={14} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
      <Text size="xs" c="dimmed" className="tabular-nums">
        {[
          t('run.computedAt', { time: formatDateTime(run.startedAt, locale) }),
          t('run.asOf', { time: formatDateTime(run.asOf, locale) }),
          t('run.configVersion', { version: run.configVersion }),
          t('run.duration', { seconds: (run.durationMs / 1000).toFixed(1) }),
        ].join(' · ')}
      </Text>
    </Group>
  );
}

function NeverRun({ recompute }: { recompute: Recompute }) {
  const { t } = useTranslation('lookup');
  return (
    <Alert
      variant="light"
      color="gray"
      radius="md"
      icon={<IconCpu size={20} />}
      title={t('run.neverTitle')}
      data-testid="engine-never-run"
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t('run.neverBody')}</Text>
        <RecomputeButton recompute={recompute} variant="filled" size="sm" />
      </Stack>
    </Alert>
  );
}

function SearchBar({ params, onSearch }: { params: LookupParams; onSearch(q: string): void }) {
  const { t } = useTranslation('lookup');
  const [draft, setDraft] = useState(params.q);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(draft.trim());
  }
  return (
    <form onSubmit={submit} role="search" style={{ flex: 1, minWidth: 280 }}>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          leftSection={<IconSearch size={16} />}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          rightSection={
            draft ? (
              <CloseButton
                size="sm"
                aria-label={t('search.clear')}
                onClick={() => {
                  setDraft('');
                  onSearch('');
                }}
              />
            ) : null
          }
          spellCheck={false}
          autoComplete="off"
          autoFocus
          data-testid="lookup-search"
        />
        <Button type="submit" data-testid="lookup-submit">
          {t('search.submit')}
        </Button>
      </Group>
    </form>
  );
}

function Results({ params, update }: { params: LookupParams; update(p: Partial<LookupParams>): void }) {
  const { t, i18n } = useTranslation('lookup');
  const locale = i18n.language;
  const { q, status, page } = params;
  const results = useApiQuery(
    (api) =>
      api.orders.search({
        query: q || undefined,
        status: status ?? undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
    ['result_orders'],
    `${q}|${status ?? ''}|${page}`,
  );

  // Pasting an order id and pressing Enter opens that order straight away.
  const autoOpen = useRef<string | null>(q || null);
  useEffect(() => {
    const rows = results.data?.rows;
    if (!rows || autoOpen.current === null) return;
    const wanted = autoOpen.current;
    autoOpen.current = null;
    if (wanted === q && rows.length === 1 && rows[0].order_id === q && !params.order)
      redirect('lookup', toHash({ ...params, order: q }));
  }, [results.data, q, params]);

  const columns: DataTableColumn<OrderResultRow>[] = [
    {
      accessor: 'order_id',
      title: t('table.order'),
      render: (r) => (
        <Text size="sm" fw={600} data-col="order">
          {r.order_id}
        </Text>
      ),
    },
    {
      accessor: 'customer_id',
      title: t('table.customer'),
      render: (r) => (
        <Stack gap={0} data-col="customer">
          <Text size="sm">{r.customer_id}</Text>
          {(r.customer_name || r.customer_phone) && (
            <Text size="xs" c="dimmed" data-col="customer-identity">
              {[r.customer_name, r.customer_phone].filter(Boolean).join(' · ')}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'partner_id',
      title: t('table.partner'),
      render: (r) => (
        <Text size="sm" c={r.partner_id ? undefined : 'dimmed'} data-col="partner">
          {r.partner_id ?? t('table.noPartner')}
        </Text>
      ),
    },
    {
      accessor: 'status',
      title: t('table.status'),
      render: (r) => <StatusBadge status={r.status} />,
    },
    {
      accessor: 'reasons',
      title: t('table.reasons'),
      width: '24%',
      render: (r) =>
        r.reasons.length ? (
          <Group gap={4} wrap="wrap" data-col="reasons">
            {r.reasons.map((c) => (
              <ReasonBadge key={c} code={c} />
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    {
      accessor: 'paid_fen',
      title: t('table.paid'),
      textAlign: 'right',
      render: (r) => (
        <Stack gap={0} align="flex-end" className="tabular-nums" data-col="paid">
          <Text size="sm">{formatFen(r.paid_fen, locale)}</Text>
          {r.net_fen !== r.paid_fen && (
            <Text size="xs" c="orange">
              {t('table.net', { amount: formatFen(r.net_fen, locale) })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'rebate_fen',
      title: t('table.rebate'),
      textAlign: 'right',
      render: (r) => (
        <Group gap={6} justify="flex-end" wrap="nowrap" className="tabular-nums" data-col="rebate">
          <RebateStatusBadge status={r.rebate_status} />
          <Text size="sm" fw={r.rebate_fen > 0 ? 600 : 400} c={r.rebate_fen > 0 ? undefined : 'dimmed'}>
            {formatFen(r.rebate_fen, locale)}
          </Text>
        </Group>
      ),
    },
    {
      accessor: 'ordered_at',
      title: t('table.orderedAt'),
      render: (r) => (
        <Text size="sm" className="tabular-nums" data-col="ordered-at" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(r.ordered_at, locale)}
        </Text>
      ),
    },
  ];

  const total = results.data?.total ?? 0;
  const empty = q
    ? t('table.emptyQuery', { query: q })
    : status
      ? t('table.emptyFiltered')
      : t('table.empty');
  return (
    <Stack gap="sm">
      {results.error && <ErrorAlert error={results.error} onRetry={results.reload} />}
      <DataTable<OrderResultRow>
        withTableBorder
        borderRadius="md"
        highlightOnHover
        verticalSpacing={10}
        minHeight={results.data && total === 0 ? 220 : undefined}
        idAccessor="order_id"
        records={results.data?.rows ?? []}
        columns={columns}
        fetching={results.loading}
        loaderType="dots"
        totalRecords={total}
        recordsPerPage={PAGE_SIZE}
        page={page}
        onPageChange={(p) => update({ page: p })}
        paginationText={({ from, to, totalRecords }) =>
          t('table.pagination', {
            from: formatCount(from, locale),
            to: formatCount(to, locale),
            total: formatCount(totalRecords, locale),
          })
        }
        noRecordsText={empty}
        emptyState={
          results.data && total === 0 ? (
            <Stack align="center" gap={4} data-testid="results-empty">
              <IconSearch size={28} stroke={1.4} color="var(--mantine-color-dimmed)" />
              <Text size="sm" fw={500}>
                {empty}
              </Text>
              {q && (
                <Text size="xs" c="dimmed">
                  {t('table.emptyQueryHint')}
                </Text>
              )}
            </Stack>
          ) : undefined
        }
        onRowClick={({ record }) => update({ order: record.order_id })}
        rowStyle={(r) =>
          r.order_id === params.order ? { background: 'var(--mantine-primary-color-light)' } : undefined
        }
        customRowAttributes={(r) => ({
          'data-order': r.order_id,
          'data-status': r.status,
          'aria-label': t('table.open', { id: r.order_id }),
        })}
        style={{ background: 'var(--app-card-bg)' }}
        data-testid="results"
        data-total={results.data ? total : undefined}
      />
    </Stack>
  );
}

/** The partners a search names, with their standing, above their orders. */
function PartnerCards({ query }: { query: string }) {
  const { t, i18n } = useTranslation('lookup');
  const locale = i18n.language;
  const found = useApiQuery((api) => api.partners.search({ query }), ['result_partners', 'partners'], query);
  const cards = found.data ?? [];
  if (cards.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, md: cards.length > 1 ? 2 : 1 }} spacing="sm" data-testid="partner-summaries">
      {cards.slice(0, 4).map((p) => (
        <Paper
          key={p.partner_id}
          withBorder
          radius="md"
          p="md"
          bg="var(--app-card-bg)"
          data-testid="partner-summary"
          data-partner={p.partner_id}
        >
          <Group justify="space-between" wrap="nowrap" mb="sm">
            <Group gap="xs" wrap="nowrap">
              <Text fw={650}>{p.partner_id}</Text>
              <Text size="sm" c="dimmed">
                {[p.name, p.phone].filter(Boolean).join(' · ')}
              </Text>
            </Group>
            <Group gap={6}>
              {p.level && (
                <Badge variant="light" radius="sm" tt="none" data-testid="partner-level">
                  {p.level} · {t(`levels.${p.level}`, { defaultValue: p.level })}
                </Badge>
              )}
              {p.blacklisted && (
                <Badge color="red" variant="light" radius="sm" tt="none">
                  {t('partnerCard.blacklisted')}
                </Badge>
              )}
            </Group>
          </Group>
          <SimpleGrid cols={5} spacing="xs">
            {(
              [
                ['experience', String(p.experience)],
                ['pending', formatFen(p.pending_fen, locale)],
                ['confirmed', formatFen(p.confirmed_fen, locale)],
                ['frozen', formatFen(p.frozen_fen, locale)],
                ['paid', formatFen(p.paid_fen, locale)],
              ] as const
            ).map(([k, v]) => (
              <Stack gap={0} key={k} data-field={k}>
                <Text size="xs" c="dimmed">
                  {t(`partnerCard.${k}`)}
                </Text>
                <Text size="sm" fw={600} className="tabular-nums">
                  {v}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** 查询: search orders by order, customer or partner id (or a prefix), or a customer's phone or name; the drawer explains one order. */
export function LookupScreen() {
  const { t } = useTranslation('lookup');
  const location = useHashLocation();
  const params = readParams(location.params);
  const recompute = useRecompute();
  const lastRun = useApiQuery((api) => api.engine.lastRun(), ['engine_runs']);

  // Keep the last order in the drawer while it slides out.
  const [shownOrder, setShownOrder] = useState(params.order);
  if (params.order && params.order !== shownOrder) setShownOrder(params.order);

  const update = (p: Partial<LookupParams>) => navigate('lookup', toHash({ ...params, ...p }));
  const run = lastRun.data;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('summary')}
        actions={
          <>
            {run && <RunMeta run={run} />}
            {run !== null && lastRun.data !== undefined && <RecomputeButton recompute={recompute} />}
          </>
        }
      />
      <Stack gap="md">
        {recompute.error && (
          <ErrorAlert
            error={recompute.error}
            context={t('recompute.failed')}
            onRetry={() => void recompute.run()}
          />
        )}
        {lastRun.error ? (
          <ErrorAlert error={lastRun.error} onRetry={lastRun.reload} />
        ) : lastRun.data === undefined ? (
          <Stack gap="sm" aria-busy>
            <Skeleton h={40} radius="md" />
            <Skeleton h={320} radius="md" />
          </Stack>
        ) : run === null && !params.order ? (
          <NeverRun recompute={recompute} />
        ) : (
          <>
            <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
              <Group gap="md" wrap="wrap" align="center">
                <SearchBar
                  key={params.q}
                  params={params}
                  onSearch={(q) => update({ q, page: 1, order: null })}
                />
                <Group gap={8} wrap="nowrap">
                  <Text size="sm" c="dimmed" fw={500}>
                    {t('search.status')}
                  </Text>
                  <SegmentedControl
                    size="xs"
                    data-testid="status-filter"
                    value={params.status ?? 'all'}
                    onChange={(v) => update({ status: v === 'all' ? null : (v as OrderStatus), page: 1 })}
                    data={[
                      { value: 'all', label: t('search.all') },
                      ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
                    ]}
                  />
                </Group>
              </Group>
            </Paper>
            {params.q && <PartnerCards query={params.q} />}
            <Box>
              <Results key={`${params.q}|${params.status ?? ''}`} params={params} update={update} />
            </Box>
          </>
        )}
      </Stack>

      <Drawer
        opened={params.order !== null}
        onClose={() => update({ order: null })}
        position="right"
        size={680}
        padding="lg"
        title={shownOrder ? <OrderDetailTitle orderId={shownOrder} /> : null}
        closeButtonProps={{ 'aria-label': t('detail.close') }}
        // A side pane below the header, not a modal: the results, the search box and the language
        // switch stay usable while an order is open (another row swaps the order shown).
        withOverlay={false}
        closeOnClickOutside={false}
        trapFocus={false}
        lockScroll={false}
        shadow="xl"
        styles={{ inner: { top: 'var(--app-shell-header-height, 60px)', height: 'auto', bottom: 0 } }}
        data-testid="order-drawer"
      >
        {shownOrder && (
          <OrderDetail
            key={shownOrder}
            orderId={shownOrder}
            onShowPartnerOrders={(partnerId) => navigate('lookup', { q: partnerId })}
          />
        )}
      </Drawer>
    </>
  );
}
