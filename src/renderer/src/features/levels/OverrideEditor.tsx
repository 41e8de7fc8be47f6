import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconRefresh, IconX, IconZoomCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LevelOverrideView, LevelRowView } from '../../../../main/api/methods/levels.contract';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { beijingInputToMs, formatDateTime, formatFen } from '../../shared/format';
import { useWrite } from '../../shared/use-write';
// the engine's what-if, as Settings shows it for a rule change (its own strings)
import { impactTotals, ImpactPreview } from '../settings/ImpactPreview';
import { useLevelName } from './level-badge';

/**
 * Every decision input carries a reason (R-OP-2); a preview is rolled back with its audit entry,
 * so this one is never recorded. The real reason is asked when the decision is taken.
 */
const PREVIEW_REASON = 'impact preview (rolled back)';

function ImpactSummary({ outcome }: { outcome: DecisionOutcome }) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const totals = impactTotals(outcome);
  return (
    <Text size="sm" fw={500} data-testid="decision-impact">
      {totals.orders === 0
        ? t('override.noImpact')
        : t('override.impact', {
            orders: totals.orders,
            before: formatFen(totals.beforeFen, locale),
            after: formatFen(totals.afterFen, locale),
            delta: `${totals.afterFen >= totals.beforeFen ? '+' : ''}${formatFen(totals.afterFen - totals.beforeFen, locale)}`,
          })}
    </Text>
  );
}

/**
 * 等级调整 (R-LVL-2): a level, a start (R-OP-3) and an optional end for one partner; the engine's
 * preview of the rebates it changes (R-LVL-3: orders placed while it lasts) before the decision,
 * which asks for the reason.
 */
