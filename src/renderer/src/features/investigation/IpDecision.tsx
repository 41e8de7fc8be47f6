import { Badge, Group, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconArrowsSplit2, IconArrowsJoin2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { GroupMove, SharedIpOutcome } from '../../../../main/api/methods/investigation.contract';
import { apiClient } from '../../app/api-client';
import { useApiQuery } from '../../app/use-api-query';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { DecisionFlow } from './DecisionFlow';
import { ImpactStat } from '../../shared/impact-parts';
import { DecisionImpact } from './DecisionImpact';

function MovesTable({ moves }: { moves: GroupMove[] }) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  return (
    <ScrollArea.Autosize mah={320} type="auto">
      <Table striped verticalSpacing={6} data-testid="impact-groups">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ipFlow.col.move')}</Table.Th>
            <Table.Th>{t('ipFlow.col.group')}</Table.Th>
            <Table.Th>{t('ipFlow.col.parts')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {moves.map((m) => (
            <Table.Tr key={`${m.kind}:${m.groupId}`} data-move={m.kind} data-group={m.groupId}>
              <Table.Td>
                <Badge
                  size="sm"
                  radius="sm"
                  variant="light"
                  color={m.kind === 'split' ? 'teal' : 'orange'}
                  tt="none"
                  leftSection={
                    m.kind === 'split' ? <IconArrowsSplit2 size={12} /> : <IconArrowsJoin2 size={12} />
                  }
                >
                  {t(`ipFlow.${m.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {m.groupId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" data-col="parts">
                  {m.parts
                    .map((p) =>
                      t('ipFlow.part', {
                        group: p.groupId,
                        count: p.accounts,
                        n: formatCount(p.accounts, locale),
                      }),
                    )
                    .join(m.kind === 'split' ? ' · ' : ' + ')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

export function SharedIpImpact({ outcome }: { outcome: SharedIpOutcome }) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const splits = outcome.groups.filter((g) => g.kind === 'split').length;
  const merges = outcome.groups.filter((g) => g.kind === 'merge').length;
  return (
    <DecisionImpact
      outcome={outcome}
      effectiveAt={outcome.effectiveAt}
      takesEffectLater={outcome.takesEffectLater}
      summary={
        <>
          <ImpactStat
            label={t(outcome.action === 'mark' ? 'ipFlow.splits' : 'ipFlow.merges')}
            testId="impact-moves"
          >
            <Text fz={20} fw={650} className="tabular-nums">
              {formatCount(outcome.action === 'mark' ? splits : merges, locale)}
            </Text>
          </ImpactStat>
          <ImpactStat label={t('ipFlow.accountsMoving')} testId="impact-members">
            <Text fz={20} fw={650} className="tabular-nums">
              {formatCount(outcome.members.length, locale)}
            </Text>
          </ImpactStat>
        </>
      }
      extraTabs={[
        {
          value: 'groups',
          label: t('ipFlow.groupsTab'),
          count: outcome.groups.length,
          panel: <MovesTable moves={outcome.groups} />,
        },
      ]}
    />
  );
}

export interface IpDecisionProps {
  ip: string | null;
  action: 'mark' | 'unmark';
  onClose(): void;
}

/**
 * 共享 IP (R-SAME-4): mark an IP as shared (it stops linking accounts) or unmark it, after the
 * engine's what-if — groups that split or join, orders whose status or rebate changes, money per
 * partner — then through the decision dialog with a reason, or cancel.
 */
export function IpDecision({ ip, action, onClose }: IpDecisionProps) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const info = useApiQuery(
    (api) => (ip ? api.ips.accounts({ ip }) : Promise.resolve(null)),
    ['shared_ips', 'result_same_person'],
    ip ?? '',
  );
  const i = info.data;
  const mark = action === 'mark';
  return (
    <DecisionFlow
      opened={ip !== null}
      onClose={onClose}
      title={t(mark ? 'ipFlow.markTitle' : 'ipFlow.unmarkTitle', { ip: ip ?? '' })}
      testId="ip-flow"
      fieldsKey={`${ip}|${action}`}
      intro={
        <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)" data-testid="ip-info">
          <Stack gap={4}>
            <Text size="sm">{t(mark ? 'ipFlow.markIntro' : 'ipFlow.unmarkIntro')}</Text>
            {i && (
              <Group gap="md">
                <Text size="sm" c="dimmed">
                  {t('ipFlow.seenBy', {
                    customers: formatCount(i.customers, locale),
                    partners: formatCount(i.partners, locale),
                  })}
                </Text>
                {i.sharedNow ? (
                  <Badge color="blue" variant="light" radius="sm" tt="none">
                    {t('ipFlow.sharedNow', {
                      since: formatDateTime(i.marks.find((m) => m.active)?.markedAt ?? 0, locale),
                    })}
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light" radius="sm" tt="none">
                    {t('ipFlow.notShared')}
                  </Badge>
                )}
              </Group>
            )}
          </Stack>
        </Paper>
      }
      preview={(effectiveAt) => apiClient().api.ips.preview({ ip: ip!, action, effectiveAt })}
      renderOutcome={(o) => <SharedIpImpact outcome={o} />}
      method={mark ? 'ips.mark' : 'ips.unmark'}
      input={(effectiveAt) => ({ ip, ...(effectiveAt !== undefined ? { effectiveAt } : {}) })}
      decisionTitle={t(mark ? 'ipFlow.markDecision' : 'ipFlow.unmarkDecision', { ip: ip ?? '' })}
      confirmLabel={t(mark ? 'ipFlow.markConfirm' : 'ipFlow.unmarkConfirm')}
      summary={(o) => (
        <Text size="sm" fw={500}>
          {t('ipFlow.summary', {
            moves: o.groups.length,
            orders: o.orders.total,
            money: formatFen(
              o.money.reduce((s, m) => s + m.afterFen - m.beforeFen, 0),
              locale,
            ),
          })}
        </Text>
      )}
      success={(out) =>
        out.takesEffectLater
          ? t('ipFlow.doneLater', { ip: out.ip })
          : t(mark ? 'ipFlow.markDone' : 'ipFlow.unmarkDone', { ip: out.ip })
      }
    />
  );
}
