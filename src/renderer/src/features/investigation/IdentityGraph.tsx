/**
 * The identity graph of one same-person group, drawn with cytoscape.js.
 *
 * Why cytoscape rather than @xyflow/react: the largest groups hold thousands of accounts. React
 * Flow renders every node as a DOM element (thousands of React components and DOM nodes, re-laid
 * out on every pan), while cytoscape draws on a canvas, skips labels that would be too small to
 * read (min-zoomed-font-size), can hide edges while panning, and needs no React work per node.
 * It also ships graph algorithms and layouts, and its own TypeScript types.
 *
 * Positions come from graph-model.ts (hub clusters, O(accounts)); groups of up to COSE_MAX
 * accounts are then polished by a short force-directed pass (cose, no animation). The first
 * paint is measured (performance.now() from the data's arrival to cytoscape's first `render`)
 * and exposed as data-paint-ms on the container, and as the performance measure
 * `yunke:graph-first-paint`.
 */
import {
  ActionIcon,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Tooltip,
  useComputedColorScheme,
} from '@mantine/core';
import { IconFocusCentered, IconZoomIn, IconZoomOut } from '@tabler/icons-react';
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  GroupMember,
  GroupView,
  SamePersonPath,
} from '../../../../main/api/methods/investigation.contract';
import { formatCount, formatDateTime, formatFen } from '../../shared/format';
import { EVIDENCE_HEX, EVIDENCE_KINDS, type AccountKey, type EvidenceKind } from './evidence';
import { buildGraph, hubNode, hubSize, SUMMARY_MIN } from './graph-model';

/** Groups up to this many accounts get a force-directed polish after the cluster layout. */
const COSE_MAX = 60;
/** Above this many elements, edges hide while panning, the viewport moves as a texture, and the canvas draws at 1× (no retina cost). */
const LARGE = 800;
/** Above this many accounts drawn, accounts carry no label (the hover card names them). */
const LABELS_MAX = 400;

type Scheme = 'light' | 'dark';

function palette(scheme: Scheme) {
  const dark = scheme === 'dark';
  return {
    customer: dark ? '#909296' : '#868e96',
    partner: dark ? '#da77f2' : '#ae3ec9',
    border: dark ? '#25262b' : '#ffffff',
    text: dark ? '#c1c2c5' : '#495057',
    textBg: dark ? '#1a1b1e' : '#ffffff',
    blacklisted: dark ? '#ff6b6b' : '#e03131',
    picked: dark ? '#ffd43b' : '#f59f00',
    path: dark ? '#ff8787' : '#e8590c',
  };
}

