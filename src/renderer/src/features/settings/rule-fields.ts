/**
 * The parameters of a rule configuration as the screen names and shows them: one path per leaf
 * (the paths `config.diff` uses: `levels.L2.ratio_bp`), a label key, and how its value reads
 * (basis points as %, fen as ¥, days, cycles).
 */
import type { TFunction } from 'i18next';
import type { RuleConfig } from '../../../../main/rules/config';
import { formatCount, formatFen } from '../../shared/format';

export type ValueKind = 'count' | 'days' | 'bp' | 'fen' | 'yuan' | 'cycle' | 'text';

export interface RuleParam {
  path: string;
  /** the i18n key under `fields.` */
  field: string;
  /** the level a level parameter belongs to */
  level?: string;
  kind: ValueKind;
  value: unknown;
}

const LEVEL_FIELDS: [keyof RuleConfig['levels'][number], string, ValueKind][] = [
  ['name_zh', 'nameZh', 'text'],
  ['name_en', 'nameEn', 'text'],
  ['threshold', 'threshold', 'count'],
  ['ratio_bp', 'ratio', 'bp'],
  ['cap_fen', 'cap', 'fen'],
  ['cycle', 'cycle', 'cycle'],
];

/** Every parameter of a configuration, in the order the screen shows them. */
export function ruleParams(c: RuleConfig): RuleParam[] {
  return [
    ...c.levels.flatMap((l) =>
      LEVEL_FIELDS.map(([k, field, kind]) => ({
        path: `levels.${l.id}.${k}`,
        field,
        level: l.id,
        kind,
        value: l[k],
      })),
    ),
    { path: 'attribution.window_days', field: 'windowDays', kind: 'days', value: c.attribution.window_days },
    { path: 'attribution.lock_days', field: 'lockDays', kind: 'days', value: c.attribution.lock_days },
    {
      path: 'not_attributed_lookback_days',
      field: 'lookbackDays',
      kind: 'days',
      value: c.not_attributed_lookback_days,
    },
    { path: 'clawback.window_days', field: 'clawbackDays', kind: 'days', value: c.clawback.window_days },
    { path: 'exp.base', field: 'expBase', kind: 'count', value: c.exp.base },
    { path: 'exp.step_yuan', field: 'expStep', kind: 'yuan', value: c.exp.step_yuan },
    { path: 'exp.per_step', field: 'expPerStep', kind: 'count', value: c.exp.per_step },
    { path: 'risk.min_clawed_orders', field: 'riskOrders', kind: 'count', value: c.risk.min_clawed_orders },
    { path: 'risk.min_clawed_share_bp', field: 'riskShare', kind: 'bp', value: c.risk.min_clawed_share_bp },
    { path: 'risk.window_days', field: 'riskDays', kind: 'days', value: c.risk.window_days },
  ];
}

/** A parameter's value in the operator's language. */
export function formatParam(kind: ValueKind, v: unknown, locale: string, t: TFunction): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return kind === 'cycle' ? t(`cycles.${String(v)}`) : String(v);
  switch (kind) {
    case 'bp':
      return `${formatDecimal(v / 100, locale)}%`;
    case 'fen':
      return formatFen(v, locale);
    case 'yuan':
      return formatFen(Math.round(v * 100), locale);
    case 'days':
      return t('units.days', { count: v, n: formatDecimal(v, locale) });
    default:
      return formatCount(v, locale);
  }
}

export function formatDecimal(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);
}

/** `levels.L2.ratio_bp` → its parameter in `params` (of either version). */
export function paramLabel(p: Pick<RuleParam, 'field' | 'level'>, t: TFunction, levelName?: string): string {
  const field = t(`fields.${p.field}`);
  return p.level ? `${p.level}${levelName ? ` ${levelName}` : ''} · ${field}` : field;
}
