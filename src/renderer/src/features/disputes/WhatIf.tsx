import { Alert, Group, Paper, ScrollArea, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconArrowRight, IconClockExclamation, IconCpu, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { BeforeAfter, SignedFen } from '../../shared/impact-parts';
import { StatusBadge } from '../lookup/badges';

function Arrow() {
  return <IconArrowRight size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />;
}

export interface WhatIfProps {
  /** null while the engine computes it */
  outcome: DecisionOutcome | null;
  /** the decision's effective instant (the manual attribution's start, for an uphold) */
  effectiveAt: number | null;
  kind: 'uphold' | 'revoke';
}

/**
 * What upholding (or revoking) a case would change, as the engine computed it on the decision's
 * own code path without writing: the orders whose partner, status or rebate change, and the money
 * per partner, before → after.
 */
export function WhatIf({ outcome, effectiveAt, kind }: WhatIfProps) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  if (!outcome)
    return (
      <Stack gap="xs" aria-busy data-testid="what-if-loading">
        <Group gap={6}>
          <IconCpu size={16} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {t('whatIf.computing')}
          </Text>
        </Group>
        <Skeleton h={90} radius="md" />
      </Stack>
    );
  const run = outcome.run;
  const orders = outcome.orders.rows;
  const moved = orders.filter((o) => (o.before?.partnerId ?? null) !== (o.after?.partnerId ?? null));
  const money = outcome.money.filter((m) => m.beforeFen !== m.afterFen);
  const nothing = outcome.orders.total === 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      bg="var(--app-card-bg)"
      data-testid="what-if"
      data-orders={outcome.orders.total}
      data-moved={moved.length}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="baseline">
          <Text fw={650}>{t(`whatIf.title.${kind}`)}</Text>
          {run && (
            <Text size="xs" c="dimmed" data-testid="what-if-computed">
              {t('whatIf.computed', {
                asOf: formatDateTime(run.asOf, locale),
                mode: t(`whatIf.mode.${run.mode}`),
                ms: formatCount(Math.round(outcome.durationMs), locale),
              })}
            </Text>
          )}
        </Group>
        {!run && (
          <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
            {t('whatIf.noRun')}
          </Alert>
        )}
        {run && effectiveAt !== null && effectiveAt > run.asOf && (
          <Alert
            variant="light"
            color="orange"
            icon={<IconClockExclamation size={18} />}
            data-testid="what-if-after-as-of"
          >
            {t('whatIf.afterAsOf', {
              at: formatDateTime(effectiveAt, locale),
              asOf: formatDateTime(run.asOf, locale),
            })}
          </Alert>
        )}
        {run && nothing ? (
          <Alert
            variant="light"
            color="gray"
            icon={<IconInfoCircle size={18} />}
            data-testid="what-if-nothing"
          >
            {t(`whatIf.nothing.${kind}`)}
          </Alert>
        ) : (
          run && (
            <>
              <Text size="sm" data-testid="what-if-summary">
                {t('whatIf.summary', {
                  count: outcome.orders.total,
                  orders: outcome.orders.total,
                  moved: moved.length,
                  partners: outcome.partners.total,
                })}
              </Text>
              <ScrollArea.Autosize mah={260} type="auto">
                <Table verticalSpacing={6} horizontalSpacing="xs" striped data-testid="what-if-orders">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('whatIf.col.order')}</Table.Th>
                      <Table.Th>{t('whatIf.col.partner')}</Table.Th>
                      <Table.Th>{t('whatIf.col.status')}</Table.Th>
                      <Table.Th ta="right">{t('whatIf.col.rebate')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {orders.map((o) => {
                      const b = o.before;
                      const a = o.after;
                      const none = t('whatIf.none');
                      return (
                        <Table.Tr
                          key={o.orderId}
                          data-order={o.orderId}
                          data-before-partner={b?.partnerId ?? ''}
                          data-after-partner={a?.partnerId ?? ''}
                        >
                          <Table.Td>
                            <Text size="sm" fw={600}>
                              {o.orderId}
                            </Text>
                          </Table.Td>
                          <Table.Td data-col="partner">
                            <BeforeAfter
                              before={b?.partnerId ?? none}
                              after={a?.partnerId ?? none}
                              changed={(b?.partnerId ?? null) !== (a?.partnerId ?? null)}
                            />
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4} wrap="nowrap">
                              {b ? <StatusBadge status={b.status} /> : none}
                              {b?.status !== a?.status && (
                                <>
                                  <Arrow />
                                  {a ? <StatusBadge status={a.status} /> : none}
                                </>
                              )}
                            </Group>
                          </Table.Td>
                          <Table.Td ta="right" data-col="rebate">
                            <Group justify="flex-end">
                              <BeforeAfter
                                before={formatFen(b?.rebateFen ?? 0, locale)}
                                after={formatFen(a?.rebateFen ?? 0, locale)}
                                changed={(b?.rebateFen ?? 0) !== (a?.rebateFen ?? 0)}
                              />
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
              {outcome.orders.total > orders.length && (
                <Text size="xs" c="dimmed">
                  {t('whatIf.truncated', { shown: orders.length, total: outcome.orders.total })}
                </Text>
              )}
              {money.length > 0 && (
                <SimpleGrid
                  cols={{ base: 1, xs: Math.min(money.length, 3) }}
                  spacing="xs"
                  data-testid="what-if-money"
                >
                  {money.map((m) => (
                    <Paper key={m.partnerId} withBorder radius="sm" p="xs" data-partner={m.partnerId}>
                      <Text size="xs" c="dimmed">
                        {t('whatIf.partnerMoney', { partner: m.partnerId })}
                      </Text>
                      <Group gap={8} justify="space-between" wrap="nowrap">
                        <BeforeAfter
                          before={formatFen(m.beforeFen, locale)}
                          after={formatFen(m.afterFen, locale)}
                          changed
                        />
                        <SignedFen fen={m.afterFen - m.beforeFen} />
                      </Group>
                    </Paper>
                  ))}
                </SimpleGrid>
              )}
            </>
          )
        )}
      </Stack>
    </Paper>
  );
}
