import {
  Alert,
  Anchor,
  Badge,
  Blockquote,
  Box,
  Button,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  IconArrowLeft,
  IconExternalLink,
  IconGavel,
  IconHistory,
  IconLink,
  IconQuote,
  IconTimeline,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisputeDetail, DisputeStatus } from '../../../../main/api/methods/disputes.contract';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime, formatFen } from '../../shared/format';
import { StatusBadge } from '../lookup/badges';
import { RoleBadge } from '../session/SessionGate';
import { DecideActions } from './DecideActions';
import { STAKE_COLORS, STATUS_COLORS, waitColor } from './labels';
import { TimelinePanel } from './TimelinePanel';
import { Waited } from './Waited';

/** Tables whose change reloads a case. */
export const CASE_READS = ['disputes', 'audit_log', 'result_orders', 'engine_runs'] as const;

export function DisputeStatusBadge({ status, size = 'sm' }: { status: DisputeStatus; size?: 'sm' | 'lg' }) {
  const { t } = useTranslation('disputes');
  return (
    <Badge
      color={STATUS_COLORS[status]}
      variant="light"
      radius="sm"
      size={size}
      tt="none"
      fw={600}
      data-testid="dispute-status"
      data-status={status}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} data-field={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Box fz="sm" className="tabular-nums">
        {children}
      </Box>
    </Stack>
  );
}

function Card({
  title,
  icon,
  children,
  testId,
  extra,
}: {
  title: string;
  icon: ReactNode;
  children: ReactNode;
  testId: string;
  extra?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          {icon}
          <Title order={4} fz={15} fw={650}>
            {title}
          </Title>
        </Group>
        {extra}
      </Group>
      {children}
    </Paper>
  );
}

const who = (id: string, name: string | null) => (name ? `${id} · ${name}` : id);

