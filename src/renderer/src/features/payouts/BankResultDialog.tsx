import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { BankResultView } from '../../../../main/api/methods/payouts.contract';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatFen } from '../../shared/format';
import { useWrite } from '../../shared/use-write';
import { LineStatusBadge, localMessage } from './helpers';
import { Figure } from './PrepareDialog';

/**
 * The bank's result file read against an approved batch (payouts.bankResultPreview): which lines
 * it pays, which failed (they return in a later batch of the cycle), every problem by line. A file
 * with any problem records nothing; otherwise payouts.bankResult records it (R-PAY-3).
 */
export function BankResultDialog({
  batchId,
  fileName,
  base64,
  check,
  onClose,
}: {
  batchId: number;
  fileName: string;
  base64: string;
  check: BankResultView;
  onClose(): void;
}) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const record = useWrite('payouts.bankResult', {
    success: (out) => t('bank.done', { paid: out.paid, failed: out.failed }),
  });
  const problems = check.problems.length;
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('bank.title', { file: fileName })}
      size="xl"
      centered
      data-testid="bank-result-dialog"
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="md" data-testid="bank-summary">
          <Figure label={t('bank.rows')} value={formatCount(check.rows, locale)} testId="bank-rows" />
          <Figure
            label={t('bank.paid')}
            value={formatCount(check.paid, locale)}
            color={check.paid ? 'green' : undefined}
            testId="bank-paid"
          />
          <Figure
            label={t('bank.failed')}
            value={formatCount(check.failed, locale)}
            color={check.failed ? 'pink' : undefined}
            testId="bank-failed"
          />
          <Figure
            label={t('bank.unchanged')}
            value={formatCount(check.unchanged, locale)}
            testId="bank-unchanged"
          />
          <Figure
            label={t('bank.notInFile')}
            value={formatCount(check.notInFile, locale)}
            testId="bank-not-in-file"
          />
        </SimpleGrid>
        {problems > 0 ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title={t('bank.problemsTitle', { count: problems, n: formatCount(problems, locale) })}
            data-testid="bank-problems"
          >
            <Text size="sm" mb="xs">
              {t('bank.problemsBody')}
            </Text>
            <ScrollArea.Autosize mah={220} type="auto">
              <Table verticalSpacing={4} className="tabular-nums">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>{t('bank.line')}</Table.Th>
                    <Table.Th w={110}>{t('bank.column')}</Table.Th>
                    <Table.Th w={170}>{t('bank.code')}</Table.Th>
                    <Table.Th>{t('bank.message')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {check.problems.map((p, i) => (
                    <Table.Tr key={i} data-problem-line={p.line ?? ''} data-code={p.code}>
                      <Table.Td>{p.line ?? '—'}</Table.Td>
                      <Table.Td>{p.column ?? '—'}</Table.Td>
                      <Table.Td>
                        <Badge color="red" variant="outline" radius="sm" size="sm" tt="none">
                          {p.code}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{localMessage(p.message, locale)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Alert>
        ) : (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="bank-ok">
            {t('bank.ok', { paid: check.paid, failed: check.failed })}
          </Alert>
        )}
        {check.matches.length > 0 && (
          <ScrollArea.Autosize mah={300} type="auto">
            <Table verticalSpacing={6} striped className="tabular-nums" data-testid="bank-matches">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>{t('bank.line')}</Table.Th>
                  <Table.Th>{t('bank.partner')}</Table.Th>
                  <Table.Th>{t('bank.account')}</Table.Th>
                  <Table.Th ta="right">{t('bank.amount')}</Table.Th>
                  <Table.Th>{t('bank.outcome')}</Table.Th>
                  <Table.Th>{t('bank.now')}</Table.Th>
                  <Table.Th>{t('bank.note')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {check.matches.map((m) => (
                  <Table.Tr
                    key={`${m.line}-${m.partnerId}`}
                    data-partner={m.partnerId}
                    data-outcome={m.outcome}
                  >
                    <Table.Td>{m.line}</Table.Td>
                    <Table.Td fw={600}>{m.partnerId}</Table.Td>
                    <Table.Td ff="monospace" fz="xs">
                      {m.account}
                    </Table.Td>
                    <Table.Td ta="right">{formatFen(m.amountFen, locale)}</Table.Td>
                    <Table.Td>
                      <LineStatusBadge status={m.outcome} />
                    </Table.Td>
                    <Table.Td>
                      <LineStatusBadge status={m.current} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {m.note ?? ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        {check.failed > 0 && problems === 0 && (
          <Text size="sm" c="dimmed">
            {t('bank.failedHint')}
          </Text>
        )}
        {record.error && <ErrorAlert error={record.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="bank-cancel">
            {t('bank.cancel')}
          </Button>
          <Button
            color="green"
            disabled={problems > 0 || check.paid + check.failed === 0}
            loading={record.pending}
            onClick={() =>
              void record.run({ batchId, contentBase64: base64, fileName }).then((out) => {
                if (out) onClose();
              })
            }
            data-testid="bank-record"
          >
            {t('bank.record', { paid: check.paid, failed: check.failed })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
