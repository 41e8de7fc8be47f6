import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconClockPlay,
  IconRefresh,
  IconZoomCheck,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodName, MethodOutput } from '../../../../main/api/contract';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { toApiError, type ApiCallError } from '../../app/api-client';
import { useApiQuery } from '../../app/use-api-query';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { beijingInputToMs, formatDateTime, msToBeijingInput } from '../../shared/format';
import { RecomputeButton } from '../lookup/RecomputeButton';
import { useRecompute } from '../lookup/recompute';

/** A decision's outcome; the what-if methods also say when it counts and whether that is later. */
export interface FlowOutcome extends DecisionOutcome {
  effectiveAt?: number;
  takesEffectLater?: boolean;
}

export interface DecisionFlowProps<K extends MethodName, O extends FlowOutcome> {
  opened: boolean;
  onClose(): void;
  /** the what-if window's title */
  title: string;
  intro?: ReactNode;
  /** the decision's own inputs (partner, restrict promotion …) above the effective time */
  fields?: ReactNode;
  /** identity of those inputs: a change makes the what-if stale */
  fieldsKey?: string;
  /** false while the fields are not ready for a what-if */
  ready?: boolean;
  /** the what-if, computed by the engine without writing */
  preview(effectiveAt: number | undefined): Promise<O>;
  renderOutcome(outcome: O): ReactNode;
  /** the decision, through the decision dialog (reason; the effective time is the what-if's) */
  method: K;
  input(effectiveAt: number | undefined): Record<string, unknown>;
  decisionTitle: string;
  confirmLabel: string;
  confirmColor?: string;
  /** what the dialog says will happen (from the what-if) */
  summary(outcome: O): ReactNode;
  success(out: MethodOutput<K>): string;
  onDone?(out: MethodOutput<K>): void;
  testId: string;
}

/**
 * The admin's way to a decision that changes results (R-OP-2, R-OP-3): choose its inputs and
 * effective time, see the engine's what-if, then apply it through the decision dialog with a
 * reason — or cancel, and nothing is written. A change of input after the what-if asks for a new
 * one. When the decision takes effect after the results' as-of, the window says so plainly and
 * offers a recompute.
 */
export function DecisionFlow<K extends MethodName, O extends FlowOutcome>(props: DecisionFlowProps<K, O>) {
  const { t, i18n } = useTranslation('investigation');
  const locale = i18n.language;
  const lastRun = useApiQuery((api) => api.engine.lastRun(), ['engine_runs']);
  const asOf = lastRun.data?.asOf ?? null;
  const [at, setAt] = useState('');
  const [outcome, setOutcome] = useState<{ key: string; value: O } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [applied, setApplied] = useState<{ effectiveAt: number; asOf: number } | null>(null);
  const recompute = useRecompute();

  const effectiveMs = at ? beijingInputToMs(at) : null;
  const atInvalid = at !== '' && effectiveMs === null;
  const key = `${props.fieldsKey ?? ''}|${at}`;
  const fresh = outcome !== null && outcome.key === key;

  function reset() {
    setAt('');
    setOutcome(null);
    setError(null);
    setConfirming(false);
    setPending(false);
  }

  function close() {
    reset();
    setApplied(null);
    props.onClose();
  }

  async function runPreview() {
    setPending(true);
    setError(null);
    try {
      const out = await props.preview(effectiveMs ?? undefined);
      setOutcome({ key, value: out });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setPending(false);
    }
  }

  const input = props.input(effectiveMs ?? undefined);
  return (
    <>
      <Modal
        opened={props.opened && !confirming}
        onClose={close}
        title={
          <Text fw={650} fz="lg">
            {props.title}
          </Text>
        }
        size={960}
        centered
        data-testid={props.testId}
      >
        {applied ? (
          <Stack gap="md" data-testid="flow-applied-later">
            <Alert
              variant="light"
              color="orange"
              icon={<IconClockPlay size={18} />}
              title={t('flow.appliedLaterTitle')}
            >
              {t('flow.appliedLater', {
                at: formatDateTime(applied.effectiveAt, locale),
                asOf: formatDateTime(applied.asOf, locale),
              })}
            </Alert>
            <Group justify="flex-end" gap="sm">
              <RecomputeButton recompute={recompute} size="sm" />
              <Button variant="default" onClick={close} data-testid="flow-close">
                {t('flow.close')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="md">
            {props.intro}
            {props.fields}
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                type="datetime-local"
                label={t('flow.effectiveAt')}
                description={
                  asOf !== null
                    ? t('flow.effectiveHint', { asOf: formatDateTime(asOf, locale) })
                    : t('flow.effectiveHintNoRun')
                }
                value={at}
                onChange={(e) => setAt(e.currentTarget.value)}
                error={atInvalid ? t('flow.invalidAt') : undefined}
                w={420}
                data-testid="flow-effective-at"
              />
              {asOf !== null && (
                <Button
                  variant="subtle"
                  size="sm"
                  onClick={() => setAt(msToBeijingInput(asOf))}
                  data-testid="flow-at-as-of"
                >
                  {t('flow.atAsOf')}
                </Button>
              )}
              <Button
                ml="auto"
                variant={fresh ? 'default' : 'filled'}
                leftSection={outcome && !fresh ? <IconRefresh size={16} /> : <IconZoomCheck size={16} />}
                loading={pending}
                disabled={atInvalid || props.ready === false}
                onClick={() => void runPreview()}
                data-testid="flow-preview"
              >
                {outcome && !fresh ? t('flow.previewAgain') : t('flow.preview')}
              </Button>
            </Group>
            {error && <ErrorAlert error={error} />}
            {outcome && !fresh && (
              <Alert
                color="orange"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                data-testid="flow-stale"
              >
                {t('flow.stale')}
              </Alert>
            )}
            {outcome && (
              <div style={{ opacity: fresh ? 1 : 0.5 }} data-fresh={fresh}>
                {props.renderOutcome(outcome.value)}
              </div>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} data-testid="flow-cancel">
                {t('flow.cancel')}
              </Button>
              <Button
                color={props.confirmColor}
                rightSection={<IconArrowRight size={16} />}
                disabled={!fresh}
                title={fresh ? undefined : t('flow.needsPreview')}
                onClick={() => setConfirming(true)}
                data-testid="flow-apply"
              >
                {t('flow.apply')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {outcome && (
        <DecisionDialog
          opened={props.opened && confirming}
          onClose={() => setConfirming(false)}
          method={props.method}
          title={props.decisionTitle}
          input={input}
          confirmLabel={props.confirmLabel}
          confirmColor={props.confirmColor}
          success={props.success}
          onDone={(out) => {
            props.onDone?.(out);
            // R-OP-3: a decision effective after the results' as-of is recorded but changes nothing yet
            const o = out as unknown as FlowOutcome;
            const effectiveAt = o.effectiveAt ?? effectiveMs ?? Date.now();
            const later = o.takesEffectLater ?? (o.run !== null && effectiveAt > o.run.asOf);
            if (later && o.run) {
              reset();
              setApplied({ effectiveAt, asOf: o.run.asOf });
            } else close();
          }}
        >
          <Stack gap={6} data-testid="flow-summary">
            <Text size="sm">
              {effectiveMs === null
                ? t('flow.fromNow')
                : t('flow.fromAt', { at: formatDateTime(effectiveMs, locale) })}
            </Text>
            {props.summary(outcome.value)}
          </Stack>
        </DecisionDialog>
      )}
    </>
  );
}