function stylesheet(scheme: Scheme): StylesheetJson {
  const p = palette(scheme);
  return [
    {
      selector: 'node',
      style: {
        width: 14,
        height: 14,
        'background-color': p.customer,
        'border-width': 1.5,
        'border-color': p.border,
        label: 'data(label)',
        'font-size': 8,
        color: p.text,
        'text-valign': 'bottom',
        'text-margin-y': 2,
        // account ids show once zoomed in enough to read them apart (small groups at once)
        'min-zoomed-font-size': 13,
      },
    },
    {
      selector: 'node[kind = "partner"]',
      style: {
        shape: 'round-diamond',
        width: 24,
        height: 24,
        'background-color': p.partner,
        'font-weight': 'bold',
        'font-size': 9,
      },
    },
    {
      selector: 'node.blacklisted',
      style: { 'border-width': 3, 'border-color': p.blacklisted },
    },
    {
      selector: 'node[kind = "hub"]',
      style: {
        shape: 'round-hexagon',
        width: 'data(size)',
        height: 'data(size)',
        'background-opacity': 0.95,
        'border-width': 2,
        'border-color': p.border,
        label: 'data(hubLabel)',
        'text-wrap': 'wrap',
        'text-max-width': '160px',
        'font-size': 11,
        'font-weight': 'bold',
        color: '#ffffff',
        'text-outline-width': 2,
        'text-valign': 'center',
        'text-halign': 'center',
        'min-zoomed-font-size': 4,
        'z-index': 5,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.6,
        'curve-style': 'straight',
        opacity: 0.85,
        label: 'data(short)',
        'font-size': 7,
        color: p.text,
        'text-rotation': 'autorotate',
        'text-background-color': p.textBg,
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 7,
      },
    },
    // one colour per kind of evidence: a class, so a new colour scheme is a new stylesheet only
    ...EVIDENCE_KINDS.flatMap((k) => [
      { selector: `edge.ev-${k}`, style: { 'line-color': EVIDENCE_HEX[k][scheme] } },
      {
        selector: `node.ev-${k}`,
        style: { 'background-color': EVIDENCE_HEX[k][scheme], 'text-outline-color': EVIDENCE_HEX[k][scheme] },
      },
    ]),
    {
      selector: 'edge.hub',
      style: { 'curve-style': 'haystack', width: 1, opacity: 0.4, label: '' },
    },
    { selector: '.faded', style: { opacity: 0.15 } },
    {
      selector: 'node.picked',
      style: { 'border-width': 4, 'border-color': p.picked, 'z-index': 20 },
    },
    {
      selector: 'node.on-path',
      style: { 'border-width': 3, 'border-color': p.path, opacity: 1, 'z-index': 15 },
    },
    {
      selector: 'node.on-path.picked',
      style: { 'border-color': p.picked },
    },
    {
      selector: 'edge.on-path',
      style: { width: 4, opacity: 1, 'line-color': p.path, 'z-index': 15 },
    },
    {
      selector: 'edge.path-link',
      style: {
        width: 3,
        'line-style': 'dashed',
        'line-color': p.path,
        'curve-style': 'bezier',
        label: 'data(short)',
        opacity: 1,
        'z-index': 15,
      },
    },
  ];
}

export interface GraphPaint {
  /** cytoscape's construction, layout and first frame */
  paintMs: number;
  /** from the request of the group's data to the first frame */
  totalMs: number | null;
}

export interface IdentityGraphProps {
  view: GroupView;
  /** draw every account of a large group (otherwise summarised, graph-model.ts) */
  all: boolean;
  onAllChange(all: boolean): void;
  /** performance.now() when the group's data was requested */
  requestedAt: number | null;
  picked: AccountKey[];
  onPick(key: AccountKey): void;
  path: SamePersonPath | null;
  onPaint?(paint: GraphPaint): void;
  height?: number;
}

type Hover = { x: number; y: number; width: number } & (
  | { kind: 'member'; member: GroupMember }
  | { kind: 'hub'; hub: GroupView['hubs'][number]; hubNode: string }
  | { kind: 'edge'; edge: GroupView['edges'][number] }
);

function MemberCard({ m }: { m: GroupMember }) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  return (
    <Stack gap={4}>
      <Group gap={6} wrap="nowrap">
        <Badge
          size="xs"
          radius="sm"
          variant="light"
          color={m.kind === 'partner' ? 'grape' : 'gray'}
          tt="none"
        >
          {t(`account.${m.kind}`)}
        </Badge>
        <Text size="sm" fw={650}>
          {m.id}
        </Text>
        {m.name && (
          <Text size="xs" c="dimmed">
            {m.name}
          </Text>
        )}
      </Group>
      {m.since !== null && (
        <Text size="xs" c="dimmed">
          {t(m.kind === 'partner' ? 'hover.joined' : 'hover.registered', {
            at: formatDateTime(m.since, locale),
          })}
        </Text>
      )}
      {m.partner ? (
        <Text size="xs">
          {[
            m.partner.level ? t('hover.level', { level: m.partner.level }) : null,
            t(`partnerStatus.${m.partner.status}`, { defaultValue: m.partner.status }),
            m.partner.blacklisted ? t('hover.blacklisted') : null,
            m.partner.riskStatus ? t(`riskStatus.${m.partner.riskStatus}`) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      ) : (
        <>
          <Text size="xs">
            {t('hover.orders', {
              count: m.orders.count,
              valid: m.orders.valid,
              paid: formatFen(m.orders.paidFen, locale),
            })}
          </Text>
          <Text size="xs">
            {t('hover.rebates', {
              rebate: formatFen(m.rebates.rebateFen, locale),
              confirmed: formatFen(m.rebates.confirmedFen, locale),
              pending: formatFen(m.rebates.pendingFen, locale),
            })}
          </Text>
          {m.rebates.frozenFen > 0 && (
            <Text size="xs" c="red">
              {t('hover.frozen', { frozen: formatFen(m.rebates.frozenFen, locale) })}
            </Text>
          )}
          {m.referredBy.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('hover.referredBy', { partners: m.referredBy.join(', ') })}
            </Text>
          )}
        </>
      )}
      {m.hubs.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('hover.inHubs', { count: m.hubs.length })}
        </Text>
      )}
    </Stack>
  );
}

