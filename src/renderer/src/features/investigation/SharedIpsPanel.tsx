import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconNetwork, IconNetworkOff, IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SharedIpMark } from '../../../../main/api/methods/investigation.contract';
import { useHashParams } from '../../app/use-hash-params';
import { formatDateTime } from '../../shared/format';
import { ServerTable } from '../../shared/ServerTable';
import { useCan } from '../../shared/use-can';
import { IpDecision } from './IpDecision';

const STATUSES = ['active', 'ended', 'all'] as const;
type MarkStatus = (typeof STATUSES)[number];

/**
 * 共享 IP: the marks (R-SAME-4) in force, ended, or all, with who marked them, from when and why;
 * admins mark a new IP or unmark one after the engine's what-if.
 */
export function SharedIpsPanel() {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const status: MarkStatus = STATUSES.includes(params.get('ipstatus') as MarkStatus)
    ? (params.get('ipstatus') as MarkStatus)
    : 'active';
  const query = params.get('ipq')?.trim() || '';
  const [draft, setDraft] = useState(query);
  const [newIp, setNewIp] = useState('');
  const [flow, setFlow] = useState<{ ip: string; action: 'mark' | 'unmark' } | null>(null);
  const canMark = useCan('ips.mark');
  const canUnmark = useCan('ips.unmark');

  const columns: DataTableColumn<SharedIpMark>[] = [
    {
      accessor: 'ip',
      title: t('marks.ip'),
      render: (m) => (
        <Text size="sm" ff="monospace" fw={600}>
          {m.ip}
        </Text>
      ),
    },
    {
      accessor: 'active',
      title: t('marks.status'),
      render: (m) => (
        <Badge
          size="sm"
          radius="sm"
          variant="light"
          tt="none"
          color={m.active ? 'blue' : m.unmarkedAt !== null ? 'gray' : 'yellow'}
          data-col="status"
        >
          {t(m.active ? 'marks.active' : m.unmarkedAt !== null ? 'marks.ended' : 'marks.scheduled')}
        </Badge>
      ),
    },
    {
      accessor: 'markedAt',
      title: t('marks.marked'),
      render: (m) => (
        <Stack gap={0}>
          <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(m.markedAt, locale)}
          </Text>
          <Text size="xs" c="dimmed">
            {m.markedBy}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'reason',
      title: t('marks.reason'),
      width: '30%',
      render: (m) => (
        <Text size="sm" lineClamp={2}>
          {m.reason}
        </Text>
      ),
    },
    {
      accessor: 'unmarkedAt',
      title: t('marks.unmarked'),
      render: (m) =>
        m.unmarkedAt !== null ? (
          <Stack gap={0}>
            <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(m.unmarkedAt, locale)}
            </Text>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {m.unmarkedBy} · {m.unmarkReason}
            </Text>
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
      textAlign: 'right',
      render: (m) =>
        canUnmark && m.unmarkedAt === null ? (
          <Button
            size="compact-sm"
            variant="light"
            color="orange"
            leftSection={<IconNetworkOff size={14} />}
            onClick={(e) => {
              e.stopPropagation();
              setFlow({ ip: m.ip, action: 'unmark' });
            }}
            data-testid="ip-unmark"
          >
            {t('marks.unmark')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => update({ ipstatus: v === 'active' ? null : v, page: null })}
            data={STATUSES.map((s) => ({ value: s, label: t(`marks.filter.${s}`) }))}
            data-testid="marks-status"
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              update({ ipq: draft.trim() || null, page: null });
            }}
          >
            <TextInput
              placeholder={t('marks.search')}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              leftSection={<IconSearch size={14} />}
              w={220}
              size="xs"
              spellCheck={false}
              data-testid="marks-search"
            />
          </form>
          {canMark && (
            <form
              style={{ marginLeft: 'auto' }}
              onSubmit={(e) => {
                e.preventDefault();
                if (newIp.trim()) setFlow({ ip: newIp.trim(), action: 'mark' });
              }}
            >
              <Group gap="xs" wrap="nowrap">
                <TextInput
                  placeholder={t('marks.newIp')}
                  value={newIp}
                  onChange={(e) => setNewIp(e.currentTarget.value)}
                  size="xs"
                  w={180}
                  spellCheck={false}
                  data-testid="marks-new-ip"
                />
                <Button
                  type="submit"
                  size="xs"
                  leftSection={<IconNetwork size={14} />}
                  disabled={!newIp.trim()}
                  data-testid="marks-new"
                >
                  {t('marks.markNew')}
                </Button>
              </Group>
            </form>
          )}
        </Group>
      </Paper>
      <ServerTable<SharedIpMark>
        testId="marks-table"
        reads={['shared_ips']}
        filterKey={`${status}|${query}`}
        idAccessor="markId"
        load={(api, page) =>
          api.ips.list({ status, query: query || undefined, limit: page.limit, offset: page.offset })
        }
        columns={columns}
        empty={t(query ? 'marks.emptyQuery' : `marks.empty.${status}`)}
        rowAttributes={(m) => ({ 'data-ip': m.ip, 'data-active': String(m.active) })}
      />
      {(canMark || canUnmark) && (
        <IpDecision ip={flow?.ip ?? null} action={flow?.action ?? 'mark'} onClose={() => setFlow(null)} />
      )}
    </Stack>
  );
}
