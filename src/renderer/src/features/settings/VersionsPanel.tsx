import {
  Alert,
  Badge,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowsLeftRight, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConfigVersionView } from '../../../../main/api/methods/config.contract';
import { useApiQuery } from '../../app/use-api-query';
import { useHashParams } from '../../app/use-hash-params';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/format';
import { formatParam, paramLabel, ruleParams, type RuleParam } from './rule-fields';

function VersionTable({ versions, inForce }: { versions: ConfigVersionView[]; inForce: number }) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  return (
    <Table
      withTableBorder
      highlightOnHover
      verticalSpacing={8}
      data-testid="versions-table"
      style={{ background: 'var(--app-card-bg)' }}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('versions.version')}</Table.Th>
          <Table.Th>{t('versions.effectiveFrom')}</Table.Th>
          <Table.Th>{t('versions.createdBy')}</Table.Th>
          <Table.Th>{t('versions.createdAt')}</Table.Th>
          <Table.Th w="34%">{t('versions.note')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.map((v) => (
          <Table.Tr
            key={v.version}
            data-version={v.version}
            data-in-force={v.version === inForce || undefined}
          >
            <Table.Td>
              <Group gap={8} wrap="nowrap">
                <Text size="sm" fw={650}>
                  {t('versions.label', { version: v.version })}
                </Text>
                {v.version === inForce && (
                  <Badge color="teal" variant="light" radius="sm" tt="none" size="sm">
                    {t('versions.inForce')}
                  </Badge>
                )}
                {/* a later version not yet in force (R-OP-3: the highest version in effect wins) */}
                {v.version > inForce && (
                  <Badge color="orange" variant="light" radius="sm" tt="none" size="sm">
                    {t('versions.pending')}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td className="tabular-nums">
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {v.effectiveFrom === 0 ? t('versions.always') : formatDateTime(v.effectiveFrom, locale)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{v.createdBy}</Text>
            </Table.Td>
            <Table.Td className="tabular-nums">
              <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                {v.createdAt === 0 ? '—' : formatDateTime(v.createdAt, locale)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" lineClamp={2} data-col="note">
                {v.note === 'RULES.md defaults' ? t('rules.defaults') : (v.note ?? '—')}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Two versions side by side, parameter by parameter; the engine's own diff says which differ. */
function Compare({ versions, a, b }: { versions: ConfigVersionView[]; a: number; b: number }) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  const [params, update] = useHashParams();
  const onlyChanges = params.get('all') !== '1';
  const diff = useApiQuery((api) => api.config.diff({ a, b }), ['rule_configs'], `${a}|${b}`);
  const va = versions.find((v) => v.version === a);
  const vb = versions.find((v) => v.version === b);
  if (diff.error) return <ErrorAlert error={diff.error} onRetry={diff.reload} />;
  if (!diff.data || !va || !vb) return <Skeleton h={240} radius="md" />;
  const changed = new Set(diff.data.lines.map((l) => l.path));
  const pa = new Map(ruleParams(va.config).map((p) => [p.path, p]));
  const pb = new Map(ruleParams(vb.config).map((p) => [p.path, p]));
  const paths = [...new Set([...pa.keys(), ...pb.keys()])];
  const rows = paths.filter((p) => !onlyChanges || changed.has(p));
  const levelName = (id: string) => {
    const l = (vb.config.levels.find((x) => x.id === id) ?? va.config.levels.find((x) => x.id === id))!;
    return locale === 'en' ? l.name_en : l.name_zh;
  };
  const value = (p: RuleParam | undefined) => (p ? formatParam(p.kind, p.value, locale, t) : '—');
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Badge
          variant="light"
          color={changed.size ? 'orange' : 'gray'}
          radius="sm"
          tt="none"
          data-testid="diff-count"
          data-count={changed.size}
        >
          {changed.size ? t('versions.differences', { count: changed.size }) : t('versions.same')}
        </Badge>
        <Switch
          label={t('versions.onlyChanges')}
          checked={onlyChanges}
          onChange={(e) => update({ all: e.currentTarget.checked ? null : '1' })}
          data-testid="diff-only-changes"
        />
      </Group>
      {rows.length > 0 && (
        <Table
          withTableBorder
          withColumnBorders
          verticalSpacing={6}
          layout="fixed"
          data-testid="version-diff"
          style={{ background: 'var(--app-card-bg)' }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="40%">{t('versions.param')}</Table.Th>
              <Table.Th>{t('versions.label', { version: a })}</Table.Th>
              <Table.Th>{t('versions.label', { version: b })}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((path) => {
              const p = (pb.get(path) ?? pa.get(path))!;
              const isChanged = changed.has(path);
              return (
                <Table.Tr key={path} data-path={path} data-changed={isChanged || undefined}>
                  <Table.Td>
                    <Text size="sm" fw={isChanged ? 600 : 400}>
                      {paramLabel(p, t, p.level ? levelName(p.level) : undefined)}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {path}
                    </Text>
                  </Table.Td>
                  <Table.Td
                    className="tabular-nums"
                    bg={isChanged ? 'var(--mantine-color-red-light)' : undefined}
                    data-col="a"
                  >
                    <Text size="sm">{value(pa.get(path))}</Text>
                  </Table.Td>
                  <Table.Td
                    className="tabular-nums"
                    bg={isChanged ? 'var(--mantine-color-teal-light)' : undefined}
                    data-col="b"
                  >
                    <Text size="sm" fw={isChanged ? 600 : 400}>
                      {value(pb.get(path))}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** 配置版本: every version (who, when, note, effective from) and a side-by-side diff of two. */
export function VersionsPanel() {
  const { t } = useTranslation('settings');
  const [params, update] = useHashParams();
  const versions = useApiQuery((api) => api.config.versions(), ['rule_configs']);
  if (versions.error) return <ErrorAlert error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return <Skeleton h={280} radius="md" />;
  const list = versions.data.versions;
  const numbers = list.map((v) => v.version);
  const pick = (k: string, fallback: number) => {
    const n = Number(params.get(k));
    return numbers.includes(n) ? n : fallback;
  };
  // newest first: by default the version before the newest against the newest
  const b = pick('b', numbers[0]);
  const a = pick('a', numbers.find((n) => n < b) ?? numbers[numbers.length - 1]);
  const options = list.map((v) => ({
    value: String(v.version),
    label: t('versions.label', { version: v.version }),
  }));
  return (
    <Stack gap="lg" data-testid="versions-panel">
      <Stack gap="xs">
        <Title order={3} fz={17}>
          {t('versions.title')}
        </Title>
        <VersionTable versions={list} inForce={versions.data.inForce} />
      </Stack>
      <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)">
        <Stack gap="md">
          <Group gap="xs">
            <IconArrowsLeftRight size={18} />
            <Title order={3} fz={17}>
              {t('versions.compare')}
            </Title>
          </Group>
          {list.length < 2 ? (
            <Alert
              variant="light"
              color="gray"
              icon={<IconInfoCircle size={18} />}
              data-testid="versions-single"
            >
              {t('versions.single')}
            </Alert>
          ) : (
            <>
              <Group gap="md" align="flex-end">
                <Select
                  label={t('versions.a')}
                  data={options}
                  value={String(a)}
                  allowDeselect={false}
                  onChange={(v) => v && update({ a: v })}
                  w={180}
                  data-testid="diff-a"
                />
                <IconArrowsLeftRight
                  size={18}
                  style={{ marginBottom: 10 }}
                  color="var(--mantine-color-dimmed)"
                />
                <Select
                  label={t('versions.b')}
                  data={options}
                  value={String(b)}
                  allowDeselect={false}
                  onChange={(v) => v && update({ b: v })}
                  w={180}
                  data-testid="diff-b"
                />
              </Group>
              <Compare versions={list} a={a} b={b} />
            </>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
