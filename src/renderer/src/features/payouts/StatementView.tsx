import './statement.css';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Divider,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconBan, IconPrinter } from '@tabler/icons-react';
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerStatementView } from '../../../../main/api/methods/payouts.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDate, formatDateTime, formatFen } from '../../shared/format';
import { BatchStatusBadge, LineStatusBadge, lastDay, PAYOUT_READS } from './helpers';

function ratio(bp: number | null, locale: string): string {
  if (bp === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

function Block({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={6} className="statement-block" data-testid={testId}>
      <Text fw={650} fz={14}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** An earlier cycle paid more than its rebates confirmed now and the balance it took in: after the
 * payout, a rebate of it was clawed back or its order went to another partner (R-CLAW-3, R-DISP-2),
 * or it is frozen now (R-BL-1). */
const overpaid = (e: PartnerStatementView['earlier'][number]): boolean =>
  e.paidFen > e.confirmedFen + Math.max(0, e.carriedFen);

function Line({
  label,
  value,
  strong,
  rule,
  color,
  testId,
}: {
  label: string;
  value: string;
  strong?: boolean;
  rule?: string;
  color?: string;
  testId?: string;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="md" data-testid={testId}>
      <Text size="sm" c={strong ? undefined : 'dimmed'} fw={strong ? 650 : undefined}>
        {label}
        {rule && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({rule})
          </Text>
        )}
      </Text>
      <Text
        size="sm"
        fw={strong ? 700 : 500}
        c={color}
        className="tabular-nums"
        style={{ whiteSpace: 'nowrap' }}
        data-value
      >
        {value}
      </Text>
    </Group>
  );
}

/**
 * Light colours on paper whatever the screen's scheme: the scheme attribute is switched for the
 * print and put back after (window.print from the button, or the browser's own print command).
 */
function useLightPrint() {
  useEffect(() => {
    const root = document.documentElement;
    let before: string | null = null;
    const onBefore = () => {
      before = root.getAttribute('data-mantine-color-scheme');
      if (before === 'dark') root.setAttribute('data-mantine-color-scheme', 'light');
    };
    const onAfter = () => {
      if (before === 'dark') root.setAttribute('data-mantine-color-scheme', 'dark');
      before = null;
    };
    window.addEventListener('beforeprint', onBefore);
    window.addEventListener('afterprint', onAfter);
    return () => {
      window.removeEventListener('beforeprint', onBefore);
      window.removeEventListener('afterprint', onAfter);
    };
  }, []);
}

function Sheet({ s }: { s: PartnerStatementView }) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const [printedAt] = useState(() => Date.now());
  const fen = (v: number) => formatFen(v, locale);
  const dash = '—';
  return (
    <Paper
      withBorder
      radius="md"
      p={32}
      bg="var(--app-card-bg)"
      className="statement-sheet"
      data-testid="statement-sheet"
      data-partner={s.partnerId}
      data-cycle={s.cycleKey}
    >
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2}>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.05em' }}>
              {t('statement.brand')}
            </Text>
            <Title order={2} fz={22} fw={700} data-testid="statement-title">
              {t('statement.title', { cycle: s.cycleKey })}
            </Title>
            <Text size="sm" c="dimmed" className="tabular-nums">
              {t('statement.period', {
                from: formatDate(s.cycleStart, locale),
                to: formatDate(lastDay(s.cycleEnd), locale),
              })}
            </Text>
          </Stack>
          <Stack gap={2} align="flex-end">
            <Text size="xs" c="dimmed" className="tabular-nums">
              {t('statement.printedAt', { time: formatDateTime(printedAt, locale) })}
            </Text>
            <Text size="xs" c="dimmed" className="tabular-nums">
              {s.asOf !== null
                ? t('statement.asOf', { time: formatDateTime(s.asOf, locale), version: s.configVersion })
                : t('statement.noRun')}
            </Text>
          </Stack>
        </Group>

        <SimpleGrid cols={2} spacing="xl">
          <Block title={t('statement.partner')} testId="statement-partner">
            <Text fz={18} fw={650}>
              {s.partnerName ?? s.partnerId}
            </Text>
            <Text size="sm" c="dimmed">
              {t('statement.partnerId', { id: s.partnerId })}
              {s.level && ` · ${t('statement.levelNow', { level: s.level })}`}
            </Text>
            {s.blacklisted && (
              <Badge
                color="red"
                variant="outline"
                radius="sm"
                tt="none"
                leftSection={<IconBan size={12} />}
                w="fit-content"
              >
                {t('statement.blacklisted')}
              </Badge>
            )}
          </Block>
          <Block title={t('statement.payout')} testId="statement-payout">
            {s.payout ? (
              <>
                <Line label={t('statement.confirmed')} value={fen(s.payout.confirmedFen)} rule="R-REB-3" />
                <Line
                  label={t('statement.carried')}
                  value={fen(s.payout.carriedFen)}
                  rule="R-CLAW-3"
                  color={s.payout.carriedFen < 0 ? 'red' : undefined}
                  testId="statement-carried"
                />
                <Line label={t('statement.paidBefore')} value={fen(s.payout.paidFen)} />
                <Divider />
                <Line
                  label={t(`statement.amount.${s.payout.status}`)}
                  value={fen(s.payout.amountFen)}
                  strong
                  testId="statement-amount"
                />
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('statement.noPayout')}
              </Text>
            )}
            {s.negativeBalanceFen > 0 && (
              <>
                <Divider />
                <Line
                  label={t('statement.negative')}
                  value={fen(-s.negativeBalanceFen)}
                  rule="R-CLAW-3"
                  color="red"
                  testId="statement-negative"
                />
                <Text size="xs" c="dimmed" data-testid="statement-negative-why">
                  {t('statement.negativeWhy')}
                  {s.blacklisted && t('statement.negativeFrozen')}
                  {s.liftOffsetsFen > 0 && t('statement.negativeLift', { fen: fen(s.liftOffsetsFen) })}
                </Text>
              </>
            )}
          </Block>
        </SimpleGrid>

        <Block title={t('statement.totals')} testId="statement-totals">
          <SimpleGrid cols={2} spacing="xl" verticalSpacing={4}>
            <Stack gap={4}>
              <Line
                label={t('statement.gross')}
                value={fen(s.totals.grossRebateFen + s.totals.clawedFen)}
                rule="R-REB-1"
              />
              <Line
                label={t('statement.clawed')}
                value={s.totals.clawedFen ? `-${fen(s.totals.clawedFen)}` : fen(0)}
                rule="R-CLAW-1"
                color={s.totals.clawedFen ? 'red' : undefined}
              />
              <Line
                label={t('statement.cappedTotal')}
                value={s.totals.cappedFen ? `-${fen(s.totals.cappedFen)}` : fen(0)}
                rule="R-REB-2"
                color={s.totals.cappedFen ? 'grape' : undefined}
              />
              <Line label={t('statement.rebate')} value={fen(s.totals.rebateFen)} strong />
            </Stack>
            <Stack gap={4}>
              <Line label={t('statement.ofConfirmed')} value={fen(s.totals.confirmedFen)} />
              <Line label={t('statement.ofPending')} value={fen(s.totals.pendingFen)} />
              <Line
                label={t('statement.ofFrozen')}
                value={fen(s.totals.frozenFen)}
                rule="R-BL-1"
                color={s.totals.frozenFen ? 'red' : undefined}
              />
            </Stack>
          </SimpleGrid>
        </Block>

        <Block title={t('statement.orders', { n: s.orders.length })} testId="statement-orders">
          {s.orders.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('statement.noOrders')}
            </Text>
          ) : (
            <Table
              verticalSpacing={5}
              horizontalSpacing={6}
              className="tabular-nums"
              withTableBorder
              withRowBorders
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('statement.col.order')}</Table.Th>
                  <Table.Th>{t('statement.col.orderedAt')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.paid')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.net')}</Table.Th>
                  <Table.Th>{t('statement.col.level')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.gross')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.capped')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.rebate')}</Table.Th>
                  <Table.Th>{t('statement.col.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.orders.map((o) => (
                  <Fragment key={o.orderId}>
                    <Table.Tr data-order={o.orderId}>
                      <Table.Td>
                        <Text size="sm" fw={600} span>
                          {o.orderId}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {o.customerId}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(o.orderedAt, locale)}
                      </Table.Td>
                      <Table.Td ta="right">{fen(o.paidFen)}</Table.Td>
                      <Table.Td ta="right" c={o.netFen !== o.paidFen ? 'red' : undefined}>
                        {fen(o.netFen)}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }} data-col="ratio">
                        {o.level ?? dash} · {ratio(o.ratioBp, locale)}
                      </Table.Td>
                      <Table.Td ta="right">{fen(o.grossRebateFen)}</Table.Td>
                      <Table.Td ta="right" c={o.cappedFen ? 'grape' : 'dimmed'}>
                        {o.cappedFen ? `-${fen(o.cappedFen)}` : dash}
                      </Table.Td>
                      <Table.Td ta="right" fw={650} data-col="rebate">
                        {fen(o.rebateFen)}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {o.rebateStatus
                            ? t(`rebateStatus.${o.rebateStatus}`, { defaultValue: o.rebateStatus })
                            : dash}
                        </Text>
                        {o.confirmAt !== null && (
                          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                            {t('statement.confirmAt', { date: formatDate(o.confirmAt, locale) })}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {o.refunds.map((r) => (
                      <Table.Tr key={`${o.orderId}-${r.refundId}`} data-refund={r.refundId}>
                        <Table.Td colSpan={9} py={3}>
                          <Text size="xs" c={r.counted ? 'red' : 'dimmed'} pl="md">
                            {t(r.counted ? 'statement.refundCounted' : 'statement.refundNotCounted', {
                              id: r.refundId,
                              kind: t(`refundKind.${r.kind}`, { defaultValue: r.kind }),
                              fen: fen(r.amountFen),
                              date: formatDate(r.at, locale),
                            })}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Block>

        {s.caps.length > 0 && (
          <Block title={t('statement.caps')} testId="statement-caps">
            <Table verticalSpacing={4} horizontalSpacing={6} className="tabular-nums" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('statement.col.levelOnly')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.cap')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.filled')}</Table.Th>
                  <Table.Th ta="right">{t('statement.col.capped')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.caps.map((c) => (
                  <Table.Tr key={c.level}>
                    <Table.Td>{c.level}</Table.Td>
                    <Table.Td ta="right">{fen(c.capFen)}</Table.Td>
                    <Table.Td ta="right">{fen(c.filledFen)}</Table.Td>
                    <Table.Td ta="right" c={c.cappedFen ? 'grape' : 'dimmed'}>
                      {c.cappedFen ? `-${fen(c.cappedFen)}` : dash}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Block>
        )}

        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <Block title={t('statement.earlier')} testId="statement-earlier">
            {s.earlier.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('statement.noEarlier')}
              </Text>
            ) : (
              <Table verticalSpacing={4} horizontalSpacing={6} className="tabular-nums" withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('statement.col.cycle')}</Table.Th>
                    <Table.Th ta="right">{t('statement.col.confirmed')}</Table.Th>
                    <Table.Th ta="right">{t('statement.col.paidOut')}</Table.Th>
                    <Table.Th ta="right">{t('statement.col.carried')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.earlier.slice(-8).map((e) => (
                    <Table.Tr
                      key={e.cycleKey}
                      data-cycle={e.cycleKey}
                      data-overpaid={overpaid(e) || undefined}
                    >
                      <Table.Td>{e.cycleKey}</Table.Td>
                      <Table.Td ta="right">{fen(e.confirmedFen)}</Table.Td>
                      <Table.Td ta="right" c={overpaid(e) ? 'red' : undefined}>
                        {fen(e.paidFen)}
                        {overpaid(e) && ' *'}
                      </Table.Td>
                      <Table.Td ta="right" c={e.carriedFen < 0 ? 'red' : e.carriedFen ? undefined : 'dimmed'}>
                        {fen(e.carriedFen)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {s.earlier.slice(-8).some(overpaid) && (
              <Text size="xs" c="dimmed" mt={6} data-testid="statement-overpaid">
                {'* '}
                {t('statement.overpaid')}
                {s.blacklisted && t('statement.overpaidFrozen')}
              </Text>
            )}
          </Block>
          <Block title={t('statement.batches')} testId="statement-batches">
            {s.lines.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('statement.noBatches')}
              </Text>
            ) : (
              <Table verticalSpacing={4} horizontalSpacing={6} className="tabular-nums" withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('statement.col.batch')}</Table.Th>
                    <Table.Th ta="right">{t('statement.col.amount')}</Table.Th>
                    <Table.Th>{t('statement.col.line')}</Table.Th>
                    <Table.Th>{t('statement.col.paidAt')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.lines.map((l) => (
                    <Table.Tr key={l.batchId} data-batch={l.batchId}>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          #{l.batchId} <BatchStatusBadge status={l.batchStatus} />
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{fen(l.amountFen)}</Table.Td>
                      <Table.Td>
                        <LineStatusBadge status={l.status} />
                      </Table.Td>
                      <Table.Td>{l.paidAt !== null ? formatDate(l.paidAt, locale) : dash}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Block>
        </SimpleGrid>

        <Box>
          <Divider mb="xs" />
          <Text size="xs" c="dimmed" lh={1.6}>
            {t('statement.notes')}
          </Text>
        </Box>
      </Stack>
    </Paper>
  );
}

/** 对账单: how a partner's payout for one cycle was computed, printable and saved as PDF. */
export function StatementView({ partnerId, cycleKey }: { partnerId: string; cycleKey: string }) {
  const { t } = useTranslation('payouts');
  const [, update] = useHashParams();
  useLightPrint();
  const s = useApiQuery(
    (api) => api.payouts.statement({ partnerId, cycleKey }),
    PAYOUT_READS,
    `${partnerId}|${cycleKey}`,
  );
  return (
    <Stack gap="md" data-testid="statement-view">
      <Group justify="space-between" className="statement-no-print" wrap="nowrap">
        <Anchor
          size="sm"
          onClick={() => update({ statement: null, cycle: cycleKey })}
          data-testid="statement-back"
        >
          <Group gap={4} wrap="nowrap">
            <IconArrowLeft size={15} />
            {t('statement.back', { cycle: cycleKey })}
          </Group>
        </Anchor>
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" c="dimmed" visibleFrom="md">
            {t('statement.printHint')}
          </Text>
          <Button
            leftSection={<IconPrinter size={16} />}
            onClick={() => window.print()}
            disabled={!s.data}
            data-testid="statement-print"
          >
            {t('statement.print')}
          </Button>
        </Group>
      </Group>
      {s.error && <ErrorAlert error={s.error} onRetry={s.reload} />}
      {!s.data && !s.error && <Skeleton h={520} radius="md" />}
      {s.data && <Sheet s={s.data} />}
    </Stack>
  );
}
