import { Button, Group, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconX } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisputeView } from '../../../../main/api/methods/disputes.contract';
import type { DecisionOutcome } from '../../../../main/engine/decision-types';
import { apiClient, toApiError, type ApiCallError } from '../../app/api-client';
import { DecisionDialog } from '../../shared/DecisionDialog';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { formatDateTime } from '../../shared/format';
import { useCan } from '../../shared/use-can';
import { WhatIf } from './WhatIf';

/**
 * A what-if needs a reason like the decision it previews (the same contract input); it is rolled
 * back, so this one never reaches the audit log.
 */
const PREVIEW_REASON = 'what-if (rolled back)';

interface Preview {
  /** the effective instant it was computed for (null: the default) */
  at: number | null;
  outcome: DecisionOutcome;
}

/**
 * Runs a dispute what-if when the dialog opens and whenever the effective instant changes, after a
 * short pause for typing; the last one asked for wins.
 */
function usePreview(
  active: boolean,
  at: number | null,
  load: () => Promise<DecisionOutcome>,
): { preview: Preview | null; error: ApiCallError | null; reset(): void } {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (!active) return;
    let live = true;
    const timer = window.setTimeout(() => {
      setError(null);
      loadRef.current().then(
        (outcome) => live && setPreview({ at, outcome }),
        (e: unknown) => live && setError(toApiError(e)),
      );
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [active, at]);
  return {
    preview,
    error,
    reset: () => {
      setPreview(null);
      setError(null);
    },
  };
}

function UpholdDialog({ view, opened, onClose }: { view: DisputeView; opened: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const [at, setAt] = useState<number | null>(view.claimedAt);
  const { preview, error, reset } = usePreview(opened, at, () =>
    apiClient().api.disputes.upholdPreview({
      disputeId: view.disputeId,
      reason: PREVIEW_REASON,
      effectiveAt: at ?? undefined,
    }),
  );
  const fresh = preview !== null && preview.at === at;
  const start = at ?? view.claimedAt;
  return (
    <DecisionDialog
      key={view.disputeId}
      opened={opened}
      onClose={() => {
        setAt(view.claimedAt);
        reset();
        onClose();
      }}
      method="disputes.uphold"
      title={t('uphold.title', { id: view.disputeId })}
      input={{ disputeId: view.disputeId }}
      effectiveTime
      effectiveDefault={view.claimedAt}
      effectiveLabel={t('uphold.startLabel')}
      effectiveHint={t('uphold.startHint', { claimed: formatDateTime(view.claimedAt, locale) })}
      onEffectiveAtChange={setAt}
      confirmDisabled={!fresh}
      confirmLabel={t('uphold.confirm')}
      confirmColor="teal"
      size="xl"
      success={(out) => t('uphold.done', { id: view.disputeId, count: out.orders.total })}
    >
      <Stack gap="sm">
        <Text size="sm" data-testid="uphold-what">
          {t('uphold.what', {
            partner: view.partnerId,
            customer: view.customerId,
            start: formatDateTime(start, locale),
          })}
        </Text>
        <Text size="xs" c="dimmed" data-testid="uphold-claimed">
          {start === view.claimedAt
            ? t('uphold.startIsClaimed', { claimed: formatDateTime(view.claimedAt, locale) })
            : t('uphold.startDiffers', { claimed: formatDateTime(view.claimedAt, locale) })}
        </Text>
        {error ? (
          <ErrorAlert error={error} />
        ) : (
          <div style={{ opacity: fresh ? 1 : 0.55 }}>
            <WhatIf outcome={preview?.outcome ?? null} effectiveAt={start} kind="uphold" />
          </div>
        )}
      </Stack>
    </DecisionDialog>
  );
}

function RevokeDialog({ view, opened, onClose }: { view: DisputeView; opened: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation('disputes');
  const locale = i18n.language;
  const { preview, error, reset } = usePreview(opened, null, () =>
    apiClient().api.disputes.revokePreview({ disputeId: view.disputeId, reason: PREVIEW_REASON }),
  );
  return (
    <DecisionDialog
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      method="disputes.revoke"
      title={t('revoke.title', { id: view.disputeId })}
      input={{ disputeId: view.disputeId }}
      confirmDisabled={preview === null}
      confirmLabel={t('revoke.confirm')}
      confirmColor="orange"
      size="xl"
      success={(out) => t('revoke.done', { id: view.disputeId, count: out.orders.total })}
    >
      <Stack gap="sm">
        <Text size="sm" data-testid="revoke-what">
          {t('revoke.what', {
            partner: view.partnerId,
            customer: view.customerId,
            start: view.manualFrom !== null ? formatDateTime(view.manualFrom, locale) : '—',
          })}
        </Text>
        {error ? (
          <ErrorAlert error={error} />
        ) : (
          <WhatIf outcome={preview?.outcome ?? null} effectiveAt={null} kind="revoke" />
        )}
      </Stack>
    </DecisionDialog>
  );
}

/**
 * The decisions on a case, for the roles that may take them (R-OP-1: admins; support may open a
 * case, never decide): uphold after the what-if, reject with a reason, revoke an upheld case.
 */
export function DecideActions({ view }: { view: DisputeView }) {
  const { t } = useTranslation('disputes');
  const mayUphold = useCan('disputes.uphold');
  const mayPreviewUphold = useCan('disputes.upholdPreview');
  const canReject = useCan('disputes.reject');
  const mayRevoke = useCan('disputes.revoke');
  const mayPreviewRevoke = useCan('disputes.revokePreview');
  // the decision is offered only with its what-if
  const canUphold = mayUphold && mayPreviewUphold;
  const canRevoke = mayRevoke && mayPreviewRevoke;
  const [dialog, setDialog] = useState<'uphold' | 'reject' | 'revoke' | null>(null);
  const open = view.status === 'open';
  const upheld = view.status === 'upheld';
  if (!(open && (canUphold || canReject)) && !(upheld && canRevoke)) return null;
  return (
    <Group gap="xs" data-testid="decide-actions">
      {open && canReject && (
        <Button
          variant="default"
          color="red"
          leftSection={<IconX size={16} />}
          onClick={() => setDialog('reject')}
          data-testid="dispute-reject"
        >
          {t('reject.button')}
        </Button>
      )}
      {open && canUphold && (
        <Button
          color="teal"
          leftSection={<IconCheck size={16} />}
          onClick={() => setDialog('uphold')}
          data-testid="dispute-uphold"
        >
          {t('uphold.button')}
        </Button>
      )}
      {upheld && canRevoke && (
        <Button
          variant="light"
          color="orange"
          leftSection={<IconArrowBackUp size={16} />}
          onClick={() => setDialog('revoke')}
          data-testid="dispute-revoke"
        >
          {t('revoke.button')}
        </Button>
      )}
      {open && canUphold && (
        <UpholdDialog view={view} opened={dialog === 'uphold'} onClose={() => setDialog(null)} />
      )}
      {open && canReject && (
        <DecisionDialog
          opened={dialog === 'reject'}
          onClose={() => setDialog(null)}
          method="disputes.reject"
          title={t('reject.title', { id: view.disputeId })}
          input={{ disputeId: view.disputeId }}
          confirmLabel={t('reject.confirm')}
          confirmColor="red"
          success={() => t('reject.done', { id: view.disputeId })}
        >
          <Text size="sm" data-testid="reject-what">
            {t('reject.what', { partner: view.partnerId, customer: view.customerId })}
          </Text>
        </DecisionDialog>
      )}
      {upheld && canRevoke && (
        <RevokeDialog view={view} opened={dialog === 'revoke'} onClose={() => setDialog(null)} />
      )}
    </Group>
  );
}
