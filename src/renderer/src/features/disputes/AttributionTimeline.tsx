import { Alert, Badge, Box, Group, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  CustomerTimeline,
  TimelineBand,
  TimelineEntry,
  TimelineOrder,
} from '../../../../main/api/methods/disputes.contract';
import { DISPLAY_TIME_ZONE, formatDateTime, formatFen } from '../../shared/format';
import { ReasonBadge, RebateStatusBadge, RuleBadges, StatusBadge } from '../lookup/badges';
import { disputeOf, OUTCOME_COLORS, partnerColors } from './labels';
import { paddedDomain, scale, ticks } from './time-axis';

/** The case a timeline is read for: its claimant's lane is marked and its instant claimed drawn. */
export interface TimelineFocus {
  partnerId: string;
  claimedAt: number;
  orderId?: string | null;
  disputeId?: number;
}

type T = (key: string, options?: Record<string, unknown>) => string;

const LABEL_W = 104;
const TOP = 30;
const LANE_H = 50;
const ORDERS_H = 58;
const AXIS_H = 30;
const RIGHT = 18;

const solid = (c: string) => `var(--mantine-color-${c}-filled)`;
const light = (c: string) => `var(--mantine-color-${c}-light)`;
const CARD = 'var(--app-card-bg)';
const DIMMED = 'var(--mantine-color-dimmed)';
const TEXT = 'var(--mantine-color-text)';
const GRID = 'var(--mantine-color-default-border)';
/** Labels keep a rim of the card's colour, so lines crossing them do not cut the letters. */
const HALO = { stroke: CARD, strokeWidth: 3, paintOrder: 'stroke', strokeLinejoin: 'round' } as const;

/** What an entry did, in words (the tooltip's and the list's sentence). */
export function entrySentence(e: TimelineEntry, t: T, tLookup: T, locale: string): string {
  const until = e.until !== null ? formatDateTime(e.until, locale) : '';
  switch (e.outcome) {
    case 'created':
      return (
        t('timeline.outcome.created', { until }) + (e.locked ? t('timeline.outcome.locked', { until }) : '')
      );
    case 'renewed':
      return t('timeline.outcome.renewed', { partner: e.partnerId, until });
    case 'replaced':
      return (
        t('timeline.outcome.replaced', {
          partner: e.previous?.partnerId ?? '?',
          previous: e.previous ? previousName(e.previous.id, t) : '?',
          until,
        }) + (e.locked ? t('timeline.outcome.locked', { until }) : '')
      );
    case 'failed':
      return t('timeline.outcome.failed', {
        reasons: e.codes.map((c) => tLookup(`reasons.${c}`, { defaultValue: c })).join(t('timeline.and')),
      });
    case 'dissolved':
      return t('timeline.outcome.dissolved');
    case 'evidence':
      return t('timeline.outcome.evidence');
    case 'after_as_of':
      return t('timeline.outcome.after_as_of');
  }
}

const previousName = (id: string, t: T) => {
  const d = disputeOf(id);
  return d !== null ? t('timeline.manualRef', { id: d }) : t('timeline.eventRef', { id });
};

/** Where an attribution stands now (created ones only). */
function statusSentence(e: TimelineEntry, t: T): string | null {
  if (e.status === 'replaced' && e.replacedBy)
    return t('timeline.status.replacedBy', { by: previousName(e.replacedBy, t) });
  if (e.status === 'active' || e.status === 'expired' || e.status === 'dissolved')
    return t(`timeline.status.${e.status}`);
  return null;
}

export function kindLabel(e: TimelineEntry, t: T): string {
  if (e.kind === 'manual') return t('timeline.kind.manual', { id: e.dispute?.disputeId ?? disputeOf(e.id) });
  return t(`timeline.kind.${e.kind}`);
}

type Hover = { x: number; y: number; content: ReactNode } | null;

function TipLines({ title, lines }: { title: string; lines: (string | null | false)[] }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={650}>
        {title}
      </Text>
      {lines.filter(Boolean).map((l, i) => (
        <Text key={i} size="xs" lh={1.45}>
          {l}
        </Text>
      ))}
    </Stack>
  );
}