export function sightingRange(
  s: { first: number | null; last: number | null },
  locale: string,
  unknown: string,
): string {
  if (s.first === null) return unknown;
  const a = formatDateTime(s.first, locale);
  if (s.last === null || s.last === s.first) return a;
  return `${a} – ${formatDateTime(s.last, locale)}`;
}

export function IdentityGraph({
  view,
  all,
  onAllChange,
  requestedAt,
  picked,
  onPick,
  path,
  onPaint,
  height = 560,
}: IdentityGraphProps) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const scheme = useComputedColorScheme('light') as Scheme;
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  /** the colour scheme and language the graph's styles and labels are in now */
  const applied = useRef<{ scheme: Scheme; locale: string } | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [paint, setPaint] = useState<GraphPaint | null>(null);
  const onPickRef = useRef(onPick);
  const onPaintRef = useRef(onPaint);
  useEffect(() => {
    onPickRef.current = onPick;
    onPaintRef.current = onPaint;
  });
  const schemeRef = useRef(scheme);
  const localeRef = useRef(locale);

  const members = useMemo(() => new Map(view.members.map((m) => [m.key, m])), [view]);
  const model = useMemo(() => buildGraph(view, { all }), [view, all]);
  const summarisable = view.members.length >= SUMMARY_MIN;

  const shortRef = useRef((e: EvidenceKind) => t(`evidenceShort.${e}`));
  // the build below reads the latest scheme and labels without rebuilding on their change
  useEffect(() => {
    schemeRef.current = scheme;
    localeRef.current = locale;
    shortRef.current = (e: EvidenceKind) => t(`evidenceShort.${e}`);
  });

  // build the graph once per group view (a new view: new data, or another evidence filter)
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const t0 = performance.now();
    const s = schemeRef.current;
    const elements: ElementDefinition[] = [];
    const labelled = model.nodes.length <= LABELS_MAX;
    for (const n of model.nodes) {
      const hub = n.kind === 'hub';
      elements.push({
        group: 'nodes',
        data: {
          id: n.id,
          kind: n.kind,
          label: labelled || hub ? n.label : '',
          ...(hub
            ? {
                size: hubSize(n.count!),
                hubLabel: `${shortRef.current(n.evidence!)} ${n.label}\n× ${n.count}`,
              }
            : {}),
        },
        position: { x: n.x, y: n.y },
        classes: hub ? `ev-${n.evidence}` : n.blacklisted ? 'blacklisted' : undefined,
      });
    }
    for (const e of model.edges)
      elements.push({
        group: 'edges',
        data: {
          id: e.id,
          source: e.source,
          target: e.target,
          evidence: e.evidence,
          // small graphs name each link's evidence; larger ones say it by colour (legend, hover)
          short: model.nodes.length <= COSE_MAX ? shortRef.current(e.evidence) : '',
        },
        classes: e.hub ? `hub ev-${e.evidence}` : `ev-${e.evidence}`,
      });
    const large = elements.length > LARGE;
    applied.current = { scheme: s, locale: localeRef.current };
    const cy = cytoscape({
      container: el,
      elements,
      style: stylesheet(s),
      layout: { name: 'preset', fit: true, padding: 30 },
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: large,
      hideEdgesOnViewport: large,
      textureOnViewport: large,
      pixelRatio: large ? 1 : 'auto',
      motionBlur: false,
    });
    cyRef.current = cy;
    if (model.nodes.length <= COSE_MAX && model.nodes.length > 2)
      cy.layout({
        name: 'cose',
        animate: false,
        randomize: false,
        fit: true,
        padding: 30,
        numIter: 400,
        nodeRepulsion: () => 9000,
        idealEdgeLength: () => 60,
      }).run();
    if (cy.zoom() > 1.8) {
      cy.zoom(1.8);
      cy.center();
    }
    cy.on('tap', 'node', (e) => {
      const id = e.target.id() as string;
      if (!id.startsWith('hub#')) onPickRef.current(id);
    });
    cy.on('mouseover', 'node', (e) => {
      const id = e.target.id() as string;
      const pos = e.renderedPosition ?? e.target.renderedPosition();
      if (id.startsWith('hub#')) {
        const hub = view.hubs[Number(id.slice(4))];
        if (hub) setHover({ kind: 'hub', hub, hubNode: id, x: pos.x, y: pos.y, width: cy.width() });
      } else {
        const member = members.get(id);
        if (member) setHover({ kind: 'member', member, x: pos.x, y: pos.y, width: cy.width() });
      }
    });
    cy.on('mouseover', 'edge', (e) => {
      const id = e.target.id() as string;
      const pos = e.renderedPosition ?? { x: 0, y: 0 };
      if (id.startsWith('e')) {
        const edge = view.edges[Number(id.slice(1))];
        if (edge) setHover({ kind: 'edge', edge, x: pos.x, y: pos.y, width: cy.width() });
      }
    });
    cy.on('mouseout', 'node, edge', () => setHover(null));
    cy.on('viewport', () => setHover(null));
    let live = true;
    cy.one('render', () => {
      if (!live) return;
      const now = performance.now();
      const measured: GraphPaint = {
        paintMs: now - t0,
        totalMs: requestedAt === null ? null : now - requestedAt,
      };
      try {
        performance.measure('yunke:graph-first-paint', { start: t0, end: now });
      } catch {
        // measures are a convenience for profiling only
      }
      setPaint(measured);
      onPaintRef.current?.(measured);
    });
    return () => {
      live = false;
      cyRef.current = null;
      cy.destroy();
    };
    // requestedAt belongs to the same load as the view
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, view, members]);
  const hidden = model.summarised.size;

  // colours follow the colour scheme without building the graph again
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !applied.current || applied.current.scheme === scheme) return;
    applied.current.scheme = scheme;
    cy.style(stylesheet(scheme));
  }, [scheme, view]);

  // labels follow the language
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !applied.current || applied.current.locale === locale) return;
    applied.current.locale = locale;
    cy.batch(() => {
      cy.edges().forEach((e) => {
        const ev = e.data('evidence') as EvidenceKind | undefined;
        if (ev && e.data('short')) e.data('short', t(`evidenceShort.${ev}`));
      });
      cy.nodes('[kind = "hub"]').forEach((n) => {
        const hub = view.hubs[Number((n.id() as string).slice(4))];
        if (hub) n.data('hubLabel', `${t(`evidenceShort.${hub.evidence}`)} ${hub.value}\n× ${hub.count}`);
      });
    });
  }, [t, view, locale]);

  // the picked accounts and the chain of evidence between them
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.remove('edge.path-link');
      cy.elements('.picked, .on-path, .faded').removeClass('picked on-path faded');
      for (const k of picked) cy.getElementById(model.summarised.get(k) ?? k).addClass('picked');
      if (!path || !path.linked || path.steps.length === 0) return;
      const on = cy.collection();
      // an account summarised into its hub is shown by the hub
      const drawnAs = (k: AccountKey) => cy.getElementById(model.summarised.get(k) ?? k);
      path.steps.forEach((s, i) => {
        const from = drawnAs(s.from);
        const to = drawnAs(s.to);
        if (from.same(to)) {
          on.merge(from);
          return;
        }
        on.merge(from).merge(to);
        const direct = from
          .edgesWith(to)
          .filter((e) => e.data('evidence') === s.evidence && !e.hasClass('hub'));
        if (direct.nonempty()) {
          on.merge(direct);
          return;
        }
        const hubIndex = view.hubs.findIndex((h) => h.evidence === s.evidence && h.value === s.value);
        if (hubIndex >= 0) {
          const hub = cy.getElementById(hubNode(hubIndex));
          on.merge(hub).merge(hub.edgesWith(from)).merge(hub.edgesWith(to));
          return;
        }
        if (from.nonempty() && to.nonempty() && !from.same(to))
          on.merge(
            cy.add({
              group: 'edges',
              data: {
                id: `path${i}`,
                source: from.id(),
                target: to.id(),
                evidence: s.evidence,
                short: t(`evidenceShort.${s.evidence}`),
              },
              classes: `path-link ev-${s.evidence}`,
            }),
          );
      });
      on.addClass('on-path');
      cy.elements().not(on).not('.picked').addClass('faded');
    });
  }, [picked, path, view, model, t]);

  const zoomBy = (f: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  return (
    <Stack gap={6}>
      <Paper
        withBorder
        radius="md"
        style={{ position: 'relative', overflow: 'hidden', background: 'var(--app-card-bg)' }}
      >
        <div
          ref={container}
          style={{ width: '100%', height }}
          data-testid="identity-graph"
          data-nodes={model.nodes.length}
          data-edges={model.edges.length}
          data-hubs={view.hubs.length}
          data-summarised={hidden}
          data-painted={paint ? 'true' : 'false'}
          data-paint-ms={paint ? Math.round(paint.paintMs) : undefined}
          data-total-ms={paint?.totalMs != null ? Math.round(paint.totalMs) : undefined}
          aria-label={t('graph.aria', { accounts: view.members.length, hubs: view.hubs.length })}
          role="img"
        />
        {summarisable && (
          <SegmentedControl
            size="xs"
            value={all ? 'all' : 'summary'}
            onChange={(v) => onAllChange(v === 'all')}
            data={[
              { value: 'summary', label: t('graph.summary') },
              { value: 'all', label: t('graph.all') },
            ]}
            style={{ position: 'absolute', top: 8, left: 8 }}
            data-testid="graph-mode"
          />
        )}
        <Group gap={4} style={{ position: 'absolute', top: 8, right: 8 }}>
          <Tooltip label={t('graph.zoomIn')} withArrow>
            <ActionIcon
              variant="default"
              size="md"
              onClick={() => zoomBy(1.4)}
              aria-label={t('graph.zoomIn')}
            >
              <IconZoomIn size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('graph.zoomOut')} withArrow>
            <ActionIcon
              variant="default"
              size="md"
              onClick={() => zoomBy(1 / 1.4)}
              aria-label={t('graph.zoomOut')}
            >
              <IconZoomOut size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('graph.fit')} withArrow>
            <ActionIcon
              variant="default"
              size="md"
              onClick={() => cyRef.current?.fit(undefined, 30)}
              aria-label={t('graph.fit')}
              data-testid="graph-fit"
            >
              <IconFocusCentered size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        {hover && (
          <Paper
            shadow="md"
            withBorder
            radius="md"
            p="xs"
            maw={300}
            data-testid="graph-hover"
            style={{
              position: 'absolute',
              pointerEvents: 'none',
              left: Math.max(4, Math.min(hover.x + 14, hover.width - 304)),
              top: Math.min(hover.y + 14, height - 150),
              zIndex: 10,
            }}
          >
            {hover.kind === 'member' ? (
              <MemberCard m={hover.member} />
            ) : hover.kind === 'hub' ? (
              <Stack gap={4}>
                <Text size="sm" fw={650}>
                  {hover.hub.label}
                </Text>
                <Text size="xs">{t('hover.hubCount', { count: hover.hub.count })}</Text>
                {hidden > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('hover.hubInside', {
                      count: [...model.summarised.values()].filter((h) => h === hover.hubNode).length,
                    })}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {t('hover.seen', {
                    range: sightingRange(hover.hub.seen, locale, t('seen.unknown')),
                  })}
                </Text>
              </Stack>
            ) : (
              <Stack gap={4}>
                <Text size="sm" fw={650}>
                  {hover.edge.label}
                </Text>
                <Text size="xs" c="dimmed">
                  {splitLabel(hover.edge.a)}: {sightingRange(hover.edge.seenA, locale, t('seen.unknown'))}
                </Text>
                <Text size="xs" c="dimmed">
                  {splitLabel(hover.edge.b)}: {sightingRange(hover.edge.seenB, locale, t('seen.unknown'))}
                </Text>
              </Stack>
            )}
          </Paper>
        )}
      </Paper>
      <Group gap="md" wrap="wrap" data-testid="graph-legend">
        <LegendShape shape="circle" color={palette(scheme).customer} label={t('account.customer')} />
        <LegendShape shape="diamond" color={palette(scheme).partner} label={t('account.partner')} />
        <LegendShape
          shape="diamond"
          color={palette(scheme).partner}
          ring={palette(scheme).blacklisted}
          label={t('graph.blacklisted')}
        />
        <LegendShape shape="hexagon" color="var(--mantine-color-gray-5)" label={t('graph.hub')} />
        {EVIDENCE_KINDS.map((k) => (
          <Group key={k} gap={5} wrap="nowrap">
            <div style={{ width: 18, height: 3, borderRadius: 2, background: EVIDENCE_HEX[k][scheme] }} />
            <Text size="xs" c="dimmed">
              {t(`evidence.${k}`)}
            </Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed" ml="auto" className="tabular-nums">
          {hidden > 0 && `${t('graph.summarised', { count: hidden, n: formatCount(hidden, locale) })} · `}
          {t('graph.counts', {
            accounts: t('count.accounts', {
              count: view.members.length,
              n: formatCount(view.members.length, locale),
            }),
            edges: t('count.edges', { count: view.edges.length, n: formatCount(view.edges.length, locale) }),
            hubs: t('count.hubs', { count: view.hubs.length, n: formatCount(view.hubs.length, locale) }),
          })}
        </Text>
      </Group>
    </Stack>
  );
}

const splitLabel = (key: string) => key.slice(key.indexOf(':') + 1);

function LegendShape({
  shape,
  color,
  ring,
  label,
}: {
  shape: 'circle' | 'diamond' | 'hexagon';
  color: string;
  ring?: string;
  label: string;
}) {
  const base = {
    background: color,
    flexShrink: 0,
    border: ring ? `2px solid ${ring}` : undefined,
    boxSizing: 'border-box' as const,
  };
  const mark =
    shape === 'diamond' ? (
      <div
        style={{
          ...base,
          width: 10,
          height: 10,
          margin: '0 2px',
          transform: 'rotate(45deg)',
          borderRadius: 2,
        }}
      />
    ) : shape === 'hexagon' ? (
      <div
        style={{
          ...base,
          width: 13,
          height: 12,
          clipPath: 'polygon(25% 5%, 75% 5%, 100% 50%, 75% 95%, 25% 95%, 0 50%)',
        }}
      />
    ) : (
      <div style={{ ...base, width: 12, height: 12, borderRadius: '50%' }} />
    );
  return (
    <Group gap={5} wrap="nowrap">
      {mark}
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
