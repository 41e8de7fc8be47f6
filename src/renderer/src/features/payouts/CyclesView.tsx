import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileDescription, IconPlayerPlay } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayoutCycleView } from '../../../../main/api/methods/payouts.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { formatCount, formatDate, formatDateTime, formatFen } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { BatchStatusBadge, KindBadge, lastDay, PAYOUT_READS } from './helpers';
import { PrepareDialog } from './PrepareDialog';

export type CycleState = 'review' | 'approved' | 'due' | 'open' | 'paid' | 'none';
const STATE_COLORS: Record<CycleState, string> = {
  review: 'blue',
  approved: 'teal',
  due: 'orange',
  open: 'gray',
  paid: 'green',
  none: 'gray',
};
const KINDS = ['monthly', 'semi-monthly', 'weekly'] as const;
const STATES: CycleState[] = ['due', 'review', 'approved', 'open', 'paid'];

/**
 * Where a cycle stands: a batch in review, a batch approved (the engine's figures are of its last
 * computation: what is still due after an approval shows in the cycle, from payouts.due), money
 * due, still running, paid, or nothing to pay.
 */
export function cycleState(c: PayoutCycleView): CycleState {
  if (c.batches.some((b) => b.status === 'draft' || b.status === 'held')) return 'review';
  if (c.batches.some((b) => b.status === 'approved') && c.due.partners > 0) return 'approved';
  if (c.due.partners > 0) return 'due';
  if (!c.over) return 'open';
  if (c.closed.partners > 0) return 'paid';
  return 'none';
}

export function CycleStateBadge({ cycle }: { cycle: PayoutCycleView }) {
  const { t } = useTranslation('payouts');
  const s = cycleState(cycle);
  return (
    <Badge
      color={STATE_COLORS[s]}
      variant={s === 'due' ? 'filled' : 'light'}
      radius="sm"
      tt="none"
      size="sm"
      data-cycle-state={s}
    >
      {t(`cycleState.${s}`)}
    </Badge>
  );
}

function Money({ partners, fen }: { partners: number; fen: number }) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  if (partners === 0 && fen === 0)
    return (
      <Text size="sm" c="dimmed" ta="right">
        —
      </Text>
    );
  return (
    <Stack gap={0} align="flex-end">
      <Text size="sm" fw={600} className="tabular-nums">
        {formatFen(fen, locale)}
      </Text>
      <Text size="xs" c="dimmed" className="tabular-nums">
        {t('cycles.partners', { count: partners, n: formatCount(partners, locale) })}
      </Text>
    </Stack>
  );
}

