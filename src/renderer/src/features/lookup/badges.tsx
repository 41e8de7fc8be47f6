import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { REASON_RULES, REBATE_STATUS_COLORS, STATUS_COLORS, reasonColor } from './codes';

export function StatusBadge({ status, size = 'sm' }: { status: string; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation('lookup');
  return (
    <Badge
      color={STATUS_COLORS[status] ?? 'gray'}
      variant="light"
      radius="sm"
      size={size}
      tt="none"
      fw={600}
      data-status={status}
      data-testid="status-badge"
    >
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function RebateStatusBadge({ status }: { status: string | null }) {
  const { t } = useTranslation('lookup');
  if (!status) return null;
  return (
    <Badge
      color={REBATE_STATUS_COLORS[status] ?? 'gray'}
      variant="dot"
      radius="sm"
      size="sm"
      tt="none"
      fw={500}
      data-rebate-status={status}
    >
      {t(`rebateStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** A reason code with its translated label; the tooltip cites the rules (RULES.md table). */
export function ReasonBadge({ code }: { code: string }) {
  const { t } = useTranslation('lookup');
  const rules = REASON_RULES[code] ?? [];
  const badge = (
    <Badge
      color={reasonColor(code)}
      variant="outline"
      radius="sm"
      size="sm"
      tt="none"
      fw={500}
      data-reason={code}
      style={{ cursor: rules.length ? 'help' : undefined }}
    >
      {t(`reasons.${code}`, { defaultValue: code })}
    </Badge>
  );
  if (rules.length === 0) return badge;
  return (
    <Tooltip
      withArrow
      label={
        <>
          <Text span size="xs" fw={600}>
            {code}
          </Text>
          {' · '}
          {t('rules', { rules: rules.join(', ') })}
        </>
      }
    >
      {badge}
    </Tooltip>
  );
}

export function RuleBadges({ rules }: { rules: readonly string[] }) {
  if (rules.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      {rules.map((r) => (
        <Badge
          key={r}
          size="sm"
          radius="sm"
          variant="light"
          color="yunke"
          tt="none"
          fw={600}
          className="tabular-nums"
          data-rule={r}
        >
          {r}
        </Badge>
      ))}
    </Group>
  );
}
