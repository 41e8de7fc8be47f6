import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAdjustments, IconArrowBackUp, IconExternalLink } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ExperienceEntryView,
  LevelOverrideView,
  LevelRowView,
  PartnerLevelsView,
} from '../../../../main/api/methods/levels.contract';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { LevelBadge, useLevelName } from './level-badge';
import { LevelHistoryChart } from './LevelHistoryChart';
import { OverrideEditor, RevokePanel } from './OverrideEditor';

/** What the partner's panel reads: a decision or a recompute loads it again. */
export const LEVEL_READS = [
  'level_overrides',
  'engine_runs',
  'result_experience',
  'result_levels',
  'result_partners',
  'rule_configs',
] as const;

const STATE_COLORS: Record<LevelOverrideView['state'], string> = {
  in_force: 'orange',
  scheduled: 'blue',
  ended: 'gray',
  revoked: 'red',
};

function Section({
  title,
  extra,
  children,
  testId,
}: {
  title: string;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid={testId}>
      <Group justify="space-between" align="baseline" mb="sm" gap="xs">
        <Title order={3} fz={16} fw={650}>
          {title}
        </Title>
        {extra}
      </Group>
      {children}
    </Paper>
  );
}

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

export function OverrideStateBadge({ state }: { state: LevelOverrideView['state'] }) {
  const { t } = useTranslation('levels');
  return (
    <Badge color={STATE_COLORS[state]} variant="light" radius="sm" tt="none" size="sm" data-state={state}>
      {t(`overrides.state.${state}`)}
    </Badge>
  );
}