/** One event's marker: its shape is its kind, its fill what it did. */
function Marker({ e, x, y, color }: { e: TimelineEntry; x: number; y: number; color: string }) {
  const took = e.outcome === 'created' || e.outcome === 'renewed' || e.outcome === 'replaced';
  const fill = took ? solid(color) : CARD;
  const stroke = took
    ? CARD
    : e.outcome === 'failed'
      ? solid('red')
      : e.outcome === 'dissolved'
        ? solid('orange')
        : DIMMED;
  const dash = e.outcome === 'after_as_of' ? '2 2' : undefined;
  if (e.kind === 'visit')
    return (
      <circle cx={x} cy={y} r={4.5} fill={CARD} stroke={DIMMED} strokeWidth={1.6} strokeDasharray={dash} />
    );
  const r = 7;
  const shape =
    e.kind === 'register' ? (
      <circle cx={x} cy={y} r={r} fill={fill} stroke={stroke} strokeWidth={2} strokeDasharray={dash} />
    ) : e.kind === 'login' ? (
      <path
        d={`M${x} ${y - r - 1.5} L${x + r + 1.5} ${y} L${x} ${y + r + 1.5} L${x - r - 1.5} ${y} Z`}
        fill={fill}
        stroke={stroke}
        strokeWidth={2}
        strokeDasharray={dash}
        strokeLinejoin="round"
      />
    ) : (
      <rect
        x={x - r}
        y={y - r}
        width={2 * r}
        height={2 * r}
        rx={3}
        fill={fill}
        stroke={took ? TEXT : stroke}
        strokeWidth={2}
        strokeDasharray={dash}
      />
    );
  return (
    <>
      {shape}
      {e.outcome === 'failed' && (
        <path
          d={`M${x - 3} ${y - 3} L${x + 3} ${y + 3} M${x + 3} ${y - 3} L${x - 3} ${y + 3}`}
          stroke={solid('red')}
          strokeWidth={1.8}
          strokeLinecap="round"
        />
      )}
      {e.outcome === 'dissolved' && (
        <path
          d={`M${x - 3.5} ${y + 3.5} L${x + 3.5} ${y - 3.5}`}
          stroke={solid('orange')}
          strokeWidth={1.8}
        />
      )}
    </>
  );
}

/** A legend swatch drawn with the chart's own shapes. */
function Swatch({ children }: { children: ReactNode }) {
  return (
    <svg width={22} height={16} viewBox="0 0 22 16" aria-hidden style={{ flexShrink: 0 }}>
      {children}
    </svg>
  );
}

