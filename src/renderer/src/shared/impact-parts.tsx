/**
 * Pieces every what-if view shares (rules, shared IPs, blacklist, disputes): a figure card, the
 * "first N of M" note under a cut list, a partner's balances in one line, a value before → after,
 * and a signed amount of money.
 */
import { Group, Paper, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerState } from '../../../main/engine/decision-types';
import { formatCount, formatFen } from './format';

/** One figure of a what-if: a label above its value. */
export function ImpactStat({
  label,
  children,
  testId,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="sm" bg="var(--app-card-bg)" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div style={{ marginTop: 4 }}>{children}</div>
    </Paper>
  );
}

/** Under a list the engine cut (reportLimit): how many of how many are shown; `ns` holds `impact.truncated`. */
export function Truncated({ shown, total, ns }: { shown: number; total: number; ns: string }) {
  const { t, i18n } = useTranslation(ns);
  if (shown >= total) return null;
  return (
    <Text size="xs" c="dimmed" mt={6}>
      {t('impact.truncated', {
        shown: formatCount(shown, i18n.language),
        total: formatCount(total, i18n.language),
      })}
    </Text>
  );
}

/** A partner's pending / confirmed / frozen balances, or — when the partner has none on that side. */
export const partnerBalance = (p: PartnerState | null, locale: string): string =>
  p ? [p.pendingFen, p.confirmedFen, p.frozenFen].map((f) => formatFen(f, locale)).join(' / ') : '—';

/** before → after; only `before` (not dimmed) when nothing changed (by default: they differ). */
export function BeforeAfter({
  before,
  after,
  changed = before !== after,
}: {
  before: ReactNode;
  after: ReactNode;
  changed?: boolean;
}) {
  if (!changed)
    return (
      <Text size="sm" span className="tabular-nums">
        {before}
      </Text>
    );
  return (
    <Group gap={6} wrap="nowrap" className="tabular-nums">
      <Text size="sm" c="dimmed" span>
        {before}
      </Text>
      <IconArrowRight size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
      <Text size="sm" fw={600} span>
        {after}
      </Text>
    </Group>
  );
}

/** A signed amount of money: +¥12.00 / -¥50.00, coloured by its direction (zero dimmed). */
export function SignedFen({ fen }: { fen: number }) {
  const { i18n } = useTranslation();
  return (
    <Text
      span
      size="sm"
      fw={fen === 0 ? 400 : 600}
      c={fen < 0 ? 'red' : fen > 0 ? 'teal' : 'dimmed'}
      className="tabular-nums"
    >
      {fen > 0 ? '+' : ''}
      {formatFen(fen, i18n.language)}
    </Text>
  );
}
