import { Alert, Badge, Group, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { IconArrowRight, IconClockExclamation, IconCpu, IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { BeforeAfter, ImpactStat, partnerBalance, SignedFen, Truncated } from '../../shared/impact-parts';
import { ReasonBadge, RebateStatusBadge, StatusBadge } from '../lookup/badges';

export interface DecisionImpactProps {
  outcome: DecisionOutcome;
  effectiveAt: number;
  takesEffectLater: boolean;
  /** the decision's own summary cards (groups that split, rewards that freeze …) */
  summary?: ReactNode;
  /** extra tabs before the generic ones, e.g. the groups that move */
  extraTabs?: { value: string; label: string; count: number; panel: ReactNode }[];
  showEvents?: boolean;
}

/**
 * What a decision changes, as the rule engine computed it without writing (a what-if through the
 * one decision run): orders whose status or rebate changes, partners whose balance changes, the
 * money per partner, and (blacklist) link events that start or stop failing.
 */
export function DecisionImpact({
  outcome,
  effectiveAt,
  takesEffectLater,
  summary,
  extraTabs = [],
  showEvents = false,
}: DecisionImpactProps) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const run = outcome.run;
  const dash = '—';
  const moneyBefore = outcome.money.reduce((s, m) => s + m.beforeFen, 0);
  const moneyAfter = outcome.money.reduce((s, m) => s + m.afterFen, 0);
  const tabs = [
    ...extraTabs,
    {
      value: 'orders',
      label: t('impact.ordersTab'),
      count: outcome.orders.total,
      panel: (
        <>
          <ScrollArea.Autosize mah={320} type="auto">
            <Table striped verticalSpacing={6} data-testid="impact-orders">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('impact.col.order')}</Table.Th>
                  <Table.Th>{t('impact.col.partner')}</Table.Th>
                  <Table.Th>{t('impact.col.status')}</Table.Th>
                  <Table.Th ta="right">{t('impact.col.rebate')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outcome.orders.rows.map((o) => (
                  <Table.Tr key={o.orderId} data-order={o.orderId} data-after-status={o.after?.status}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {o.orderId}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {o.customerId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <BeforeAfter before={o.before?.partnerId ?? dash} after={o.after?.partnerId ?? dash} />
                    </Table.Td>
                    <Table.Td data-col="status">
                      <Stack gap={4}>
                        <Group gap={4} wrap="nowrap">
                          {o.before ? <StatusBadge status={o.before.status} /> : dash}
                          {o.before?.status !== o.after?.status && (
                            <>
                              <IconArrowRight size={13} color="var(--mantine-color-dimmed)" />
                              {o.after ? <StatusBadge status={o.after.status} /> : dash}
                            </>
                          )}
                        </Group>
                        {o.after && o.after.reasons.length > 0 && (
                          <Group gap={4}>
                            {o.after.reasons.map((r) => (
                              <ReasonBadge key={r} code={r} />
                            ))}
                          </Group>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td ta="right" data-col="rebate">
                      <Stack gap={4} align="flex-end">
                        <BeforeAfter
                          before={formatFen(o.before?.rebateFen ?? 0, locale)}
                          after={formatFen(o.after?.rebateFen ?? 0, locale)}
                        />
                        <Group gap={4} wrap="nowrap">
                          <RebateStatusBadge status={o.before?.rebateStatus ?? null} />
                          {o.before?.rebateStatus !== o.after?.rebateStatus && (
                            <>
                              <IconArrowRight size={12} color="var(--mantine-color-dimmed)" />
                              <RebateStatusBadge status={o.after?.rebateStatus ?? null} />
                            </>
                          )}
                        </Group>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Truncated shown={outcome.orders.rows.length} total={outcome.orders.total} ns="investigation" />
        </>
      ),
    },
    {
      value: 'money',
      label: t('impact.moneyTab'),
      count: outcome.money.length,
      panel: (
        <ScrollArea.Autosize mah={320} type="auto">
          <Table striped verticalSpacing={6} data-testid="impact-money">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('impact.col.partner')}</Table.Th>
                <Table.Th ta="right">{t('impact.col.before')}</Table.Th>
                <Table.Th ta="right">{t('impact.col.after')}</Table.Th>
                <Table.Th ta="right">{t('impact.col.delta')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outcome.money.map((m) => (
                <Table.Tr key={m.partnerId} data-partner={m.partnerId}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {m.partnerId}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {formatFen(m.beforeFen, locale)}
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {formatFen(m.afterFen, locale)}
                  </Table.Td>
                  <Table.Td ta="right">
                    <SignedFen fen={m.afterFen - m.beforeFen} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      ),
    },
    {
      value: 'partners',
      label: t('impact.partnersTab'),
      count: outcome.partners.total,
      panel: (
        <>
          <ScrollArea.Autosize mah={320} type="auto">
            <Table striped verticalSpacing={6} data-testid="impact-partners">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('impact.col.partner')}</Table.Th>
                  <Table.Th>{t('impact.col.level')}</Table.Th>
                  <Table.Th>{t('impact.col.balance')}</Table.Th>
                  <Table.Th>{t('impact.col.flags')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outcome.partners.rows.map((p) => (
                  <Table.Tr key={p.partnerId} data-partner={p.partnerId}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {p.partnerId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <BeforeAfter before={p.before?.level ?? dash} after={p.after?.level ?? dash} />
                    </Table.Td>
                    <Table.Td data-col="balance">
                      <BeforeAfter
                        before={partnerBalance(p.before, locale)}
                        after={partnerBalance(p.after, locale)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {p.after?.blacklisted && (
                          <Badge size="sm" radius="sm" color="red" variant="light" tt="none">
                            {t('impact.blacklisted')}
                          </Badge>
                        )}
                        {p.after?.riskStatus && (
                          <Badge size="sm" radius="sm" color="orange" variant="light" tt="none">
                            {t(`riskStatus.${p.after.riskStatus}`)}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Truncated shown={outcome.partners.rows.length} total={outcome.partners.total} ns="investigation" />
        </>
      ),
    },
    ...(showEvents
      ? [
          {
            value: 'events',
            label: t('impact.eventsTab'),
            count: outcome.events.total,
            panel: (
              <>
                <ScrollArea.Autosize mah={320} type="auto">
                  <Table striped verticalSpacing={6} data-testid="impact-events">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('impact.col.event')}</Table.Th>
                        <Table.Th>{t('impact.col.customer')}</Table.Th>
                        <Table.Th>{t('impact.col.partner')}</Table.Th>
                        <Table.Th>{t('impact.col.eventStatus')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {outcome.events.rows.map((e) => (
                        <Table.Tr key={e.eventId} data-event={e.eventId}>
                          <Table.Td>
                            <Text size="sm" fw={600}>
                              {e.eventId}
                            </Text>
                          </Table.Td>
                          <Table.Td>{e.customerId}</Table.Td>
                          <Table.Td>{e.partnerId}</Table.Td>
                          <Table.Td>
                            <Group gap={4} wrap="nowrap">
                              <Text size="sm" c="dimmed">
                                {e.before
                                  ? t(`eventStatus.${e.before.status}`, { defaultValue: e.before.status })
                                  : dash}
                              </Text>
                              <IconArrowRight size={12} color="var(--mantine-color-dimmed)" />
                              <Text size="sm" fw={600}>
                                {e.after
                                  ? t(`eventStatus.${e.after.status}`, { defaultValue: e.after.status })
                                  : dash}
                              </Text>
                              {e.after?.reasons.map((r) => (
                                <ReasonBadge key={r} code={r} />
                              ))}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
                <Truncated
                  shown={outcome.events.rows.length}
                  total={outcome.events.total}
                  ns="investigation"
                />
              </>
            ),
          },
        ]
      : []),
  ];
  const first = tabs.find((x) => x.count > 0)?.value ?? tabs[0].value;
  const nothing = outcome.orders.total === 0 && outcome.partners.total === 0 && outcome.members.length === 0;
  return (
    <Stack
      gap="md"
      data-testid="decision-impact"
      data-orders={outcome.orders.total}
      data-partners={outcome.partners.total}
      data-later={takesEffectLater}
    >
      {run ? (
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconCpu size={16} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm" c="dimmed" data-testid="impact-computed">
            {t('impact.computed', {
              asOf: formatDateTime(run.asOf, locale),
              mode: t(`impact.mode.${run.mode}`),
              ms: formatCount(Math.round(outcome.durationMs), locale),
            })}
          </Text>
        </Group>
      ) : (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} data-testid="impact-no-run">
          {t('impact.noRun')}
        </Alert>
      )}
      {takesEffectLater && run && (
        <Alert
          variant="light"
          color="orange"
          icon={<IconClockExclamation size={18} />}
          title={t('impact.laterTitle')}
          data-testid="impact-later"
        >
          {t('impact.later', {
            at: formatDateTime(effectiveAt, locale),
            asOf: formatDateTime(run.asOf, locale),
          })}
        </Alert>
      )}
      {run && !takesEffectLater && nothing && (
        <Alert variant="light" color="teal" icon={<IconInfoCircle size={18} />} data-testid="impact-none">
          {t('impact.none')}
        </Alert>
      )}
      {run && (
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          {summary}
          <ImpactStat label={t('impact.orders')} testId="impact-orders-count">
            <Text fz={20} fw={650} className="tabular-nums">
              {formatCount(outcome.orders.total, locale)}
            </Text>
          </ImpactStat>
          <ImpactStat label={t('impact.money')} testId="impact-money-delta">
            <Text fz={20} fw={650} className="tabular-nums">
              <SignedFen fen={moneyAfter - moneyBefore} />
            </Text>
            <BeforeAfter before={formatFen(moneyBefore, locale)} after={formatFen(moneyAfter, locale)} />
          </ImpactStat>
        </SimpleGrid>
      )}
      {run && !nothing && (
        <Tabs defaultValue={first} variant="outline" radius="md" keepMounted={false}>
          <Tabs.List>
            {tabs.map((x) => (
              <Tabs.Tab
                key={x.value}
                value={x.value}
                data-testid={`impact-tab-${x.value}`}
                rightSection={
                  <Badge size="sm" variant="light" radius="sm" color="gray">
                    {formatCount(x.count, locale)}
                  </Badge>
                }
              >
                {x.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map((x) => (
            <Tabs.Panel key={x.value} value={x.value} pt="sm">
              {x.count === 0 ? (
                <Text size="sm" c="dimmed" ta="center" py="md">
                  {t('impact.noRows')}
                </Text>
              ) : (
                x.panel
              )}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
