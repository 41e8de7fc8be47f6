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
} from '@mantine/core';
import { IconArrowLeft, IconFileDescription, IconPlayerPlay } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayoutDueLineView } from '../../../../main/api/methods/payouts.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDate, formatDateTime, formatFen } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { CycleStateBadge, cycleState } from './CyclesView';
import { BatchStatusBadge, KindBadge, lastDay, PAYOUT_READS } from './helpers';
import { Figure, PrepareDialog } from './PrepareDialog';

export function FenCell({
  fen,
  strong,
  negativeRed,
}: {
  fen: number;
  strong?: boolean;
  negativeRed?: boolean;
}) {
  const { i18n } = useTranslation();
  return (
    <Text
      size="sm"
      ta="right"
      fw={strong ? 650 : undefined}
      c={fen === 0 ? 'dimmed' : negativeRed && fen < 0 ? 'red' : undefined}
      className="tabular-nums"
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatFen(fen, i18n.language)}
    </Text>
  );
}

/** One cycle: what is due now (R-PAY-1), its batches, and preparing the next one. */
export function CycleView({ cycleKey }: { cycleKey: string }) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const [, update] = useHashParams();
  const canPrepare = useCan('payouts.prepare');
  const [preparing, setPreparing] = useState(false);
  const cycles = useApiQuery((api) => api.payouts.cycles({}), PAYOUT_READS);
  const batches = useApiQuery((api) => api.payouts.batches({ cycleKey }), PAYOUT_READS, cycleKey);
  const [summary, setSummary] = useState<{
    total: number;
    totalFen: number;
    missingPayee: { lines: number; fen: number };
    frozen: { partners: number; fen: number };
    asOf: number;
  } | null>(null);
  const cycle = cycles.data?.find((c) => c.cycleKey === cycleKey);

  const columns: DataTableColumn<PayoutDueLineView>[] = [
    {
      accessor: 'partnerId',
      title: t('lineCols.partner'),
      render: (l) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {l.partnerId}
          </Text>
          <Text size="xs" c="dimmed">
            {l.partnerName ?? ''}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'confirmedFen',
      title: t('lineCols.confirmed'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.confirmedFen} />,
    },
    {
      accessor: 'cappedFen',
      title: t('lineCols.capped'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.cappedFen} />,
    },
    {
      accessor: 'carriedFen',
      title: t('lineCols.carried'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.carriedFen} negativeRed />,
    },
    {
      accessor: 'amountFen',
      title: t('lineCols.amount'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.amountFen} strong />,
    },
    {
      accessor: 'hasPayee',
      title: t('lineCols.payee'),
      render: (l) =>
        l.hasPayee ? (
          <Text size="sm" c="dimmed">
            {t('due.payeeOk')}
          </Text>
        ) : (
          <Badge color="orange" variant="light" radius="sm" tt="none" size="sm">
            MISSING_PAYEE
          </Badge>
        ),
    },
    {
      accessor: 'statement',
      title: '',
      textAlign: 'right',
      render: (l) => (
        <Anchor
          size="sm"
          onClick={() => update({ statement: l.partnerId, cycle: cycleKey, page: null })}
          data-testid="due-statement"
        >
          <Group gap={4} wrap="nowrap">
            <IconFileDescription size={14} />
            {t('lineActions.statement')}
          </Group>
        </Anchor>
      ),
    },
  ];

  return (
    <Stack gap="md" data-testid="cycle-view" data-cycle={cycleKey}>
      <Group justify="space-between" wrap="nowrap">
        <Anchor size="sm" onClick={() => update({ cycle: null, page: null })} data-testid="back-to-cycles">
          <Group gap={4} wrap="nowrap">
            <IconArrowLeft size={15} />
            {t('cycle.back')}
          </Group>
        </Anchor>
      </Group>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={3} fz={20} fw={650}>
                {t('cycle.title', { cycle: cycleKey })}
              </Title>
              {cycle && <KindBadge kind={cycle.kind} />}
              {cycle && <CycleStateBadge cycle={cycle} />}
            </Group>
            {cycle && (
              <Text size="sm" c="dimmed" className="tabular-nums">
                {t('cycle.period', {
                  from: formatDate(cycle.start, locale),
                  to: formatDate(lastDay(cycle.end), locale),
                })}
                {!cycle.over && ` · ${t('cycle.notOver')}`}
              </Text>
            )}
          </Stack>
          {canPrepare && cycle && cycleState(cycle) !== 'review' && summary !== null && summary.total > 0 && (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              onClick={() => setPreparing(true)}
              data-testid="cycle-view-prepare"
            >
              {t('cycles.prepare')}
            </Button>
          )}
        </Group>
        {summary && (
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" mt="md">
            <Figure
              label={t('due.lines')}
              value={formatCount(summary.total, locale)}
              sub={t('due.asOf', { time: formatDateTime(summary.asOf, locale) })}
              testId="due-lines"
            />
            <Figure label={t('due.total')} value={formatFen(summary.totalFen, locale)} testId="due-total" />
            <Figure
              label={t('prepare.missingPayee')}
              value={formatFen(summary.missingPayee.fen, locale)}
              sub={t('lineCount', {
                count: summary.missingPayee.lines,
                n: formatCount(summary.missingPayee.lines, locale),
              })}
              color={summary.missingPayee.lines > 0 ? 'orange' : undefined}
            />
            <Figure
              label={t('prepare.frozen')}
              value={formatFen(summary.frozen.fen, locale)}
              sub={t('partnersCount', {
                count: summary.frozen.partners,
                n: formatCount(summary.frozen.partners, locale),
              })}
              color={summary.frozen.partners > 0 ? 'red' : undefined}
            />
          </SimpleGrid>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="cycle-batches">
        <Title order={3} fz={16} fw={650} mb="sm">
          {t('cycle.batches')}
        </Title>
        {batches.error && <ErrorAlert error={batches.error} onRetry={batches.reload} />}
        {!batches.data && !batches.error && <Skeleton h={60} />}
        {batches.data && batches.data.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="sm">
            {t('cycle.noBatches')}
          </Text>
        )}
        {batches.data && batches.data.length > 0 && (
          <Table highlightOnHover verticalSpacing={8} className="tabular-nums">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('batchCols.status')}</Table.Th>
                <Table.Th ta="right">{t('batchCols.lines')}</Table.Th>
                <Table.Th ta="right">{t('batchCols.total')}</Table.Th>
                <Table.Th>{t('batchCols.prepared')}</Table.Th>
                <Table.Th>{t('batchCols.decided')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {batches.data.map((b) => (
                <Table.Tr
                  key={b.batchId}
                  style={{ cursor: 'pointer' }}
                  onClick={() => update({ batch: String(b.batchId), cycle: null, page: null })}
                  data-batch={b.batchId}
                >
                  <Table.Td fw={650}>#{b.batchId}</Table.Td>
                  <Table.Td>
                    <BatchStatusBadge status={b.status} />
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(b.lines, locale)}</Table.Td>
                  <Table.Td ta="right">{formatFen(b.totalFen, locale)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{b.preparedBy}</Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(b.preparedAt, locale)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {b.decidedBy ? (
                      <>
                        <Text size="sm">{b.decidedBy}</Text>
                        <Text size="xs" c="dimmed">
                          {formatDateTime(b.decidedAt ?? 0, locale)}
                        </Text>
                      </>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Stack gap={2} mb="sm">
          <Title order={3} fz={16} fw={650}>
            {t('due.title')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('due.hint')}
          </Text>
        </Stack>
        <ServerTable<PayoutDueLineView>
          testId="due-table"
          reads={PAYOUT_READS}
          filterKey={cycleKey}
          pageSize={20}
          idAccessor="partnerId"
          load={async (api, page) => {
            const out = await api.payouts.due({ cycleKey, offset: page.offset, limit: page.limit });
            setSummary({
              total: out.total,
              totalFen: out.totalFen,
              missingPayee: out.missingPayee,
              frozen: out.frozen,
              asOf: out.asOf,
            });
            return { rows: out.lines, total: out.total };
          }}
          columns={columns}
          empty={t('due.empty')}
          rowAttributes={(l) => ({ 'data-partner': l.partnerId })}
        />
      </Paper>
      {preparing && (
        <PrepareDialog
          cycleKey={cycleKey}
          onClose={() => setPreparing(false)}
          onDone={(batchId) => {
            setPreparing(false);
            update({ batch: String(batchId), cycle: null, page: null });
          }}
        />
      )}
    </Stack>
  );
}
