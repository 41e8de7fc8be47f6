import {
  ActionIcon,
  Alert,
  Box,
  Grid,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowBackUp,
  IconBan,
  IconCircleCheck,
  IconClock,
  IconCpu,
  IconFingerprint,
  IconLink,
  IconRefresh,
  IconShoppingCart,
  IconUser,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardSummary } from '../../app/api-client';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { baseName, formatCount, formatDateTime, formatFen, formatPercent } from '../../shared/format';
import { PageHeader } from '../../shared/PageHeader';
// The recompute action belongs to the lookup feature (its strings too); the dashboard offers it as well.
import { RecomputeButton } from '../lookup/RecomputeButton';
import { useRecompute } from '../lookup/recompute';
import { StatCard } from './StatCard';
import { Trends } from './Trends';
import { Welcome } from './Welcome';

const STATUS_COLORS: Record<string, string> = {
  valid: 'teal',
  ineligible: 'gray',
  not_attributed: 'yellow',
  not_first: 'blue',
  excluded: 'red',
};
/** Decisions in the order the engine checks them (RULES.md), valid first; unknown ones last. */
const STATUS_ORDER = ['valid', 'not_first', 'not_attributed', 'excluded', 'ineligible'];
const byStatusOrder = (a: { key: string }, b: { key: string }) =>
  (STATUS_ORDER.indexOf(a.key) + 1 || 99) - (STATUS_ORDER.indexOf(b.key) + 1 || 99);
const LEVEL_COLORS: Record<string, string> = { L1: 'cyan', L2: 'gray', L3: 'yellow', L4: 'grape' };

function SectionTitle({
  children,
  extra,
  action,
}: {
  children: ReactNode;
  extra?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Group justify="space-between" align={action ? 'center' : 'baseline'} mb="sm" gap="xs">
      <Title order={3} fz={16} fw={650}>
        {children}
      </Title>
      {(extra || action) && (
        <Group gap="sm" wrap="nowrap">
          {extra && (
            <Text size="xs" c="dimmed">
              {extra}
            </Text>
          )}
          {action}
        </Group>
      )}
    </Group>
  );
}

