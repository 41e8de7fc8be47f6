import type { TFunction } from 'i18next';
import { formatCount } from '../../shared/format';

/** 1536 → "1.5 KB" (binary units, the way file managers show sizes). */
export function formatBytes(n: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v)} ${units[u]}`;
}

/** Durations as people say them: "850 毫秒", "12.3 秒", "2 分 05 秒". */
export function formatDuration(ms: number, t: TFunction, locale: string): string {
  if (ms < 1000) return t('units.ms', { n: formatCount(Math.round(ms), locale) });
  const s = ms / 1000;
  if (s < 60)
    return t('units.seconds', { n: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(s) });
  const whole = Math.round(s);
  return t('units.minutes', { m: Math.floor(whole / 60), s: String(whole % 60).padStart(2, '0') });
}

/** A bilingual backend message "中文 / English": the half of the UI language. */
export function pickLanguage(message: string, language: string): string {
  const i = message.indexOf(' / ');
  if (i < 0) return message;
  return language === 'en' ? message.slice(i + 3) : message.slice(0, i);
}
