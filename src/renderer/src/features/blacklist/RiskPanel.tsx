import '@mantine/charts/styles.css';
import {
  Alert,
  Badge,
  Button,
  Drawer,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { CompositeChart } from '@mantine/charts';
import { IconBan, IconChartBar, IconInfoCircle, IconShieldCheck } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RiskDetail, RiskRow, RiskStatus } from '../../../../main/api/methods/blacklist.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime, formatFen, formatPercent } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { BlacklistDecision } from './BlacklistDecision';
import { RiskDecisionLine } from './HistoryPanel';

const STATUSES = ['all', 'open', 'dismissed', 'blacklisted'] as const;
type RiskFilter = (typeof STATUSES)[number];
const SORTS = ['rate', 'clawed', 'valid', 'partner'] as const;
type RiskSort = (typeof SORTS)[number];
export const RISK_READS = ['result_partners', 'risk_decisions', 'blacklist_entries'] as const;

const STATUS_COLOR: Record<RiskStatus, string> = { open: 'orange', dismissed: 'teal', blacklisted: 'red' };

export function RiskStatusBadge({ status }: { status: RiskStatus }) {
  const { t } = useTranslation('blacklist');
  return (
    <Badge
      size="sm"
      radius="sm"
      variant="light"
      color={STATUS_COLOR[status]}
      tt="none"
      data-risk-status={status}
    >
      {t(`risk.status.${status}`)}
    </Badge>
  );
}

/** Valid orders and clawbacks per week of the window, and the refund rate so far (R-CLAW-4). */
function RiskChart({ detail }: { detail: RiskDetail }) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const day = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
  });
  // no rate before the first valid order: a 0% there would draw a refund rate that never was
  const data: { week: string; valid: number; clawed: number; rate: number | null }[] = [];
  for (let i = 0, valid = 0, clawed = 0; i < detail.series.length; i++) {
    const s = detail.series[i];
    valid += s.validOrders;
    clawed += s.clawedBack;
    data.push({
      week: day.format(s.end),
      valid: s.validOrders,
      clawed: s.clawedBack,
      rate: valid > 0 ? Math.round((clawed / valid) * 1000) / 10 : null,
    });
  }
  const threshold = detail.threshold.minShareBp / 100;
  return (
    <CompositeChart
      h={260}
      data={data}
      dataKey="week"
      withLegend
      legendProps={{ verticalAlign: 'bottom', height: 40 }}
      withRightYAxis
      rightYAxisProps={{ domain: [0, 100], unit: '%' }}
      yAxisProps={{ allowDecimals: false }}
      maxBarWidth={18}
      withDots={false}
      curveType="linear"
      tooltipAnimationDuration={0}
      series={[
        { name: 'valid', label: t('risk.chart.valid'), color: 'yunke.5', type: 'bar' },
        { name: 'clawed', label: t('risk.chart.clawed'), color: 'red.6', type: 'bar' },
        { name: 'rate', label: t('risk.chart.rate'), color: 'orange.6', type: 'line', yAxisId: 'right' },
      ]}
      referenceLines={[
        {
          y: threshold,
          yAxisId: 'right',
          color: 'orange.4',
          label: t('risk.chart.threshold', { pct: threshold }),
          labelPosition: 'insideTopLeft',
          strokeDasharray: '4 4',
        },
      ]}
      data-testid="risk-chart"
    />
  );
}

