/**
 * Exports of stored results in the shapes of DATA.md ("export --what …"). Derived only from the
 * result tables (never recomputed), ordered explicitly by id so that the same results give
 * byte-identical files.
 */
import type { SqlPort } from '../store/sql-port';
import { csvLine } from './csv-cell';
import { xlsxBytes, type XlsxCell } from './xlsx';
import { formatInstant } from '../rules/time';
import { PAYOUT_COLS } from '../engine/persist';

export const EXPORT_WHATS = [
  'orders',
  'partners',
  'attributions',
  'same-person',
  'payouts',
  'payouts-due',
] as const;
export type ExportWhat = (typeof EXPORT_WHATS)[number];

export type ExportRow = Record<string, string | number | boolean | null | string[]>;

export interface ExportTable {
  columns: string[];
  rows: ExportRow[];
}

const iso = (t: number | null) => (t === null ? null : formatInstant(t));

export function exportRows(db: SqlPort, what: ExportWhat): ExportTable {
  switch (what) {
    case 'orders': {
      const rows = db
        .prepare(
          `SELECT order_id, customer_id, partner_id, status, reasons_json, rebate_fen, rebate_status, experience
           FROM result_orders ORDER BY order_id`,
        )
        .all() as {
        order_id: string;
        customer_id: string;
        partner_id: string | null;
        status: string;
        reasons_json: string;
        rebate_fen: number;
        rebate_status: string | null;
        experience: number;
      }[];
      return {
        columns: [
          'order_id',
          'customer_id',
          'partner_id',
          'status',
          'reasons',
          'rebate_fen',
          'rebate_status',
          'experience',
        ],
        rows: rows.map((r) => ({
          order_id: r.order_id,
          customer_id: r.customer_id,
          partner_id: r.partner_id,
          status: r.status,
          reasons: JSON.parse(r.reasons_json) as string[],
          rebate_fen: r.rebate_fen,
          rebate_status: r.rebate_status,
          experience: r.experience,
        })),
      };
    }
    case 'partners': {
      const rows = db
        .prepare(
          `SELECT partner_id, experience, level, blacklisted, pending_fen, confirmed_fen, frozen_fen FROM result_partners ORDER BY partner_id`,
        )
        .all() as {
        partner_id: string;
        experience: number;
        level: string;
        blacklisted: number;
        pending_fen: number;
        confirmed_fen: number;
        frozen_fen: number;
      }[];
      return {
        columns: [
          'partner_id',
          'experience',
          'level',
          'blacklisted',
          'pending_fen',
          'confirmed_fen',
          'frozen_fen',
        ],
        rows: rows.map((r) => ({ ...r, blacklisted: r.blacklisted === 1 })),
      };
    }
    case 'attributions': {
      const rows = db
        .prepare(
          `SELECT partner_id, customer_id, kind, from_at, until_at, locked, status, reasons_json FROM result_attributions ORDER BY event_id`,
        )
        .all() as {
        partner_id: string;
        customer_id: string;
        kind: string;
        from_at: number;
        until_at: number | null;
        locked: number;
        status: string;
        reasons_json: string;
      }[];
      return {
        columns: ['partner_id', 'customer_id', 'kind', 'from', 'until', 'locked', 'status', 'reasons'],
        rows: rows.map((r) => ({
          partner_id: r.partner_id,
          customer_id: r.customer_id,
          kind: r.kind,
          from: iso(r.from_at),
          until: iso(r.until_at),
          locked: r.locked === 1,
          status: r.status,
          reasons: JSON.parse(r.reasons_json) as string[],
        })),
      };
    }
    case 'same-person': {
      // one row per evidence edge (R-SAME-4: every group keeps why its accounts were joined)
      const rows = db
        .prepare(
          `SELECT group_id, a_kind, a_id, b_kind, b_id, evidence, value FROM result_same_person_edges
           ORDER BY group_id, a_kind, a_id, b_kind, b_id, evidence, value`,
        )
        .all() as ExportRow[];
      return { columns: ['group_id', 'a_kind', 'a_id', 'b_kind', 'b_id', 'evidence', 'value'], rows };
    }
    case 'payouts': {
      // the lines of the prepared payout batches (DATA.md): carried_negative_fen is the clawed-back
      // balance carried in (R-CLAW-3), 0 or below
      const rows = db
        .prepare(
          `SELECT l.batch_id, b.cycle_key AS cycle, l.partner_id, l.confirmed_fen,
             MIN(l.carried_fen, 0) AS carried_negative_fen, l.amount_fen, l.status
           FROM payout_lines l JOIN payout_batches b ON b.batch_id = l.batch_id
           ORDER BY l.batch_id, l.partner_id`,
        )
        .all() as ExportRow[];
      return {
        columns: [
          'batch_id',
          'cycle',
          'partner_id',
          'confirmed_fen',
          'carried_negative_fen',
          'amount_fen',
          'status',
        ],
        rows,
      };
    }
    case 'payouts-due': {
      // the engine's amounts per partner and cycle, before any batch is prepared (R-PAY-1)
      const rows = db
        .prepare(
          `SELECT ${PAYOUT_COLS.join(', ')} FROM result_payouts ORDER BY partner_id, cycle_start, cycle_key`,
        )
        .all() as (ExportRow & { cycle_start: number; cycle_end: number })[];
      return {
        columns: PAYOUT_COLS,
        rows: rows.map((r) => ({ ...r, cycle_start: iso(r.cycle_start), cycle_end: iso(r.cycle_end) })),
      };
    }
  }
}

/** JSON: one array, one object per line for readable diffs. */
export function toJson(t: ExportTable): string {
  if (t.rows.length === 0) return '[]\n';
  return '[\n' + t.rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n';
}

/** CSV with a header row, UTF-8, CRLF-free; formula-looking text written as text (csvCell). */
export function toCsv(t: ExportTable): string {
  return csvLine(t.columns) + t.rows.map((r) => csvLine(t.columns.map((c) => r[c]))).join('');
}

/**
 * XLSX through the app's own writer (export/xlsx.ts): every text is a text cell (an inline
 * string, never a formula, whatever it starts with), numbers are numbers, booleans TRUE/FALSE
 * text; the same table always gives the same bytes.
 */
export async function toXlsx(t: ExportTable, sheetName: string): Promise<Buffer> {
  const cell = (v: ExportRow[string]): XlsxCell =>
    v === null
      ? null
      : typeof v === 'number'
        ? { number: v }
        : { text: Array.isArray(v) ? v.join(';') : typeof v === 'boolean' ? String(v) : v };
  return Promise.resolve(
    xlsxBytes({
      name: sheetName,
      header: t.columns,
      rows: t.rows.map((r) => t.columns.map((c) => cell(r[c]))),
    }),
  );
}