function Legend({ hatch, claimed }: { hatch: string; claimed: boolean }) {
  const { t } = useTranslation('disputes');
  const item = (swatch: ReactNode, label: string, key: string) => (
    <Group gap={4} wrap="nowrap" key={key}>
      <Swatch>{swatch}</Swatch>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
  const e = (kind: TimelineEntry['kind'], outcome: TimelineEntry['outcome']): TimelineEntry => ({
    id: '',
    kind,
    partnerId: '',
    at: 0,
    ip: null,
    outcome,
    previous: null,
    codes: [],
    rules: [],
    until: null,
    locked: false,
    status: null,
    replacedBy: null,
    dispute: null,
  });
  return (
    <Group gap="md" wrap="wrap" style={{ rowGap: 4 }} data-testid="timeline-legend">
      {item(
        <Marker e={e('register', 'created')} x={11} y={8} color="teal" />,
        t('timeline.legend.register'),
        'r',
      )}
      {item(<Marker e={e('login', 'created')} x={11} y={8} color="teal" />, t('timeline.legend.login'), 'l')}
      {item(<Marker e={e('visit', 'evidence')} x={11} y={8} color="teal" />, t('timeline.legend.visit'), 'v')}
      {item(
        <Marker e={e('manual', 'created')} x={11} y={8} color="teal" />,
        t('timeline.legend.manual'),
        'm',
      )}
      {item(<Marker e={e('login', 'failed')} x={11} y={8} color="teal" />, t('timeline.legend.failed'), 'f')}
      {item(
        <rect
          x={1}
          y={3}
          width={20}
          height={10}
          rx={3}
          fill={light('teal')}
          stroke={solid('teal')}
          strokeOpacity={0.5}
        />,
        t('timeline.legend.window'),
        'w',
      )}
      {item(
        <>
          <rect x={1} y={3} width={20} height={10} rx={3} fill={light('teal')} />
          <rect x={1} y={3} width={20} height={10} rx={3} fill={`url(#${hatch}-teal)`} />
        </>,
        t('timeline.legend.lock'),
        'k',
      )}
      {item(
        <rect
          x={1}
          y={3}
          width={20}
          height={10}
          rx={3}
          fill="none"
          stroke={solid('teal')}
          strokeOpacity={0.6}
          strokeDasharray="3 2"
        />,
        t('timeline.legend.cut'),
        'c',
      )}
      {item(
        <rect
          x={5}
          y={2}
          width={12}
          height={12}
          rx={2}
          fill={solid('teal')}
          stroke={CARD}
          strokeWidth={1.5}
        />,
        t('timeline.legend.order'),
        'o',
      )}
      {item(
        <rect x={5} y={2} width={12} height={12} rx={2} fill={CARD} stroke={solid('teal')} strokeWidth={2} />,
        t('timeline.legend.orderNotValid'),
        'n',
      )}
      {claimed &&
        item(
          <line
            x1={11}
            y1={0}
            x2={11}
            y2={16}
            stroke={solid('yunke')}
            strokeWidth={2}
            strokeDasharray="4 3"
          />,
          t('timeline.legend.claimed'),
          'cl',
        )}
    </Group>
  );
}

export interface AttributionTimelineProps {
  timeline: CustomerTimeline;
  focus?: TimelineFocus;
  /** also list the events and the orders in words under the chart (default true) */
  details?: boolean;
  /** an order to ring (the case's order by default) */
  highlightOrder?: string;
}

/**
 * 关联时间线 (R-DISP-1): one lane per partner with each referral event (shape = kind, fill = what it
 * did), the 30-day windows and locks as bands (a window cut short by another attribution ends where
 * it was taken over; its nominal rest is dashed), the customer's orders on the same axis joined to
 * the partner each went to, and the case's instant claimed. Drawn in SVG with theme variables, so it
 * reads in light and dark; every mark has a tooltip and the same facts are listed in words below.
 */
export function AttributionTimeline({
  timeline,
  focus,
  details = true,
  highlightOrder,
}: AttributionTimelineProps) {
  const { t, i18n } = useTranslation('disputes');
  const { t: tLookup } = useTranslation('lookup');
  const locale = i18n.language;
  const { ref, width } = useElementSize();
  const [hover, setHover] = useState<Hover>(null);
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const hatch = `hatch-${uid}`;

  const lanes: string[] = [];
  const add = (p: string | null) => p && !lanes.includes(p) && lanes.push(p);
  const byTime = [
    ...timeline.entries.map((e) => ({ at: e.at, p: e.partnerId })),
    ...timeline.orders.map((o) => ({ at: o.at, p: o.partnerId })),
  ].sort((a, b) => a.at - b.at);
  for (const x of byTime) add(x.p);
  if (focus) add(focus.partnerId);
  const colors = partnerColors(lanes);
  const colorOf = (p: string | null) => (p ? (colors.get(p) ?? 'gray') : 'gray');
  const laneY = (p: string) => TOP + lanes.indexOf(p) * LANE_H + LANE_H / 2;
  const ordersY = TOP + lanes.length * LANE_H + 20;
  const axisY = TOP + lanes.length * LANE_H + ORDERS_H;
  const height = axisY + AXIS_H;

  const instants = [
    timeline.range.from,
    timeline.range.until,
    ...(focus ? [focus.claimedAt] : []),
    ...timeline.entries.map((e) => e.at),
    ...timeline.orders.map((o) => o.at),
  ];
  const domain = paddedDomain(instants);
  const x0 = LABEL_W + 8;
  const x1 = Math.max(x0 + 40, width - RIGHT);
  const x = scale(domain, x0, x1);
  const clampX = (ms: number) => Math.min(x1, Math.max(x0, x(ms)));
  const axisTicks = ticks(domain, Math.floor((x1 - x0) / 70));
  const dayFmt = new Intl.DateTimeFormat(locale, {
    timeZone: DISPLAY_TIME_ZONE,
    month: 'numeric',
    day: 'numeric',
  });
  const monthFmt = new Intl.DateTimeFormat(locale, {
    timeZone: DISPLAY_TIME_ZONE,
    year: 'numeric',
    month: 'short',
  });
  const when = (ms: number) => formatDateTime(ms, locale);
  const asOfInside = timeline.asOf >= domain.from && timeline.asOf <= domain.until;

  const show = (cx: number, cy: number, content: ReactNode) => () => setHover({ x: cx, y: cy, content });
  const hide = () => setHover(null);
  const interactive = (cx: number, cy: number, content: ReactNode, label: string) => ({
    tabIndex: 0,
    role: 'img',
    'aria-label': label,
    onMouseEnter: show(cx, cy, content),
    onMouseLeave: hide,
    onFocus: show(cx, cy, content),
    onBlur: hide,
    style: { cursor: 'default', outline: 'none' },
  });

  const entryTip = (e: TimelineEntry) => {
    const sentence = entrySentence(e, t, tLookup, locale);
    const status = statusSentence(e, t);
    return {
      label: `${when(e.at)} · ${e.partnerId} · ${kindLabel(e, t)}: ${sentence}`,
      node: (
        <TipLines
          title={`${kindLabel(e, t)} · ${t('timeline.partner', { id: e.partnerId })}`}
          lines={[
            when(e.at) + (e.kind === 'manual' ? '' : ` · ${t('timeline.eventRef', { id: e.id })}`),
            sentence,
            status,
            e.dispute &&
              (e.dispute.decidedBy
                ? t('timeline.decided', {
                    by: e.dispute.decidedBy,
                    at: e.dispute.decidedAt !== null ? when(e.dispute.decidedAt) : '',
                  })
                : null),
            e.codes.length > 0 && `${t('timeline.codes')}: ${e.codes.join(', ')}`,
            e.rules.length > 0 && `${t('timeline.rules')}: ${e.rules.join(', ')}`,
            e.ip && `IP ${e.ip}`,
          ]}
        />
      ),
    };
  };

  const bandTip = (b: TimelineBand) => {
    const lines = [
      `${when(b.from)} → ${when(b.until)}`,
      b.endsAt < b.until ? t('timeline.band.cut', { at: when(b.endsAt) }) : null,
      t('timeline.band.from', { ref: previousName(b.entryId, t) }),
    ];
    return {
      label: `${t(`timeline.band.${b.kind}`, { partner: b.partnerId })}: ${lines.filter(Boolean).join(' · ')}`,
      node: <TipLines title={t(`timeline.band.${b.kind}`, { partner: b.partnerId })} lines={lines} />,
    };
  };

  const orderTip = (o: TimelineOrder) => {
    const lines = [
      when(o.at),
      t('timeline.order.paid', {
        paid: formatFen(o.paidFen, locale),
        line: o.productLine,
        billing: t(`timeline.billing.${o.billing}`, { defaultValue: o.billing }),
      }),
      o.status
        ? t('timeline.order.status', { status: tLookup(`status.${o.status}`, { defaultValue: o.status }) })
        : t('timeline.order.noResult'),
      o.partnerId
        ? t('timeline.order.partner', {
            partner: o.partnerId,
            rebate: formatFen(o.rebateFen, locale),
            rebateStatus: o.rebateStatus ? tLookup(`rebateStatus.${o.rebateStatus}`) : '—',
          })
        : t('timeline.order.noPartner'),
      o.attributionId && t('timeline.order.attribution', { ref: previousName(o.attributionId, t) }),
      o.reasons.length > 0 &&
        o.reasons.map((c) => tLookup(`reasons.${c}`, { defaultValue: c })).join(t('timeline.and')),
    ];
    return {
      label: `${t('timeline.order.title', { id: o.orderId })}: ${lines.filter(Boolean).join(' · ')}`,
      node: <TipLines title={t('timeline.order.title', { id: o.orderId })} lines={lines} />,
    };
  };

  // entry-id labels under the markers where there is room for them
  const lastLabelX = new Map<string, number>();
  const labelled = (lane: string, cx: number) => {
    const last = lastLabelX.get(lane);
    if (last !== undefined && cx - last < 34) return false;
    lastLabelX.set(lane, cx);
    return true;
  };

  const claimX = focus ? x(focus.claimedAt) : null;
  const tipLeft = hover ? Math.min(Math.max(hover.x - 150, 0), Math.max(0, width - 300)) : 0;
  const tipBelow = hover ? hover.y < 130 : false;

  return (
    <Stack
      gap="sm"
      data-testid="attribution-timeline"
      data-customer={timeline.customerId}
      data-entries={timeline.entries.length}
      data-orders={timeline.orders.length}
    >
      <Box ref={ref} pos="relative" style={{ minHeight: height }}>
        {width > 0 && (
          <svg
            width={width}
            height={height}
            role="group"
            aria-label={t('timeline.aria', { customer: timeline.customerId })}
            style={{ display: 'block', fontFamily: 'inherit', overflow: 'visible' }}
            data-testid="timeline-chart"
          >
            <defs>
              {[...new Set([...colors.values(), 'teal'])].map((c) => (
                <pattern
                  key={c}
                  id={`${hatch}-${c}`}
                  width={6}
                  height={6}
                  patternUnits="userSpaceOnUse"
                  patternTransform="rotate(45)"
                >
                  <line x1={0} y1={0} x2={0} y2={6} stroke={solid(c)} strokeWidth={2} strokeOpacity={0.5} />
                </pattern>
              ))}
            </defs>

            {/* lanes */}
            {lanes.map((p, i) => {
              const top = TOP + i * LANE_H;
              const claimant = focus?.partnerId === p;
              return (
                <g key={p} data-lane={p}>
                  <rect
                    x={0}
                    y={top}
                    width={width}
                    height={LANE_H}
                    fill={i % 2 ? 'var(--mantine-color-default-hover)' : 'transparent'}
                    opacity={0.6}
                  />
                  {claimant && (
                    <rect
                      x={1}
                      y={top + 1}
                      width={width - 2}
                      height={LANE_H - 2}
                      rx={6}
                      fill="none"
                      stroke="var(--mantine-primary-color-filled)"
                      strokeOpacity={0.55}
                      strokeWidth={1.5}
                      strokeDasharray="6 4"
                    />
                  )}
                  <rect
                    x={8}
                    y={top + LANE_H / 2 - 13}
                    width={4}
                    height={26}
                    rx={2}
                    fill={solid(colorOf(p))}
                  />
                  <text
                    x={18}
                    y={top + LANE_H / 2 - (claimant ? 3 : -4)}
                    fontSize={13}
                    fontWeight={650}
                    fill={TEXT}
                  >
                    {p}
                  </text>
                  {claimant && (
                    <text
                      x={18}
                      y={top + LANE_H / 2 + 12}
                      fontSize={11}
                      fill="var(--mantine-primary-color-filled)"
                    >
                      {t('timeline.claimant')}
                    </text>
                  )}
                </g>
              );
            })}
            <text x={18} y={ordersY + 4} fontSize={12} fontWeight={600} fill={DIMMED}>
              {t('timeline.orders')}
            </text>

            {/* grid and axis */}
            {axisTicks.map((tk) => (
              <g key={tk.at}>
                <line x1={x(tk.at)} x2={x(tk.at)} y1={TOP} y2={axisY} stroke={GRID} strokeWidth={1} />
                <text x={x(tk.at)} y={axisY + 18} fontSize={11} textAnchor="middle" fill={DIMMED}>
                  {(tk.month ? monthFmt : dayFmt).format(tk.at)}
                </text>
              </g>
            ))}
            <line x1={x0} x2={x1} y1={axisY} y2={axisY} stroke={GRID} strokeWidth={1.5} />

            {/* bands: windows, then locks over them */}
            {[...timeline.bands]
              .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'window' ? -1 : 1))
              .map((b) => {
                if (!lanes.includes(b.partnerId)) return null;
                const cy = laneY(b.partnerId);
                const c = colorOf(b.partnerId);
                const bx = clampX(b.from);
                const bEnd = clampX(b.endsAt);
                const tip = bandTip(b);
                return (
                  <g
                    key={`${b.kind}:${b.entryId}`}
                    data-band={b.kind}
                    data-entry={b.entryId}
                    {...interactive((bx + bEnd) / 2, cy - 9, tip.node, tip.label)}
                  >
                    {b.kind === 'window' ? (
                      <>
                        <rect
                          x={bx}
                          y={cy - 9}
                          width={Math.max(1, bEnd - bx)}
                          height={18}
                          rx={4}
                          fill={light(c)}
                          stroke={solid(c)}
                          strokeOpacity={0.55}
                        />
                        {b.endsAt < b.until && (
                          <rect
                            x={bEnd}
                            y={cy - 9}
                            width={Math.max(1, clampX(b.until) - bEnd)}
                            height={18}
                            rx={4}
                            fill="none"
                            stroke={solid(c)}
                            strokeOpacity={0.6}
                            strokeDasharray="4 3"
                          />
                        )}
                      </>
                    ) : (
                      <rect
                        x={bx}
                        y={cy - 9}
                        width={Math.max(1, bEnd - bx)}
                        height={18}
                        rx={4}
                        fill={`url(#${hatch}-${c})`}
                      />
                    )}
                  </g>
                );
              })}

            {/* the instant claimed and the as-of of the results */}
            {claimX !== null && focus && (
              <g data-testid="timeline-claimed">
                <line
                  x1={claimX}
                  x2={claimX}
                  y1={TOP - 6}
                  y2={axisY}
                  stroke="var(--mantine-primary-color-filled)"
                  strokeWidth={2}
                  strokeDasharray="5 4"
                />
                <text
                  x={Math.min(Math.max(claimX, x0 + 40), x1 - 40)}
                  y={TOP - 12}
                  {...HALO}
                  fontSize={11}
                  fontWeight={600}
                  textAnchor="middle"
                  fill="var(--mantine-primary-color-filled)"
                >
                  {t('timeline.claimedAt', { at: dayFmt.format(focus.claimedAt) })}
                </text>
              </g>
            )}
            {asOfInside && (
              <g data-testid="timeline-as-of">
                <line
                  x1={x(timeline.asOf)}
                  x2={x(timeline.asOf)}
                  y1={TOP - 6}
                  y2={axisY}
                  stroke={DIMMED}
                  strokeWidth={1.5}
                  strokeDasharray="2 3"
                />
                <text x={x(timeline.asOf) - 4} y={TOP - 12} fontSize={11} textAnchor="end" fill={DIMMED}>
                  {t('timeline.asOfMark')}
                </text>
              </g>
            )}

            {/* orders, joined to the partner each went to */}
            <g pointerEvents="none">
              {timeline.orders.map((o) =>
                o.partnerId && lanes.includes(o.partnerId) ? (
                  <g key={o.orderId} data-order-link={o.orderId}>
                    <line
                      x1={x(o.at)}
                      x2={x(o.at)}
                      y1={laneY(o.partnerId)}
                      y2={ordersY - 7}
                      stroke={solid(colorOf(o.partnerId))}
                      strokeWidth={1.5}
                      strokeDasharray="2 3"
                    />
                    <circle cx={x(o.at)} cy={laneY(o.partnerId)} r={3} fill={solid(colorOf(o.partnerId))} />
                  </g>
                ) : null,
              )}
            </g>
            {timeline.orders.map((o) => {
              const ox = x(o.at);
              const c = colorOf(o.partnerId);
              const focused = (highlightOrder ?? focus?.orderId) === o.orderId;
              const tip = orderTip(o);
              return (
                <g
                  key={o.orderId}
                  data-order={o.orderId}
                  data-partner={o.partnerId ?? ''}
                  {...interactive(ox, ordersY - 8, tip.node, tip.label)}
                >
                  <rect x={ox - 13} y={ordersY - 13} width={26} height={40} fill="transparent" />
                  {focused && (
                    <rect
                      x={ox - 10}
                      y={ordersY - 10}
                      width={20}
                      height={20}
                      rx={4}
                      fill="none"
                      stroke="var(--mantine-primary-color-filled)"
                      strokeWidth={2}
                    />
                  )}
                  <rect
                    x={ox - 6}
                    y={ordersY - 6}
                    width={12}
                    height={12}
                    rx={2}
                    fill={o.status === 'valid' ? solid(c) : CARD}
                    stroke={o.status === 'valid' ? CARD : solid(c)}
                    strokeWidth={o.status === 'valid' ? 1.5 : 2}
                  />
                  <text
                    x={ox}
                    y={ordersY + 22}
                    fontSize={11}
                    textAnchor="middle"
                    fill={TEXT}
                    fontWeight={focused ? 700 : 500}
                  >
                    {o.orderId}
                  </text>
                </g>
              );
            })}

            {/* events and manual attributions */}
            {timeline.entries.map((e) => {
              const cx = x(e.at);
              const cy = laneY(e.partnerId);
              const tip = entryTip(e);
              const label = e.kind === 'manual' ? `#${e.dispute?.disputeId ?? disputeOf(e.id)}` : e.id;
              return (
                <g
                  key={e.id}
                  data-entry={e.id}
                  data-kind={e.kind}
                  data-outcome={e.outcome}
                  {...interactive(cx, cy - 10, tip.node, tip.label)}
                >
                  <circle cx={cx} cy={cy} r={12} fill="transparent" />
                  <Marker e={e} x={cx} y={cy} color={colorOf(e.partnerId)} />
                  {e.kind === 'manual' ? (
                    // a manual attribution is named above its mark: the case it comes from
                    <text
                      x={cx}
                      y={cy - 13}
                      {...HALO}
                      fontSize={10}
                      fontWeight={700}
                      textAnchor="middle"
                      fill={TEXT}
                    >
                      {label}
                    </text>
                  ) : (
                    labelled(e.partnerId, cx) && (
                      <text
                        x={cx}
                        y={cy + 21}
                        {...HALO}
                        fontSize={10}
                        textAnchor="middle"
                        fill={e.outcome === 'failed' ? solid('red') : DIMMED}
                      >
                        {label}
                      </text>
                    )
                  )}
                </g>
              );
            })}
          </svg>
        )}
        {hover && (
          <Paper
            shadow="md"
            radius="md"
            p="xs"
            withBorder
            data-testid="timeline-tooltip"
            style={{
              position: 'absolute',
              left: tipLeft,
              top: tipBelow ? hover.y + 26 : hover.y - 8,
              transform: tipBelow ? undefined : 'translateY(-100%)',
              width: 300,
              pointerEvents: 'none',
              zIndex: 5,
            }}
          >
            {hover.content}
          </Paper>
        )}
      </Box>
      <Legend hatch={hatch} claimed={focus !== undefined} />
      <Text size="xs" c="dimmed" data-testid="timeline-caption">
        {t('timeline.caption', {
          from: formatDateTime(domain.from, locale).slice(0, 10),
          until: formatDateTime(domain.until, locale).slice(0, 10),
          asOf: when(timeline.asOf),
          version: timeline.configVersion,
        })}
      </Text>
      {!timeline.consistent && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          data-testid="timeline-inconsistent"
        >
          {t('timeline.inconsistent')}
        </Alert>
      )}
      {details && <TimelineDetails timeline={timeline} colorOf={colorOf} />}
    </Stack>
  );
}

