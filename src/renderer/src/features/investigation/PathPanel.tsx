import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconCheck, IconCopy, IconLinkOff, IconQuestionMark, IconX } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMember, SamePersonPath } from '../../../../main/api/methods/investigation.contract';
import type { QueryState } from '../../app/use-api-query';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { EVIDENCE_COLOR, splitKey, type AccountKey } from './evidence';
import { sightingRange } from './IdentityGraph';

function AccountLabel({ k }: { k: AccountKey }) {
  const { t } = useTranslation('investigation');
  const { kind, id } = splitKey(k);
  return (
    <Group gap={4} wrap="nowrap" component="span">
      <Badge size="xs" radius="sm" variant="light" color={kind === 'partner' ? 'grape' : 'gray'} tt="none">
        {t(`account.${kind}`)}
      </Badge>
      <Text size="sm" fw={600} span>
        {id}
      </Text>
    </Group>
  );
}

export interface PathPanelProps {
  members: GroupMember[];
  a: AccountKey | null;
  b: AccountKey | null;
  onChange(a: AccountKey | null, b: AccountKey | null): void;
  path: QueryState<SamePersonPath | null> | null;
}

/**
 * "Why are these two the same person?": two accounts (picked on the graph or here) and the
 * shortest chain of evidence between them (investigation.path), as steps and as a numbered list
 * a support agent can paste.
 */
export function PathPanel({ members, a, b, onChange, path }: PathPanelProps) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const lang = locale === 'en' ? 'en' : 'zh-CN';
  const options = useMemo(() => {
    const word = { customer: t('account.customer'), partner: t('account.partner') };
    return members.map((m) => ({
      value: m.key,
      label: `${word[m.kind]} ${m.id}${m.name ? ` · ${m.name}` : ''}`,
    }));
  }, [members, t]);
  const p = path?.data;
  const unknown = t('seen.unknown');
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="path-panel" h="100%">
      <Stack gap="sm">
        <Group gap={8} wrap="nowrap">
          <IconQuestionMark size={18} stroke={1.8} />
          <Title order={4} fz={15} fw={650}>
            {t('path.title')}
          </Title>
        </Group>
        <Text size="xs" c="dimmed">
          {t('path.hint')}
        </Text>
        <Select
          label={t('path.a')}
          placeholder={t('path.pick')}
          data={options}
          value={a}
          onChange={(v) => onChange(v, b)}
          searchable
          clearable
          limit={200}
          nothingFoundMessage={t('path.noMatch')}
          data-testid="path-a"
        />
        <Select
          label={t('path.b')}
          placeholder={t('path.pick')}
          data={options}
          value={b}
          onChange={(v) => onChange(a, v)}
          searchable
          clearable
          limit={200}
          nothingFoundMessage={t('path.noMatch')}
          data-testid="path-b"
        />
        {(a || b) && (
          <Group justify="flex-end">
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconX size={14} />}
              onClick={() => onChange(null, null)}
              data-testid="path-clear"
            >
              {t('path.clear')}
            </Button>
          </Group>
        )}
        {path?.error && <ErrorAlert error={path.error} onRetry={path.reload} />}
        {a && b && !p && !path?.error && <Skeleton h={120} radius="md" />}
        {p && p.linked && p.steps.length > 0 && (
          <Stack gap="sm" data-testid="path-result" data-steps={p.steps.length}>
            <Text size="sm" fw={600}>
              {t('path.steps', { count: p.steps.length })}
            </Text>
            <Timeline active={p.steps.length} bulletSize={20} lineWidth={2}>
              {p.steps.map((s, i) => (
                <Timeline.Item
                  key={i}
                  bullet={
                    <Text size="10px" fw={700}>
                      {i + 1}
                    </Text>
                  }
                  title={
                    <Group gap={6} wrap="wrap">
                      <AccountLabel k={s.from} />
                      <Text size="sm" c="dimmed">
                        ↔
                      </Text>
                      <AccountLabel k={s.to} />
                    </Group>
                  }
                  data-testid="path-step"
                  data-evidence={s.evidence}
                >
                  <Group gap={6} mt={4} wrap="nowrap">
                    <Badge size="sm" radius="sm" variant="light" color={EVIDENCE_COLOR[s.evidence]} tt="none">
                      {t(`evidence.${s.evidence}`)}
                    </Badge>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {s.value}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" mt={4}>
                    {splitKey(s.from).id}: {sightingRange(s.seenFrom, locale, unknown)}
                    {s.seenFrom.sources.length > 0 &&
                      ` (${s.seenFrom.sources.map((x) => t(`source.${x}`)).join(', ')})`}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {splitKey(s.to).id}: {sightingRange(s.seenTo, locale, unknown)}
                    {s.seenTo.sources.length > 0 &&
                      ` (${s.seenTo.sources.map((x) => t(`source.${x}`)).join(', ')})`}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
            <Paper withBorder radius="sm" p="xs" bg="var(--mantine-color-default-hover)">
              <Text
                size="xs"
                ff="monospace"
                style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                data-testid="path-text"
              >
                {p.text[lang]}
              </Text>
            </Paper>
            <Group justify="space-between" wrap="nowrap">
              {p.masked && (
                <Text size="xs" c="dimmed">
                  {t('path.masked')}
                </Text>
              )}
              <CopyButton value={p.text[lang]} timeout={2500}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    ml="auto"
                    variant={copied ? 'light' : 'filled'}
                    color={copied ? 'teal' : undefined}
                    leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                    onClick={copy}
                    data-testid="path-copy"
                  >
                    {copied ? t('path.copied') : t('path.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        )}
        {p && (!p.linked || p.steps.length === 0) && (
          <Alert variant="light" color="gray" icon={<IconLinkOff size={18} />} data-testid="path-none">
            {p.a === p.b ? t('path.same') : t('path.notLinked')}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