function RiskDetailView({
  partnerId,
  onBlacklist,
  onDismiss,
}: {
  partnerId: string;
  onBlacklist(): void;
  onDismiss(): void;
}) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const canDecide = useCan('risk.decide');
  const q = useApiQuery((api) => api.risk.partner({ partnerId }), RISK_READS, partnerId);
  const d = q.data;
  if (q.error) return <ErrorAlert error={q.error} onRetry={q.reload} />;
  if (!d)
    return (
      <Stack gap="sm" aria-busy>
        <Skeleton h={80} radius="md" />
        <Skeleton h={260} radius="md" />
      </Stack>
    );
  const row = d.row;
  const last = d.decisions[0] ?? null;
  return (
    <Stack gap="md" data-testid="risk-detail" data-partner={partnerId} data-status={row?.status ?? 'none'}>
      {row ? (
        <>
          <SimpleGrid cols={4} spacing="sm">
            {(
              [
                ['valid', String(row.validOrders)],
                ['clawed', String(row.clawedBack)],
                ['rate', formatPercent(row.refundRateBp / 10_000, locale)],
                ['frozen', formatFen(row.frozenFen, locale)],
              ] as const
            ).map(([k, v]) => (
              <Paper
                key={k}
                withBorder
                radius="md"
                p="sm"
                bg="var(--app-card-bg)"
                data-testid={`risk-stat-${k}`}
              >
                <Text size="xs" c="dimmed">
                  {t(`risk.stat.${k}`)}
                </Text>
                <Text fz={20} fw={650} className="tabular-nums" c={k === 'rate' ? 'orange' : undefined}>
                  {v}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={4}>
                <Group gap={6}>
                  <RiskStatusBadge status={row.status} />
                </Group>
                <Text size="sm" data-testid="risk-status-text">
                  {row.status === 'dismissed'
                    ? last?.reflagAfter != null
                      ? t('risk.explain.dismissed', { at: formatDateTime(last.reflagAfter, locale) })
                      : t('risk.explain.dismissedPlain')
                    : t(`risk.explain.${row.status}`)}
                </Text>
              </Stack>
              {canDecide && row.status === 'open' && (
                <Group gap="xs" wrap="nowrap">
                  <Button
                    variant="default"
                    leftSection={<IconShieldCheck size={16} />}
                    onClick={onDismiss}
                    data-testid="risk-dismiss"
                  >
                    {t('risk.dismiss')}
                  </Button>
                  <Button
                    color="red"
                    leftSection={<IconBan size={16} />}
                    onClick={onBlacklist}
                    data-testid="risk-blacklist"
                  >
                    {t('risk.blacklist')}
                  </Button>
                </Group>
              )}
            </Group>
          </Paper>
        </>
      ) : (
        <Alert
          variant="light"
          color="gray"
          icon={<IconInfoCircle size={18} />}
          data-testid="risk-not-flagged"
        >
          {t('risk.notFlagged')}
        </Alert>
      )}
      <Stack gap={4}>
        <Group gap={6}>
          <IconChartBar size={16} />
          <Title order={4} fz={15}>
            {t('risk.chart.title')}
          </Title>
        </Group>
        {d.window.from !== null && d.window.to !== null && (
          <Text size="xs" c="dimmed">
            {t('risk.chart.window', {
              days: d.window.days,
              from: formatDateTime(d.window.from, locale),
              to: formatDateTime(d.window.to, locale),
              min: d.threshold.minClawed,
              pct: d.threshold.minShareBp / 100,
            })}
          </Text>
        )}
      </Stack>
      <RiskChart detail={d} />
      <Title order={4} fz={15}>
        {t('risk.clawedTitle', { count: d.clawed.length })}
      </Title>
      {d.clawed.length > 0 ? (
        <Table striped verticalSpacing={6} data-testid="risk-clawed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risk.col.order')}</Table.Th>
              <Table.Th>{t('risk.col.orderedAt')}</Table.Th>
              <Table.Th ta="right">{t('risk.col.paid')}</Table.Th>
              <Table.Th ta="right">{t('risk.col.net')}</Table.Th>
              <Table.Th>{t('risk.col.clawedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.clawed.map((c) => (
              <Table.Tr key={c.orderId} data-order={c.orderId}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {c.orderId}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.customerId}
                  </Text>
                </Table.Td>
                <Table.Td className="tabular-nums">{formatDateTime(c.orderedAt, locale)}</Table.Td>
                <Table.Td ta="right" className="tabular-nums">
                  {formatFen(c.paidFen, locale)}
                </Table.Td>
                <Table.Td ta="right" className="tabular-nums">
                  {formatFen(c.netFen, locale)}
                </Table.Td>
                <Table.Td className="tabular-nums">
                  {c.clawedAt !== null ? formatDateTime(c.clawedAt, locale) : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          {t('risk.noClawed')}
        </Text>
      )}
      {d.decisions.length > 0 && (
        <>
          <Title order={4} fz={15}>
            {t('risk.decisionsTitle')}
          </Title>
          <Stack gap="sm">
            {d.decisions.map((x) => (
              <Paper key={x.decisionId} withBorder radius="md" p="sm" bg="var(--app-card-bg)">
                <RiskDecisionLine d={x} />
              </Paper>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}

/**
 * 风险复核 (R-CLAW-4): partners whose valid orders keep being refunded, with their refund rate
 * over the window; an admin blacklists (after the engine's what-if) or dismisses with a reason.
 * A flag never blacklists by itself; a dismissed flag stays dismissed until a later clawback.
 */
export function RiskPanel() {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const status: RiskFilter = STATUSES.includes(params.get('rstatus') as RiskFilter)
    ? (params.get('rstatus') as RiskFilter)
    : 'all';
  const selected = params.get('risk');
  const [shown, setShown] = useState(selected);
  if (selected && selected !== shown) setShown(selected);
  const [deciding, setDeciding] = useState<'blacklist' | 'dismiss' | null>(null);
  const [asOf, setAsOf] = useState<number | null>(null);

  const columns: DataTableColumn<RiskRow>[] = [
    {
      accessor: 'partner',
      title: t('risk.col.partner'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
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
      accessor: 'valid',
      title: t('risk.col.valid'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums" data-col="valid">
          {r.validOrders}
        </Text>
      ),
    },
    {
      accessor: 'clawed',
      title: t('risk.col.clawed'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums" c="red" data-col="clawed">
          {r.clawedBack}
        </Text>
      ),
    },
    {
      accessor: 'rate',
      title: t('risk.col.rate'),
      sortable: true,
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" fw={650} className="tabular-nums" c="orange" data-col="rate">
          {formatPercent(r.refundRateBp / 10_000, locale)}
        </Text>
      ),
    },
    {
      accessor: 'status',
      title: t('risk.col.status'),
      render: (r) => (
        <Stack gap={2} data-col="status">
          <RiskStatusBadge status={r.status} />
          {r.lastDecision && (
            <Text size="xs" c="dimmed">
              {t(`risk.last.${r.lastDecision.decision}`, {
                by: r.lastDecision.decidedBy,
                at: formatDateTime(r.lastDecision.effectiveAt, locale),
              })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'level',
      title: t('risk.col.level'),
      render: (r) => (
        <Badge size="sm" radius="sm" variant="light" tt="none">
          {r.level}
        </Badge>
      ),
    },
    {
      accessor: 'frozenFen',
      title: t('risk.col.frozen'),
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums" c={r.frozenFen > 0 ? 'red' : 'dimmed'}>
          {formatFen(r.frozenFen, locale)}
        </Text>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Alert variant="light" color="yunke" icon={<IconInfoCircle size={18} />} data-testid="risk-note">
        {t('risk.note')}
      </Alert>
      <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
        <Group gap="sm" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => update({ rstatus: v === 'all' ? null : v, page: null })}
            data={STATUSES.map((s) => ({ value: s, label: t(`risk.filter.${s}`) }))}
            data-testid="risk-status"
          />
          {asOf !== null && (
            <Text size="xs" c="dimmed" ml="auto">
              {t('risk.asOf', { asOf: formatDateTime(asOf, locale) })}
            </Text>
          )}
        </Group>
      </Paper>
      <ServerTable<RiskRow>
        testId="risk-table"
        reads={RISK_READS}
        filterKey={status}
        idAccessor="partnerId"
        sortable={{ default: { column: 'rate', direction: 'desc' } }}
        load={async (api, page) => {
          const out = await api.risk.list({
            status,
            sort: (SORTS as readonly string[]).includes(page.sort?.column ?? '')
              ? (page.sort!.column as RiskSort)
              : 'rate',
            dir: page.sort?.direction ?? 'desc',
            limit: page.limit,
            offset: page.offset,
          });
          setAsOf(out.asOf);
          return out;
        }}
        columns={columns}
        empty={t(`risk.empty.${status}`)}
        onRowClick={(r) => update({ risk: r.partnerId })}
        highlighted={(r) => r.partnerId === selected}
        rowAttributes={(r) => ({ 'data-partner': r.partnerId, 'data-status': r.status })}
      />
      <Drawer
        opened={selected !== null}
        onClose={() => update({ risk: null })}
        position="right"
        size={760}
        padding="lg"
        title={
          shown ? (
            <Text fw={650} fz="lg">
              {t('risk.detailTitle', { partner: shown })}
            </Text>
          ) : null
        }
        withOverlay={false}
        closeOnClickOutside={false}
        trapFocus={false}
        lockScroll={false}
        shadow="xl"
        styles={{ inner: { top: 'var(--app-shell-header-height, 60px)', height: 'auto', bottom: 0 } }}
        // below the decision dialogs' overlay (200), so a dialog opened from here dims it too
        zIndex={150}
        data-testid="risk-drawer"
      >
        {shown && (
          <RiskDetailView
            key={shown}
            partnerId={shown}
            onBlacklist={() => setDeciding('blacklist')}
            onDismiss={() => setDeciding('dismiss')}
          />
        )}
      </Drawer>
      <BlacklistDecision
        action={deciding === 'blacklist' ? 'risk-blacklist' : null}
        partnerId={shown}
        onClose={() => setDeciding(null)}
      />
      {shown && (
        <DecisionDialog
          opened={deciding === 'dismiss'}
          onClose={() => setDeciding(null)}
          method="risk.decide"
          title={t('risk.dismissTitle', { partner: shown })}
          input={{ partnerId: shown, decision: 'dismiss' }}
          effectiveTime
          confirmLabel={t('risk.dismissConfirm')}
          success={(out) =>
            out.partners.rows.some((p) => p.partnerId === shown && p.after?.riskStatus === 'dismissed')
              ? t('risk.dismissed', { partner: shown })
              : t('risk.dismissedLater', { partner: shown })
          }
        >
          <Text size="sm" data-testid="dismiss-explain">
            {t('risk.dismissExplain')}
          </Text>
        </DecisionDialog>
      )}
    </Stack>
  );
}
