import { z } from 'zod';
import type { RowErrorCode } from './messages';
import {
  amountFenFast,
  BOOL_FAST,
  isIpAddress,
  parseAmountFen,
  parseBool,
  parseEnum,
  parseIp,
  parseTimeMs,
  timeMsFast,
  type Parsed,
} from './values';

/**
 * How a cell is read: ids and text are trimmed, times → epoch ms, money → fen, bool → 0/1,
 * IP addresses trimmed and checked (IPv4 or IPv6).
 */
export type ColumnKind = 'id' | 'text' | 'time' | 'money' | 'bool' | 'enum' | 'ip';

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
  /** One reader per column, in the order of `columns`: how a cell's text becomes a store value. */
  readers: readonly CellReader[];
}

/** A store-ready cell value: text, integer (ms, fen, 0/1) or null. */
export type CellValue = string | number | null;

/** What a reader's fast path returns for text it leaves to the column's zod schema. */
export const UNUSUAL: unique symbol = Symbol('unusual cell');

/**
 * How one column's cells are read. `schema` (zod) is the rule: it decides every cell and names
 * the problem of an invalid one. `fast` is a hand-written shortcut for the forms that fill
 * million-row exports (`O123`, `1200.50`, `2026-03-01 10:00:00`, `true`); it returns exactly
 * what `schema` would, or UNUSUAL for anything else (blanks, other formats, invalid text),
 * which then goes through `schema`.
 */
export interface CellReader {
  fast(raw: string | undefined): CellValue | typeof UNUSUAL;
  schema: z.ZodType<CellValue, string | undefined>;
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
export const ip = (name: string, aliases: string[], required = false) => col(name, aliases, 'ip', required);
export const oneOf = (name: string, aliases: string[], values: readonly string[], required: boolean) =>
  col(name, aliases, 'enum', required, { values });

function parserOf(c: ColumnDef): (s: string) => Parsed<string | number> {
  switch (c.kind) {
    case 'id':
    case 'text':
      return (s) => ({ ok: true, value: s.trim() });
    case 'time':
      return parseTimeMs;
    case 'ip':
      return parseIp;
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

/** Whether String.prototype.trim would keep this UTF-16 code unit at either end of a cell. */
function keptByTrim(c: number): boolean {
  if (c > 32 && c < 127) return true;
  if (c <= 160) return false; // controls, spaces, NBSP: left to the schema
  return !(
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function fastOf(c: ColumnDef): CellReader['fast'] {
  const empty = c.required ? UNUSUAL : c.emptyValue === undefined ? null : c.emptyValue;
  switch (c.kind) {
    case 'id':
    case 'text':
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        if (raw.length > MAX_CELL_CHARS) return UNUSUAL;
        return keptByTrim(raw.charCodeAt(0)) && keptByTrim(raw.charCodeAt(raw.length - 1)) ? raw : UNUSUAL;
      };
    case 'ip':
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        return isIpAddress(raw) ? raw : UNUSUAL;
      };
    case 'time':
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        const v = timeMsFast(raw);
        return v === v ? v : UNUSUAL;
      };
    case 'money':
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        const v = amountFenFast(raw);
        return v >= 0 ? v : UNUSUAL;
      };
    case 'bool':
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        return BOOL_FAST.get(raw) ?? UNUSUAL;
      };
    case 'enum': {
      const values = new Map((c.values ?? []).map((v) => [v, v]));
      return (raw) => {
        if (raw === undefined || raw.length === 0) return empty;
        return values.get(raw) ?? UNUSUAL;
      };
    }
  }
}

export function defineSource(def: Omit<SourceDef, 'readers' | 'table'>): SourceDef {
  const readers = def.columns.map((c): CellReader => ({ fast: fastOf(c), schema: cellSchema(c) }));
  return { ...def, table: def.name, readers };
}
