import { Alert, Badge, Button, Code, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { IconLinkOff, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AuditVerdictView } from '../../../../main/api/methods/audit.contract';
import type { QueryState } from '../../app/use-api-query';
import { formatCount } from '../../shared/format';

export const shortHash = (h: string) => (h ? `${h.slice(0, 4)}…` : '—');
/** Hashes inside a verdict's expected/found text, cut to their first 12 digits. */
const abbrev = (s: string) => s.replace(/[0-9a-f]{64}/g, (h) => `${h.slice(0, 12)}…`) || '—';

/**
 * The chain's state in the header (R-OP-2): a real `audit.verify` of every entry, and a button
 * that walks the chain again.
 */
export function ChainBadge({ verdict }: { verdict: QueryState<AuditVerdictView> }) {
  const { t, i18n } = useTranslation('audit');
  const v = verdict.data;
  let badge;
  if (!v)
    badge = (
      <Badge
        variant="light"
        color="gray"
        size="lg"
        radius="sm"
        tt="none"
        leftSection={<Loader size={12} />}
        data-testid="chain-status"
        data-state="checking"
      >
        {t('chain.checking')}
      </Badge>
    );
  else if (v.intact)
    badge = (
      <Tooltip
        label={t('chain.intactTooltip', { ms: Math.max(1, Math.round(v.durationMs)), head: v.head || '—' })}
        multiline
        w={360}
        withArrow
        style={{ wordBreak: 'break-all' }}
      >
        <Badge
          variant="light"
          color="teal"
          size="lg"
          radius="sm"
          tt="none"
          leftSection={<IconShieldCheck size={15} />}
          data-testid="chain-status"
          data-state="intact"
          data-entries={v.entries}
          data-head={v.head}
          className="tabular-nums"
        >
          {v.entries === 0
            ? t('chain.intactEmpty')
            : t('chain.intact', {
                count: v.entries,
                n: formatCount(v.entries, i18n.language),
                head: shortHash(v.head),
              })}
        </Badge>
      </Tooltip>
    );
  else
    badge = (
      <Badge
        variant="filled"
        color="red"
        size="lg"
        radius="sm"
        tt="none"
        leftSection={<IconLinkOff size={15} />}
        data-testid="chain-status"
        data-state="broken"
        data-broken-id={v.broken?.auditId}
      >
        {t('chain.broken')}
      </Badge>
    );
  return (
    <Group gap="xs" wrap="nowrap">
      {badge}
      <Button
        variant="default"
        size="xs"
        leftSection={<IconRefresh size={14} />}
        loading={verdict.loading}
        onClick={verdict.reload}
        data-testid="chain-reverify"
      >
        {t('chain.reverify')}
      </Button>
    </Group>
  );
}

/** The red state: which entry is the first that does not hold, and what is wrong with it. */
export function ChainBrokenAlert({ verdict, onShow }: { verdict: AuditVerdictView; onShow?: () => void }) {
  const { t } = useTranslation('audit');
  const b = verdict.broken;
  if (verdict.intact || !b) return null;
  return (
    <Alert
      color="red"
      variant="light"
      radius="md"
      icon={<IconLinkOff size={22} />}
      title={
        b.problem === 'head'
          ? t('chain.brokenHead', { id: b.auditId })
          : t('chain.brokenTitle', { id: b.auditId })
      }
      data-testid="chain-broken"
      data-problem={b.problem}
      data-audit-id={b.auditId}
      styles={{ title: { fontSize: 15 } }}
    >
      <Stack gap={8}>
        <Text size="sm" fw={500} data-testid="chain-problem">
          {t(`chain.problem.${b.problem}`)}
        </Text>
        <Group gap="lg" wrap="wrap">
          <Text size="xs" c="dimmed">
            {t('chain.expected')} <Code>{abbrev(b.expected)}</Code>
          </Text>
          <Text size="xs" c="dimmed">
            {t('chain.found')} <Code>{abbrev(b.found)}</Code>
          </Text>
        </Group>
        <Text size="sm">{t('chain.brokenHint')}</Text>
        {onShow && b.problem !== 'head' && (
          <Group>
            <Button size="xs" color="red" variant="filled" onClick={onShow} data-testid="chain-show-broken">
              {t('chain.show')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
