import { Badge, Group, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueuedJobView } from '../../../main/api/methods/jobs.contract';
import { formatTime } from '../shared/format';
import { apiClient } from './api-client';

const POLL_MS = 2_000;

/**
 * The store's job queue in the header (issue 12): what runs now and what waits its turn, so an
 * import started while a recompute runs says "waiting" instead of failing. Hidden when idle.
 */
export function JobsIndicator() {
  const { t, i18n } = useTranslation('app');
  const [jobs, setJobs] = useState<QueuedJobView[]>([]);
  useEffect(() => {
    let live = true;
    const tick = () =>
      apiClient()
        .api.jobs.list()
        .then((j) => live && setJobs(j))
        .catch(() => undefined);
    void tick();
    const timer = window.setInterval(tick, POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);
  if (jobs.length === 0) return null;
  const waiting = jobs.length - 1;
  return (
    <Popover position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <UnstyledButton data-testid="jobs-indicator" data-running={jobs[0]?.kind} data-waiting={waiting}>
          <Badge
            variant="light"
            color={waiting > 0 ? 'orange' : 'yunke'}
            radius="sm"
            tt="none"
            leftSection={<Loader size={10} type="oval" />}
          >
            {waiting > 0 ? t('jobs.runningWaiting', { waiting }) : t('jobs.running')}
          </Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown maw={360}>
        <Stack gap={6}>
          <Text size="xs" c="dimmed">
            {t('jobs.hint')}
          </Text>
          {jobs.map((j) => (
            <Group key={j.id} gap="xs" wrap="nowrap" justify="space-between">
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <IconStack2 size={14} />
                <Text size="sm" truncate>
                  {t(`jobs.kinds.${j.kind}`)} · {j.label}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {j.position === 0
                  ? t('jobs.since', { time: formatTime(j.startedAt ?? j.enqueuedAt, i18n.language) })
                  : t('jobs.position', { n: j.position })}
              </Text>
            </Group>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