function BreakdownTable({
  rows,
  labelHeader,
  countHeader,
  label,
  colors,
  testId,
}: {
  rows: { key: string; count: number }[];
  labelHeader: string;
  countHeader: string;
  label: (key: string) => string;
  colors: Record<string, string>;
  testId: string;
}) {
  const { t, i18n } = useTranslation('dashboard');
  const locale = i18n.language;
  const total = rows.reduce((s, r) => s + r.count, 0);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="lg" ta="center" data-testid={testId}>
        {t('table.empty')}
      </Text>
    );
  }
  return (
    <Table verticalSpacing={8} horizontalSpacing="xs" data-testid={testId} className="tabular-nums">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{labelHeader}</Table.Th>
          <Table.Th ta="right" w={96}>
            {countHeader}
          </Table.Th>
          <Table.Th w="38%">{t('table.share')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const share = total > 0 ? r.count / total : 0;
          return (
            <Table.Tr key={r.key} data-row={r.key}>
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <Box
                    w={8}
                    h={8}
                    style={{ borderRadius: 2, flexShrink: 0 }}
                    bg={`${colors[r.key] ?? 'gray'}.6`}
                  />
                  <Text size="sm">{label(r.key)}</Text>
                </Group>
              </Table.Td>
              <Table.Td ta="right" data-count>
                {formatCount(r.count, locale)}
              </Table.Td>
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <Progress
                    value={share * 100}
                    color={colors[r.key] ?? 'gray'}
                    size="sm"
                    style={{ flex: 1 }}
                  />
                  <Text size="xs" c="dimmed" w={44} ta="right">
                    {formatPercent(share, locale)}
                  </Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th>{t('table.total')}</Table.Th>
          <Table.Th ta="right">{formatCount(total, locale)}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

function RebateCard({ results }: { results: DashboardSummary['results'] }) {
  const { t, i18n } = useTranslation('dashboard');
  const locale = i18n.language;
  const parts = [
    { key: 'pendingFen', fen: results.pendingFen, color: 'yellow.5', hint: t('results.pendingHint') },
    { key: 'confirmedFen', fen: results.confirmedFen, color: 'teal.6', hint: t('results.confirmedHint') },
    { key: 'frozenFen', fen: results.frozenFen, color: 'red.5', hint: t('results.frozenHint') },
  ] as const;
  const sum = parts.reduce((s, p) => s + p.fen, 0);
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" h="100%" data-stat="rebateFen">
      <Stack gap="sm" h="100%" justify="space-between">
        <Stack gap={4}>
          <Text size="sm" c="dimmed" fw={500}>
            {t('results.rebateFen')}
          </Text>
          <Text fz={30} fw={650} lh={1.15} className="tabular-nums" data-value>
            {formatFen(results.rebateFen, locale)}
          </Text>
        </Stack>
        <Progress.Root size={8}>
          {parts.map((p) => (
            <Tooltip key={p.key} label={`${t(`results.${p.key}`)} ${formatFen(p.fen, locale)}`}>
              <Progress.Section value={sum > 0 ? (p.fen / sum) * 100 : 0} color={p.color} />
            </Tooltip>
          ))}
        </Progress.Root>
        <SimpleGrid cols={3} spacing="sm">
          {parts.map((p) => (
            <Stack key={p.key} gap={2} data-stat={p.key}>
              <Group gap={6} wrap="nowrap">
                <Box w={8} h={8} style={{ borderRadius: 2, flexShrink: 0 }} bg={p.color} />
                <Text size="xs" c="dimmed" fw={500}>
                  {t(`results.${p.key}`)}
                </Text>
              </Group>
              <Text fw={600} fz={16} className="tabular-nums" data-value>
                {formatFen(p.fen, locale)}
              </Text>
              <Text fz={11} c="dimmed" lh={1.35}>
                {p.hint}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function Populated({ summary }: { summary: DashboardSummary }) {
  const { t, i18n } = useTranslation('dashboard');
  const { t: tLookup } = useTranslation('lookup');
  const locale = i18n.language;
  const n = (v: number) => formatCount(v, locale);
  const { counts, results } = summary;
  const recompute = useRecompute();
  const engineRan = results.computedAt !== null;
  const runMeta = engineRan
    ? [
        t('results.computedAt', { time: formatDateTime(results.computedAt!, locale) }),
        results.asOf !== null ? t('results.asOf', { time: formatDateTime(results.asOf, locale) }) : null,
        results.configVersion !== null
          ? t('results.configVersion', { version: results.configVersion })
          : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;

  return (
    <Stack gap={28}>
      <section>
        <SectionTitle extra={t('sections.sourcesHint')}>{t('sections.sources')}</SectionTitle>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
          <StatCard id="partners" label={t('counts.partners')} value={n(counts.partners)} icon={IconUser} />
          <StatCard
            id="customers"
            label={t('counts.customers')}
            value={n(counts.customers)}
            icon={IconUsers}
          />
          <StatCard
            id="referralEvents"
            label={t('counts.referralEvents')}
            value={n(counts.referralEvents)}
            icon={IconLink}
          />
          <StatCard id="orders" label={t('counts.orders')} value={n(counts.orders)} icon={IconShoppingCart} />
          <StatCard
            id="refunds"
            label={t('counts.refunds')}
            value={n(counts.refunds)}
            icon={IconArrowBackUp}
          />
        </SimpleGrid>
      </section>

      <section>
        <SectionTitle
          extra={runMeta}
          action={engineRan ? <RecomputeButton recompute={recompute} variant="default" /> : undefined}
        >
          {t('sections.results')}
        </SectionTitle>
        {recompute.error && (
          <Box mb="md">
            <ErrorAlert
              error={recompute.error}
              context={tLookup('recompute.failed')}
              onRetry={() => void recompute.run()}
            />
          </Box>
        )}
        {engineRan ? (
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <RebateCard results={results} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4, lg: 2 }}>
              <StatCard
                id="validOrders"
                label={t('results.validOrders')}
                value={n(results.validOrders)}
                hint={t('results.validOrdersHint')}
                icon={IconCircleCheck}
                color="teal"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4, lg: 2 }}>
              <StatCard
                id="blacklistedPartners"
                label={t('results.blacklistedPartners')}
                value={n(results.blacklistedPartners)}
                hint={t('results.blacklistedPartnersHint')}
                icon={IconBan}
                color="red"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4, lg: 2 }}>
              <StatCard
                id="samePersonGroups"
                label={t('results.samePersonGroups')}
                value={n(results.samePersonGroups)}
                hint={t('results.samePersonGroupsHint')}
                icon={IconFingerprint}
                color="orange"
              />
            </Grid.Col>
          </Grid>
        ) : (
          <Alert
            variant="light"
            color="gray"
            icon={<IconCpu size={20} />}
            title={t('results.notRun')}
            data-testid="engine-not-run"
          >
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{t('results.notRunHint')}</Text>
              <RecomputeButton recompute={recompute} variant="filled" size="sm" />
            </Stack>
          </Alert>
        )}
      </section>

      {engineRan && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" h="100%">
              <SectionTitle>{t('sections.ordersByStatus')}</SectionTitle>
              <BreakdownTable
                testId="orders-by-status"
                rows={summary.ordersByStatus
                  .map((r) => ({ key: r.status, count: r.count }))
                  .sort(byStatusOrder)}
                labelHeader={t('table.status')}
                countHeader={t('table.count')}
                label={(k) => t(`status.${k}`, { defaultValue: k })}
                colors={STATUS_COLORS}
              />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" h="100%">
              <SectionTitle>{t('sections.levels')}</SectionTitle>
              <BreakdownTable
                testId="partners-by-level"
                rows={summary.levels.map((r) => ({ key: r.level, count: r.partners }))}
                labelHeader={t('table.level')}
                countHeader={t('table.partners')}
                label={(k) => `${k} · ${t(`levels.${k}`, { defaultValue: k })}`}
                colors={LEVEL_COLORS}
              />
            </Paper>
          </Grid.Col>
        </Grid>
      )}

      {engineRan && <Trends />}

      <Group gap="lg" c="dimmed" fz="xs">
        <Group gap={6} wrap="nowrap" data-testid="last-import">
          <IconClock size={14} />
          <Text size="xs" c="dimmed">
            {summary.lastImportAt !== null
              ? t('footer.lastImport', { time: formatDateTime(summary.lastImportAt, locale) })
              : t('footer.neverImported')}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate maw={480}>
          {t('footer.store', { file: baseName(summary.storeFile) })}
        </Text>
      </Group>
    </Stack>
  );
}

function Loading() {
  return (
    <Stack gap="md" aria-busy>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} h={112} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton h={180} radius="md" />
    </Stack>
  );
}

/** 概览: real counts from dashboard.summary; the welcome panel when the store is empty. */
export function DashboardScreen() {
  const { t, i18n } = useTranslation('dashboard');
  const { t: tApp } = useTranslation('app');
  const info = useAppStore((s) => s.info);
  const summary = useApiQuery((api) => api.dashboard.summary(), 'all');
  const empty = info?.isEmpty ?? false;

  if (summary.data && empty && !summary.error) return <Welcome />;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('summary')}
        actions={
          <>
            {summary.loadedAt !== null && (
              <Text size="xs" c="dimmed" data-testid="updated-at">
                {tApp('common.updatedAt', { time: formatDateTime(summary.loadedAt, i18n.language) })}
              </Text>
            )}
            <Tooltip label={tApp('common.refresh')} withArrow>
              <ActionIcon
                variant="default"
                size={30}
                onClick={summary.reload}
                loading={summary.loading}
                aria-label={tApp('common.refresh')}
                data-testid="refresh"
              >
                <IconRefresh size={16} stroke={1.8} />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      {summary.error ? (
        <ErrorAlert error={summary.error} onRetry={summary.reload} />
      ) : summary.data ? (
        <Populated summary={summary.data} />
      ) : (
        <Loading />
      )}
    </>
  );
}
