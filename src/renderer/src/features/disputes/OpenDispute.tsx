import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconGavel, IconInfoCircle, IconTimeline } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { contract } from '../../../../main/api/contract';
import type { CustomerTimeline, TimelineEntry } from '../../../../main/api/methods/disputes.contract';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { beijingInputToMs, formatDateTime, msToBeijingInput } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';
import { DisputeStatusBadge } from './CaseView';
import { kindLabel } from './AttributionTimeline';
import { TIMELINE_READS, TimelinePanel } from './TimelinePanel';

export interface OrderRef {
  orderId: string;
  customerId: string;
  orderedAt: number;
}

/** The partners of a customer's events, each with its events before the order (latest first). */
function partnersOf(timeline: CustomerTimeline | undefined, before: number) {
  const out = new Map<string, TimelineEntry[]>();
  for (const e of timeline?.entries ?? []) {
    if (e.kind === 'manual') continue;
    const list = out.get(e.partnerId) ?? [];
    list.push(e);
    out.set(e.partnerId, list);
  }
  return [...out.entries()].map(([partnerId, events]) => {
    const prior = events.filter((e) => e.at <= before);
    return { partnerId, events, suggested: (prior[prior.length - 1] ?? events[0]).at };
  });
}

/**
 * 发起争议 (R-DISP-1): support (or an admin) records a partner's claim on the order's customer —
 * the claimant chosen among the partners of the customer's events or typed, the claim in words,
 * the instant claimed — through disputes.open, validated by the contract's own schema.
 */
