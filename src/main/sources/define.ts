import { z } from 'zod';
import type { RowErrorCode } from './messages';
import { parseAmountFen, parseBool, parseEnum, parseTimeMs, type Parsed } from './values';

/** How a cell is read: ids and text are trimmed, times → epoch ms, money → fen, bool → 0/1. */
export type ColumnKind = 'id' | 'text' | 'time' | 'money' | 'bool' | 'enum';

export interface ColumnDef {
  /** Canonical English header of DATA.md. */
  name: string;
  /** Chinese header aliases of DATA.md (brackets). */
  aliases: readonly string[];
  kind: ColumnKind;
  required: boolean;
  /** Store column (differs for money: paid_amount → paid_fen). */
  dbColumn: string;
  values?: readonly string[];
  /** Value of an empty optional cell (subscription defaults to false). */
  emptyValue?: number | string | null;
}

/** A row that names a row of another source (DATA.md: kept and counted as dangling). */
export interface ReferenceDef {
  column: string;
  table: 'partners' | 'customers' | 'orders';
  keyColumn: string;
}

export interface SourceDef {
  name: SourceName;
  /** 中文名, for messages and the 数据同步 screen. */
  labelZh: string;
  table: SourceName;
  /** Key columns (canonical names), in store order. */
  key: readonly string[];
  columns: readonly ColumnDef[];
  references: readonly ReferenceDef[];
  /** Validates one row of canonical column → cell text; output is store-ready values. */
  rowSchema: z.ZodType<Record<string, string | number | null>>;
}

export const sourceNames = [
  'partners',
  'customers',
  'referral_events',
  'orders',
  'refunds',
  'login_ips',
  'product_lines',
  'sales_subjects',
] as const;
export type SourceName = (typeof sourceNames)[number];

/** Longest cell accepted: longer is almost always a broken quote or pasted junk. */
export const MAX_CELL_CHARS = 4000;

const col = (
  name: string,
  aliases: string[],
  kind: ColumnKind,
  required: boolean,
  extra: Partial<ColumnDef> = {},
): ColumnDef => ({ name, aliases, kind, required, dbColumn: name, ...extra });

export const id = (name: string, aliases: string[], required = true) => col(name, aliases, 'id', required);
export const text = (name: string, aliases: string[], required = false) =>
  col(name, aliases, 'text', required);
export const time = (name: string, aliases: string[], required = false) =>
  col(name, aliases, 'time', required);
export const money = (name: string, aliases: string[], dbColumn: string, required = true) =>
  col(name, aliases, 'money', required, { dbColumn });
export const bool = (name: string, aliases: string[], required: boolean, emptyValue?: number) =>
  col(name, aliases, 'bool', required, { emptyValue });
export const oneOf = (name: string, aliases: string[], values: readonly string[], required: boolean) =>
  col(name, aliases, 'enum', required, { values });

function parserOf(c: ColumnDef): (s: string) => Parsed<string | number> {
  switch (c.kind) {
    case 'id':
    case 'text':
      return (s) => ({ ok: true, value: s.trim() });
    case 'time':
      return parseTimeMs;
    case 'money':
      return parseAmountFen;
    case 'bool':
      return parseBool;
    case 'enum': {
      const values = c.values ?? [];
      return (s) => parseEnum(s, values);
    }
  }
}

/**
 * zod schema of one cell: missing/blank → null (or the column's default, or REQUIRED),
 * otherwise the kind's parser. Issue messages are row error codes (see ./messages).
 */
function cellSchema(c: ColumnDef) {
  const parse = parserOf(c);
  const empty = c.emptyValue === undefined ? null : c.emptyValue;
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | number | null => {
      if (raw === undefined || raw.trim() === '') {
        if (c.required) {
          ctx.addIssue({ code: 'custom', message: 'REQUIRED' satisfies RowErrorCode });
          return z.NEVER;
        }
        return empty;
      }
      if (raw.length > MAX_CELL_CHARS) {
        ctx.addIssue({ code: 'custom', message: 'TOO_LONG' satisfies RowErrorCode });
        return z.NEVER;
      }
      const r = parse(raw);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.code });
        return z.NEVER;
      }
      return r.value;
    });
}

export function defineSource(def: Omit<SourceDef, 'rowSchema' | 'table'>): SourceDef {
  const shape = Object.fromEntries(def.columns.map((c) => [c.name, cellSchema(c)]));
  return { ...def, table: def.name, rowSchema: z.object(shape) as unknown as SourceDef['rowSchema'] };
}
