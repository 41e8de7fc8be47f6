import { Alert, Badge, Button, Group, List, Paper, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import {
  IconAlertTriangle,
  IconDeviceFloppy,
  IconEdit,
  IconInfoCircle,
  IconLock,
  IconRefresh,
  IconX,
  IconZoomCheck,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigVersionView } from '../../../../main/api/methods/config.contract';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { ruleConfigSchema, type RuleConfig } from '../../../../main/rules/config';
import { useApiQuery } from '../../app/use-api-query';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { beijingInputToMs, formatDateTime, formatFen } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { useWrite } from '../../shared/use-write';
import { impactTotals, ImpactPreview } from './ImpactPreview';
import { changedPaths, RuleConfigForm, type FieldErrors } from './RuleConfigForm';

/**
 * The contract asks every decision input for a reason (R-OP-2). A preview is rolled back with
 * its audit entry, so this one is never recorded; the real reason is asked when saving.
 */
const PREVIEW_REASON = 'impact preview (rolled back)';

const ROOT_ISSUES: Record<string, string> = {
  'the first level must have threshold 0': 'firstZero',
  'level thresholds must ascend': 'ascend',
  'level ids must be unique': 'unique',
};

/**
 * The contract's schema decides; the level-table checks are also made here on their own, since the
 * schema checks them only once every field is a valid number, and the operator should see both.
 */
function validate(config: RuleConfig, t: (k: string) => string): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  const levels = config.levels;
  levels.forEach((l, i) => {
    if (i === 0 && l.threshold !== 0) fields['levels.0.threshold'] = t('rules.invalid.firstZero');
    if (i > 0 && Number.isFinite(l.threshold) && l.threshold <= levels[i - 1].threshold)
      fields[`levels.${i}.threshold`] = t('rules.invalid.ascend');
  });
  const parsed = ruleConfigSchema.safeParse(config);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const root = ROOT_ISSUES[issue.message];
      if (root) general.push(t(`rules.invalid.${root}`));
      else fields[issue.path.join('.')] ??= t('rules.invalid.number');
    }
  if (Object.values(fields).includes(t('rules.invalid.ascend'))) general.push(t('rules.invalid.ascend'));
  return { fields, general: [...new Set(general)] };
}

export function InForce({
  version,
  pending,
  extra,
}: {
  version: ConfigVersionView;
  /** later versions, not in force yet (R-OP-3) */
  pending: ConfigVersionView[];
  extra?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      bg="var(--app-card-bg)"
      data-testid="in-force"
      data-version={version.version}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge color="teal" variant="light" radius="sm" tt="none" size="lg">
              {t('rules.inForce', { version: version.version })}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" className="tabular-nums">
            {version.effectiveFrom === 0
              ? t('rules.inForceMetaAlways', {
                  by: version.createdBy,
                  at: formatDateTime(version.createdAt, locale),
                })
              : t('rules.inForceMeta', {
                  from: formatDateTime(version.effectiveFrom, locale),
                  by: version.createdBy,
                  at: formatDateTime(version.createdAt, locale),
                })}
          </Text>
          {version.note && (
            <Text size="sm">
              {t('rules.note', {
                note: version.note === 'RULES.md defaults' ? t('rules.defaults') : version.note,
              })}
            </Text>
          )}
          {pending.map((p) => (
            <Group gap={6} key={p.version} data-testid="pending-version" data-version={p.version}>
              <Badge color="orange" variant="light" radius="sm" tt="none" size="sm">
                {t('versions.pending')}
              </Badge>
              <Text size="sm" c="dimmed" className="tabular-nums">
                {t('rules.pending', { version: p.version, from: formatDateTime(p.effectiveFrom, locale) })}
              </Text>
            </Group>
          ))}
        </Stack>
        {extra}
      </Group>
    </Paper>
  );
}

/**
 * 规则参数: the configuration in force; for admins an editor whose change becomes a new version
 * only after the engine's impact preview (config.preview), saved with a reason (config.save).
 */
