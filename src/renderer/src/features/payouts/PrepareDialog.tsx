import { Alert, Button, Group, Modal, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconInfoCircle, IconPlayerPlay } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { useWrite } from '../../shared/use-write';
import { PAYOUT_READS } from './helpers';

export function Figure({
  label,
  value,
  sub,
  color,
  testId,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  color?: string;
  testId?: string;
}) {
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={20} fw={650} lh={1.2} className="tabular-nums" c={color} data-value>
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed" className="tabular-nums">
          {sub}
        </Text>
      )}
    </Stack>
  );
}

/**
 * R-PAY-1: what a batch of the cycle would hold, then the batch prepared (admin or finance): one
 * line per partner; partners without payee details held (MISSING_PAYEE); blacklisted partners
 * left out (R-BL-1). At most one open batch per cycle (R-OP-4).
 */
export function PrepareDialog({
  cycleKey,
  onClose,
  onDone,
}: {
  cycleKey: string;
  onClose(): void;
  onDone(batchId: number): void;
}) {
  const { t, i18n } = useTranslation('payouts');
  const locale = i18n.language;
  const due = useApiQuery(
    (api) => api.payouts.due({ cycleKey, offset: 0, limit: 1 }),
    PAYOUT_READS,
    cycleKey,
  );
  const prepare = useWrite('payouts.prepare', {
    success: (out) => t('prepare.done', { id: out.batchId, cycle: out.cycleKey }),
  });
  const d = due.data;
  const count = (n: number) => t('lineCount', { count: n, n: formatCount(n, locale) });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('prepare.title', { cycle: cycleKey })}
      size="lg"
      centered
      data-testid="prepare-dialog"
    >
      <Stack gap="md">
        <Text size="sm">{t('prepare.body')}</Text>
        {due.error && <ErrorAlert error={due.error} onRetry={due.reload} />}
        {!d && !due.error && <Skeleton h={90} />}
        {d && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" data-testid="prepare-summary">
              <Figure
                label={t('prepare.lines')}
                value={formatCount(d.total, locale)}
                testId="prepare-lines"
              />
              <Figure
                label={t('prepare.total')}
                value={formatFen(d.totalFen, locale)}
                testId="prepare-total"
              />
              <Figure
                label={t('prepare.missingPayee')}
                value={formatFen(d.missingPayee.fen, locale)}
                sub={count(d.missingPayee.lines)}
                color={d.missingPayee.lines > 0 ? 'orange' : undefined}
                testId="prepare-missing-payee"
              />
              <Figure
                label={t('prepare.frozen')}
                value={formatFen(d.frozen.fen, locale)}
                sub={t('partnersCount', {
                  count: d.frozen.partners,
                  n: formatCount(d.frozen.partners, locale),
                })}
                color={d.frozen.partners > 0 ? 'red' : undefined}
                testId="prepare-frozen"
              />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('prepare.asOf', { time: formatDateTime(d.asOf, locale), run: d.runId })}
            </Text>
            {d.missingPayee.lines > 0 && (
              <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} />}>
                {t('prepare.missingHint')}
              </Alert>
            )}
          </>
        )}
        {prepare.error && <ErrorAlert error={prepare.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="prepare-cancel">
            {t('prepare.cancel')}
          </Button>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            loading={prepare.pending}
            disabled={!d || d.total === 0}
            onClick={() =>
              void prepare.run({ cycleKey }).then((out) => {
                if (out) onDone(out.batchId);
              })
            }
            data-testid="prepare-confirm"
          >
            {t('prepare.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
