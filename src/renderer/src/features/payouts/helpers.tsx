import { Badge, type MantineColor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type {
  PayoutBatchStatusView,
  PayoutCycleView,
  PayoutLineStatusView,
} from '../../../../main/api/methods/payouts.contract';
import { useAppStore } from '../../app/app-store';
import { useApiQuery } from '../../app/use-api-query';

/** What the payout screens read: a decision, a payment or a recompute loads them again. */
export const PAYOUT_READS = [
  'payout_batches',
  'payout_lines',
  'payout_exports',
  'engine_runs',
  'result_payouts',
  'result_orders',
  'result_partners',
  'partners',
] as const;

export const BATCH_COLORS: Record<PayoutBatchStatusView, MantineColor> = {
  draft: 'blue',
  held: 'orange',
  approved: 'teal',
  rejected: 'red',
};

export const LINE_COLORS: Record<PayoutLineStatusView, MantineColor> = {
  pending: 'blue',
  approved: 'teal',
  held: 'orange',
  rejected: 'red',
  paid: 'green',
  failed: 'pink',
};

export const LINE_STATUSES: PayoutLineStatusView[] = [
  'pending',
  'approved',
  'held',
  'rejected',
  'paid',
  'failed',
];

export function BatchStatusBadge({
  status,
  size = 'sm',
}: {
  status: PayoutBatchStatusView;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation('payouts');
  return (
    <Badge
      color={BATCH_COLORS[status]}
      variant="light"
      radius="sm"
      size={size}
      tt="none"
      fw={600}
      data-batch-status={status}
    >
      {t(`batchStatus.${status}`)}
    </Badge>
  );
}

export function LineStatusBadge({ status }: { status: PayoutLineStatusView }) {
  const { t } = useTranslation('payouts');
  return (
    <Badge
      color={LINE_COLORS[status]}
      variant="light"
      radius="sm"
      size="sm"
      tt="none"
      fw={600}
      data-line-status={status}
    >
      {t(`lineStatus.${status}`)}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: PayoutCycleView['kind'] }) {
  const { t } = useTranslation('payouts');
  const color = kind === 'monthly' ? 'indigo' : kind === 'semi-monthly' ? 'cyan' : 'grape';
  return (
    <Badge color={color} variant="outline" radius="sm" size="sm" tt="none" fw={500} data-kind={kind}>
      {t(`kind.${kind}`)}
    </Badge>
  );
}

/**
 * The contract's refusals carry `中文 / English` in one message: the half of the screen's language.
 * Problems of a bank result file are written the same way.
 */
export function localMessage(message: string, language: string): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return language === 'en' ? message.slice(at + 3) : message.slice(0, at);
}

/** Does the signed-in operator have a PIN (R-OP-4: then every payout decision asks for it again)? */
export function useHasPin(): boolean {
  const actor = useAppStore((s) => s.actor);
  const status = useApiQuery((api) => api.session.status(), ['operators']);
  return status.data?.operators.find((o) => o.operatorId === actor?.operatorId)?.hasPin ?? true;
}

/** File bytes → base64, in chunks (a bank result file can be large). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
  return btoa(s);
}

/** Saves base64 content as a file, in the browser (the bridge) and the app's renderer alike. */
export function downloadBase64(fileName: string, base64: string, type: string): void {
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A cycle's last day: `end` is exclusive. */
export const lastDay = (end: number) => end - 1;