export function RulesPanel() {
  const { t, i18n } = useTranslation('settings');
  const locale = i18n.language;
  const versions = useApiQuery((api) => api.config.versions(), ['rule_configs']);
  // R-OP-1: the preview and the save are admin methods; both must be allowed to edit
  const canSave = useCan('config.save');
  const canPreview = useCan('config.preview');
  const canEdit = canSave && canPreview;
  const [draft, setDraft] = useState<RuleConfig | null>(null);
  const [at, setAt] = useState('');
  const [preview, setPreview] = useState<{
    key: string;
    outcome: DecisionOutcome;
    effectiveAt: number;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const previewCall = useWrite('config.preview', { notify: false });

  if (versions.error) return <ErrorAlert error={versions.error} onRetry={versions.reload} />;
  if (!versions.data)
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={90} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  const current =
    versions.data.versions.find((v) => v.version === versions.data!.inForce) ?? versions.data.versions[0];
  // R-OP-3: the highest version in effect wins, so these are not in force yet
  const pending = versions.data.versions.filter((v) => v.version > current.version).reverse();
  const nextVersion = Math.max(...versions.data.versions.map((v) => v.version)) + 1;

  const editing = draft !== null;
  const config = draft ?? current.config;
  const { fields, general } = editing ? validate(config, t) : { fields: {}, general: [] };
  const effectiveMs = at ? beijingInputToMs(at) : null;
  const atInvalid = at !== '' && effectiveMs === null;
  const changes = editing ? changedPaths(config, current.config).size : 0;
  const valid = Object.keys(fields).length === 0 && general.length === 0 && !atInvalid;
  const key = JSON.stringify([config, at]);
  const fresh = preview !== null && preview.key === key;

  function stop() {
    setDraft(null);
    setAt('');
    setPreview(null);
    previewCall.reset();
  }

  async function runPreview() {
    const out = await previewCall.run({
      config,
      reason: PREVIEW_REASON,
      effectiveAt: effectiveMs ?? undefined,
    });
    if (out) setPreview({ key, outcome: out, effectiveAt: effectiveMs ?? Date.now() });
  }

  const totals = preview ? impactTotals(preview.outcome) : null;
  return (
    <Stack gap="md" data-testid="rules-panel">
      <InForce
        version={current}
        pending={pending}
        extra={
          canEdit && !editing ? (
            <Button
              leftSection={<IconEdit size={16} />}
              onClick={() => setDraft(structuredClone(current.config))}
              data-testid="rules-edit"
            >
              {t('rules.edit')}
            </Button>
          ) : undefined
        }
      />
      {!canEdit && (
        <Group gap={6} data-testid="rules-read-only">
          <IconLock size={15} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed">
            {t('rules.readOnly')}
          </Text>
        </Group>
      )}
      {editing && (
        <Alert variant="light" color="yunke" icon={<IconInfoCircle size={18} />} py="xs">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{t('rules.editing')}</Text>
            <Badge
              variant="light"
              color={changes ? 'orange' : 'gray'}
              radius="sm"
              tt="none"
              data-testid="rules-changes"
            >
              {changes ? t('rules.changed', { count: changes }) : t('rules.unchanged')}
            </Badge>
          </Group>
        </Alert>
      )}
      {editing && pending.length > 0 && (
        <Alert
          variant="light"
          color="orange"
          icon={<IconAlertTriangle size={18} />}
          data-testid="pending-warning"
        >
          {t('rules.pendingWarning', {
            version: pending[0].version,
            from: formatDateTime(pending[0].effectiveFrom, locale),
          })}
        </Alert>
      )}
      <RuleConfigForm
        config={config}
        base={current.config}
        editing={editing}
        onChange={setDraft}
        errors={fields}
      />
      {editing && (
        <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="rules-editor-actions">
          <Stack gap="sm">
            {general.length > 0 && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title={t('rules.invalid.title')}
              >
                <List size="sm">
                  {general.map((g) => (
                    <List.Item key={g}>{g}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
              <TextInput
                type="datetime-local"
                label={t('rules.effectiveAt')}
                description={t('rules.effectiveHint')}
                value={at}
                onChange={(e) => setAt(e.currentTarget.value)}
                error={atInvalid ? t('rules.invalid.effectiveAt') : undefined}
                w={360}
                data-testid="rules-effective-at"
              />
              <Group gap="sm">
                <Button
                  variant="default"
                  leftSection={<IconX size={16} />}
                  onClick={stop}
                  data-testid="rules-cancel"
                >
                  {t('rules.cancel')}
                </Button>
                <Button
                  variant={fresh ? 'default' : 'filled'}
                  leftSection={preview && !fresh ? <IconRefresh size={16} /> : <IconZoomCheck size={16} />}
                  disabled={!valid || changes === 0}
                  loading={previewCall.pending}
                  onClick={() => void runPreview()}
                  data-testid="rules-preview"
                >
                  {preview && !fresh ? t('rules.previewAgain') : t('rules.preview')}
                </Button>
              </Group>
            </Group>
            {previewCall.error && <ErrorAlert error={previewCall.error} />}
          </Stack>
        </Paper>
      )}
      {editing && preview && !fresh && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          data-testid="preview-stale"
        >
          {t('rules.previewStale')}
        </Alert>
      )}
      {editing && preview && (
        <Paper
          withBorder
          radius="md"
          p="md"
          bg="var(--app-card-bg)"
          style={{ opacity: fresh ? 1 : 0.55 }}
          data-fresh={fresh}
        >
          <Stack gap="md">
            <ImpactPreview outcome={preview.outcome} effectiveAt={preview.effectiveAt} />
            <Group justify="flex-end">
              <Button
                leftSection={<IconDeviceFloppy size={16} />}
                disabled={!fresh}
                onClick={() => setConfirming(true)}
                title={fresh ? undefined : t('rules.saveNeedsPreview')}
                data-testid="rules-save"
              >
                {t('rules.save')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {editing && (
        <DecisionDialog
          opened={confirming && fresh}
          onClose={() => setConfirming(false)}
          method="config.save"
          title={t('save.title', { version: nextVersion })}
          input={{ config, ...(effectiveMs !== null ? { effectiveAt: effectiveMs } : {}) }}
          confirmLabel={t('save.confirm')}
          success={(out) => t('save.done', { version: Number(out.applied.version) || nextVersion })}
          onDone={stop}
        >
          <Stack gap={6} data-testid="save-summary">
            <Text size="sm">
              {t('save.what', {
                version: nextVersion,
                from:
                  effectiveMs === null
                    ? t('save.fromNow')
                    : t('save.fromAt', { at: formatDateTime(effectiveMs, locale) }),
              })}
            </Text>
            {totals && (
              <Text size="sm" fw={500}>
                {totals.orders === 0 && totals.partners === 0
                  ? t('save.noImpact')
                  : t('save.impact', {
                      orders: totals.orders,
                      partners: totals.partners,
                      before: formatFen(totals.beforeFen, locale),
                      after: formatFen(totals.afterFen, locale),
                      delta: `${totals.afterFen >= totals.beforeFen ? '+' : ''}${formatFen(totals.afterFen - totals.beforeFen, locale)}`,
                    })}
              </Text>
            )}
          </Stack>
        </DecisionDialog>
      )}
    </Stack>
  );
}
