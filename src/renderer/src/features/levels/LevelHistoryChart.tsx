import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type {
  ExperienceEntryView,
  LevelOverrideView,
  LevelPointView,
  LevelRowView,
} from '../../../../main/api/methods/levels.contract';
import { formatCount, formatDate, formatDateTime } from '../../shared/format';
import { LevelBadge, useLevelName } from './level-badge';

interface Point {
  at: number;
  rank: number;
  experience: number;
  level: string;
  source: LevelPointView['source'];
  overrideId: number | null;
}

function Tip({ point, name }: { point: Point; name: (id: string) => string }) {
  const { t, i18n } = useTranslation('levels');
  return (
    <Paper withBorder shadow="md" radius="md" p="xs" miw={200}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" className="tabular-nums">
          {formatDateTime(point.at, i18n.language)}
        </Text>
        <Group gap={6}>
          <LevelBadge level={point.level} name={name(point.level)} />
        </Group>
        <Text size="sm" className="tabular-nums">
          {t('history.experienceValue', { n: formatCount(point.experience, i18n.language) })}
        </Text>
        <Text size="xs" c={point.source === 'override' ? 'orange' : 'dimmed'}>
          {point.source === 'override'
            ? t('history.byOverride', { id: point.overrideId ?? '?' })
            : t('history.byExperience')}
        </Text>
      </Stack>
    </Paper>
  );
}

/**
 * One point per instant something changed: the level from the history, the experience from the
 * ledger (net, after each entry), both as steps from that instant on. The engine's first point
 * says "from the beginning": the chart starts a week before the first thing that happened to the
 * partner (an experience entry, a level change, an override).
 */
function buildPoints(
  history: LevelPointView[],
  ledger: ExperienceEntryView[],
  overrides: LevelOverrideView[],
  ids: string[],
  asOf: number | null,
): { points: Point[]; min: number; end: number } {
  const events = [
    ...ledger.map((e) => e.at),
    ...history.map((h) => h.at).filter((at) => at > 0),
    ...overrides.map((o) => o.startsAt),
  ];
  const first = events.length > 0 ? Math.min(...events) : (asOf ?? history[history.length - 1].at);
  const min = first - 7 * 86_400_000;
  const end = Math.max(asOf ?? 0, ...events, min + 86_400_000);
  const times = [...new Set([min, ...events, end])].filter((at) => at >= min).sort((a, b) => a - b);
  const points: Point[] = [];
  let h = 0;
  let l = 0;
  let experience = 0;
  for (const at of times) {
    while (h + 1 < history.length && history[h + 1].at <= at) h++;
    while (l < ledger.length && ledger[l].at <= at) experience = ledger[l++].balance;
    const p = history[h];
    points.push({
      at,
      rank: ids.indexOf(p.level) + 1,
      experience,
      level: p.level,
      source: p.source,
      overrideId: p.overrideId,
    });
  }
  return { points, min, end };
}

/**
 * A partner's level over time as a step chart (R-LVL-1: the level from each instant on), with their
 * net experience on the right axis and the periods of their overrides shaded (R-LVL-2).
 */
export function LevelHistoryChart({
  history,
  ledger,
  overrides,
  levels,
  asOf,
}: {
  history: LevelPointView[];
  ledger: ExperienceEntryView[];
  overrides: LevelOverrideView[];
  levels: LevelRowView[];
  asOf: number | null;
}) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const name = useLevelName(levels);
  const ids = levels.map((l) => l.id);
  if (history.length === 0)
    return (
      <Text size="sm" c="dimmed" ta="center" py="xl" data-testid="level-history-empty">
        {t('history.empty')}
      </Text>
    );
  if (ledger.length === 0 && overrides.length === 0 && history.length === 1)
    return (
      <Text size="sm" c="dimmed" ta="center" py="xl" data-testid="level-history-flat">
        {t('history.flat', { level: `${history[0].level} · ${name(history[0].level)}` })}
      </Text>
    );
  const { points, min, end } = buildPoints(history, ledger, overrides, ids, asOf);
  const areas = overrides
    .map((o) => {
      const stop = Math.min(o.endsAt ?? Infinity, o.revokedAt ?? Infinity, end);
      return { o, x1: Math.max(o.startsAt, min), x2: stop };
    })
    .filter((a) => a.x2 > a.x1)
    .map(({ o, x1, x2 }) => ({
      x1,
      x2,
      color: 'orange',
      fillOpacity: 0.08,
      label: t('history.overrideArea', { id: o.overrideId }),
      labelPosition: 'insideTopLeft' as const,
    }));
  return (
    <div data-testid="level-history-chart" data-points={history.length}>
      <LineChart
        h={260}
        data={points}
        dataKey="at"
        curveType="stepAfter"
        withLegend
        legendProps={{ verticalAlign: 'top', height: 36 }}
        series={[
          { name: 'rank', label: t('history.level'), color: 'yunke.6' },
          { name: 'experience', label: t('history.experience'), color: 'orange.6', yAxisId: 'right' },
        ]}
        withRightYAxis
        gridAxis="xy"
        strokeWidth={2.2}
        withDots={false}
        referenceAreas={areas}
        xAxisProps={{
          type: 'number',
          scale: 'time',
          domain: [min, end],
          tickFormatter: (v: number) => formatDate(v, locale),
          minTickGap: 40,
        }}
        yAxisProps={{
          domain: [0.5, ids.length + 0.5],
          ticks: ids.map((_, i) => i + 1),
          tickFormatter: (v: number) => ids[v - 1] ?? '',
          allowDecimals: false,
          width: 44,
        }}
        rightYAxisProps={{ allowDecimals: false, width: 48 }}
        tooltipProps={{
          content: ({ active, payload }) => {
            const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
            return p ? <Tip point={p} name={name} /> : null;
          },
        }}
      />
    </div>
  );
}
