import type { MethodInput } from '../../../../main/api/contract';
import { beijingInputToMs, msToBeijingInput } from '../../shared/format';

export const AUDIT_ROLES = ['admin', 'finance', 'support', 'system'] as const;
export type AuditRole = (typeof AUDIT_ROLES)[number];

/** The screen's filters as they sit in the hash (`#/audit?operator=ADM1&action=config.&from=2026-11-01`). */
export interface AuditFilters {
  operator: string | null;
  role: AuditRole | null;
  /** an action, or a family ending in "." */
  action: string | null;
  entity: string | null;
  /** Beijing calendar days, YYYY-MM-DD, both inclusive */
  from: string | null;
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(params: URLSearchParams): AuditFilters {
  const text = (k: string) => params.get(k)?.trim() || null;
  const day = (k: string) => {
    const v = text(k);
    if (!v || !DAY.test(v)) return null;
    // a real day only: 2026-13-45 would roll over into another date
    const ms = beijingInputToMs(`${v}T00:00`);
    return ms !== null && msToBeijingInput(ms).slice(0, 10) === v ? v : null;
  };
  const role = text('role');
  return {
    operator: text('operator'),
    role: AUDIT_ROLES.includes(role as AuditRole) ? (role as AuditRole) : null,
    action: text('action'),
    entity: text('entity'),
    from: day('from'),
    to: day('to'),
  };
}

export const hasFilters = (f: AuditFilters) => Object.values(f).some((v) => v !== null);

/** The contract's filter: days become [start of `from`, start of the day after `to`) in Beijing time. */
export function filterInput(f: AuditFilters): Omit<MethodInput<'audit.list'>, 'limit' | 'offset' | 'order'> {
  const out: Omit<MethodInput<'audit.list'>, 'limit' | 'offset' | 'order'> = {};
  if (f.operator) out.operatorId = f.operator;
  if (f.role) out.role = f.role;
  if (f.action) out.action = f.action;
  if (f.entity) out.entityId = f.entity;
  if (f.from) out.from = beijingInputToMs(`${f.from}T00:00`) ?? undefined;
  if (f.to) {
    const start = beijingInputToMs(`${f.to}T00:00`);
    if (start !== null) out.until = start + 86_400_000;
  }
  return out;
}

/** `config.save` → `config_save`: the i18n key of an action (i18next reads dots as nesting). */
export const actionKey = (action: string) => action.replace(/\./g, '_');
