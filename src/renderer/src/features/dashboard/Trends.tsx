import '@mantine/charts/styles.css';
import { AreaChart, BarChart, CompositeChart } from '@mantine/charts';
import { Box, Button, Grid, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrendsView } from '../../../../main/api/methods/payouts.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { beijingInputToMs, formatCount, formatDate, formatFen, formatPercent } from '../../shared/format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const LEVEL_COLORS: Record<string, string> = { L1: 'cyan.5', L2: 'gray.5', L3: 'yellow.5', L4: 'grape.5' };

/** The trends read stored results, kept weeks and payments. */
const TREND_READS = [
  'engine_runs',
  'result_orders',
  'result_levels',
  'result_trend_weeks',
  'payout_lines',
] as const;

/** A Beijing calendar day `YYYY-MM-DD` from the hash, or null. */
function dayParam(params: URLSearchParams, name: string): string | null {
  const v = params.get(name)?.trim() ?? '';
  return DAY.test(v) && beijingInputToMs(`${v}T00:00`) !== null ? v : null;
}

/** Epoch ms → `YYYY-MM-DD` in Beijing time. */
const toDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

interface Row {
  label: string;
  week: string;
  weekStart: number;
  validOrders: number;
  pending: number;
  confirmed: number;
  paid: number;
  clawedOrders: number;
  clawedYuan: number;
  refundRate: number;
  [level: string]: number | string;
}

