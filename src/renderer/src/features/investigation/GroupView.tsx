import {
  Alert,
  Badge,
  Button,
  Chip,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconInfoCircle, IconLock, IconNetwork } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  GroupEdge,
  GroupHub,
  GroupMember,
  GroupView as GroupData,
  Sighting,
} from '../../../../main/api/methods/investigation.contract';
import { hrefFor } from '../../app/router';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import {
  EVIDENCE_COLOR,
  EVIDENCE_KINDS,
  readEvidence,
  splitKey,
  type AccountKey,
  type EvidenceKind,
} from './evidence';
import { IdentityGraph, sightingRange } from './IdentityGraph';
import { IpDecision } from './IpDecision';
import { PathPanel } from './PathPanel';

/** Result tables a group view reads: a decision that writes one loads it again. */
export const GROUP_READS = [
  'result_same_person',
  'result_same_person_edges',
  'result_investigation',
  'result_orders',
  'result_partners',
] as const;

const TABLE_PAGE = 12;

/** The group's data with the instant it was asked for (the graph reports data + first paint). */
function timed(load: Promise<GroupData>): Promise<{ view: GroupData; requestedAt: number }> {
  const requestedAt = performance.now();
  return load.then((view) => ({ view, requestedAt }));
}

export function EvidenceBadge({ kind }: { kind: EvidenceKind }) {
  const { t } = useTranslation('investigation');
  return (
    <Badge size="sm" radius="sm" variant="light" color={EVIDENCE_COLOR[kind]} tt="none" data-evidence={kind}>
      {t(`evidence.${kind}`)}
    </Badge>
  );
}

export function AccountChip({ k }: { k: AccountKey }) {
  const { t } = useTranslation('investigation');
  const { kind, id } = splitKey(k);
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="xs" radius="sm" variant="light" color={kind === 'partner' ? 'grape' : 'gray'} tt="none">
        {t(`account.${kind}`)}
      </Badge>
      <Text size="sm" fw={500}>
        {id}
      </Text>
    </Group>
  );
}

function SeenText({ s }: { s: Sighting }) {
  const { t, i18n } = useTranslation('investigation');
  return (
    <Stack gap={0}>
      <Text size="xs" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
        {sightingRange(s, i18n.language, t('seen.unknown'))}
      </Text>
      {s.sources.length > 0 && (
        <Text size="xs" c="dimmed">
          {s.sources.map((x) => t(`source.${x}`)).join(', ')}
        </Text>
      )}
    </Stack>
  );
}

/** A table of rows already loaded (a group's edges, hubs, members), paged here. */
function LocalTable<T>(props: {
  records: T[];
  columns: DataTableColumn<T>[];
  idAccessor: (r: T) => string;
  testId: string;
  empty: string;
  onRowClick?: (r: T) => void;
  rowAttributes?: (r: T) => Record<string, string>;
}) {
  const { t, i18n } = useTranslation('app');
  const [page, setPage] = useState(1);
  const total = props.records.length;
  const start = (page - 1) * TABLE_PAGE;
  return (
    <DataTable<T>
      withTableBorder
      borderRadius="md"
      highlightOnHover
      verticalSpacing={8}
      minHeight={total === 0 ? 140 : undefined}
      idAccessor={props.idAccessor}
      records={props.records.slice(start, start + TABLE_PAGE)}
      columns={props.columns}
      totalRecords={total}
      recordsPerPage={TABLE_PAGE}
      page={page}
      onPageChange={setPage}
      paginationText={({ from, to, totalRecords }) =>
        t('table.pagination', {
          from: formatCount(from, i18n.language),
          to: formatCount(to, i18n.language),
          total: formatCount(totalRecords, i18n.language),
        })
      }
      noRecordsText={props.empty}
      onRowClick={props.onRowClick ? ({ record }) => props.onRowClick!(record) : undefined}
      customRowAttributes={props.rowAttributes}
      style={{ background: 'var(--app-card-bg)' }}
      data-testid={props.testId}
      data-total={total}
    />
  );
}

function Stat({
  label,
  value,
  testId,
  color,
}: {
  label: string;
  value: ReactNode;
  testId: string;
  color?: string;
}) {
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={20} fw={650} className="tabular-nums" c={color} mt={2}>
        {value}
      </Text>
    </Paper>
  );
}