export function OverrideEditor({
  partnerId,
  current,
  levels,
  onClose,
}: {
  partnerId: string;
  current: string | null;
  levels: LevelRowView[];
  onClose(): void;
}) {
  const { t, i18n } = useTranslation('levels');
  const locale = i18n.language;
  const name = useLevelName(levels);
  const [level, setLevel] = useState<string | null>(null);
  const [start, setStart] = useState('');
  const [until, setUntil] = useState('');
  const [preview, setPreview] = useState<{ key: string; outcome: DecisionOutcome; at: number } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [openedAt] = useState(() => Date.now());
  const previewCall = useWrite('levels.overridePreview', { notify: false });

  const startMs = start ? beijingInputToMs(start) : null;
  const untilMs = until ? beijingInputToMs(until) : null;
  const startInvalid = start !== '' && startMs === null;
  const untilInvalid = until !== '' && (untilMs === null || untilMs <= (startMs ?? openedAt));
  const valid = level !== null && !startInvalid && !untilInvalid;
  const key = JSON.stringify([level, start, until]);
  const fresh = preview !== null && preview.key === key;
  const input = {
    partnerId,
    level: level ?? '',
    ...(startMs !== null ? { effectiveAt: startMs } : {}),
    ...(untilMs !== null ? { until: untilMs } : {}),
  };

  async function runPreview() {
    const out = await previewCall.run({ ...input, reason: PREVIEW_REASON });
    if (out) setPreview({ key, outcome: out, at: startMs ?? openedAt });
  }

  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="override-editor">
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={2}>
            <Title order={3} fz={16} fw={650}>
              {t('override.title', { partner: partnerId })}
            </Title>
            <Text size="xs" c="dimmed">
              {t('override.hint')}
            </Text>
          </Stack>
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconX size={15} />}
            onClick={onClose}
            data-testid="override-cancel"
          >
            {t('override.cancel')}
          </Button>
        </Group>
        <Group align="flex-start" gap="md" wrap="wrap">
          <Select
            label={t('override.level')}
            placeholder={t('override.levelPlaceholder')}
            data={levels.map((l) => ({
              value: l.id,
              label: `${l.id} · ${name(l.id)}${l.id === current ? ` (${t('override.currentMark')})` : ''}`,
            }))}
            value={level}
            onChange={setLevel}
            withAsterisk
            w={220}
            comboboxProps={{ withinPortal: true }}
            data-testid="override-level"
          />
          <TextInput
            type="datetime-local"
            label={t('override.start')}
            description={t('override.startHint')}
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={startInvalid ? t('override.invalidTime') : undefined}
            w={260}
            data-testid="override-start"
          />
          <TextInput
            type="datetime-local"
            label={t('override.until')}
            description={t('override.untilHint')}
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
            error={untilInvalid ? t('override.invalidUntil') : undefined}
            w={260}
            data-testid="override-until"
          />
        </Group>
        <Group justify="flex-end">
          <Button
            variant={fresh ? 'default' : 'filled'}
            leftSection={preview && !fresh ? <IconRefresh size={16} /> : <IconZoomCheck size={16} />}
            disabled={!valid}
            loading={previewCall.pending}
            onClick={() => void runPreview()}
            data-testid="override-preview"
          >
            {preview && !fresh ? t('override.previewAgain') : t('override.preview')}
          </Button>
        </Group>
        {previewCall.error && <ErrorAlert error={previewCall.error} />}
        {preview && !fresh && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            data-testid="override-stale"
          >
            {t('override.stale')}
          </Alert>
        )}
        {preview && (
          <Stack gap="md" style={{ opacity: fresh ? 1 : 0.55 }}>
            <ImpactPreview
              outcome={preview.outcome}
              effectiveAt={preview.at}
              texts={{ ns: 'levels', prefix: 'impact.override' }}
            />
            <Group justify="flex-end">
              <Button
                color="orange"
                disabled={!fresh}
                onClick={() => setConfirming(true)}
                data-testid="override-apply"
              >
                {t('override.apply')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <DecisionDialog
        opened={confirming && fresh}
        onClose={() => setConfirming(false)}
        method="levels.override"
        title={t('override.dialogTitle', { partner: partnerId })}
        input={input}
        confirmLabel={t('override.confirm')}
        confirmColor="orange"
        success={() => t('override.done', { partner: partnerId, level: level ?? '' })}
        onDone={onClose}
      >
        <Stack gap={6} data-testid="override-summary">
          <Text size="sm">
            {t(untilMs !== null ? 'override.whatUntil' : 'override.what', {
              partner: partnerId,
              level: `${level ?? ''} · ${name(level ?? '')}`,
              from: startMs === null ? t('override.fromNow') : formatDateTime(startMs, locale),
              until: untilMs === null ? '' : formatDateTime(untilMs, locale),
            })}
          </Text>
          {preview && <ImpactSummary outcome={preview.outcome} />}
        </Stack>
      </DecisionDialog>
    </Paper>
  );
}

/** Revoking an override (R-LVL-2): the engine's preview first, then the decision with its reason. */
export function RevokePanel({ override, onClose }: { override: LevelOverrideView; onClose(): void }) {
  const { t } = useTranslation('levels');
  const previewCall = useWrite('levels.revokePreview', { notify: false });
  const [outcome, setOutcome] = useState<DecisionOutcome | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [openedAt] = useState(() => Date.now());
  const { run } = previewCall;
  useEffect(() => {
    let live = true;
    void run({ overrideId: override.overrideId, reason: PREVIEW_REASON }).then((o) => {
      if (live && o) setOutcome(o);
    });
    return () => {
      live = false;
    };
  }, [override.overrideId, run]);
  return (
    <Paper withBorder radius="md" p="md" bg="var(--app-card-bg)" data-testid="revoke-panel">
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={2}>
            <Title order={3} fz={16} fw={650}>
              {t('revoke.title', { id: override.overrideId, partner: override.partnerId })}
            </Title>
            <Text size="xs" c="dimmed">
              {t('revoke.hint')}
            </Text>
          </Stack>
          <Button
            variant="subtle"
            color="gray"
            leftSection={<IconX size={15} />}
            onClick={onClose}
            data-testid="revoke-cancel"
          >
            {t('override.cancel')}
          </Button>
        </Group>
        {previewCall.error && <ErrorAlert error={previewCall.error} />}
        {previewCall.pending && !outcome && (
          <Text size="sm" c="dimmed">
            {t('revoke.computing')}
          </Text>
        )}
        {outcome && (
          <>
            <ImpactPreview
              outcome={outcome}
              effectiveAt={openedAt}
              texts={{ ns: 'levels', prefix: 'impact.revoke' }}
            />
            <Group justify="flex-end">
              <Button
                color="red"
                leftSection={<IconArrowBackUp size={16} />}
                onClick={() => setConfirming(true)}
                data-testid="revoke-apply"
              >
                {t('revoke.apply')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
      <DecisionDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        method="levels.revoke"
        title={t('revoke.dialogTitle', { id: override.overrideId })}
        input={{ overrideId: override.overrideId }}
        confirmLabel={t('revoke.confirm')}
        confirmColor="red"
        success={() => t('revoke.done', { id: override.overrideId })}
        onDone={onClose}
      >
        <Stack gap={6}>
          <Text size="sm">
            {t('revoke.what', {
              id: override.overrideId,
              partner: override.partnerId,
              level: override.level,
            })}
          </Text>
          {outcome && <ImpactSummary outcome={outcome} />}
        </Stack>
      </DecisionDialog>
    </Paper>
  );
}
