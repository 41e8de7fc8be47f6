import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Divider,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconBan,
  IconCheck,
  IconCopy,
  IconEyeOff,
  IconFingerprint,
  IconLink,
  IconListSearch,
  IconUser,
} from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderExplanationView, OrderResultRow } from '../../app/api-client';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime, formatFen } from '../../shared/format';
import { OrderDisputesSection } from '../disputes/OpenDispute';
import { ReasonBadge, RebateStatusBadge, RuleBadges, StatusBadge } from './badges';
import { STATUS_COLORS } from './codes';

/** Tables whose change makes an order's explanation stale. */
const RESULT_READS = ['engine_runs', 'result_orders', 'result_partners', 'result_same_person'] as const;

interface ExplainItem {
  text: string;
  rules: string[];
  sub: { text: string; rules: string[] }[];
}

/** Lines starting with "· " detail the line above them (reasons, attribution events, evidence). */
function groupLines(lines: OrderExplanationView['lines']): ExplainItem[] {
  const items: ExplainItem[] = [];
  for (const line of lines) {
    const sub = line.text.startsWith('· ');
    const last = items[items.length - 1];
    if (sub && last) last.sub.push({ text: line.text.slice(2), rules: line.rules });
    else items.push({ text: line.text, rules: line.rules, sub: [] });
  }
  return items;
}

/** The explanation as plain text a support agent can paste to a partner. */
function plainText(
  e: OrderExplanationView,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  const rules = (r: string[]) => (r.length ? t('detail.copyRules', { rules: r.join(', ') }) : '');
  const out = [t('detail.copyHeader', { id: e.orderId, status: t(`status.${e.status}`) }), ''];
  for (const line of e.lines) out.push(line.text + rules(line.rules));
  return out.join('\n');
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

/** Copies a text (the explanation, the partner's reply); where there is no clipboard, shows it selected. */
function CopyButton({
  text,
  testId,
  label,
  variant = 'filled',
}: {
  text: () => string;
  testId: string;
  label: string;
  variant?: 'filled' | 'light';
}) {
  const { t } = useTranslation('lookup');
  const [copied, setCopied] = useState(false);
  const [manual, setManual] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  async function copy() {
    const value = text();
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard (insecure origin, permission denied): show the text selected instead.
      setManual(value);
    }
  }

  return (
    <>
      <Button
        size="xs"
        variant={copied ? 'light' : variant}
        color={copied ? 'teal' : undefined}
        leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
        onClick={() => void copy()}
        data-testid={testId}
        data-copied={copied || undefined}
      >
        {copied ? t('detail.copied') : label}
      </Button>
      <Modal
        opened={manual !== null}
        onClose={() => setManual(null)}
        title={t('detail.copyManual')}
        size="lg"
        onEnterTransitionEnd={() => area.current?.select()}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('detail.copyManualHint')}
          </Text>
          <Textarea
            ref={area}
            value={manual ?? ''}
            readOnly
            autosize
            minRows={8}
            maxRows={18}
            data-testid="explanation-text"
            onFocus={(e) => e.currentTarget.select()}
          />
        </Stack>
      </Modal>
    </>
  );
}

function ShareLink({ orderId }: { orderId: string }) {
  const { t } = useTranslation('lookup');
  const [copied, setCopied] = useState(false);
  const href = hrefFor('lookup', { order: orderId });
  async function copy() {
    const url = new URL(window.location.href);
    url.hash = href.slice(1);
    try {
      await navigator.clipboard.writeText(url.toString());
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      // the link is also the anchor's href: it can be copied from the context menu
    }
  }
  return (
    <Button
      component="a"
      href={href}
      size="xs"
      variant="default"
      leftSection={copied ? <IconCheck size={14} /> : <IconLink size={14} />}
      onClick={(e) => {
        e.preventDefault();
        void copy();
      }}
      data-testid="share-link"
    >
      {copied ? t('detail.linkCopied') : t('detail.link')}
    </Button>
  );
}