interface IpRow {
  ip: string;
  accounts: number;
  hub: boolean;
  first: number | null;
  last: number | null;
}

/** The IP addresses among the group's evidence (edges and hubs), most accounts first. */
function ipsOf(view: GroupData): IpRow[] {
  const rows = new Map<
    string,
    { accounts: Set<string>; hub: boolean; first: number | null; last: number | null }
  >();
  const widen = (
    r: { first: number | null; last: number | null },
    s: { first: number | null; last: number | null },
  ) => {
    if (s.first !== null) r.first = r.first === null ? s.first : Math.min(r.first, s.first);
    if (s.last !== null) r.last = r.last === null ? s.last : Math.max(r.last, s.last);
  };
  for (const e of view.edges) {
    if (e.evidence !== 'ip') continue;
    const r = rows.get(e.value) ?? { accounts: new Set<string>(), hub: false, first: null, last: null };
    r.accounts.add(e.a);
    r.accounts.add(e.b);
    widen(r, e.seenA);
    widen(r, e.seenB);
    rows.set(e.value, r);
  }
  for (const h of view.hubs) {
    if (h.evidence !== 'ip') continue;
    const r = rows.get(h.value) ?? { accounts: new Set<string>(), hub: true, first: null, last: null };
    for (const m of h.members) r.accounts.add(m);
    r.hub = true;
    widen(r, h.seen);
    rows.set(h.value, r);
  }
  return [...rows]
    .map(([ip, r]) => ({ ip, accounts: r.accounts.size, hub: r.hub, first: r.first, last: r.last }))
    .sort((a, b) => b.accounts - a.accounts || (a.ip < b.ip ? -1 : 1));
}

/**
 * One same-person group (#/investigation?group=ID): what is at stake, the identity graph beside
 * "why are these two the same person?", the evidence as a table with when each value was seen,
 * hubs, accounts, and the group's IP addresses (marked shared from here, R-SAME-4).
 */
