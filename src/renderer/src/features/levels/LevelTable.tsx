import { Anchor, Group, Paper, Progress, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAdjustmentsHorizontal } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LevelTableView } from '../../../../main/api/methods/levels.contract';
import { hrefFor } from '../../app/router';
import type { QueryState } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime, formatFen, formatPercent } from '../../shared/format';
import { LevelBadge, levelColor, useLevelName } from './level-badge';

/** `2000` bp → `20%` (one decimal only when it has one). */
export function formatRatio(bp: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

/**
 * The level table in force (R-LVL-1): threshold, ratio, cap and payout cycle of each level, with
 * the partners at it at the engine's as-of and how many of them an override puts there (R-LVL-2).
 * Editing it goes through the rule configuration's impact preview (Settings).
 */
export function LevelTable({ table }: { table: QueryState<LevelTableView> }) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const name = useLevelName(table.data?.levels);
  if (table.error) return <ErrorAlert error={table.error} onRetry={table.reload} />;
  if (!table.data) return <Skeleton h={260} radius="md" />;
  const data = table.data;
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="level-table-card">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap" gap="md">
        <Stack gap={2}>
          <Title order={3} fz={16} fw={650}>
            {t('table.title')}
          </Title>
          <Text size="xs" c="dimmed" className="tabular-nums" data-testid="level-table-meta">
            {[
              t('table.version', { version: data.configVersion }),
              data.asOf !== null
                ? t('table.asOf', { time: formatDateTime(data.asOf, locale) })
                : t('table.noRun'),
            ].join(' · ')}
          </Text>
        </Stack>
        <Anchor
          href={hrefFor('settings')}
          size="sm"
          data-testid="level-table-settings"
          style={{ whiteSpace: 'nowrap' }}
        >
          <Group gap={4} wrap="nowrap">
            <IconAdjustmentsHorizontal size={15} />
            {t('table.edit')}
          </Group>
        </Anchor>
      </Group>
      <Table verticalSpacing={8} className="tabular-nums" data-testid="level-table" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('table.level')}</Table.Th>
            <Table.Th ta="right">{t('table.threshold')}</Table.Th>
            <Table.Th ta="right">{t('table.ratio')}</Table.Th>
            <Table.Th ta="right">{t('table.cap')}</Table.Th>
            <Table.Th>{t('table.cycle')}</Table.Th>
            <Table.Th ta="right">{t('table.partners')}</Table.Th>
            <Table.Th w="22%">{t('table.share')}</Table.Th>
            <Table.Th ta="right">{t('table.overridden')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.levels.map((l) => {
            const share = data.totalPartners > 0 ? l.partners / data.totalPartners : 0;
            return (
              <Table.Tr key={l.id} data-level-row={l.id}>
                <Table.Td>
                  <LevelBadge level={l.id} name={name(l.id)} />
                </Table.Td>
                <Table.Td ta="right" data-col="threshold">
                  {formatCount(l.threshold, locale)}
                </Table.Td>
                <Table.Td ta="right" data-col="ratio">
                  {formatRatio(l.ratioBp, locale)}
                </Table.Td>
                <Table.Td ta="right" data-col="cap">
                  {formatFen(l.capFen, locale)}
                </Table.Td>
                <Table.Td data-col="cycle">{t(`cycle.${l.cycle}`)}</Table.Td>
                <Table.Td ta="right" fw={600} data-col="partners">
                  {formatCount(l.partners, locale)}
                </Table.Td>
                <Table.Td>
                  <Group gap={8} wrap="nowrap">
                    <Progress value={share * 100} color={levelColor(l.id)} size="sm" style={{ flex: 1 }} />
                    <Text size="xs" c="dimmed" w={44} ta="right">
                      {formatPercent(share, locale)}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" data-col="overridden">
                  {l.overridden > 0 ? (
                    <Text size="sm" fw={600} c="orange" span>
                      {formatCount(l.overridden, locale)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed" span>
                      0
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={5}>{t('table.total')}</Table.Th>
            <Table.Th ta="right" data-testid="level-table-total">
              {formatCount(data.totalPartners, locale)}
            </Table.Th>
            <Table.Th colSpan={2} />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Paper>
  );
}