/** The same facts in words: every event with what it did (codes, rule ids), and every order. */
function TimelineDetails({
  timeline,
  colorOf,
}: {
  timeline: CustomerTimeline;
  colorOf: (p: string | null) => string;
}) {
  const { t, i18n } = useTranslation('disputes');
  const { t: tLookup } = useTranslation('lookup');
  const locale = i18n.language;
  const dot = (p: string | null) =>
    p ? (
      <Group gap={6} wrap="nowrap">
        <Box w={8} h={8} style={{ borderRadius: 2, background: solid(colorOf(p)), flexShrink: 0 }} />
        <Text size="sm" fw={600}>
          {p}
        </Text>
      </Group>
    ) : (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap="md">
      <ScrollArea.Autosize mah={420} type="auto">
        <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="timeline-entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>{t('timeline.col.at')}</Table.Th>
              <Table.Th w={80}>{t('timeline.col.partner')}</Table.Th>
              <Table.Th w={200}>{t('timeline.col.event')}</Table.Th>
              <Table.Th>{t('timeline.col.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {timeline.entries.map((e) => {
              const status = statusSentence(e, t);
              return (
                <Table.Tr key={e.id} data-entry={e.id} data-outcome={e.outcome}>
                  <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(e.at, locale)}
                  </Table.Td>
                  <Table.Td>{dot(e.partnerId)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{kindLabel(e, t)}</Text>
                    {e.kind !== 'manual' && (
                      <Text size="xs" c="dimmed">
                        {e.id}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4}>
                      <Group gap={6} wrap="nowrap" align="flex-start">
                        <Badge
                          size="sm"
                          radius="sm"
                          variant="light"
                          color={OUTCOME_COLORS[e.outcome]}
                          tt="none"
                          style={{ flexShrink: 0 }}
                          data-testid="entry-outcome"
                        >
                          {t(`timeline.outcomeLabel.${e.outcome}`)}
                        </Badge>
                        <Text size="sm" lh={1.45} data-testid="entry-sentence">
                          {entrySentence(e, t, tLookup, locale)}
                          {status ? ` · ${status}` : ''}
                        </Text>
                      </Group>
                      {(e.codes.length > 0 || e.rules.length > 0) && (
                        <Group gap={4} wrap="wrap">
                          {e.codes.map((c) => (
                            <ReasonBadge key={c} code={c} />
                          ))}
                          <RuleBadges rules={e.rules} />
                        </Group>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {timeline.orders.length > 0 && (
        <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="timeline-orders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('timeline.col.order')}</Table.Th>
              <Table.Th>{t('timeline.col.at')}</Table.Th>
              <Table.Th ta="right">{t('timeline.col.paid')}</Table.Th>
              <Table.Th>{t('timeline.col.status')}</Table.Th>
              <Table.Th>{t('timeline.col.partner')}</Table.Th>
              <Table.Th ta="right">{t('timeline.col.rebate')}</Table.Th>
              <Table.Th>{t('timeline.col.attribution')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {timeline.orders.map((o) => (
              <Table.Tr key={o.orderId} data-order={o.orderId} data-partner={o.partnerId ?? ''}>
                <Table.Td fw={600}>{o.orderId}</Table.Td>
                <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(o.at, locale)}
                </Table.Td>
                <Table.Td ta="right" className="tabular-nums">
                  {formatFen(o.paidFen, locale)}
                </Table.Td>
                <Table.Td>
                  {o.status ? (
                    <StatusBadge status={o.status} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('timeline.order.noResult')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td data-col="partner">{dot(o.partnerId)}</Table.Td>
                <Table.Td ta="right">
                  <Group gap={6} justify="flex-end" wrap="nowrap" className="tabular-nums">
                    <RebateStatusBadge status={o.rebateStatus} />
                    <Text size="sm">{formatFen(o.rebateFen, locale)}</Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text
                    size="sm"
                    c={o.disputeId !== null ? 'yunke' : undefined}
                    fw={o.disputeId !== null ? 600 : 400}
                  >
                    {o.attributionId ? previousName(o.attributionId, t) : '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