export function GroupView({ groupId }: { groupId: string }) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const [params, update] = useHashParams();
  const evidence = readEvidence(params.get('ev'));
  const a = params.get('a') || null;
  const b = params.get('b') || null;
  const tab = params.get('gtab') ?? 'edges';
  const canMark = useCan('ips.mark');
  const [marking, setMarking] = useState<string | null>(null);
  // the tables below the graph are laid out once the graph has painted (its first paint comes first)
  const [graphPainted, setGraphPainted] = useState(false);
  const group = useApiQuery(
    (api) =>
      timed(
        api.investigation.group({
          groupId,
          evidence: evidence.length > 0 ? evidence : undefined,
          lang,
        }),
      ),
    GROUP_READS,
    `${groupId}|${evidence.join(',')}|${lang}`,
  );
  const path = useApiQuery(
    (api) => (a && b ? api.investigation.path({ a, b, lang }) : Promise.resolve(null)),
    ['result_same_person', 'result_same_person_edges'],
    `${a}|${b}|${lang}`,
  );
  const view = group.data?.view;
  const ips = useMemo(() => (view ? ipsOf(view) : []), [view]);

  const setPair = (na: AccountKey | null, nb: AccountKey | null) => update({ a: na, b: nb });
  // a click on the graph fills the first free account; a third click starts again from the newest
  const pick = (k: AccountKey) => {
    if (k === a || k === b) return;
    if (!a) setPair(k, b);
    else if (!b) setPair(a, k);
    else setPair(b, k);
  };
  const picked = [a, b].filter((k): k is string => k !== null);

  const back = (
    <Button
      component="a"
      href={hrefFor('investigation', {
        ...Object.fromEntries(params.entries()),
        group: null,
        ev: null,
        a: null,
        b: null,
        gtab: null,
        all: null,
      })}
      variant="subtle"
      size="xs"
      w="fit-content"
      leftSection={<IconArrowLeft size={14} />}
      data-testid="group-back"
    >
      {t('group.back')}
    </Button>
  );

  if (group.error)
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert error={group.error} onRetry={group.reload} />
      </Stack>
    );
  if (!view)
    return (
      <Stack gap="md" aria-busy>
        {back}
        <Skeleton h={90} radius="md" />
        <Skeleton h={560} radius="md" />
      </Stack>
    );

  const s = view.summary;
  const gone = view.members.length <= 1;

  const edgeColumns: DataTableColumn<GroupEdge>[] = [
    {
      accessor: 'a',
      title: t('edges.accounts'),
      render: (e) => (
        <Group gap={6} wrap="nowrap">
          <AccountChip k={e.a} />
          <Text c="dimmed" size="sm">
            ↔
          </Text>
          <AccountChip k={e.b} />
        </Group>
      ),
    },
    { accessor: 'evidence', title: t('edges.evidence'), render: (e) => <EvidenceBadge kind={e.evidence} /> },
    {
      accessor: 'value',
      title: t('edges.value'),
      render: (e) => (
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-col="value">
          {e.value}
        </Text>
      ),
    },
    { accessor: 'seenA', title: t('edges.seenA'), render: (e) => <SeenText s={e.seenA} /> },
    { accessor: 'seenB', title: t('edges.seenB'), render: (e) => <SeenText s={e.seenB} /> },
  ];
  const hubColumns: DataTableColumn<GroupHub>[] = [
    { accessor: 'evidence', title: t('edges.evidence'), render: (h) => <EvidenceBadge kind={h.evidence} /> },
    {
      accessor: 'value',
      title: t('edges.value'),
      render: (h) => (
        <Text size="sm" ff="monospace">
          {h.value}
        </Text>
      ),
    },
    {
      accessor: 'count',
      title: t('hubs.accounts'),
      textAlign: 'right',
      render: (h) => (
        <Text size="sm" fw={600} className="tabular-nums">
          {formatCount(h.count, locale)}
        </Text>
      ),
    },
    {
      accessor: 'seen',
      title: t('hubs.seen'),
      render: (h) => (
        <Text size="xs" className="tabular-nums">
          {sightingRange(h.seen, locale, t('seen.unknown'))}
        </Text>
      ),
    },
  ];
  const memberColumns: DataTableColumn<GroupMember>[] = [
    {
      accessor: 'key',
      title: t('members.account'),
      render: (m) => (
        <Stack gap={0}>
          <AccountChip k={m.key} />
          {m.name && (
            <Text size="xs" c="dimmed">
              {m.name}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'since',
      title: t('members.since'),
      render: (m) => (
        <Text size="xs" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
          {m.since !== null ? formatDateTime(m.since, locale) : '—'}
        </Text>
      ),
    },
    {
      accessor: 'orders',
      title: t('members.orders'),
      render: (m) =>
        m.partner ? (
          <Group gap={4}>
            {m.partner.level && (
              <Badge size="sm" radius="sm" variant="light" tt="none">
                {m.partner.level}
              </Badge>
            )}
            {m.partner.blacklisted && (
              <Badge size="sm" radius="sm" variant="light" color="red" tt="none">
                {t('members.blacklisted')}
              </Badge>
            )}
          </Group>
        ) : (
          <Text size="sm" className="tabular-nums">
            {t('members.orderCount', { count: m.orders.count, valid: m.orders.valid })}
          </Text>
        ),
    },
    {
      accessor: 'paid',
      title: t('members.paid'),
      textAlign: 'right',
      render: (m) => (
        <Text size="sm" className="tabular-nums">
          {m.partner ? '—' : formatFen(m.orders.paidFen, locale)}
        </Text>
      ),
    },
    {
      accessor: 'rebates',
      title: t('members.rebate'),
      textAlign: 'right',
      render: (m) => (
        <Stack gap={0} align="flex-end">
          <Text size="sm" className="tabular-nums" fw={m.rebates.rebateFen ? 600 : 400}>
            {m.partner ? '—' : formatFen(m.rebates.rebateFen, locale)}
          </Text>
          {m.rebates.frozenFen > 0 && (
            <Text size="xs" c="red" className="tabular-nums">
              {t('members.frozen', { amount: formatFen(m.rebates.frozenFen, locale) })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'referredBy',
      title: t('members.referredBy'),
      render: (m) => (
        <Text size="sm" c={m.referredBy.length ? undefined : 'dimmed'}>
          {m.referredBy.length ? m.referredBy.join(', ') : '—'}
        </Text>
      ),
    },
  ];
  const ipColumns: DataTableColumn<IpRow>[] = [
    {
      accessor: 'ip',
      title: t('ips.ip'),
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" ff="monospace" fw={600}>
            {r.ip}
          </Text>
          {r.hub && (
            <Badge size="xs" radius="sm" variant="outline" tt="none">
              {t('ips.hub')}
            </Badge>
          )}
        </Group>
      ),
    },
    {
      accessor: 'accounts',
      title: t('ips.accounts'),
      textAlign: 'right',
      render: (r) => (
        <Text size="sm" className="tabular-nums">
          {formatCount(r.accounts, locale)}
        </Text>
      ),
    },
    {
      accessor: 'first',
      title: t('ips.seen'),
      render: (r) => (
        <Text size="xs" className="tabular-nums">
          {sightingRange(r, locale, t('seen.unknown'))}
        </Text>
      ),
    },
    {
      accessor: 'actions',
      title: '',
      textAlign: 'right',
      render: (r) =>
        canMark && !view.masked ? (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconNetwork size={14} />}
            onClick={(e) => {
              e.stopPropagation();
              setMarking(r.ip);
            }}
            data-testid="ip-mark"
          >
            {t('ips.mark')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="md" data-testid="group-view" data-group={view.groupId} data-members={view.members.length}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          {back}
          <Group gap="sm" align="baseline">
            <Title order={3} fz={19} fw={650} data-testid="group-title">
              {t('group.title', { id: view.groupId })}
            </Title>
            {s && (
              <Text size="sm" c="dimmed">
                {t('group.composition', {
                  customers: t('count.customers', {
                    count: s.customers,
                    n: formatCount(s.customers, locale),
                  }),
                  partners: t('count.partners', { count: s.partners, n: formatCount(s.partners, locale) }),
                })}
              </Text>
            )}
          </Group>
          {view.asOf !== null && (
            <Text size="xs" c="dimmed">
              {t('group.asOf', { asOf: formatDateTime(view.asOf, locale) })}
            </Text>
          )}
        </Stack>
        {s && s.partnerIds.length > 0 && (
          <Stack gap={4} align="flex-end">
            <Text size="xs" c="dimmed">
              {t('group.partners')}
            </Text>
            <Group gap={4} justify="flex-end" data-testid="group-partners">
              {s.partnerIds.map((p) => (
                <Badge
                  key={p}
                  component="a"
                  href={hrefFor('blacklist', { partner: p })}
                  variant="light"
                  color="grape"
                  radius="sm"
                  tt="none"
                  style={{ cursor: 'pointer' }}
                >
                  {p}
                </Badge>
              ))}
            </Group>
          </Stack>
        )}
      </Group>

      {gone ? (
        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} data-testid="group-gone">
          {t('group.gone')}
        </Alert>
      ) : (
        <>
          {s && (
            <SimpleGrid cols={{ base: 3, md: 6 }} spacing="sm">
              <Stat label={t('queue.col.size')} value={formatCount(s.size, locale)} testId="group-size" />
              <Stat label={t('group.stake')} value={formatFen(s.stakeFen, locale)} testId="group-stake" />
              <Stat
                label={t('group.denied', { count: s.deniedOrders })}
                value={formatFen(s.deniedFen, locale)}
                testId="group-denied"
                color={s.deniedFen > 0 ? 'orange' : undefined}
              />
              <Stat
                label={t('group.confirmed')}
                value={formatFen(s.confirmedFen, locale)}
                testId="group-confirmed"
              />
              <Stat
                label={t('group.pending')}
                value={formatFen(s.pendingFen, locale)}
                testId="group-pending"
              />
              <Stat
                label={t('group.frozen')}
                value={formatFen(s.frozenFen, locale)}
                testId="group-frozen"
                color={s.frozenFen > 0 ? 'red' : undefined}
              />
            </SimpleGrid>
          )}
          <Paper withBorder radius="md" p="xs" bg="var(--app-card-bg)">
            <Group gap="sm" wrap="wrap">
              <Text size="sm" fw={500} c="dimmed">
                {t('group.filter')}
              </Text>
              <Chip.Group
                multiple
                value={evidence}
                onChange={(v) => update({ ev: (v as EvidenceKind[]).join(',') || null, a, b })}
              >
                <Group gap={6} data-testid="evidence-filter">
                  {EVIDENCE_KINDS.map((k) => (
                    <Chip
                      key={k}
                      value={k}
                      size="xs"
                      color={EVIDENCE_COLOR[k]}
                      disabled={view.evidenceCounts[k] === 0}
                      data-testid={`evidence-${k}`}
                    >
                      {t('group.filterChip', { kind: t(`evidence.${k}`), count: view.evidenceCounts[k] })}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              {evidence.length > 0 && (
                <Text size="xs" c="dimmed">
                  {t('group.filtered')}
                </Text>
              )}
              {view.masked && (
                <Group gap={4} ml="auto">
                  <IconLock size={14} color="var(--mantine-color-dimmed)" />
                  <Text size="xs" c="dimmed" data-testid="group-masked">
                    {t('group.masked')}
                  </Text>
                </Group>
              )}
            </Group>
          </Paper>
          <Grid gap="md" align="stretch">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <IdentityGraph
                view={view}
                all={params.get('all') === '1'}
                onAllChange={(v) => update({ all: v ? '1' : null })}
                requestedAt={group.data!.requestedAt}
                picked={picked}
                onPick={pick}
                path={path.data ?? null}
                onPaint={() => setGraphPainted(true)}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <PathPanel members={view.members} a={a} b={b} onChange={setPair} path={a && b ? path : null} />
            </Grid.Col>
          </Grid>
          {!graphPainted && <Skeleton h={320} radius="md" />}
          {graphPainted && (
            <Tabs
              value={tab}
              onChange={(v) => update({ gtab: v === 'edges' ? null : v })}
              variant="outline"
              radius="md"
              keepMounted={false}
            >
              <Tabs.List>
                <Tabs.Tab value="edges" data-testid="group-tab-edges">
                  {t('tabs.edges', { count: view.edges.length })}
                </Tabs.Tab>
                <Tabs.Tab value="hubs" data-testid="group-tab-hubs">
                  {t('tabs.hubs', { count: view.hubs.length })}
                </Tabs.Tab>
                <Tabs.Tab value="members" data-testid="group-tab-members">
                  {t('tabs.members', { count: view.members.length })}
                </Tabs.Tab>
                <Tabs.Tab value="ips" data-testid="group-tab-ips">
                  {t('tabs.ips', { count: ips.length })}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="edges" pt="sm">
                <LocalTable
                  testId="edges-table"
                  records={view.edges}
                  columns={edgeColumns}
                  idAccessor={(e) => `${e.a}|${e.b}|${e.evidence}|${e.value}`}
                  empty={t('edges.empty')}
                  rowAttributes={(e) => ({ 'data-a': e.a, 'data-b': e.b, 'data-evidence': e.evidence })}
                />
              </Tabs.Panel>
              <Tabs.Panel value="hubs" pt="sm">
                <Text size="xs" c="dimmed" mb="xs">
                  {t('hubs.hint')}
                </Text>
                <LocalTable
                  testId="hubs-table"
                  records={view.hubs}
                  columns={hubColumns}
                  idAccessor={(h) => h.hubId}
                  empty={t('hubs.empty')}
                />
              </Tabs.Panel>
              <Tabs.Panel value="members" pt="sm">
                <LocalTable
                  testId="members-table"
                  records={view.members}
                  columns={memberColumns}
                  idAccessor={(m) => m.key}
                  empty={t('members.empty')}
                  onRowClick={(m) => pick(m.key)}
                  rowAttributes={(m) => ({ 'data-account': m.key })}
                />
              </Tabs.Panel>
              <Tabs.Panel value="ips" pt="sm">
                <Text size="xs" c="dimmed" mb="xs">
                  {t(canMark ? 'ips.hint' : 'ips.hintReadOnly')}
                </Text>
                <LocalTable
                  testId="group-ips-table"
                  records={ips}
                  columns={ipColumns}
                  idAccessor={(r) => r.ip}
                  empty={t('ips.empty')}
                  rowAttributes={(r) => ({ 'data-ip': r.ip })}
                />
              </Tabs.Panel>
            </Tabs>
          )}
        </>
      )}
      {canMark && <IpDecision ip={marking} action="mark" onClose={() => setMarking(null)} />}
    </Stack>
  );
}
