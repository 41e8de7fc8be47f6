import { Alert, Group, Paper, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BlacklistOutcome } from '../../../../main/api/methods/blacklist.contract';
import { apiClient } from '../../app/api-client';
import { formatCount, formatFen } from '../../shared/format';
import { DecisionFlow } from '../investigation/DecisionFlow';
import { BeforeAfter, ImpactStat } from '../../shared/impact-parts';
import { DecisionImpact } from '../investigation/DecisionImpact';

/** What adding or lifting does, as the engine computed it: rewards that freeze or are released, pending rewards, events that fail. */
export function BlacklistImpact({ outcome }: { outcome: BlacklistOutcome }) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const s = outcome.summary;
  const add = outcome.action === 'add';
  return (
    <DecisionImpact
      outcome={outcome}
      effectiveAt={outcome.effectiveAt}
      takesEffectLater={outcome.takesEffectLater}
      showEvents
      summary={
        <>
          <ImpactStat label={t(add ? 'impact.freezes' : 'impact.releases')} testId="impact-frozen">
            <Text
              fz={20}
              fw={650}
              className="tabular-nums"
              c={add ? 'red' : 'teal'}
              data-testid="impact-frozen-amount"
            >
              {formatFen(Math.abs(s.frozenAfterFen - s.frozenBeforeFen), locale)}
            </Text>
            <BeforeAfter
              before={formatFen(s.frozenBeforeFen, locale)}
              after={formatFen(s.frozenAfterFen, locale)}
            />
          </ImpactStat>
          <ImpactStat label={t('impact.pending')} testId="impact-pending">
            <Text fz={20} fw={650} className="tabular-nums">
              {formatFen(s.pendingAfterFen, locale)}
            </Text>
            <BeforeAfter
              before={formatFen(s.pendingBeforeFen, locale)}
              after={formatFen(s.pendingAfterFen, locale)}
            />
          </ImpactStat>
          <ImpactStat label={t('impact.confirmed')} testId="impact-confirmed">
            <Text fz={20} fw={650} className="tabular-nums">
              {formatFen(s.confirmedAfterFen, locale)}
            </Text>
            <BeforeAfter
              before={formatFen(s.confirmedBeforeFen, locale)}
              after={formatFen(s.confirmedAfterFen, locale)}
            />
          </ImpactStat>
          <ImpactStat
            label={t(add ? 'impact.eventsFailing' : 'impact.eventsReleased')}
            testId="impact-events-count"
          >
            <Text fz={20} fw={650} className="tabular-nums" data-testid="impact-events-failing">
              {formatCount(add ? s.eventsFailing : s.eventsReleased, locale)}
            </Text>
          </ImpactStat>
        </>
      }
    />
  );
}

export interface BlacklistDecisionProps {
  /** null: closed */
  action: 'add' | 'lift' | 'risk-blacklist' | null;
  partnerId: string | null;
  onClose(): void;
}

/**
 * 加入 / 解除黑名单 (R-BL-1..3): the partner, the effective time and (adding) whether promotion is
 * restricted, then the engine's what-if, then the decision dialog with a reason. A risk flag
 * decided as "blacklist" (R-CLAW-4) goes the same way, recorded through risk.decide.
 */
export function BlacklistDecision({ action, partnerId, onClose }: BlacklistDecisionProps) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const [partner, setPartner] = useState(partnerId ?? '');
  const [restrict, setRestrict] = useState(true);
  const [shownFor, setShownFor] = useState<string | null>(null);
  // a new opening starts from the partner it was opened for
  const openKey = action ? `${action}|${partnerId ?? ''}` : null;
  if (openKey !== shownFor) {
    setShownFor(openKey);
    setPartner(partnerId ?? '');
    setRestrict(true);
  }
  const id = partner.trim();
  const adding = action !== 'lift';
  const risk = action === 'risk-blacklist';
  const kind = action ?? 'add';
  return (
    <DecisionFlow
      opened={action !== null}
      onClose={onClose}
      title={t(`flow.${kind}.title`, { partner: id || '…' })}
      testId="blacklist-flow"
      fieldsKey={`${kind}|${id}|${restrict}`}
      ready={id.length > 0}
      intro={
        !adding ? (
          <Alert
            variant="light"
            color="teal"
            icon={<IconInfoCircle size={18} />}
            data-testid="lift-release-note"
          >
            {t('flow.lift.release')}
          </Alert>
        ) : risk ? (
          <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} />}>
            {t('flow.risk-blacklist.intro')}
          </Alert>
        ) : undefined
      }
      fields={
        <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
          <Group gap="lg" align="flex-end" wrap="wrap">
            <TextInput
              label={t('flow.partner')}
              placeholder={t('flow.partnerPlaceholder')}
              value={partner}
              onChange={(e) => setPartner(e.currentTarget.value)}
              readOnly={partnerId !== null}
              withAsterisk
              w={220}
              spellCheck={false}
              data-testid="blacklist-partner"
            />
            {adding && (
              <Stack gap={2}>
                <Switch
                  checked={restrict}
                  onChange={(e) => setRestrict(e.currentTarget.checked)}
                  label={t('flow.restrict')}
                  data-testid="blacklist-restrict"
                />
                <Text size="xs" c="dimmed" maw={460}>
                  {t(restrict ? 'flow.restrictOn' : 'flow.restrictOff')}
                </Text>
              </Stack>
            )}
          </Group>
        </Paper>
      }
      preview={(effectiveAt) =>
        apiClient().api.blacklist.preview({
          partnerId: id,
          action: adding ? 'add' : 'lift',
          restrictPromotion: restrict,
          effectiveAt,
        })
      }
      renderOutcome={(o) => <BlacklistImpact outcome={o} />}
      method={risk ? 'risk.decide' : adding ? 'blacklist.add' : 'blacklist.lift'}
      input={(effectiveAt) => ({
        partnerId: id,
        ...(risk ? { decision: 'blacklist' } : {}),
        ...(adding ? { restrictPromotion: restrict } : {}),
        ...(effectiveAt !== undefined ? { effectiveAt } : {}),
      })}
      decisionTitle={t(`flow.${kind}.decision`, { partner: id })}
      confirmLabel={t(`flow.${kind}.confirm`)}
      confirmColor={adding ? 'red' : 'teal'}
      summary={(o) => (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {adding
              ? t('flow.add.summary', {
                  frozen: formatFen(o.summary.frozenAfterFen, locale),
                  events: o.summary.eventsFailing,
                })
              : t('flow.lift.summary', {
                  released: formatFen(o.summary.frozenBeforeFen - o.summary.frozenAfterFen, locale),
                })}
          </Text>
          {adding && <Text size="sm">{t(restrict ? 'flow.restrictOn' : 'flow.restrictOff')}</Text>}
          {!adding && (
            <Text size="sm" c="teal" data-testid="lift-next-payout">
              {t('flow.lift.release')}
            </Text>
          )}
        </Stack>
      )}
      success={(out) => {
        const o = out as Partial<BlacklistOutcome>;
        return o.takesEffectLater
          ? t('flow.doneLater', { partner: id })
          : t(`flow.${kind}.done`, { partner: id });
      }}
    />
  );
}
