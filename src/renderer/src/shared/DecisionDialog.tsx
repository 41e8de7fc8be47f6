import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { contract, type MethodInput, type MethodName, type MethodOutput } from '../../../main/api/contract';
import { ErrorAlert } from './ErrorAlert';
import { beijingInputToMs, msToBeijingInput } from './format';
import { useWrite } from './use-write';

export interface DecisionDialogProps<K extends MethodName> {
  opened: boolean;
  onClose(): void;
  /** The contract method that takes the decision: its schema validates the form. */
  method: K;
  title: string;
  /** What will change: a preview computed before anything is written. */
  children?: ReactNode;
  /** The method's input besides the reason, the effective time and the PIN. */
  input: Record<string, unknown>;
  /** Offer an effective time (R-OP-3); empty = from now. */
  effectiveTime?: boolean;
  /** The effective time the field starts with (e.g. a dispute's instant claimed); sent exactly while unchanged. */
  effectiveDefault?: number;
  /** The effective-time field's own label and hint, where the decision gives the instant a meaning. */
  effectiveLabel?: string;
  effectiveHint?: ReactNode;
  /** Told the effective instant as it is edited (null: empty or unreadable), e.g. to redo a what-if. */
  onEffectiveAtChange?(ms: number | null): void;
  /** Keeps the confirm button disabled (e.g. while the what-if for the current input is computed). */
  confirmDisabled?: boolean;
  /** Modal width (default lg): a wide what-if may need more. */
  size?: string;
  /** Ask for the operator's PIN (R-OP-4). */
  pin?: boolean;
  /** The decision needs no reason (e.g. approving carries a default) — default false. */
  reasonOptional?: boolean;
  confirmLabel: string;
  confirmColor?: string;
  /** The success notification's title. */
  success?: (out: MethodOutput<K>) => string;
  onDone?: (out: MethodOutput<K>) => void;
}

/**
 * The one decision dialog (R-OP-2): what will change, a required reason, an optional effective
 * time, a PIN where R-OP-4 needs one — validated by the contract's own zod schema before the call,
 * so the form and the dispatcher agree on every rule; the call itself goes through useWrite.
 */
export function DecisionDialog<K extends MethodName>(props: DecisionDialogProps<K>) {
  const { t } = useTranslation('app');
  const [reason, setReason] = useState('');
  const initialAt = props.effectiveDefault !== undefined ? msToBeijingInput(props.effectiveDefault) : '';
  const [at, setAt] = useState(initialAt);
  const [pin, setPin] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const write = useWrite(props.method, { success: props.success });

  function close() {
    setReason('');
    setAt(initialAt);
    setPin('');
    setIssues({});
    write.reset();
    props.onClose();
  }

  function effectiveMs(value: string): number | null {
    if (value && value === initialAt && props.effectiveDefault !== undefined) return props.effectiveDefault;
    return value ? beijingInputToMs(value) : null;
  }

  async function submit() {
    const built: Record<string, unknown> = { ...props.input };
    if (reason.trim() || !props.reasonOptional) built.reason = reason;
    if (props.effectiveTime && at) {
      const ms = effectiveMs(at);
      built.effectiveAt = ms ?? Number.NaN;
    }
    if (props.pin && pin) built.pin = pin;
    const parsed = (contract[props.method].input as z.ZodType).safeParse(built);
    if (!parsed.success) {
      const byField: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const field = String(i.path[0] ?? 'form');
        byField[field] ??= t(`decision.invalid.${field}`, { defaultValue: i.message });
      }
      setIssues(byField);
      return;
    }
    setIssues({});
    const out = await write.run(built as MethodInput<K>);
    if (out !== null) {
      props.onDone?.(out);
      close();
    }
  }

  return (
    <Modal
      opened={props.opened}
      onClose={close}
      title={props.title}
      size={props.size ?? 'lg'}
      centered
      data-testid="decision-dialog"
    >
      <Stack gap="md">
        {props.children}
        <Textarea
          label={t('decision.reason')}
          description={t('decision.reasonHint')}
          placeholder={t('decision.reasonPlaceholder')}
          withAsterisk={!props.reasonOptional}
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={issues.reason}
          data-testid="decision-reason"
        />
        {props.effectiveTime && (
          <TextInput
            type="datetime-local"
            label={props.effectiveLabel ?? t('decision.effectiveAt')}
            description={props.effectiveHint ?? t('decision.effectiveHint')}
            value={at}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setAt(value);
              props.onEffectiveAtChange?.(effectiveMs(value));
            }}
            error={issues.effectiveAt}
            data-testid="decision-effective-at"
          />
        )}
        {props.pin && (
          <PasswordInput
            label={t('decision.pin')}
            description={t('decision.pinHint')}
            value={pin}
            onChange={(e) => setPin(e.currentTarget.value)}
            error={issues.pin}
            inputMode="numeric"
            autoComplete="off"
            data-testid="decision-pin"
          />
        )}
        {issues.form && (
          <Alert color="red" variant="light" icon={<IconInfoCircle size={18} />}>
            <Text size="sm">{issues.form}</Text>
          </Alert>
        )}
        {write.error && <ErrorAlert error={write.error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-testid="decision-cancel">
            {t('decision.cancel')}
          </Button>
          <Button
            color={props.confirmColor}
            loading={write.pending}
            disabled={props.confirmDisabled}
            onClick={() => void submit()}
            data-testid="decision-confirm"
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
