import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  CopyButton,
  FileButton,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconBuildingBank,
  IconCheck,
  IconCircleCheck,
  IconCopy,
  IconDots,
  IconDownload,
  IconFileDescription,
  IconFileUpload,
  IconHandStop,
  IconLock,
  IconSearch,
  IconUserExclamation,
  IconX,
} from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BankResultView,
  PayoutBatchView,
  PayoutDecisionView,
  PayoutFileView,
  PayoutLineStatusView,
  PayoutLineView,
} from '../../../../main/api/methods/payouts.contract';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDate, formatDateTime, formatFen } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';
import { BankResultDialog } from './BankResultDialog';
import { FenCell } from './CycleView';
import {
  BatchStatusBadge,
  bytesToBase64,
  downloadBase64,
  LINE_COLORS,
  LINE_STATUSES,
  LineStatusBadge,
  localMessage,
  PAYOUT_READS,
  useHasPin,
} from './helpers';
import { Figure } from './PrepareDialog';

type Pending =
  | { kind: 'decide'; decision: PayoutDecisionView; line: PayoutLineView | null }
  | { kind: 'paid'; line: PayoutLineView | null };

const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function Checksum({ value, testId }: { value: string; testId: string }) {
  const { t } = useTranslation('payouts');
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid={testId}>
        {value}
      </Text>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('export.copied') : t('export.copy')} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              size="sm"
              onClick={copy}
              aria-label={t('export.copy')}
            >
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** R-PAY-3: the bank or generic file of an approved batch, with its row count, total and SHA-256. */
function ExportPanel({
  batch,
  exports,
}: {
  batch: PayoutBatchView;
  exports: import('../../../../main/api/methods/payouts.contract').PayoutExportView[];
}) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const canExport = useCan('payouts.export');
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [layout, setLayout] = useState<'bank' | 'generic'>('bank');
  const [last, setLast] = useState<(PayoutFileView & { format: string; layout: string }) | null>(null);
  const exportCall = useWrite('payouts.export', {
    success: (out) => t('export.done', { file: out.fileName }),
  });
  async function run() {
    const out = await exportCall.run({ batchId: batch.batchId, format, layout });
    if (!out) return;
    downloadBase64(out.fileName, out.contentBase64, MIME[format]);
    setLast({ ...out, format, layout });
  }
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="export-panel">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <Stack gap={2}>
            <Title order={3} fz={16} fw={650}>
              {t('export.title')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('export.hint')}
            </Text>
          </Stack>
          {canExport && (
            <Group gap="sm" align="flex-end">
              <SegmentedControl
                size="xs"
                value={format}
                onChange={(v) => setFormat(v as 'csv' | 'xlsx')}
                data={[
                  { value: 'csv', label: 'CSV' },
                  { value: 'xlsx', label: 'XLSX' },
                ]}
                data-testid="export-format"
              />
              <SegmentedControl
                size="xs"
                value={layout}
                onChange={(v) => setLayout(v as 'bank' | 'generic')}
                data={[
                  { value: 'bank', label: t('export.bank') },
                  { value: 'generic', label: t('export.generic') },
                ]}
                data-testid="export-layout"
              />
              <Button
                size="xs"
                leftSection={<IconDownload size={14} />}
                loading={exportCall.pending}
                onClick={() => void run()}
                data-testid="export-run"
              >
                {t('export.run')}
              </Button>
            </Group>
          )}
        </Group>
        {exportCall.error && <ErrorAlert error={exportCall.error} />}
        {last && (
          <Alert
            variant="light"
            color="teal"
            icon={<IconCircleCheck size={18} />}
            data-testid="export-result"
            title={t('export.saved', { file: last.fileName })}
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" mb="xs">
              <Figure label={t('export.rows')} value={formatCount(last.rows, locale)} testId="export-rows" />
              <Figure
                label={t('export.total')}
                value={formatFen(last.totalFen, locale)}
                testId="export-total"
              />
              <Figure
                label={t('export.bytes')}
                value={t('export.bytesValue', { n: formatCount(last.bytes, locale) })}
              />
            </SimpleGrid>
            <Text size="xs" c="dimmed" fw={500}>
              SHA-256
            </Text>
            <Checksum value={last.sha256} testId="export-sha256" />
          </Alert>
        )}
        {exports.length > 0 ? (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={6} className="tabular-nums" data-testid="exports-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('export.at')}</Table.Th>
                  <Table.Th>{t('export.file')}</Table.Th>
                  <Table.Th ta="right">{t('export.rows')}</Table.Th>
                  <Table.Th ta="right">{t('export.total')}</Table.Th>
                  <Table.Th>SHA-256</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {exports.map((e) => (
                  <Table.Tr key={e.exportId} data-export={e.exportId}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(e.exportedAt, locale)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {e.exportedBy}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge variant="outline" radius="sm" size="sm" tt="none">
                          {e.format.toUpperCase()}
                        </Badge>
                        <Badge variant="light" radius="sm" size="sm" tt="none" color="gray">
                          {t(`export.${e.layout}`)}
                        </Badge>
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(e.rows, locale)}</Table.Td>
                    <Table.Td ta="right">{formatFen(e.totalFen, locale)}</Table.Td>
                    <Table.Td>
                      <Tooltip label={e.sha256} withArrow multiline w={300}>
                        <Text size="xs" ff="monospace">
                          {e.sha256.slice(0, 16)}…
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : (
          <Text size="sm" c="dimmed" data-testid="exports-none">
            {t('export.none')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** One payout batch (R-PAY-1..3, R-OP-4): its lines, decisions, export and payment. */
export function BatchView({ batchId }: { batchId: number }) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const actor = useAppStore((s) => s.actor);
  const hasPin = useHasPin();
  const mayDecide = useCan('payouts.decide');
  const mayMarkPaid = useCan('payouts.markPaid');
  const mayBankResult = useCan('payouts.bankResultPreview');
  const status = LINE_STATUSES.find((s) => s === params.get('status')) ?? null;
  const partner = params.get('partner')?.trim() || null;
  const [partnerDraft, setPartnerDraft] = useState(partner ?? '');
  const [pending, setPending] = useState<Pending | null>(null);
  const [bank, setBank] = useState<{ check: BankResultView; base64: string; fileName: string } | null>(null);
  const bankPreview = useWrite('payouts.bankResultPreview', { notify: false });
  const resetFile = useRef<() => void>(null);
  const detail = useApiQuery(
    (api) => api.payouts.batch({ batchId, offset: 0, limit: 1 }),
    PAYOUT_READS,
    String(batchId),
  );

  if (detail.error)
    return (
      <Stack gap="md">
        <Anchor size="sm" onClick={() => update({ batch: null, status: null, partner: null, page: null })}>
          <Group gap={4}>
            <IconArrowLeft size={15} />
            {t('cycle.back')}
          </Group>
        </Anchor>
        <ErrorAlert error={detail.error} onRetry={detail.reload} />
      </Stack>
    );
  if (!detail.data || detail.data.batch.batchId !== batchId)
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={140} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  const { batch, exports } = detail.data;
  const open = batch.status === 'draft' || batch.status === 'held';
  const isPreparer = actor?.operatorId === batch.preparedBy;
  const canDecide = mayDecide && open && !isPreparer;
  const by = (s: PayoutLineStatusView) => batch.byStatus.find((x) => x.status === s) ?? { lines: 0, fen: 0 };
  const approvedLeft = by('approved');
  const figures = [
    <Figure
      key="all"
      label={t('batch.lines')}
      value={formatCount(batch.lines, locale)}
      sub={formatFen(batch.totalFen, locale)}
      testId="batch-lines"
    />,
    ...(['pending', 'approved', 'paid', 'held', 'rejected', 'failed'] as const)
      .filter((s) => s !== 'failed' || by('failed').lines > 0)
      .map((s) => (
        <Figure
          key={s}
          label={t(`lineStatus.${s}`)}
          value={formatCount(by(s).lines, locale)}
          sub={formatFen(by(s).fen, locale)}
          color={by(s).lines > 0 ? LINE_COLORS[s] : undefined}
          testId={`batch-count-${s}`}
        />
      )),
    <Figure
      key="frozen"
      label={t('batch.frozen')}
      value={formatCount(batch.frozenPartners, locale)}
      sub={formatFen(batch.frozenFen, locale)}
      color={batch.frozenPartners > 0 ? 'red' : undefined}
      testId="batch-frozen"
    />,
  ];

  async function pickBankFile(file: File | null) {
    if (!file) return;
    resetFile.current?.();
    const base64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    const check = await bankPreview.run({ batchId, contentBase64: base64, fileName: file.name });
    if (check) setBank({ check, base64, fileName: file.name });
  }

  // a refused decision (someone decided first, R-OP-4) shows the batch as it is now once closed
  const closeDialog = () => {
    setPending(null);
    useAppStore.getState().refresh(['payout_batches', 'payout_lines']);
  };

  const lineActions = (l: PayoutLineView) => {
    const items: { key: string; label: string; color?: string; icon: React.ReactNode; onClick(): void }[] =
      [];
    if (canDecide) {
      if (l.status !== 'approved' && l.holdCode !== 'MISSING_PAYEE')
        items.push({
          key: 'approve',
          label: t('lineActions.approve'),
          icon: <IconCheck size={15} />,
          onClick: () => setPending({ kind: 'decide', decision: 'approve', line: l }),
        });
      if (l.status !== 'held')
        items.push({
          key: 'hold',
          label: t('lineActions.hold'),
          color: 'orange',
          icon: <IconHandStop size={15} />,
          onClick: () => setPending({ kind: 'decide', decision: 'hold', line: l }),
        });
      if (l.status !== 'rejected')
        items.push({
          key: 'reject',
          label: t('lineActions.reject'),
          color: 'red',
          icon: <IconX size={15} />,
          onClick: () => setPending({ kind: 'decide', decision: 'reject', line: l }),
        });
    }
    if (mayMarkPaid && batch.status === 'approved' && l.status === 'approved')
      items.push({
        key: 'paid',
        label: t('lineActions.markPaid'),
        color: 'green',
        icon: <IconBuildingBank size={15} />,
        onClick: () => setPending({ kind: 'paid', line: l }),
      });
    return items;
  };

  const columns: DataTableColumn<PayoutLineView>[] = [
    {
      accessor: 'partnerId',
      title: t('lineCols.partner'),
      render: (l) => (
        <Stack gap={0}>
          <Text size="sm" fw={600} data-col="partner">
            {l.partnerId}
          </Text>
          <Text size="xs" c="dimmed">
            {l.partnerName ?? ''}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'payee',
      title: t('lineCols.payee'),
      render: (l) =>
        l.payeeAccount ? (
          <Stack gap={0} maw={230}>
            <Text size="sm" truncate title={l.payeeName ?? ''}>
              {l.payeeName}
            </Text>
            <Text size="xs" ff="monospace" c="dimmed">
              {l.payeeAccount}
            </Text>
            <Text size="xs" c="dimmed" truncate title={l.payeeBank ?? ''}>
              {l.payeeBank}
            </Text>
          </Stack>
        ) : (
          <Tooltip label={t('lineCols.missingPayeeHint')} withArrow multiline w={260}>
            <Badge
              color="orange"
              variant="light"
              radius="sm"
              tt="none"
              size="sm"
              leftSection={<IconUserExclamation size={12} />}
            >
              MISSING_PAYEE
            </Badge>
          </Tooltip>
        ),
    },
    {
      accessor: 'confirmedFen',
      title: t('lineCols.confirmed'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.confirmedFen} />,
    },
    {
      accessor: 'cappedFen',
      title: t('lineCols.capped'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.cappedFen} />,
    },
    {
      accessor: 'carriedFen',
      title: t('lineCols.carried'),
      textAlign: 'right',
      render: (l) => <FenCell fen={l.carriedFen} negativeRed />,
    },
    {
      accessor: 'amountFen',
      title: t('lineCols.amount'),
      textAlign: 'right',
      render: (l) => (
        <div data-col="amount">
          <FenCell fen={l.amountFen} strong />
        </div>
      ),
    },
    {
      accessor: 'status',
      title: t('lineCols.status'),
      render: (l) => (
        <Stack gap={2} align="flex-start" data-col="status">
          <Group gap={4}>
            <LineStatusBadge status={l.status} />
            {l.holdCode && (
              <Badge color="orange" variant="outline" radius="sm" size="xs" tt="none">
                {l.holdCode}
              </Badge>
            )}
          </Group>
          {l.decidedBy && !(l.decidedBy === batch.decidedBy && l.decisionReason === batch.decisionReason) && (
            <Text size="xs" c="dimmed" lineClamp={2} maw={220} title={l.decisionReason ?? ''}>
              {t('lineCols.decided', { by: l.decidedBy, reason: l.decisionReason ?? '' })}
            </Text>
          )}
          {!l.decidedBy && l.holdCode && l.decisionReason && (
            <Text size="xs" c="dimmed" lineClamp={2} maw={220}>
              {localMessage(l.decisionReason, locale)}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'paidAt',
      title: t('lineCols.paid'),
      render: (l) =>
        l.paidAt !== null || l.bankNote ? (
          <Stack gap={0} maw={200} data-col="paid">
            {l.paidAt !== null && (
              <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={l.status === 'failed' ? 'pink' : undefined}>
                {formatDate(l.paidAt, locale)}
              </Text>
            )}
            {l.paidBy && (
              <Text size="xs" c="dimmed">
                {l.paidBy}
              </Text>
            )}
            {l.bankNote && (
              <Text size="xs" c={l.status === 'failed' ? 'pink' : 'dimmed'} lineClamp={2} title={l.bankNote}>
                {t('lineCols.bankNote', { note: l.bankNote })}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    {
      accessor: 'actions',
      title: '',
      width: 56,
      textAlign: 'right',
      render: (l) => {
        const items = lineActions(l);
        return (
          <Menu position="bottom-end" withinPortal shadow="md">
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('lineActions.label', { partner: l.partnerId })}
                onClick={(e) => e.stopPropagation()}
                data-testid="line-actions"
              >
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {items.map((i) => (
                <Menu.Item
                  key={i.key}
                  color={i.color}
                  leftSection={i.icon}
                  onClick={i.onClick}
                  data-testid={`line-${i.key}`}
                >
                  {i.label}
                </Menu.Item>
              ))}
              {items.length > 0 && <Menu.Divider />}
              <Menu.Item
                leftSection={<IconFileDescription size={15} />}
                onClick={() =>
                  update({
                    statement: l.partnerId,
                    cycle: batch.cycleKey,
                    batch: null,
                    status: null,
                    partner: null,
                    page: null,
                  })
                }
                data-testid="line-statement"
              >
                {t('lineActions.statement')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        );
      },
    },
  ];

  const decisionTitle = (p: Extract<Pending, { kind: 'decide' }>) =>
    p.line
      ? t(`decide.line.${p.decision}`, { partner: p.line.partnerId, id: batch.batchId })
      : t(`decide.batch.${p.decision}`, { id: batch.batchId, cycle: batch.cycleKey });

  function submitPartner(e: FormEvent) {
    e.preventDefault();
    update({ partner: partnerDraft.trim() || null, page: null });
  }

  return (
    <Stack gap="md" data-testid="batch-view" data-batch={batchId} data-status={batch.status}>
      <Anchor
        size="sm"
        onClick={() =>
          update({ batch: null, status: null, partner: null, page: null, cycle: batch.cycleKey })
        }
        data-testid="back-to-cycle"
      >
        <Group gap={4} wrap="nowrap">
          <IconArrowLeft size={15} />
          {t('batch.back', { cycle: batch.cycleKey })}
        </Group>
      </Anchor>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="batch-header">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={3} fz={20} fw={650} data-testid="batch-title">
                {t('batch.title', { id: batch.batchId, cycle: batch.cycleKey })}
              </Title>
              <BatchStatusBadge status={batch.status} size="lg" />
            </Group>
            <Text size="sm" c="dimmed" className="tabular-nums" data-testid="batch-prepared">
              {t('batch.prepared', {
                by: batch.preparedBy,
                at: formatDateTime(batch.preparedAt, locale),
                asOf: formatDateTime(batch.asOf, locale),
                version: batch.configVersion,
              })}
            </Text>
          </Stack>
          {canDecide && (
            <Group gap="xs" data-testid="batch-decisions">
              <Button
                color="teal"
                leftSection={<IconCheck size={16} />}
                onClick={() => setPending({ kind: 'decide', decision: 'approve', line: null })}
                data-testid="batch-approve"
              >
                {t('batchActions.approve')}
              </Button>
              {batch.status === 'draft' && (
                <Button
                  variant="light"
                  color="orange"
                  leftSection={<IconHandStop size={16} />}
                  onClick={() => setPending({ kind: 'decide', decision: 'hold', line: null })}
                  data-testid="batch-hold"
                >
                  {t('batchActions.hold')}
                </Button>
              )}
              <Button
                variant="light"
                color="red"
                leftSection={<IconX size={16} />}
                onClick={() => setPending({ kind: 'decide', decision: 'reject', line: null })}
                data-testid="batch-reject"
              >
                {t('batchActions.reject')}
              </Button>
            </Group>
          )}
          {batch.status === 'approved' && (mayMarkPaid || mayBankResult) && (
            <Group gap="xs" data-testid="batch-payment">
              {mayBankResult && (
                <FileButton
                  onChange={(f) => void pickBankFile(f)}
                  accept=".csv,text/csv"
                  resetRef={resetFile}
                >
                  {(props) => (
                    <Button
                      {...props}
                      variant="default"
                      leftSection={<IconFileUpload size={16} />}
                      loading={bankPreview.pending}
                      disabled={approvedLeft.lines === 0}
                      data-testid="bank-result-upload"
                    >
                      {t('batchActions.bankResult')}
                    </Button>
                  )}
                </FileButton>
              )}
              {mayMarkPaid && (
                <Button
                  color="green"
                  leftSection={<IconBuildingBank size={16} />}
                  disabled={approvedLeft.lines === 0}
                  onClick={() => setPending({ kind: 'paid', line: null })}
                  data-testid="batch-mark-paid"
                >
                  {t('batchActions.markAllPaid')}
                </Button>
              )}
            </Group>
          )}
        </Group>

        <SimpleGrid
          cols={{ base: 2, sm: 4, lg: figures.length }}
          spacing="md"
          mt="md"
          data-testid="batch-figures"
        >
          {figures}
        </SimpleGrid>
      </Paper>

      {open && isPreparer && mayDecide && (
        <Alert
          variant="light"
          color="blue"
          icon={<IconLock size={18} />}
          data-testid="maker-checker-notice"
          title={t('batch.makerTitle')}
        >
          {t('batch.makerBody', { by: batch.preparedBy })}
        </Alert>
      )}
      {batch.status === 'approved' && (
        <Alert
          variant="light"
          color="teal"
          icon={<IconLock size={18} />}
          data-testid="batch-approved"
          title={t('batch.approvedTitle', {
            by: batch.decidedBy ?? '?',
            at: formatDateTime(batch.decidedAt ?? 0, locale),
          })}
        >
          <Stack gap={6}>
            <Text size="sm">
              {t('batch.approvedBody', {
                lines: formatCount(batch.approvedLines ?? 0, locale),
                fen: formatFen(batch.approvedFen ?? 0, locale),
                reason: batch.decisionReason ?? '',
              })}
            </Text>
            {batch.checksum && (
              <div>
                <Text size="xs" c="dimmed" fw={500}>
                  {t('batch.checksum')}
                </Text>
                <Checksum value={batch.checksum} testId="batch-checksum" />
              </div>
            )}
          </Stack>
        </Alert>
      )}
      {(batch.status === 'rejected' || batch.status === 'held') && batch.decidedBy && (
        <Alert
          variant="light"
          color={batch.status === 'rejected' ? 'red' : 'orange'}
          icon={batch.status === 'rejected' ? <IconX size={18} /> : <IconHandStop size={18} />}
          data-testid="batch-decided"
          title={t(`batch.${batch.status}Title`, {
            by: batch.decidedBy,
            at: formatDateTime(batch.decidedAt ?? 0, locale),
          })}
        >
          {t('batch.decidedBody', { reason: batch.decisionReason ?? '' })}
        </Alert>
      )}
      {by('failed').lines > 0 && (
        <Alert variant="light" color="pink" icon={<IconAlertTriangle size={18} />} data-testid="batch-failed">
          <Group justify="space-between" wrap="nowrap" gap="md">
            <Text size="sm">
              {t('batch.failedBody', {
                lines: formatCount(by('failed').lines, locale),
                fen: formatFen(by('failed').fen, locale),
                cycle: batch.cycleKey,
              })}
            </Text>
            <Anchor
              size="sm"
              style={{ whiteSpace: 'nowrap' }}
              onClick={() =>
                update({ batch: null, status: null, partner: null, page: null, cycle: batch.cycleKey })
              }
            >
              {t('batch.toCycle', { cycle: batch.cycleKey })}
            </Anchor>
          </Group>
        </Alert>
      )}
      {bankPreview.error && <ErrorAlert error={bankPreview.error} />}

      {batch.status === 'approved' && <ExportPanel batch={batch} exports={exports} />}

      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Group justify="space-between" mb="sm" wrap="wrap" gap="sm">
          <SegmentedControl
            size="xs"
            value={status ?? 'all'}
            onChange={(v) => update({ status: v === 'all' ? null : v, page: null })}
            data={[
              { value: 'all', label: t('lines.all', { n: formatCount(batch.lines, locale) }) },
              ...LINE_STATUSES.filter((s) => by(s).lines > 0 || s === status).map((s) => ({
                value: s,
                label: `${t(`lineStatus.${s}`)} ${formatCount(by(s).lines, locale)}`,
              })),
            ]}
            data-testid="lines-status"
          />
          <form onSubmit={submitPartner}>
            <TextInput
              size="xs"
              w={220}
              placeholder={t('lines.partner')}
              leftSection={<IconSearch size={14} />}
              value={partnerDraft}
              onChange={(e) => setPartnerDraft(e.currentTarget.value)}
              data-testid="lines-partner"
            />
          </form>
        </Group>
        <ServerTable<PayoutLineView>
          testId="lines-table"
          reads={PAYOUT_READS}
          filterKey={`${batchId}|${status ?? ''}|${partner ?? ''}`}
          pageSize={20}
          idAccessor="lineId"
          load={async (api, page) => {
            const out = await api.payouts.batch({
              batchId,
              ...(status ? { status } : {}),
              ...(partner ? { partnerId: partner } : {}),
              offset: page.offset,
              limit: page.limit,
            });
            return { rows: out.lines, total: out.total };
          }}
          columns={columns}
          empty={status || partner ? t('lines.emptyFiltered') : t('lines.empty')}
          rowAttributes={(l) => ({ 'data-partner': l.partnerId, 'data-line-status': l.status })}
        />
      </Paper>

      {pending?.kind === 'decide' && (
        <DecisionDialog
          opened
          onClose={closeDialog}
          method="payouts.decide"
          title={decisionTitle(pending)}
          input={{
            batchId,
            decision: pending.decision,
            expectedRevision: batch.revision,
            ...(pending.line ? { partnerId: pending.line.partnerId } : {}),
          }}
          pin={hasPin}
          confirmLabel={t(`decide.confirm.${pending.decision}`)}
          confirmColor={
            pending.decision === 'approve' ? 'teal' : pending.decision === 'hold' ? 'orange' : 'red'
          }
          success={(out) =>
            out.partnerId
              ? t(`decide.doneLine.${out.decision}`, { partner: out.partnerId })
              : t(`decide.doneBatch.${out.decision}`, { id: out.batchId })
          }
          onDone={() => setPending(null)}
        >
          <Stack gap={6} data-testid="decision-what">
            {pending.line ? (
              <Text size="sm">
                {t(`decide.whatLine.${pending.decision}`, {
                  partner: pending.line.partnerId,
                  fen: formatFen(pending.line.amountFen, locale),
                })}
              </Text>
            ) : (
              <Text size="sm">
                {t(`decide.whatBatch.${pending.decision}`, {
                  lines: formatCount(by('pending').lines, locale),
                  fen: formatFen(by('pending').fen, locale),
                  held: formatCount(by('held').lines + by('rejected').lines, locale),
                })}
              </Text>
            )}
            {pending.decision === 'approve' && !pending.line && (
              <Text size="sm" c="dimmed">
                {t('decide.immutable')}
              </Text>
            )}
          </Stack>
        </DecisionDialog>
      )}
      {pending?.kind === 'paid' && (
        <DecisionDialog
          opened
          onClose={closeDialog}
          method="payouts.markPaid"
          title={
            pending.line
              ? t('paid.lineTitle', { partner: pending.line.partnerId })
              : t('paid.allTitle', { id: batchId })
          }
          input={pending.line ? { batchId, partnerIds: [pending.line.partnerId] } : { batchId, all: true }}
          reasonOptional
          confirmLabel={t('paid.confirm')}
          confirmColor="green"
          success={(out) =>
            t('paid.done', {
              count: out.paid,
              n: formatCount(out.paid, locale),
              fen: formatFen(out.paidFen, locale),
            })
          }
          onDone={() => setPending(null)}
        >
          <Text size="sm" data-testid="decision-what">
            {pending.line
              ? t('paid.whatLine', {
                  partner: pending.line.partnerId,
                  fen: formatFen(pending.line.amountFen, locale),
                })
              : t('paid.whatAll', {
                  lines: formatCount(approvedLeft.lines, locale),
                  fen: formatFen(approvedLeft.fen, locale),
                })}
          </Text>
        </DecisionDialog>
      )}
      {bank && (
        <BankResultDialog
          batchId={batchId}
          fileName={bank.fileName}
          base64={bank.base64}
          check={bank.check}
          onClose={() => setBank(null)}
        />
      )}
    </Stack>
  );
}
