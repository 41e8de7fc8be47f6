import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import { IconRefreshDot } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../shared/use-can';
import type { Recompute } from './recompute';

/** 重新计算: runs the rule engine over the whole store (see useRecompute). */
export function RecomputeButton({
  recompute,
  ...props
}: { recompute: Recompute } & Pick<ButtonProps, 'variant' | 'size'>) {
  const { t } = useTranslation('lookup');
  // R-OP-1: support reads results, never recomputes them
  if (!useCan('engine.recompute')) return null;
  return (
    <Tooltip label={t('recompute.tooltip')} withArrow multiline w={260} disabled={recompute.running}>
      <Button
        size="xs"
        variant="light"
        {...props}
        leftSection={<IconRefreshDot size={15} stroke={1.8} />}
        loading={recompute.running}
        loaderProps={{ type: 'dots' }}
        onClick={() => void recompute.run()}
        data-testid="recompute"
        data-running={recompute.running || undefined}
      >
        {recompute.running ? t('recompute.running') : t('recompute.button')}
      </Button>
    </Tooltip>
  );
}
