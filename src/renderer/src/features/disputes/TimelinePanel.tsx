import { Alert, Skeleton, Stack } from '@mantine/core';
import { IconCpu } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { AttributionTimeline, type TimelineFocus } from './AttributionTimeline';

/** Tables whose change redraws a customer's timeline. */
export const TIMELINE_READS = [
  'engine_runs',
  'result_orders',
  'result_attributions',
  'disputes',
  'referral_events',
  'orders',
] as const;

/** A customer's attribution timeline (customers.timeline), with its loading and error states. */
export function TimelinePanel({
  customerId,
  focus,
  details,
  highlightOrder,
}: {
  customerId: string;
  focus?: TimelineFocus;
  details?: boolean;
  highlightOrder?: string;
}) {
  const { t } = useTranslation('disputes');
  const timeline = useApiQuery((api) => api.customers.timeline({ customerId }), TIMELINE_READS, customerId);
  if (timeline.error?.code === 'NOT_COMPUTED')
    return (
      <Alert color="gray" variant="light" icon={<IconCpu size={18} />} data-testid="timeline-not-computed">
        {t('timeline.notComputed')}
      </Alert>
    );
  if (timeline.error) return <ErrorAlert error={timeline.error} onRetry={timeline.reload} />;
  if (!timeline.data)
    return (
      <Stack gap="xs" aria-busy data-testid="timeline-loading">
        <Skeleton h={180} radius="md" />
        <Skeleton h={20} w="60%" />
      </Stack>
    );
  return (
    <AttributionTimeline
      timeline={timeline.data}
      focus={focus}
      details={details}
      highlightOrder={highlightOrder}
    />
  );
}
