import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconBan, IconFingerprint, IconLockOpen, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { BlacklistRow, RiskDecisionView } from '../../../../main/api/methods/blacklist.contract';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime, formatFen } from '../../shared/format';
import { useCan } from '../../shared/use-can';

export const BLACKLIST_READS = ['blacklist_entries', 'risk_decisions', 'result_partners'] as const;

export function EntryStatusBadge({ status }: { status: BlacklistRow['status'] }) {
  const { t } = useTranslation('blacklist');
  const color = status === 'active' ? 'red' : status === 'scheduled' ? 'yellow' : 'gray';
  return (
    <Badge size="sm" radius="sm" variant="light" color={color} tt="none" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

function EntryItem({ e }: { e: BlacklistRow }) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  return (
    <Stack gap={4} data-testid="history-entry" data-entry={e.entryId} data-status={e.status}>
      <Group gap={6}>
        <EntryStatusBadge status={e.status} />
        <Badge size="sm" radius="sm" variant="outline" color={e.restrictPromotion ? 'red' : 'gray'} tt="none">
          {t(e.restrictPromotion ? 'restrict.yes' : 'restrict.no')}
        </Badge>
        {e.frozenFen > 0 && (
          <Text size="sm" c="red" fw={600} className="tabular-nums">
            {t('history.frozenNow', { amount: formatFen(e.frozenFen, locale) })}
          </Text>
        )}
      </Group>
      <Text size="sm">
        {t('history.added', {
          at: formatDateTime(e.since, locale),
          by: e.addedBy,
          recorded: formatDateTime(e.recordedAt, locale),
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('history.reason', { reason: e.reason })}
      </Text>
      {e.until !== null && (
        <>
          <Text size="sm">
            {t('history.lifted', {
              at: formatDateTime(e.until, locale),
              by: e.liftedBy ?? '—',
              recorded: e.liftRecordedAt !== null ? formatDateTime(e.liftRecordedAt, locale) : '—',
            })}
          </Text>
          {e.liftReason && (
            <Text size="sm" c="dimmed">
              {t('history.reason', { reason: e.liftReason })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

export function RiskDecisionLine({ d }: { d: RiskDecisionView }) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  return (
    <Stack gap={2} data-testid="risk-decision" data-decision={d.decision}>
      <Text size="sm">
        {t(`riskDecision.${d.decision}`, {
          at: formatDateTime(d.effectiveAt, locale),
          by: d.decidedBy,
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('history.reason', { reason: d.reason })}
      </Text>
      {d.reflagAfter !== null && (
        <Text size="xs" c="dimmed">
          {t('riskDecision.reflag', { at: formatDateTime(d.reflagAfter, locale) })}
        </Text>
      )}
    </Stack>
  );
}

/**
 * A partner's blacklist history (#/blacklist?partner=ID): every entry with its start, end and
 * reasons, the amount frozen now, and the risk decisions taken on the partner's flags; admins add
 * or lift from here.
 */
export function HistoryPanel({
  partnerId,
  onAdd,
  onLift,
}: {
  partnerId: string;
  onAdd(): void;
  onLift(): void;
}) {
  const { t, i18n } = useTranslation('blacklist');
  const locale = i18n.language;
  const canAdd = useCan('blacklist.add');
  const canLift = useCan('blacklist.lift');
  const history = useApiQuery((api) => api.blacklist.history({ partnerId }), BLACKLIST_READS, partnerId);
  const h = history.data;
  if (history.error) return <ErrorAlert error={history.error} onRetry={history.reload} />;
  if (!h)
    return (
      <Stack gap="sm" aria-busy>
        <Skeleton h={80} radius="md" />
        <Skeleton h={200} radius="md" />
      </Stack>
    );
  const open = h.entries.find((e) => e.until === null) ?? null;
  return (
    <Stack gap="md" data-testid="history" data-partner={h.partnerId} data-blacklisted={h.blacklisted}>
      <SimpleGrid cols={2} spacing="sm">
        <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
          <Text size="xs" c="dimmed">
            {t('history.state')}
          </Text>
          <Group gap={6} mt={4}>
            {h.blacklisted ? (
              <Badge color="red" variant="light" radius="sm" tt="none" size="lg" data-testid="history-state">
                {t('history.blacklisted')}
              </Badge>
            ) : (
              <Badge color="teal" variant="light" radius="sm" tt="none" size="lg" data-testid="history-state">
                {t('history.notBlacklisted')}
              </Badge>
            )}
          </Group>
        </Paper>
        <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
          <Text size="xs" c="dimmed">
            {t('history.frozen')}
          </Text>
          <Text
            fz={20}
            fw={650}
            className="tabular-nums"
            c={h.frozenFen > 0 ? 'red' : undefined}
            data-testid="history-frozen"
          >
            {formatFen(h.frozenFen, locale)}
          </Text>
        </Paper>
      </SimpleGrid>
      <Group gap="sm">
        {canAdd && !open && (
          <Button color="red" leftSection={<IconBan size={16} />} onClick={onAdd} data-testid="history-add">
            {t('actions.add')}
          </Button>
        )}
        {canLift && open && (
          <Button
            color="teal"
            leftSection={<IconLockOpen size={16} />}
            onClick={onLift}
            data-testid="history-lift"
          >
            {t('actions.lift')}
          </Button>
        )}
        <Button
          component="a"
          href={hrefFor('investigation', { partner: h.partnerId })}
          variant="default"
          leftSection={<IconFingerprint size={16} />}
          data-testid="history-investigate"
        >
          {t('history.investigate')}
        </Button>
      </Group>
      <Title order={4} fz={15}>
        {t('history.entries')}
      </Title>
      {h.entries.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="history-none">
          {t('history.none')}
        </Text>
      ) : (
        <Timeline bulletSize={24} lineWidth={2} active={-1}>
          {h.entries.map((e) => (
            <Timeline.Item
              key={e.entryId}
              bullet={e.status === 'lifted' ? <IconShieldCheck size={14} /> : <IconShieldX size={14} />}
              color={e.status === 'lifted' ? 'gray' : 'red'}
              title={t('history.entry', { id: e.entryId })}
            >
              <EntryItem e={e} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {h.riskDecisions.length > 0 && (
        <>
          <Title order={4} fz={15}>
            {t('history.riskDecisions')}
          </Title>
          <Stack gap="sm">
            {h.riskDecisions.map((d) => (
              <Paper key={d.decisionId} withBorder radius="md" p="sm" bg="var(--app-card-bg)">
                <RiskDecisionLine d={d} />
              </Paper>
            ))}
          </Stack>
        </>
      )}
      {!h.blacklisted && h.entries.some((e) => e.status === 'lifted') && (
        <Alert variant="light" color="teal" radius="md">
          {t('history.releasedNote')}
        </Alert>
      )}
    </Stack>
  );
}
