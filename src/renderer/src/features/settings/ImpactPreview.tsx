import { Alert, Badge, Group, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconArrowRight, IconClockExclamation, IconCpu, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { BeforeAfter, ImpactStat, partnerBalance, SignedFen, Truncated } from '../../shared/impact-parts';
import { StatusBadge } from '../lookup/badges';
import { formatDecimal } from './rule-fields';

export interface ImpactTotals {
  orders: number;
  partners: number;
  levelChanges: number;
  beforeFen: number;
  afterFen: number;
}

export function impactTotals(o: DecisionOutcome): ImpactTotals {
  return {
    orders: o.orders.total,
    partners: o.partners.total,
    levelChanges: o.partners.rows.filter((p) => (p.before?.level ?? null) !== (p.after?.level ?? null))
      .length,
    beforeFen: o.money.reduce((s, m) => s + m.beforeFen, 0),
    afterFen: o.money.reduce((s, m) => s + m.afterFen, 0),
  };
}

function NoRows({ n }: { n: number }) {
  const { t } = useTranslation('settings');
  if (n > 0) return null;
  return (
    <Text size="sm" c="dimmed" ta="center" py="md">
      {t('impact.noRows')}
    </Text>
  );
}

/**
 * What a new rule configuration would change, as the engine computed it without writing
 * (config.preview): orders whose rebate changes, partners whose level or balance changes, the
 * money per payout cycle and per partner, and the totals.
 */
export function ImpactPreview({
  outcome,
  effectiveAt,
  texts,
}: {
  outcome: DecisionOutcome;
  effectiveAt: number;
  /**
   * Another decision's wording of the four sentences that speak of "the new configuration"
   * (`computed`, `notApplied`, `none`, `noRun` under `prefix` in the namespace `ns`).
   */
  texts?: { ns: string; prefix: string };
}) {
  const { t, i18n } = useTranslation('settings');
  const { t: tOwn } = useTranslation(texts?.ns ?? 'settings');
  const say = (key: 'computed' | 'notApplied' | 'none' | 'noRun', values?: Record<string, unknown>) =>
    texts ? tOwn(`${texts.prefix}.${key}`, values) : t(`impact.${key}`, values);
  const { t: tApp } = useTranslation('app');
  const locale = i18n.language;
  const totals = impactTotals(outcome);
  const run = outcome.run;
  const nothing = outcome.orders.total === 0 && outcome.partners.total === 0;
  const dash = tApp('common.none');
  const counts = {
    orders: outcome.orders.total,
    partners: outcome.partners.total,
    cycles: outcome.cycles.length,
    money: outcome.money.length,
  };
  // open on the first list that has something
  const firstTab = (Object.keys(counts) as (keyof typeof counts)[]).find((k) => counts[k] > 0) ?? 'orders';
  return (
    <Stack gap="md" data-testid="impact-preview" data-orders={totals.orders} data-partners={totals.partners}>
      <Group gap="xs">
        <Title order={3} fz={17}>
          {t('impact.title')}
        </Title>
      </Group>
      {run ? (
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconCpu size={16} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm" c="dimmed" data-testid="impact-computed">
            {say('computed', {
              asOf: formatDateTime(run.asOf, locale),
              mode: t(`impact.mode.${run.mode}`),
              ms: formatCount(Math.round(outcome.durationMs), locale),
            })}
          </Text>
        </Group>
      ) : (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} data-testid="impact-no-run">
          {say('noRun')}
        </Alert>
      )}
      {run && effectiveAt > run.asOf && (
        <Alert
          variant="light"
          color="orange"
          icon={<IconClockExclamation size={18} />}
          data-testid="impact-not-applied"
        >
          {say('notApplied', {
            at: formatDateTime(effectiveAt, locale),
            asOf: formatDateTime(run.asOf, locale),
          })}
        </Alert>
      )}
      {run && nothing ? (
        <Alert variant="light" color="teal" icon={<IconInfoCircle size={18} />} data-testid="impact-none">
          {say('none')}
        </Alert>
      ) : (
        run && (
          <>
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
              <ImpactStat label={t('impact.orders')} testId="impact-orders">
                <Text fz={22} fw={650} className="tabular-nums">
                  {formatCount(totals.orders, locale)}
                </Text>
              </ImpactStat>
              <ImpactStat label={t('impact.partners')} testId="impact-partners">
                <Text fz={22} fw={650} className="tabular-nums">
                  {formatCount(totals.partners, locale)}
                </Text>
              </ImpactStat>
              <ImpactStat label={t('impact.levelChanges')} testId="impact-level-changes">
                <Text fz={22} fw={650} className="tabular-nums">
                  {formatCount(totals.levelChanges, locale)}
                </Text>
              </ImpactStat>
              <ImpactStat label={t('impact.money')} testId="impact-money">
                <Text
                  fz={22}
                  fw={650}
                  className="tabular-nums"
                  c={
                    totals.afterFen < totals.beforeFen
                      ? 'red'
                      : totals.afterFen > totals.beforeFen
                        ? 'teal'
                        : undefined
                  }
                  data-testid="impact-money-delta"
                >
                  {totals.afterFen > totals.beforeFen ? '+' : ''}
                  {formatFen(totals.afterFen - totals.beforeFen, locale)}
                </Text>
                <BeforeAfter
                  before={formatFen(totals.beforeFen, locale)}
                  after={formatFen(totals.afterFen, locale)}
                />
              </ImpactStat>
            </SimpleGrid>
            <Tabs defaultValue={firstTab} variant="outline" radius="md" keepMounted={false}>
              <Tabs.List>
                {(Object.entries(counts) as [keyof typeof counts, number][]).map(([k, n]) => (
                  <Tabs.Tab
                    key={k}
                    value={k}
                    data-testid={`impact-tab-${k}`}
                    rightSection={
                      <Badge size="sm" variant="light" radius="sm" color="gray">
                        {formatCount(n, locale)}
                      </Badge>
                    }
                  >
                    {t(`impact.${k}Title`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              <Tabs.Panel value="orders" pt="sm">
                <ScrollArea.Autosize mah={380} type="auto">
                  <Table striped highlightOnHover verticalSpacing={6} data-testid="impact-orders-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('impact.col.order')}</Table.Th>
                        <Table.Th>{t('impact.col.partner')}</Table.Th>
                        <Table.Th>{t('impact.col.status')}</Table.Th>
                        <Table.Th>{t('impact.col.ratio')}</Table.Th>
                        <Table.Th ta="right">{t('impact.col.rebate')}</Table.Th>
                        <Table.Th ta="right">{t('impact.col.delta')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {outcome.orders.rows.map((o) => {
                        const b = o.before;
                        const a = o.after;
                        const ratio = (s: typeof b) =>
                          s?.ratioBp != null
                            ? `${s.level ?? ''} ${formatDecimal(s.ratioBp / 100, locale)}%`
                            : dash;
                        return (
                          <Table.Tr key={o.orderId} data-order={o.orderId}>
                            <Table.Td>
                              <Text size="sm" fw={600}>
                                {o.orderId}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {o.customerId}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <BeforeAfter
                                before={b?.partnerId ?? dash}
                                after={a?.partnerId ?? dash}
                                changed={(b?.partnerId ?? null) !== (a?.partnerId ?? null)}
                              />
                            </Table.Td>
                            <Table.Td>
                              <Group gap={4} wrap="nowrap">
                                {b ? <StatusBadge status={b.status} /> : dash}
                                {b?.status !== a?.status && (
                                  <>
                                    <IconArrowRight size={13} color="var(--mantine-color-dimmed)" />
                                    {a ? <StatusBadge status={a.status} /> : dash}
                                  </>
                                )}
                              </Group>
                            </Table.Td>
                            <Table.Td>
                              <BeforeAfter
                                before={ratio(b)}
                                after={ratio(a)}
                                changed={ratio(b) !== ratio(a)}
                              />
                            </Table.Td>
                            <Table.Td ta="right" data-col="rebate">
                              <Group justify="flex-end">
                                <BeforeAfter
                                  before={formatFen(b?.rebateFen ?? 0, locale)}
                                  after={formatFen(a?.rebateFen ?? 0, locale)}
                                />
                              </Group>
                            </Table.Td>
                            <Table.Td ta="right">
                              <SignedFen fen={(a?.rebateFen ?? 0) - (b?.rebateFen ?? 0)} />
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
                <NoRows n={outcome.orders.total} />
                <Truncated shown={outcome.orders.rows.length} total={outcome.orders.total} ns="settings" />
              </Tabs.Panel>
              <Tabs.Panel value="partners" pt="sm">
                <ScrollArea.Autosize mah={380} type="auto">
                  <Table striped highlightOnHover verticalSpacing={6} data-testid="impact-partners-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('impact.col.partner')}</Table.Th>
                        <Table.Th>{t('impact.col.level')}</Table.Th>
                        <Table.Th>{t('impact.col.experience')}</Table.Th>
                        <Table.Th>{t('impact.col.balance')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {outcome.partners.rows.map((p) => {
                        const levelChanged = (p.before?.level ?? null) !== (p.after?.level ?? null);
                        return (
                          <Table.Tr
                            key={p.partnerId}
                            data-partner={p.partnerId}
                            data-level-changed={levelChanged}
                          >
                            <Table.Td>
                              <Text size="sm" fw={600}>
                                {p.partnerId}
                              </Text>
                            </Table.Td>
                            <Table.Td data-col="level">
                              <BeforeAfter
                                before={p.before?.level ?? dash}
                                after={p.after?.level ?? dash}
                                changed={levelChanged}
                              />
                            </Table.Td>
                            <Table.Td>
                              <BeforeAfter
                                before={p.before ? formatCount(p.before.experience, locale) : dash}
                                after={p.after ? formatCount(p.after.experience, locale) : dash}
                                changed={p.before?.experience !== p.after?.experience}
                              />
                            </Table.Td>
                            <Table.Td>
                              <BeforeAfter
                                before={partnerBalance(p.before, locale)}
                                after={partnerBalance(p.after, locale)}
                                changed={partnerBalance(p.before, locale) !== partnerBalance(p.after, locale)}
                              />
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
                <NoRows n={outcome.partners.total} />
                <Truncated
                  shown={outcome.partners.rows.length}
                  total={outcome.partners.total}
                  ns="settings"
                />
              </Tabs.Panel>
              {(['cycles', 'money'] as const).map((k) => (
                <Tabs.Panel key={k} value={k} pt="sm">
                  <ScrollArea.Autosize mah={380} type="auto">
                    <Table striped highlightOnHover verticalSpacing={6} data-testid={`impact-${k}-table`}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t(k === 'cycles' ? 'impact.col.cycle' : 'impact.col.partner')}</Table.Th>
                          <Table.Th ta="right">{t('impact.col.before')}</Table.Th>
                          <Table.Th ta="right">{t('impact.col.after')}</Table.Th>
                          <Table.Th ta="right">{t('impact.col.delta')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {(k === 'cycles'
                          ? outcome.cycles.map((c) => ({ key: c.cycleKey, ...c }))
                          : outcome.money.map((m) => ({ key: m.partnerId, ...m }))
                        ).map((r) => (
                          <Table.Tr key={r.key} data-key={r.key}>
                            <Table.Td>
                              <Text size="sm" fw={600}>
                                {r.key}
                              </Text>
                            </Table.Td>
                            <Table.Td ta="right" className="tabular-nums">
                              {formatFen(r.beforeFen, locale)}
                            </Table.Td>
                            <Table.Td ta="right" className="tabular-nums">
                              {formatFen(r.afterFen, locale)}
                            </Table.Td>
                            <Table.Td ta="right">
                              <SignedFen fen={r.afterFen - r.beforeFen} />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollArea.Autosize>
                  <NoRows n={counts[k]} />
                </Tabs.Panel>
              ))}
            </Tabs>
          </>
        )
      )}
    </Stack>
  );
}
