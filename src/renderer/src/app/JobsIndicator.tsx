import { Badge, Group, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueuedJobView } from '../../../main/api/methods/jobs.contract';
import { formatTime } from '../shared/format';
import { apiClient } from './api-client';

const POLL_MS = 2_000;
/** the notification of a write waiting for another desk's */
const WAIT_NOTICE = 'team-write-wait';

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
  // a team database: the running job's write waits for another desk's (issue 13); said above
  // everything too (a dialog's overlay covers the header while its decision is saved)
  const waiter = jobs.find((j) => j.waitingFor !== null);
  const blocked = waiter?.waitingFor ?? null;
  const blockedSince = waiter?.waitingSince ?? null;
  const shown = useRef(false);
  useEffect(() => {
    if (blocked === null) {
      if (shown.current) notifications.hide(WAIT_NOTICE);
      shown.current = false;
      return;
    }
    const time = formatTime(blockedSince ?? Date.now(), i18n.language);
    const notice = {
      id: WAIT_NOTICE,
      color: 'orange',
      loading: true,
      title: t('jobs.waitingTeam'),
      message: blocked
        ? t('jobs.waitingFor', { holder: blocked, time })
        : t('jobs.waitingForOther', { time }),
      autoClose: false as const,
      withCloseButton: false,
      // (below, not over the header's controls, which stay usable while it waits)
      position: 'bottom-right' as const,
      'data-testid': 'team-wait-notice',
    };
    if (shown.current) notifications.update(notice);
    else notifications.show(notice);
    shown.current = true;
  }, [blocked, blockedSince, t, i18n.language]);
  useEffect(
    () => () => {
      notifications.hide(WAIT_NOTICE);
    },
    [],
  );
  if (jobs.length === 0) return null;
  // (jobs in line behind the running one: a write waiting outside any job is not in line)
  const waiting = jobs.filter((j) => j.position > 0).length;
  return (
    <Popover position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <UnstyledButton
          data-testid="jobs-indicator"
          data-running={jobs[0]?.kind}
          data-waiting={waiting}
          data-blocked={blocked !== null}
        >
          <Badge
            variant="light"
            color={waiting > 0 || blocked !== null ? 'orange' : 'yunke'}
            radius="sm"
            tt="none"
            leftSection={<Loader size={10} type="oval" />}
          >
            {blocked !== null
              ? t('jobs.waitingTeam')
              : waiting > 0
                ? t('jobs.runningWaiting', { waiting })
                : t('jobs.running')}
          </Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown maw={360}>
        <Stack gap={6}>
          <Text size="xs" c="dimmed">
            {t('jobs.hint')}
          </Text>
          {jobs.map((j) => (
            <Stack key={j.id} gap={2}>
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                  <IconStack2 size={14} />
                  <Text size="sm" truncate>
                    {t(`jobs.kinds.${j.kind}`)}
                    {j.label ? ` · ${j.label}` : ''}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {j.position === 0
                    ? t('jobs.since', { time: formatTime(j.startedAt ?? j.enqueuedAt, i18n.language) })
                    : t('jobs.position', { n: j.position })}
                </Text>
              </Group>
              {j.waitingFor !== null && (
                <Text size="xs" c="orange" data-testid="jobs-waiting-for">
                  {j.waitingFor
                    ? t('jobs.waitingFor', {
                        holder: j.waitingFor,
                        time: formatTime(j.waitingSince ?? j.enqueuedAt, i18n.language),
                      })
                    : t('jobs.waitingForOther', {
                        time: formatTime(j.waitingSince ?? j.enqueuedAt, i18n.language),
                      })}
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