function ClaimCard({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  return (
    <Card title={t('case.claim')} icon={<IconQuote size={18} stroke={1.7} />} testId="case-claim">
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <Field label={t('case.claimant')} testId="claimant">
            <Text size="sm" fw={600}>
              {who(d.partnerId, d.partnerName)}
            </Text>
          </Field>
          <Field label={t('case.claimedAt')} testId="claimed-at">
            {formatDateTime(d.claimedAt, locale)}
          </Field>
          <Field label={t('case.openedBy')} testId="opened-by">
            {t('case.openedByValue', { by: d.openedBy, at: formatDateTime(d.openedAt, locale) })}
          </Field>
          <Field label={d.status === 'open' ? t('case.waiting') : t('case.waited')} testId="waited">
            <Text size="sm" c={d.status === 'open' ? waitColor(d.waitedMs) : undefined} fw={500}>
              <Waited ms={d.waitedMs} />
            </Text>
          </Field>
        </SimpleGrid>
        <Blockquote
          p="sm"
          radius="sm"
          color="gray"
          iconSize={0}
          styles={{ root: { fontSize: 'var(--mantine-font-size-sm)' } }}
          data-testid="claim-text"
        >
          {d.claim}
        </Blockquote>
      </Stack>
    </Card>
  );
}

function OrderCard({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const o = d.order;
  return (
    <Card
      title={t('case.customerOrder')}
      icon={<IconLink size={18} stroke={1.7} />}
      testId="case-order"
      extra={
        <Anchor size="xs" href={hrefFor('lookup', { q: d.customerId })} data-testid="case-customer-orders">
          {t('case.customerOrders')}
        </Anchor>
      }
    >
      <SimpleGrid cols={2} spacing="sm">
        <Field label={t('case.customer')} testId="customer">
          <Text size="sm" fw={600}>
            {who(d.customerId, d.customerName)}
          </Text>
        </Field>
        <Field label={t('case.order')} testId="order">
          {o ? (
            <Anchor
              size="sm"
              fw={600}
              href={hrefFor('lookup', { q: o.orderId, order: o.orderId })}
              data-testid="case-order-link"
            >
              <Group gap={4} wrap="nowrap" component="span">
                {o.orderId}
                <IconExternalLink size={13} />
              </Group>
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              {t('case.noOrder')}
            </Text>
          )}
        </Field>
        {o && (
          <>
            <Field label={t('case.result')} testId="order-result">
              {o.status ? (
                <StatusBadge status={o.status} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('case.noResult')}
                </Text>
              )}
            </Field>
            <Field label={t('case.orderPartner')} testId="order-partner">
              <Text size="sm" fw={600} c={o.partnerId === d.partnerId ? 'teal' : undefined}>
                {o.partnerId ?? t('case.nobody')}
              </Text>
            </Field>
            <Field label={t('case.paid')} testId="order-paid">
              {formatFen(o.paidFen, locale)}
            </Field>
            <Field label={t('case.rebate')} testId="order-rebate">
              <Text size="sm" fw={600}>
                {formatFen(o.rebateFen, locale)}
              </Text>
            </Field>
            <Field label={t('case.orderedAt')} testId="order-ordered-at">
              {formatDateTime(o.orderedAt, locale)}
            </Field>
          </>
        )}
      </SimpleGrid>
    </Card>
  );
}

function StakeCard({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const s = d.stake;
  return (
    <Card title={t('case.stake')} icon={<IconGavel size={18} stroke={1.7} />} testId="case-stake">
      <Stack gap="xs">
        <Group gap="xs" align="baseline">
          <Text fz={26} fw={700} className="tabular-nums" data-testid="stake-amount">
            {formatFen(s.fen, locale)}
          </Text>
          <Badge variant="light" color={STAKE_COLORS[s.basis]} radius="sm" tt="none">
            {t(`stake.basis.${s.basis}`)}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" data-testid="stake-explained">
          {t(`stake.explain.${s.basis}`, {
            order: s.orderId ?? '—',
            partner: s.currentPartnerId ?? '—',
            claimant: d.partnerId,
          })}
        </Text>
        <Decision d={d} />
      </Stack>
    </Card>
  );
}

/** How the case was decided (and revoked), when it was. */
function Decision({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  if (d.status === 'open') return null;
  const at = (ms: number | null) => (ms !== null ? formatDateTime(ms, locale) : '—');
  return (
    <Alert
      variant="light"
      color={STATUS_COLORS[d.status]}
      mt={4}
      title={t(`case.decision.${d.status === 'revoked' ? 'upheld' : d.status}`, {
        by: d.decidedBy ?? '—',
        at: at(d.decidedAt),
      })}
      data-testid="case-decision"
    >
      <Stack gap={4}>
        {d.decisionReason && <Text size="sm">{t('case.decision.reason', { reason: d.decisionReason })}</Text>}
        {d.manualFrom !== null && (
          <Text size="sm">{t('case.decision.manualFrom', { at: at(d.manualFrom) })}</Text>
        )}
        {d.status === 'revoked' && (
          <Text size="sm" fw={600}>
            {t('case.decision.revoked', {
              by: d.revokedBy ?? '—',
              at: at(d.revokedAt),
              reason: d.revokeReason ?? '—',
            })}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function Related({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  return (
    <Card title={t('case.related')} icon={<IconLink size={18} stroke={1.7} />} testId="case-related">
      {d.related.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('case.noRelated')}
        </Text>
      ) : (
        <Table verticalSpacing={6} fz="sm">
          <Table.Tbody>
            {d.related.map((r) => (
              <Table.Tr key={r.disputeId} data-dispute-id={r.disputeId}>
                <Table.Td>
                  <Anchor size="sm" fw={600} href={hrefFor('disputes', { case: String(r.disputeId) })}>
                    {t('case.ref', { id: r.disputeId })}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t('case.relatedClaimant', { partner: r.partnerId })}</Table.Td>
                <Table.Td>
                  <DisputeStatusBadge status={r.status} />
                </Table.Td>
                <Table.Td className="tabular-nums" c="dimmed">
                  {formatDateTime(r.openedAt, locale)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function Trail({ d }: { d: DisputeDetail }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  return (
    <Card
      title={t('case.trail')}
      icon={<IconHistory size={18} stroke={1.7} />}
      testId="case-trail"
      extra={
        <Anchor
          size="xs"
          href={hrefFor('audit', { entity: String(d.disputeId), action: 'dispute.' })}
          data-testid="case-trail-audit"
        >
          {t('case.trailInAudit')}
        </Anchor>
      }
    >
      <Table verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('case.trailCol.recordedAt')}</Table.Th>
            <Table.Th>{t('case.trailCol.action')}</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('case.trailCol.operator')}</Table.Th>
            <Table.Th>{t('case.trailCol.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.trail.map((e) => (
            <Table.Tr key={e.auditId} data-audit-id={e.auditId} data-action={e.action}>
              <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(e.recordedAt, locale)}
                {Math.abs(e.effectiveAt - e.recordedAt) >= 60_000 && (
                  <Text size="xs" c="dimmed">
                    {t('case.trailEffective', { at: formatDateTime(e.effectiveAt, locale) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                  {t(`case.actions.${e.action.replace(/\./g, '_')}`, { defaultValue: e.action })}
                </Text>
              </Table.Td>
              <Table.Td>
                {/* (the badge's own width: a badge may shrink and be cut in a narrow column) */}
                <Stack gap={2} align="flex-start" miw="max-content">
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {e.operatorId}
                  </Text>
                  <RoleBadge role={e.role as 'admin'} />
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={3}>
                  {e.reason ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** One case (`#/disputes?case=ID`): the claim, the customer and order, the money, the timeline, the trail. */
export function CaseView({ disputeId, onBack }: { disputeId: number; onBack(): void }) {
  const { t } = useTranslation('disputes');
  const detail = useApiQuery((api) => api.disputes.get({ disputeId }), CASE_READS, String(disputeId));
  const d = detail.data;
  const back = (
    <Button
      variant="subtle"
      size="compact-sm"
      leftSection={<IconArrowLeft size={15} />}
      onClick={onBack}
      data-testid="case-back"
      w="fit-content"
    >
      {t('case.back')}
    </Button>
  );
  if (detail.error)
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert error={detail.error} onRetry={detail.reload} />
      </Stack>
    );
  if (!d)
    return (
      <Stack gap="md" aria-busy data-testid="case-loading">
        {back}
        <Skeleton h={40} w="40%" />
        <SimpleGrid cols={3}>
          <Skeleton h={180} />
          <Skeleton h={180} />
          <Skeleton h={180} />
        </SimpleGrid>
        <Skeleton h={260} />
      </Stack>
    );
  return (
    <Stack gap="md" data-testid="case-view" data-dispute-id={d.disputeId} data-status={d.status}>
      {back}
      <Group justify="space-between" align="flex-end" wrap="nowrap" gap="md">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="sm" wrap="nowrap">
            <Title order={2} fz={24} fw={650} data-testid="page-title">
              {t('case.title', { id: d.disputeId })}
            </Title>
            <DisputeStatusBadge status={d.status} size="lg" />
          </Group>
          <Text size="sm" c="dimmed" data-testid="case-summary">
            {t('case.summary', { partner: d.partnerId, customer: d.customerId })}
          </Text>
        </Stack>
        <DecideActions view={d} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <ClaimCard d={d} />
        <OrderCard d={d} />
        <StakeCard d={d} />
      </SimpleGrid>
      <Card
        title={t('timeline.title')}
        icon={<IconTimeline size={18} stroke={1.7} />}
        testId="case-timeline"
        extra={
          <Text size="xs" c="dimmed">
            {t('timeline.hint')}
          </Text>
        }
      >
        <TimelinePanel
          customerId={d.customerId}
          focus={{
            partnerId: d.partnerId,
            claimedAt: d.claimedAt,
            orderId: d.orderId,
            disputeId: d.disputeId,
          }}
        />
      </Card>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Trail d={d} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Related d={d} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