export function OpenDisputeDialog({
  order,
  opened,
  onClose,
  onOpened,
}: {
  order: OrderRef;
  opened: boolean;
  onClose(): void;
  onOpened?(disputeId: number): void;
}) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const timeline = useApiQuery(
    (api) => api.customers.timeline({ customerId: order.customerId }),
    TIMELINE_READS,
    order.customerId,
  );
  const partners = partnersOf(timeline.data, order.orderedAt);
  const [partner, setPartner] = useState('');
  const [claim, setClaim] = useState('');
  const [at, setAt] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const write = useWrite('disputes.open', { success: (v) => t('open.done', { id: v.disputeId }) });

  function close() {
    setPartner('');
    setClaim('');
    setAt('');
    setIssues({});
    write.reset();
    onClose();
  }

  function choosePartner(value: string) {
    setPartner(value);
    const known = partners.find((p) => p.partnerId === value.trim());
    // the claimant's own latest event before the order is the likeliest instant claimed
    if (known && !at) setAt(msToBeijingInput(known.suggested));
  }

  async function submit() {
    const input = {
      partnerId: partner.trim(),
      customerId: order.customerId,
      orderId: order.orderId,
      claim,
      claimedAt: at ? (beijingInputToMs(at) ?? Number.NaN) : Number.NaN,
    };
    const parsed = (contract['disputes.open'].input as z.ZodType).safeParse(input);
    if (!parsed.success) {
      const byField: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const field = String(i.path[0] ?? 'form');
        byField[field] ??= t(`open.invalid.${field}`, { defaultValue: i.message });
      }
      setIssues(byField);
      return;
    }
    setIssues({});
    const out = await write.run(input);
    if (out) {
      onOpened?.(out.disputeId);
      close();
    }
  }

  const existing =
    write.error?.code === 'DISPUTE_ALREADY_OPEN' ? (write.error.details as { disputeId?: number }) : null;
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('open.title')}
      size="lg"
      centered
      data-testid="open-dispute-dialog"
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('open.intro')}
        </Text>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t('open.customer')}
            value={order.customerId}
            readOnly
            variant="filled"
            data-testid="open-customer"
          />
          <TextInput
            label={t('open.order')}
            value={order.orderId}
            readOnly
            variant="filled"
            data-testid="open-order"
          />
        </SimpleGrid>
        <Autocomplete
          label={t('open.partner')}
          description={t('open.partnerHint')}
          placeholder={t('open.partnerPlaceholder')}
          withAsterisk
          data={partners.map((p) => p.partnerId)}
          renderOption={({ option }) => {
            const p = partners.find((x) => x.partnerId === option.value);
            return (
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  {option.value}
                </Text>
                {p && (
                  <Text size="xs" c="dimmed">
                    {p.events
                      .slice(-3)
                      .map((e) => `${kindLabel(e, t)} ${formatDateTime(e.at, locale)}`)
                      .join(' · ')}
                  </Text>
                )}
              </Stack>
            );
          }}
          value={partner}
          onChange={setPartner}
          onOptionSubmit={choosePartner}
          onBlur={() => choosePartner(partner)}
          error={issues.partnerId}
          comboboxProps={{ withinPortal: true }}
          data-testid="open-partner"
        />
        <TextInput
          type="datetime-local"
          label={t('open.claimedAt')}
          description={t('open.claimedAtHint')}
          withAsterisk
          value={at}
          onChange={(e) => setAt(e.currentTarget.value)}
          error={issues.claimedAt}
          data-testid="open-claimed-at"
        />
        <Textarea
          label={t('open.claim')}
          description={t('open.claimHint')}
          placeholder={t('open.claimPlaceholder')}
          withAsterisk
          autosize
          minRows={3}
          value={claim}
          onChange={(e) => setClaim(e.currentTarget.value)}
          error={issues.claim}
          data-testid="open-claim"
        />
        {existing?.disputeId ? (
          <Alert
            color="orange"
            variant="light"
            icon={<IconInfoCircle size={18} />}
            data-testid="open-already"
          >
            <Group gap="xs">
              <Text size="sm">{t('open.already', { id: existing.disputeId })}</Text>
              <Anchor size="sm" href={hrefFor('disputes', { case: String(existing.disputeId) })}>
                {t('open.showCase')}
              </Anchor>
            </Group>
          </Alert>
        ) : (
          write.error && <ErrorAlert error={write.error} />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-testid="open-cancel">
            {t('open.cancel')}
          </Button>
          <Button loading={write.pending} onClick={() => void submit()} data-testid="open-submit">
            {t('open.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * In the lookup drawer: the cases about the order's customer, a button to open one, and the
 * customer's attribution timeline (the same component as the case view).
 */
export function OrderDisputesSection({ order }: { order: OrderRef }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const canOpen = useCan('disputes.open');
  const [dialog, setDialog] = useState(false);
  const [words, setWords] = useState(false);
  const cases = useApiQuery(
    (api) => api.disputes.list({ customerId: order.customerId, limit: 50 }),
    ['disputes'],
    order.customerId,
  );
  const rows = cases.data?.rows ?? [];
  return (
    <>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="order-disputes">
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Group gap={8} wrap="nowrap">
            <IconGavel size={18} stroke={1.7} />
            <Title order={4} fz={15} fw={650}>
              {t('lookup.cases', { customer: order.customerId })}
            </Title>
          </Group>
          {canOpen && (
            <Button size="xs" variant="light" onClick={() => setDialog(true)} data-testid="open-dispute">
              {t('lookup.open')}
            </Button>
          )}
        </Group>
        {cases.error ? (
          <ErrorAlert error={cases.error} onRetry={cases.reload} />
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="order-disputes-none">
            {cases.data ? t('lookup.noCases') : '…'}
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm" data-testid="order-disputes-list">
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.disputeId} data-dispute-id={r.disputeId}>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      fw={600}
                      href={hrefFor('disputes', { case: String(r.disputeId) })}
                      data-testid="order-dispute-link"
                    >
                      {t('case.ref', { id: r.disputeId })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t('case.relatedClaimant', { partner: r.partnerId })}</Table.Td>
                  <Table.Td>{r.orderId ?? '—'}</Table.Td>
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
      </Paper>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="order-timeline">
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Group gap={8} wrap="nowrap">
            <IconTimeline size={18} stroke={1.7} />
            <Title order={4} fz={15} fw={650}>
              {t('lookup.timeline', { customer: order.customerId })}
            </Title>
          </Group>
          <Anchor
            size="xs"
            component="button"
            onClick={() => setWords((w) => !w)}
            data-testid="timeline-words"
          >
            {words ? t('lookup.hideWords') : t('lookup.showWords')}
          </Anchor>
        </Group>
        <TimelinePanel customerId={order.customerId} details={words} highlightOrder={order.orderId} />
      </Paper>
      {canOpen && dialog && (
        <OpenDisputeDialog order={order} opened={dialog} onClose={() => setDialog(false)} />
      )}
    </>
  );
}