function ExplanationTimeline({ explanation }: { explanation: OrderExplanationView }) {
  const items = groupLines(explanation.lines);
  return (
    <Timeline
      bulletSize={14}
      lineWidth={2}
      active={items.length}
      color={STATUS_COLORS[explanation.status] ?? 'gray'}
      data-testid="explanation"
    >
      {items.map((item, n) => (
        <Timeline.Item key={n} data-line={n}>
          <Stack gap={6}>
            <Text size="sm" lh={1.55} fw={n === 0 ? 600 : 400}>
              {item.text}
            </Text>
            <RuleBadges rules={item.rules} />
            {item.sub.length > 0 && (
              <Stack gap={6} pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
                {item.sub.map((s, k) => (
                  <Stack gap={4} key={k}>
                    <Text size="sm" lh={1.5} c="dimmed">
                      {s.text}
                    </Text>
                    <RuleBadges rules={s.rules} />
                  </Stack>
                ))}
              </Stack>
            )}
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function PartnerCard({ partnerId, onShowOrders }: { partnerId: string; onShowOrders(): void }) {
  const { t, i18n } = useTranslation('lookup');
  const locale = i18n.language;
  const partner = useApiQuery(
    (api) => api.partners.get({ partnerId }),
    ['result_partners', 'blacklist_entries'],
    partnerId,
  );
  const p = partner.data;
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="partner-card">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <IconUser size={18} stroke={1.7} />
          <Title order={4} fz={15} fw={650}>
            {t('partner.title', { id: partnerId })}
          </Title>
          {p?.blacklisted && (
            <Badge color="red" variant="filled" radius="sm" tt="none" leftSection={<IconBan size={12} />}>
              {t('partner.blacklisted')}
            </Badge>
          )}
          {p?.risk_flag && (
            <Badge color="orange" variant="light" radius="sm" tt="none" data-testid="partner-risk">
              {t('partner.riskFlag')}
            </Badge>
          )}
        </Group>
        <Anchor size="xs" component="button" onClick={onShowOrders} data-testid="partner-orders">
          {t('partner.showOrders')}
        </Anchor>
      </Group>
      {partner.error ? (
        partner.error.code === 'PARTNER_NOT_FOUND' ? (
          <Text size="sm" c="dimmed">
            {t('partner.notFound')}
          </Text>
        ) : (
          <ErrorAlert error={partner.error} onRetry={partner.reload} />
        )
      ) : !p ? (
        <Skeleton h={48} />
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 3, xs: 5 }} spacing="sm">
            <Field label={t('partner.level')} testId="partner-level">
              <Text size="sm" fw={600} span>
                {p.level}
              </Text>{' '}
              <Text size="xs" c="dimmed" span>
                {t(`levels.${p.level}`, { defaultValue: '' })}
              </Text>
            </Field>
            <Field label={t('partner.experience')} testId="partner-experience">
              <Text size="sm" fw={600}>
                {p.experience}
              </Text>
            </Field>
            <Field label={t('partner.pending')} testId="partner-pending">
              {formatFen(p.pending_fen, locale)}
            </Field>
            <Field label={t('partner.confirmed')} testId="partner-confirmed">
              {formatFen(p.confirmed_fen, locale)}
            </Field>
            <Field label={t('partner.frozen')} testId="partner-frozen">
              <Text size="sm" c={p.frozen_fen > 0 ? 'red' : undefined}>
                {formatFen(p.frozen_fen, locale)}
              </Text>
            </Field>
          </SimpleGrid>
          {p.negative_balance_fen !== 0 && (
            <Text size="xs" c="orange">
              {t('partner.negative')}: {formatFen(p.negative_balance_fen, locale)}
            </Text>
          )}
          {p.risk_flag && p.risk && (
            <Text size="xs" c="orange">
              {t('partner.riskFlagBody', { valid: p.risk.validOrders, clawed: p.risk.clawedOrders })}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function SamePersonCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation('lookup');
  const group = useApiQuery(
    (api) => api.sameperson.group({ customerId }),
    ['result_same_person', 'result_same_person_edges'],
    customerId,
  );
  const g = group.data;
  const who = (kind: string, id: string) => (
    <Group gap={4} wrap="nowrap">
      <Badge size="xs" radius="sm" variant="light" color={kind === 'partner' ? 'grape' : 'gray'} tt="none">
        {t(`samePerson.${kind === 'partner' ? 'partner' : 'customer'}`)}
      </Badge>
      <Text size="sm">{id}</Text>
    </Group>
  );
  const alone = g && g.edges.length === 0;
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="same-person">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <IconFingerprint size={18} stroke={1.7} />
          <Title order={4} fz={15} fw={650}>
            {t('samePerson.title')}
          </Title>
        </Group>
        {g && !alone && (
          <Text size="xs" c="dimmed">
            {t('samePerson.group', { id: g.groupId })}
          </Text>
        )}
      </Group>
      {group.error ? (
        <ErrorAlert error={group.error} onRetry={group.reload} />
      ) : !g ? (
        <Skeleton h={40} />
      ) : alone ? (
        <Text size="sm" c="dimmed" data-testid="same-person-alone">
          {t('samePerson.alone')}
        </Text>
      ) : (
        <Stack gap="sm">
          <Text size="xs" c="dimmed" fw={500}>
            {t('samePerson.members', { count: g.members.length })}
          </Text>
          <Group gap="xs" data-testid="same-person-members">
            {g.members.map((m) => (
              <Paper key={`${m.kind}:${m.id}`} withBorder radius="sm" px={8} py={4} data-member={m.id}>
                {who(m.kind, m.id)}
              </Paper>
            ))}
          </Group>
          <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="same-person-edges">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('samePerson.edge')}</Table.Th>
                <Table.Th>{t('samePerson.evidence')}</Table.Th>
                <Table.Th>{t('samePerson.value')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.edges.map((e, n) => (
                <Table.Tr key={n} data-evidence={e.evidence}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {who(e.a_kind, e.a_id)}
                      <Text c="dimmed" size="sm">
                        ↔
                      </Text>
                      {who(e.b_kind, e.b_id)}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {t(`samePerson.evidenceKinds.${e.evidence}`, { defaultValue: e.evidence })}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {e.value}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Paper>
  );
}

function NotExplained({ orderId, code }: { orderId: string; code: 'ORDER_NOT_FOUND' | 'NOT_COMPUTED' }) {
  const { t } = useTranslation('lookup');
  const key = code === 'ORDER_NOT_FOUND' ? 'notFound' : 'notComputed';
  return (
    <Alert
      color={code === 'ORDER_NOT_FOUND' ? 'gray' : 'yellow'}
      variant="light"
      icon={<IconListSearch size={20} />}
      title={t(`detail.${key}`, { id: orderId })}
      data-testid="order-not-explained"
      data-error-code={code}
    >
      {t(`detail.${key}Hint`)}
    </Alert>
  );
}

export interface OrderDetailProps {
  orderId: string;
  onShowPartnerOrders(partnerId: string): void;
}

/** The drawer's content: one order's decision, why (orders.explain), its partner and same-person group. */
export function OrderDetail({ orderId, onShowPartnerOrders }: OrderDetailProps) {
  const { t, i18n } = useTranslation('lookup');
  const locale = i18n.language;
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const explain = useApiQuery(
    (api) => api.orders.explain({ orderId, lang }),
    RESULT_READS,
    `${orderId}|${lang}`,
  );
  const row = useApiQuery(
    async (api): Promise<OrderResultRow | null> => {
      const found = await api.orders.search({ query: orderId, limit: 500 });
      return found.rows.find((r) => r.order_id === orderId) ?? null;
    },
    ['result_orders'],
    orderId,
  );

  const e = explain.data;
  const r = row.data;
  const code = explain.error?.code;
  if (code === 'ORDER_NOT_FOUND' || code === 'NOT_COMPUTED')
    return <NotExplained orderId={orderId} code={code} />;
  if (explain.error) return <ErrorAlert error={explain.error} onRetry={explain.reload} />;
  if (!e)
    return (
      <Stack gap="md" aria-busy data-testid="order-detail-loading">
        <Skeleton h={96} />
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} h={28} />
        ))}
      </Stack>
    );

  return (
    <Stack gap="lg" data-testid="order-detail" data-order={e.orderId} data-status={e.status}>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Group gap="xs" mb="md" wrap="wrap" data-testid="order-decision">
          <StatusBadge status={e.status} size="lg" />
          {e.reasons.map((c) => (
            <ReasonBadge key={c} code={c} />
          ))}
        </Group>
        <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="md" verticalSpacing="md">
          <Field label={t('detail.customer')} testId="customer">
            <Text size="sm">{r?.customer_id ?? '—'}</Text>
          </Field>
          <Field label={t('detail.partner')} testId="partner">
            <Text size="sm" c={e.partnerId ? undefined : 'dimmed'}>
              {e.partnerId ?? t('table.noPartner')}
            </Text>
          </Field>
          <Field label={t('detail.rebate')} testId="rebate">
            <Group gap={8} wrap="nowrap">
              <Text size="sm" fw={650}>
                {formatFen(e.rebateFen, locale)}
              </Text>
              <RebateStatusBadge status={e.rebateStatus} />
            </Group>
          </Field>
          <Field label={t('detail.levelRatio')} testId="level">
            {r?.level ? (
              <Text size="sm">
                {t('detail.level', { level: r.level, name: t(`levels.${r.level}`, { defaultValue: '' }) })}
                {r.ratio_bp !== null && (
                  <Text span c="dimmed" size="sm">
                    {' · '}
                    {(r.ratio_bp / 100).toFixed(r.ratio_bp % 100 === 0 ? 0 : 2)}%
                  </Text>
                )}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                —
              </Text>
            )}
          </Field>
          <Field label={t('detail.paid')} testId="paid">
            {r ? (
              <Text size="sm">
                {formatFen(r.paid_fen, locale)}
                {r.net_fen !== r.paid_fen && (
                  <Text span c="orange" size="sm">
                    {' → '}
                    {formatFen(r.net_fen, locale)}
                  </Text>
                )}
              </Text>
            ) : (
              '—'
            )}
          </Field>
          <Field label={t('detail.orderedAt')} testId="ordered-at">
            {r ? formatDateTime(r.ordered_at, locale) : '—'}
          </Field>
        </SimpleGrid>
        <Divider my="sm" />
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed" data-testid="computed-with">
            {t('detail.computedWith')}:{' '}
            {t('detail.computedWithValue', {
              version: e.configVersion,
              time: formatDateTime(e.asOf, locale),
            })}
          </Text>
          <Group gap="xs">
            <ShareLink orderId={e.orderId} />
            <CopyButton
              text={() => plainText(e, t)}
              testId="copy-explanation"
              label={t('detail.copy')}
              variant="light"
            />
          </Group>
        </Group>
      </Paper>

      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="partner-reply">
        <Group justify="space-between" align="flex-start" gap="xs" mb={8} wrap="nowrap">
          <Stack gap={2}>
            <Title order={4} fz={15} fw={650}>
              {t('detail.reply')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('detail.replyHint')}
            </Text>
          </Stack>
          <CopyButton text={() => e.reply} testId="copy-reply" label={t('detail.copyReply')} />
        </Group>
        <Text size="sm" style={{ lineHeight: 1.7 }} data-testid="reply-text">
          {e.reply}
        </Text>
      </Paper>

      {e.masked && (
        <Alert color="gray" variant="light" icon={<IconEyeOff size={18} />} data-testid="masked-notice">
          {t('detail.masked')}
        </Alert>
      )}

      {!e.consistent && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          data-testid="inconsistent"
        >
          {t('detail.inconsistent')}
        </Alert>
      )}

      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={4} fz={15} fw={650}>
            {t('detail.explanation')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('detail.explanationHint')}
          </Text>
        </Group>
        <ExplanationTimeline explanation={e} />
      </Stack>

      {e.partnerId && (
        <PartnerCard partnerId={e.partnerId} onShowOrders={() => onShowPartnerOrders(e.partnerId!)} />
      )}
      {r && <SamePersonCard customerId={r.customer_id} />}
      {r && (
        <OrderDisputesSection
          order={{ orderId: r.order_id, customerId: r.customer_id, orderedAt: r.ordered_at }}
        />
      )}
    </Stack>
  );
}

/** The drawer's title. */
export function OrderDetailTitle({ orderId }: { orderId: string }) {
  const { t } = useTranslation('lookup');
  return (
    <Title order={3} fz={18} fw={650} data-testid="order-detail-title">
      {t('detail.title', { id: orderId })}
    </Title>
  );
}