function Tip({
  payload,
  format,
  labels,
}: {
  payload: readonly { name?: unknown; value?: unknown; color?: string; payload?: Row }[] | undefined;
  format: (name: string, value: number) => string;
  labels: Record<string, string>;
}) {
  const { i18n } = useTranslation('dashboard');
  const row = payload?.[0]?.payload;
  if (!row) return null;
  return (
    <Paper withBorder shadow="md" radius="md" p="xs" miw={180}>
      <Text size="xs" fw={600} mb={4} className="tabular-nums">
        {row.week} · {formatDate(row.weekStart, i18n.language)}
      </Text>
      <Stack gap={2}>
        {payload!.map((p) => (
          <Group key={String(p.name)} justify="space-between" gap="md" wrap="nowrap">
            <Group gap={6} wrap="nowrap">
              <Box w={8} h={8} style={{ borderRadius: 2, background: p.color }} />
              <Text size="xs">{labels[String(p.name)] ?? String(p.name)}</Text>
            </Group>
            <Text size="xs" fw={600} className="tabular-nums">
              {format(String(p.name), Number(p.value))}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function ChartCard({
  title,
  hint,
  children,
  testId,
}: {
  title: string;
  hint?: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" h="100%" data-testid={testId}>
      <Stack gap={2} mb="sm">
        <Text fw={650} fz={14}>
          {title}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
      {children}
    </Paper>
  );
}

/**
 * 概览 trends over weeks (Monday 00:00 Beijing time): valid orders; rebates pending, confirmed and
 * paid; clawed-back orders and the refund rate (R-CLAW-1); partners per level (R-LVL-1). The range
 * is two Beijing days in the hash (`#/dashboard?from=2026-05-01&to=2026-11-30`).
 */
export function Trends() {
  const { t, i18n } = useTranslation('dashboard');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const from = dayParam(params, 'from');
  const to = dayParam(params, 'to');
  const fromMs = from ? beijingInputToMs(`${from}T00:00`) : null;
  const toMs = to ? beijingInputToMs(`${to}T00:00`) : null;
  const invalid = fromMs !== null && toMs !== null && toMs < fromMs;
  const trends = useApiQuery<TrendsView>(
    (api) =>
      api.dashboard.trends({
        ...(fromMs !== null ? { from: fromMs } : {}),
        ...(toMs !== null && !invalid ? { until: toMs + DAY_MS } : {}),
      }),
    TREND_READS,
    `${from ?? ''}|${to ?? ''}`,
  );
  const data = trends.data;
  const yuan = (fen: number) => Math.round(fen) / 100;
  const compact = (v: number) =>
    new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
  const rows: Row[] =
    data?.weeks.map((w) => ({
      label: formatDate(w.weekStart, locale)
        .replace(/^\d{4}[/-]/, '')
        .replace(/[/-]\d{4}$/, ''),
      week: w.week,
      weekStart: w.weekStart,
      validOrders: w.validOrders,
      pending: yuan(w.pendingFen),
      confirmed: yuan(w.confirmedFen),
      paid: yuan(w.paidFen),
      clawedOrders: w.clawedOrders,
      clawedYuan: yuan(w.clawedFen),
      refundRate: w.refundRateBp / 100,
      ...w.levels,
    })) ?? [];
  const labels: Record<string, string> = {
    validOrders: t('trends.validOrders'),
    paid: t('trends.paid'),
    confirmed: t('trends.confirmed'),
    pending: t('trends.pending'),
    clawedOrders: t('trends.clawedOrders'),
    refundRate: t('trends.refundRate'),
    ...Object.fromEntries(
      (data?.levelIds ?? []).map((id) => [id, `${id} · ${t(`levels.${id}`, { defaultValue: id })}`]),
    ),
  };
  const money = (_: string, v: number) => formatFen(Math.round(v * 100), locale);
  const lastWeek = data && data.weeks.length > 0 ? data.until - 7 * DAY_MS : null;
  const sums = data?.weeks.reduce(
    (s, w) => ({
      orders: s.orders + w.validOrders,
      clawed: s.clawed + w.clawedOrders,
      paid: s.paid + w.paidFen,
    }),
    { orders: 0, clawed: 0, paid: 0 },
  );

  return (
    <section data-testid="trends">
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm" wrap="wrap">
        <Stack gap={2}>
          <Title order={3} fz={16} fw={650}>
            {t('trends.title')}
          </Title>
          {data && (
            <Text size="xs" c="dimmed" className="tabular-nums" data-testid="trends-range">
              {t('trends.range', {
                from: formatDate(data.from, locale),
                to: formatDate(data.until - DAY_MS, locale),
                weeks: data.weeks.length,
              })}
              {sums &&
                ` · ${t('trends.sums', {
                  orders: formatCount(sums.orders, locale),
                  clawed: formatCount(sums.clawed, locale),
                  paid: formatFen(sums.paid, locale),
                })}`}
            </Text>
          )}
        </Stack>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            type="date"
            size="xs"
            label={t('trends.from')}
            value={from ?? (data ? toDay(data.from) : '')}
            onChange={(e) => update({ from: e.currentTarget.value || null })}
            leftSection={<IconCalendar size={14} />}
            w={160}
            data-testid="trends-from"
          />
          <TextInput
            type="date"
            size="xs"
            label={t('trends.to')}
            value={to ?? (lastWeek !== null && data ? toDay(data.until - DAY_MS) : '')}
            onChange={(e) => update({ to: e.currentTarget.value || null })}
            error={invalid ? t('trends.invalid') : undefined}
            leftSection={<IconCalendar size={14} />}
            w={160}
            data-testid="trends-to"
          />
          <Button
            size="xs"
            variant="default"
            disabled={!from && !to}
            onClick={() => update({ from: null, to: null })}
            data-testid="trends-reset"
          >
            {t('trends.reset')}
          </Button>
        </Group>
      </Group>
      {trends.error && <ErrorAlert error={trends.error} onRetry={trends.reload} />}
      {!data && !trends.error && <Skeleton h={560} radius="md" />}
      {data && (
        <Grid gap="md" data-weeks={data.weeks.length}>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard
              title={t('trends.validOrders')}
              hint={t('trends.validOrdersHint')}
              testId="trend-valid-orders"
            >
              <BarChart
                h={220}
                data={rows}
                dataKey="label"
                series={[{ name: 'validOrders', label: t('trends.validOrders'), color: 'teal.6' }]}
                tickLine="y"
                maxBarWidth={28}
                yAxisProps={{ allowDecimals: false, width: 44 }}
                tooltipProps={{
                  content: ({ payload }) => (
                    <Tip
                      payload={payload as never}
                      format={(_, v) => formatCount(v, locale)}
                      labels={labels}
                    />
                  ),
                }}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard title={t('trends.rebates')} hint={t('trends.rebatesHint')} testId="trend-rebates">
              <BarChart
                h={220}
                data={rows}
                dataKey="label"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                series={[
                  { name: 'paid', label: t('trends.paid'), color: 'teal.7' },
                  { name: 'confirmed', label: t('trends.confirmed'), color: 'cyan.3' },
                  { name: 'pending', label: t('trends.pending'), color: 'yellow.5' },
                ]}
                maxBarWidth={28}
                yAxisProps={{ width: 56, tickFormatter: (v: number) => `¥${compact(v)}` }}
                tooltipProps={{
                  content: ({ payload }) => <Tip payload={payload as never} format={money} labels={labels} />,
                }}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard
              title={t('trends.clawbacks')}
              hint={t('trends.clawbacksHint')}
              testId="trend-clawbacks"
            >
              <CompositeChart
                h={220}
                data={rows}
                dataKey="label"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                withRightYAxis
                series={[
                  { name: 'clawedOrders', label: t('trends.clawedOrders'), color: 'orange.5', type: 'bar' },
                  {
                    name: 'refundRate',
                    label: t('trends.refundRate'),
                    color: 'red.6',
                    type: 'line',
                    yAxisId: 'right',
                  },
                ]}
                maxBarWidth={28}
                curveType="monotone"
                yAxisProps={{ allowDecimals: false, width: 44 }}
                rightYAxisProps={{ width: 48, tickFormatter: (v: number) => `${v}%` }}
                tooltipProps={{
                  content: ({ payload }) => (
                    <Tip
                      payload={payload as never}
                      labels={labels}
                      format={(name, v) =>
                        name === 'refundRate' ? formatPercent(v / 100, locale) : formatCount(v, locale)
                      }
                    />
                  ),
                }}
              />
            </ChartCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <ChartCard title={t('trends.levels')} hint={t('trends.levelsHint')} testId="trend-levels">
              <AreaChart
                h={220}
                data={rows}
                dataKey="label"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                curveType="stepAfter"
                withDots={false}
                series={data.levelIds.map((id) => ({
                  name: id,
                  label: `${id} · ${t(`levels.${id}`, { defaultValue: id })}`,
                  color: LEVEL_COLORS[id] ?? 'blue.5',
                }))}
                yAxisProps={{ allowDecimals: false, width: 44 }}
                tooltipProps={{
                  content: ({ payload }) => (
                    <Tip
                      payload={payload as never}
                      format={(_, v) => formatCount(v, locale)}
                      labels={labels}
                    />
                  ),
                }}
              />
            </ChartCard>
          </Grid.Col>
        </Grid>
      )}
    </section>
  );
}