/** Opens a partner's statement for a cycle (对账单), by id. */
function StatementOpener() {
  const { t } = useTranslation('payouts');
  const [, update] = useHashParams();
  const [partner, setPartner] = useState('');
  const [cycle, setCycle] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    if (partner.trim() && cycle.trim())
      update({ statement: partner.trim(), cycle: cycle.trim(), kind: null, state: null, page: null });
  }
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="statement-opener">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Stack gap={2} style={{ flex: '1 1 260px' }}>
            <Title order={3} fz={15} fw={650}>
              {t('statementOpener.title')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('statementOpener.hint')}
            </Text>
          </Stack>
          <TextInput
            label={t('statementOpener.partner')}
            placeholder="P1"
            value={partner}
            onChange={(e) => setPartner(e.currentTarget.value)}
            w={160}
            data-testid="statement-partner"
          />
          <TextInput
            label={t('statementOpener.cycle')}
            placeholder="2026-07"
            value={cycle}
            onChange={(e) => setCycle(e.currentTarget.value)}
            w={140}
            data-testid="statement-cycle"
          />
          <Button
            type="submit"
            variant="default"
            leftSection={<IconFileDescription size={16} />}
            disabled={!partner.trim() || !cycle.trim()}
            data-testid="statement-open"
          >
            {t('statementOpener.open')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

/** 返利发放: every cycle (R-LVL-1 calendar) with what is due, paid, in review, and its batches. */
export function CyclesView() {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const kind = KINDS.find((k) => k === params.get('kind')) ?? null;
  const state = STATES.find((s) => s === params.get('state')) ?? null;
  const canPrepare = useCan('payouts.prepare');
  const [preparing, setPreparing] = useState<PayoutCycleView | null>(null);
  const lastRun = useApiQuery((api) => api.engine.lastRun({}), PAYOUT_READS);

  const columns: DataTableColumn<PayoutCycleView>[] = [
    {
      accessor: 'cycleKey',
      title: t('cycles.cycle'),
      noWrap: true,
      render: (c) => (
        <Group gap={8} wrap="nowrap">
          <Text size="sm" fw={650} ff="monospace" data-col="cycle">
            {c.cycleKey}
          </Text>
          <KindBadge kind={c.kind} />
        </Group>
      ),
    },
    {
      accessor: 'start',
      title: t('cycles.period'),
      render: (c) => (
        <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(c.start, locale)} – {formatDate(lastDay(c.end), locale)}
        </Text>
      ),
    },
    {
      accessor: 'state',
      title: t('cycles.state'),
      noWrap: true,
      render: (c) => <CycleStateBadge cycle={c} />,
    },
    {
      accessor: 'due',
      title: t('cycles.due'),
      textAlign: 'right',
      render: (c) => (
        <div data-col="due">
          <Money {...c.due} />
        </div>
      ),
    },
    {
      accessor: 'open',
      title: t('cycles.accruing'),
      textAlign: 'right',
      render: (c) => <Money {...c.open} />,
    },
    {
      accessor: 'closed',
      title: t('cycles.paid'),
      textAlign: 'right',
      render: (c) => <Money {...c.closed} />,
    },
    {
      accessor: 'batches',
      title: t('cycles.batches'),
      render: (c) =>
        c.batches.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Group gap={6} wrap="wrap" data-col="batches">
            {c.batches.map((b) => (
              <Anchor
                key={b.batchId}
                size="sm"
                onClick={(e) => {
                  e.stopPropagation();
                  update({ batch: String(b.batchId), kind: null, state: null, page: null });
                }}
                data-testid="cycle-batch"
                data-batch={b.batchId}
              >
                <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                  <Text span size="sm" fw={600}>
                    #{b.batchId}
                  </Text>
                  <BatchStatusBadge status={b.status} />
                </Group>
              </Anchor>
            ))}
          </Group>
        ),
    },
    {
      accessor: 'actions',
      title: '',
      textAlign: 'right',
      render: (c) =>
        canPrepare && cycleState(c) === 'due' ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlayerPlay size={14} />}
            onClick={(e) => {
              e.stopPropagation();
              setPreparing(c);
            }}
            data-testid="cycle-prepare"
          >
            {t('cycles.prepare')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <SegmentedControl
          size="xs"
          value={kind ?? 'all'}
          onChange={(v) => update({ kind: v === 'all' ? null : v, page: null })}
          data={[
            { value: 'all', label: t('cycles.allKinds') },
            ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
          ]}
          data-testid="cycles-kind"
        />
        <SegmentedControl
          size="xs"
          value={state ?? 'all'}
          onChange={(v) => update({ state: v === 'all' ? null : v, page: null })}
          data={[
            { value: 'all', label: t('cycles.allStates') },
            ...STATES.map((s) => ({ value: s, label: t(`cycleState.${s}`) })),
          ]}
          data-testid="cycles-state"
        />
      </Group>
      {lastRun.data && (
        <Text size="xs" c="dimmed" className="tabular-nums" data-testid="cycles-as-of">
          {t('cycles.asOf', { time: formatDateTime(lastRun.data.asOf, locale) })}
        </Text>
      )}
      <ServerTable<PayoutCycleView>
        testId="cycles-table"
        reads={PAYOUT_READS}
        filterKey={`${kind ?? ''}|${state ?? ''}`}
        pageSize={15}
        idAccessor="cycleKey"
        load={async (api, page) => {
          const all = (await api.payouts.cycles({})).filter(
            (c) => (!kind || c.kind === kind) && (!state || cycleState(c) === state),
          );
          return { rows: all.slice(page.offset, page.offset + page.limit), total: all.length };
        }}
        columns={columns}
        empty={kind || state ? t('cycles.emptyFiltered') : t('cycles.empty')}
        onRowClick={(c) => update({ cycle: c.cycleKey, kind: null, state: null, page: null })}
        rowAttributes={(c) => ({ 'data-cycle': c.cycleKey, 'data-state': cycleState(c) })}
      />
      <StatementOpener />
      {preparing && (
        <PrepareDialog
          cycleKey={preparing.cycleKey}
          onClose={() => setPreparing(null)}
          onDone={(batchId) => {
            setPreparing(null);
            update({ batch: String(batchId), kind: null, state: null, page: null });
          }}
        />
      )}
    </Stack>
  );
}