/** The overrides of one partner (or of all), with the revoke action for admins. */
export function OverridesTable({
  overrides,
  levels,
  showPartner,
  onRevoke,
  onPartner,
}: {
  overrides: LevelOverrideView[];
  levels: LevelRowView[] | undefined;
  showPartner?: boolean;
  onRevoke?: (o: LevelOverrideView) => void;
  onPartner?: (partnerId: string) => void;
}) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const name = useLevelName(levels);
  if (overrides.length === 0)
    return (
      <Text size="sm" c="dimmed" ta="center" py="md" data-testid="overrides-empty">
        {t('overrides.empty')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing={8} className="tabular-nums" data-testid="overrides-table" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={48}>#</Table.Th>
            {showPartner && <Table.Th>{t('overrides.partner')}</Table.Th>}
            <Table.Th>{t('overrides.level')}</Table.Th>
            <Table.Th>{t('overrides.period')}</Table.Th>
            <Table.Th>{t('overrides.state.title')}</Table.Th>
            <Table.Th>{t('overrides.reason')}</Table.Th>
            <Table.Th>{t('overrides.by')}</Table.Th>
            {onRevoke && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overrides.map((o) => (
            <Table.Tr key={o.overrideId} data-override={o.overrideId} data-state={o.state}>
              <Table.Td>{o.overrideId}</Table.Td>
              {showPartner && (
                <Table.Td>
                  <Anchor
                    size="sm"
                    fw={600}
                    onClick={() => onPartner?.(o.partnerId)}
                    data-testid="override-partner"
                  >
                    {o.partnerId}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>
                <LevelBadge level={o.level} name={name(o.level)} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(o.startsAt, locale)}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {o.endsAt !== null
                    ? t('overrides.until', { time: formatDateTime(o.endsAt, locale) })
                    : t('overrides.openEnded')}
                </Text>
              </Table.Td>
              <Table.Td>
                <OverrideStateBadge state={o.state} />
              </Table.Td>
              <Table.Td maw={280}>
                <Text size="sm" lineClamp={2} title={o.reason} data-col="reason">
                  {o.reason}
                </Text>
                {o.revokedAt !== null && (
                  <Text size="xs" c="red" lineClamp={2} title={o.revokeReason ?? ''}>
                    {t('overrides.revokedBy', {
                      by: o.revokedBy ?? '?',
                      time: formatDateTime(o.revokedAt, locale),
                      reason: o.revokeReason ?? '',
                    })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{o.createdBy}</Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(o.createdAt, locale)}
                </Text>
              </Table.Td>
              {onRevoke && (
                <Table.Td ta="right">
                  {(o.state === 'in_force' || o.state === 'scheduled') && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      leftSection={<IconArrowBackUp size={14} />}
                      onClick={() => onRevoke(o)}
                      data-testid="override-revoke"
                    >
                      {t('overrides.revoke')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const LEDGER_PAGE = 15;

function Ledger({ data }: { data: PartnerLevelsView }) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const credits = data.ledger.filter((e) => e.delta > 0).reduce((s, e) => s + e.delta, 0);
  const deductions = data.ledger.filter((e) => e.delta < 0).reduce((s, e) => s - e.delta, 0);
  const columns: DataTableColumn<ExperienceEntryView & { key: string }>[] = [
    {
      accessor: 'at',
      title: t('ledger.at'),
      sortable: true,
      width: 170,
      render: (e) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }} data-col="at">
          {formatDateTime(e.at, locale)}
        </Text>
      ),
    },
    {
      accessor: 'delta',
      title: t('ledger.delta'),
      textAlign: 'right',
      width: 110,
      render: (e) => (
        <Text size="sm" fw={650} c={e.delta < 0 ? 'red' : 'teal'} data-col="delta">
          {e.delta > 0 ? '+' : ''}
          {formatCount(e.delta, locale)}
        </Text>
      ),
    },
    {
      accessor: 'sourceKind',
      title: t('ledger.kind'),
      width: 130,
      render: (e) => (
        <Badge
          variant="light"
          radius="sm"
          tt="none"
          size="sm"
          color={e.sourceKind === 'refund' ? 'red' : 'teal'}
          data-col="kind"
        >
          {t(`ledger.${e.sourceKind}`)}
        </Badge>
      ),
    },
    {
      accessor: 'sourceId',
      title: t('ledger.source'),
      render: (e) => (
        <Group gap={6} wrap="nowrap" data-col="source">
          <Anchor size="sm" href={hrefFor('lookup', { q: e.orderId, order: e.orderId })} fw={600}>
            {e.sourceId}
          </Anchor>
          {e.sourceKind === 'refund' && (
            <Text size="xs" c="dimmed">
              {t('ledger.ofOrder', { order: e.orderId })}
            </Text>
          )}
        </Group>
      ),
    },
    {
      accessor: 'customerId',
      title: t('ledger.customer'),
      render: (e) => (
        <Text size="sm" data-col="customer">
          {e.customerId}
        </Text>
      ),
    },
    {
      accessor: 'balance',
      title: t('ledger.balance'),
      textAlign: 'right',
      width: 150,
      render: (e) => (
        <Text size="sm" className="tabular-nums" data-col="balance">
          {formatCount(e.balance, locale)}
        </Text>
      ),
    },
  ];
  return (
    <Section
      title={t('ledger.title')}
      testId="ledger-card"
      extra={
        <Text size="xs" c="dimmed" className="tabular-nums" data-testid="ledger-totals">
          {t('ledger.totals', {
            entries: formatCount(data.ledger.length, locale),
            credits: formatCount(credits, locale),
            deductions: formatCount(deductions, locale),
          })}
        </Text>
      }
    >
      <ServerTable<ExperienceEntryView & { key: string }>
        testId="ledger-table"
        reads={LEVEL_READS}
        filterKey={`${data.partnerId}|${data.ledger.length}|${data.asOf ?? ''}`}
        pageSize={LEDGER_PAGE}
        idAccessor="key"
        sortable={{ default: { column: 'at', direction: 'desc' } }}
        load={async (_api, page) => {
          const rows = data.ledger.map((e, i) => ({ ...e, key: String(i) }));
          if (page.sort?.direction !== 'asc') rows.reverse();
          return { rows: rows.slice(page.offset, page.offset + page.limit), total: rows.length };
        }}
        columns={columns}
        empty={t('ledger.empty')}
        rowAttributes={(e) => ({ 'data-source': e.sourceId, 'data-delta': String(e.delta) })}
      />
    </Section>
  );
}

/**
 * One partner on the levels screen: their level and experience, the level history chart, their
 * overrides (with override and revoke for admins, R-OP-1) and the experience ledger.
 */
export function PartnerLevels({
  partnerId,
  levels,
}: {
  partnerId: string;
  levels: LevelRowView[] | undefined;
}) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const name = useLevelName(levels);
  const mayOverride = useCan('levels.override');
  const mayPreviewOverride = useCan('levels.overridePreview');
  const mayRevoke = useCan('levels.revoke');
  const mayPreviewRevoke = useCan('levels.revokePreview');
  const canOverride = mayOverride && mayPreviewOverride;
  const canRevoke = mayRevoke && mayPreviewRevoke;
  const [editing, setEditing] = useState(false);
  const [revoking, setRevoking] = useState<LevelOverrideView | null>(null);
  const query = useApiQuery((api) => api.levels.partner({ partnerId }), LEVEL_READS, partnerId);
  if (query.error) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!query.data || query.data.partnerId !== partnerId)
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={110} radius="md" />
        <Skeleton h={300} radius="md" />
      </Stack>
    );
  const data = query.data;
  const last = data.history[data.history.length - 1];
  const byOverride = last?.source === 'override';
  return (
    <Stack gap="md" data-testid="partner-levels" data-partner={partnerId}>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="partner-card">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={4}>
            <Group gap="sm" align="baseline">
              <Title order={3} fz={20} fw={650} data-testid="partner-name">
                {data.name ?? partnerId}
              </Title>
              <Text size="sm" c="dimmed" ff="monospace">
                {partnerId}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" className="tabular-nums">
              {data.asOf !== null
                ? t('partner.asOf', { time: formatDateTime(data.asOf, locale), version: data.configVersion })
                : t('partner.noRun')}
            </Text>
          </Stack>
          <Group gap="xs" wrap="nowrap">
            <Button
              component="a"
              href={hrefFor('lookup', { q: partnerId })}
              variant="default"
              size="sm"
              leftSection={<IconExternalLink size={15} />}
              data-testid="partner-lookup"
            >
              {t('partner.lookup')}
            </Button>
            {canOverride && (
              <Button
                size="sm"
                color="orange"
                leftSection={<IconAdjustments size={16} />}
                onClick={() => {
                  setRevoking(null);
                  setEditing(true);
                }}
                disabled={editing}
                data-testid="override-open"
              >
                {t('partner.override')}
              </Button>
            )}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" mt="md">
          <Figure label={t('partner.level')} testId="partner-level">
            <Group gap={6}>
              <LevelBadge level={data.level} name={data.level ? name(data.level) : undefined} size="lg" />
              {byOverride && (
                <Tooltip label={t('partner.byOverrideHint', { id: last.overrideId ?? '?' })} withArrow>
                  <Badge
                    color="orange"
                    variant="outline"
                    radius="sm"
                    tt="none"
                    size="sm"
                    data-testid="partner-by-override"
                  >
                    {t('partner.byOverride')}
                  </Badge>
                </Tooltip>
              )}
            </Group>
          </Figure>
          <Figure label={t('partner.experience')} testId="partner-experience">
            <Text fz={22} fw={650} className="tabular-nums" lh={1.2}>
              {formatCount(data.experience, locale)}
            </Text>
          </Figure>
          <Figure label={t('partner.changes')} testId="partner-changes">
            <Text fz={22} fw={650} className="tabular-nums" lh={1.2}>
              {formatCount(Math.max(0, data.history.length - 1), locale)}
            </Text>
          </Figure>
          <Figure label={t('partner.overrides')} testId="partner-overrides">
            <Text fz={22} fw={650} className="tabular-nums" lh={1.2}>
              {formatCount(
                data.overrides.filter((o) => o.state === 'in_force' || o.state === 'scheduled').length,
                locale,
              )}
              <Text span size="sm" c="dimmed" fw={400}>
                {' '}
                / {formatCount(data.overrides.length, locale)}
              </Text>
            </Text>
          </Figure>
        </SimpleGrid>
      </Paper>

      {editing && levels && (
        <OverrideEditor
          partnerId={partnerId}
          current={data.level}
          levels={levels}
          onClose={() => setEditing(false)}
        />
      )}
      {revoking && (
        <RevokePanel key={revoking.overrideId} override={revoking} onClose={() => setRevoking(null)} />
      )}

      <Section title={t('history.title')} testId="history-card">
        {levels ? (
          <LevelHistoryChart
            history={data.history}
            ledger={data.ledger}
            overrides={data.overrides}
            levels={levels}
            asOf={data.asOf}
          />
        ) : (
          <Skeleton h={260} />
        )}
      </Section>

      <Section title={t('overrides.title')} testId="partner-overrides-card">
        <OverridesTable
          overrides={data.overrides}
          levels={levels}
          onRevoke={
            canRevoke
              ? (o) => {
                  setEditing(false);
                  setRevoking(o);
                }
              : undefined
          }
        />
      </Section>

      <Ledger data={data} />
    </Stack>
  );
}
