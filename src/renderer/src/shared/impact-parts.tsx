/**
 * Pieces every what-if view shares (rules, shared IPs, blacklist): a figure card, the "first N of
 * M" note under a cut list, and a partner's balances in one line.
 */
import { Paper, Text } from '@mantine/core';
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
