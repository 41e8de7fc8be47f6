import { Alert, Badge, Code, Group, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconLinkOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../../main/api/methods/audit.contract';
import { baseName, formatDateTime } from '../../shared/format';
import { RoleBadge } from '../session/SessionGate';
import { diffJson, leafText, parseJson, type JsonDiffLine } from './json-diff';
import { actionKey, type AuditRole } from './params';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

export function ActionLabel({ action }: { action: string }) {
  const { t } = useTranslation('audit');
  const label = t(`actions.${actionKey(action)}`, { defaultValue: '' });
  return (
    <Stack gap={0}>
      {label && (
        <Text size="sm" fw={500}>
          {label}
        </Text>
      )}
      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {action}
      </Text>
    </Stack>
  );
}

export function EntityLabel({ entry }: { entry: AuditEntryView }) {
  const { t } = useTranslation('audit');
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {t(`entities.${entry.entity}`, { defaultValue: entry.entity })}
      </Text>
      {entry.entity_id !== null && (
        // a backup's entity is its file: the name, with the full path on hover
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} title={entry.entity_id}>
          {/[\\/]/.test(entry.entity_id) ? baseName(entry.entity_id) : entry.entity_id}
        </Text>
      )}
    </Stack>
  );
}

/** A field named like an instant (`effectiveFrom`, `recorded_at`, `asOf`) holding epoch ms. */
const isInstant = (path: string, v: unknown) =>
  typeof v === 'number' && v > 1e11 && v < 1e14 && /(At|_at|From|_from|asOf|as_of)$/.test(path);

function Value({ v, path, missing }: { v: unknown; path: string; missing: string }) {
  const { i18n } = useTranslation();
  if (v === undefined)
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {missing}
      </Text>
    );
  if (isInstant(path, v))
    return (
      <Text size="sm" className="tabular-nums" title={String(v)}>
        {formatDateTime(v as number, i18n.language)}
      </Text>
    );
  return (
    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-word' }}>
      {leafText(v)}
    </Text>
  );
}

/** The leaves that differ, one line each: field, before, after. */
function DiffTable({ lines }: { lines: JsonDiffLine[] }) {
  const { t } = useTranslation('audit');
  return (
    <Table
      withTableBorder
      withColumnBorders
      verticalSpacing={6}
      layout="fixed"
      data-testid="entry-diff"
      style={{ background: 'var(--app-card-bg)' }}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="38%">{t('entry.path')}</Table.Th>
          <Table.Th>{t('entry.before')}</Table.Th>
          <Table.Th>{t('entry.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={l.path} data-path={l.path} data-kind={l.kind}>
            <Table.Td>
              <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {l.path}
              </Text>
            </Table.Td>
            <Table.Td bg={l.kind === 'added' ? undefined : 'var(--mantine-color-red-light)'}>
              <Value v={l.before} path={l.path} missing={t('entry.absent')} />
            </Table.Td>
            <Table.Td bg={l.kind === 'removed' ? undefined : 'var(--mantine-color-teal-light)'}>
              <Value v={l.after} path={l.path} missing={t('entry.absent')} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Pretty({ value, label, testId }: { value: unknown; label: string; testId: string }) {
  const { t } = useTranslation('audit');
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Text size="xs" fw={600} c="dimmed">
        {label}
      </Text>
      <ScrollArea.Autosize mah={420} type="auto">
        <Code block data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {value === null ? t('entry.none') : JSON.stringify(value, null, 2)}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** One entry in full: who, when, what, why; before and after, and a readable diff of the two. */
export function EntryDetail({ entry, brokenHere }: { entry: AuditEntryView; brokenHere: boolean }) {
  const { t, i18n } = useTranslation('audit');
  const { t: tApp } = useTranslation('app');
  const locale = i18n.language;
  const before = parseJson(entry.before_json);
  const after = parseJson(entry.after_json);
  const both = before !== null && after !== null;
  const lines = both ? diffJson(before, after) : [];
  return (
    <Stack gap="lg" data-testid="entry-detail" data-audit-id={entry.audit_id}>
      {brokenHere && (
        <Alert color="red" variant="light" icon={<IconLinkOff size={18} />} data-testid="entry-broken">
          {t('entry.brokenHere')}
        </Alert>
      )}
      <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
        <Field label={t('entry.recordedAt')} testId="entry-recorded-at">
          <Text size="sm" className="tabular-nums">
            {formatDateTime(entry.recorded_at, locale)}{' '}
            <Text span size="xs" c="dimmed">
              {tApp('common.beijingTime')}
            </Text>
          </Text>
        </Field>
        <Field label={t('entry.effectiveAt')} testId="entry-effective-at">
          <Text size="sm" className="tabular-nums">
            {formatDateTime(entry.effective_at, locale)}
          </Text>
        </Field>
        <Field label={t('entry.operator')} testId="entry-operator">
          <Group gap={8} wrap="nowrap">
            <Text size="sm" fw={500}>
              {entry.operator_id}
            </Text>
            <RoleBadge role={entry.role as AuditRole} />
          </Group>
        </Field>
        <Field label={t('entry.action')} testId="entry-action">
          <ActionLabel action={entry.action} />
        </Field>
        <Field label={t('entry.entity')} testId="entry-entity">
          <EntityLabel entry={entry} />
        </Field>
        <Field label={t('entry.reason')} testId="entry-reason">
          <Text size="sm" c={entry.reason ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
            {entry.reason ?? t('table.noReason')}
          </Text>
        </Field>
      </SimpleGrid>

      <Stack gap="xs">
        <Group gap="xs">
          <Title order={4} fz={15}>
            {t('entry.changes')}
          </Title>
          {both && lines.length > 0 && (
            <Badge variant="light" radius="sm" tt="none">
              {t('entry.changesCount', { count: lines.length })}
            </Badge>
          )}
        </Group>
        {both ? (
          lines.length ? (
            <DiffTable lines={lines} />
          ) : (
            <Text size="sm" c="dimmed">
              {t('entry.noChanges')}
            </Text>
          )
        ) : (
          <Text size="sm" c="dimmed">
            {after !== null
              ? t('entry.onlyAfter')
              : before !== null
                ? t('entry.onlyBefore')
                : t('entry.nothing')}
          </Text>
        )}
        {(before !== null || after !== null) && (
          <SimpleGrid cols={both ? 2 : 1} spacing="sm" mt={4}>
            {before !== null && <Pretty value={before} label={t('entry.before')} testId="entry-before" />}
            {after !== null && <Pretty value={after} label={t('entry.after')} testId="entry-after" />}
          </SimpleGrid>
        )}
      </Stack>

      <Stack gap={6}>
        <Title order={4} fz={15}>
          {t('entry.hashes')}
        </Title>
        <Field label={t('entry.prevHash')}>
          <Code style={{ wordBreak: 'break-all' }}>{entry.prev_hash}</Code>
        </Field>
        <Field label={t('entry.hash')}>
          <Code style={{ wordBreak: 'break-all' }} data-testid="entry-hash">
            {entry.hash}
          </Code>
        </Field>
      </Stack>
    </Stack>
  );
}
