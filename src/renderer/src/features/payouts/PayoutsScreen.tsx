import { useTranslation } from 'react-i18next';
import { useHashParams } from '../../app/use-hash-params';
import { PageHeader } from '../../shared/PageHeader';
import { BatchView } from './BatchView';
import { CyclesView } from './CyclesView';
import { CycleView } from './CycleView';
import { StatementView } from './StatementView';

/**
 * 返利发放: cycles and what is due (R-PAY-1), one cycle, one batch (decisions, export, payment:
 * R-PAY-2, R-PAY-3, R-OP-4) or a partner's statement — chosen by the hash:
 * `#/payouts`, `?cycle=2026-07`, `?batch=3`, `?statement=P1&cycle=2026-07`.
 */
export function PayoutsScreen() {
  const { t } = useTranslation('payouts');
  const [params] = useHashParams();
  const statement = params.get('statement')?.trim() || null;
  const cycle = params.get('cycle')?.trim() || null;
  const batch = Number(params.get('batch'));
  if (statement && cycle)
    return <StatementView key={`${statement}|${cycle}`} partnerId={statement} cycleKey={cycle} />;
  return (
    <>
      <PageHeader title={t('title')} description={t('summary')} />
      {Number.isInteger(batch) && batch > 0 ? (
        <BatchView key={batch} batchId={batch} />
      ) : cycle ? (
        <CycleView key={cycle} cycleKey={cycle} />
      ) : (
        <CyclesView />
      )}
    </>
  );
}
