import { useTranslation } from 'react-i18next';
import { durationParts } from './labels';

/** A waiting time in words: "3 天 4 小时" / "3 d 4 h", minutes under an hour. */
export function Waited({ ms }: { ms: number }) {
  const { t } = useTranslation('disputes');
  const { days, hours, minutes } = durationParts(ms);
  const text =
    days > 0
      ? t('waited.days', { days, hours })
      : hours > 0
        ? t('waited.hours', { hours, minutes })
        : t('waited.minutes', { minutes });
  return <span data-waited-ms={ms}>{text}</span>;
}
