/**
 * The files an approved payout batch is paid from (DATA.md "Payout file layouts", R-PAY-3):
 * `bank` (收款账号, 收款户名, 金额, 开户行, 备注) and `generic` (partner_id, name, amount_yuan,
 * reference), as CSV or XLSX; one row per approved line (all have an amount above zero), by
 * partner id, no totals row. The bytes depend on the batch only: exporting again gives the same
 * file, so the SHA-256 recorded with the batch identifies it. CSV is UTF-8 with a BOM (Excel on
 * Chinese Windows reads it right) and CRLF line ends; the account is always a quoted text cell;
 * a cell that looks like a formula is written as text (csv-cell.ts, xlsx.ts).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/append';
import type { Actor } from '../audit/chain';
import type { Database } from '../store/database';
import { csvCell } from '../export/csv-cell';
import { xlsxBytes, type XlsxCell } from '../export/xlsx';
import { contentChecksum } from './batches';
import { PayoutError } from './errors';

export type PayoutFileFormat = 'csv' | 'xlsx';
export type PayoutFileLayout = 'bank' | 'generic';

/** Fen as yuan with two decimals, no thousands separator: 123450 → "1234.50". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** 备注 / reference of every row: the batch and its cycle. */
export const paymentReference = (batchId: number, cycleKey: string) => `YK-B${batchId}-${cycleKey}`;

interface FileLine {
  partner_id: string;
  amount_fen: number;
  payee_account: string | null;
  payee_name: string | null;
  payee_bank: string | null;
}

const LAYOUTS: Record<PayoutFileLayout, { header: string[]; widths: number[] }> = {
  bank: { header: ['收款账号', '收款户名', '金额', '开户行', '备注'], widths: [24, 14, 12, 32, 22] },
  generic: { header: ['partner_id', 'name', 'amount_yuan', 'reference'], widths: [14, 14, 12, 22] },
};

/** CSV: the account always quoted (a text, never a number); formula-looking text as text. */
function csvBytes(layout: PayoutFileLayout, lines: FileLine[], ref: string): Buffer {
  const quoted = (s: string) => {
    const c = csvCell(s);
    return c.startsWith('"') ? c : `"${c}"`;
  };
  const out = [LAYOUTS[layout].header.map((h) => csvCell(h)).join(',')];
  for (const l of lines)
    out.push(
      layout === 'bank'
        ? [
            quoted(l.payee_account ?? ''),
            csvCell(l.payee_name ?? ''),
            yuan(l.amount_fen),
            csvCell(l.payee_bank ?? ''),
            csvCell(ref),
          ].join(',')
        : [csvCell(l.partner_id), csvCell(l.payee_name ?? ''), yuan(l.amount_fen), csvCell(ref)].join(','),
    );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(out.join('\r\n') + '\r\n', 'utf8')]);
}

function xlsxFile(layout: PayoutFileLayout, lines: FileLine[], ref: string): Buffer {
  const text = (s: string | null, asText = false): XlsxCell => ({ text: s ?? '', asText });
  const money = (fen: number): XlsxCell => ({ number: fen / 100, format: 'yuan' });
  const rows: XlsxCell[][] = lines.map((l) =>
    layout === 'bank'
      ? [text(l.payee_account, true), text(l.payee_name), money(l.amount_fen), text(l.payee_bank), text(ref)]
      : [text(l.partner_id, true), text(l.payee_name), money(l.amount_fen), text(ref)],
  );
  return xlsxBytes({
    name: layout === 'bank' ? '批量转账' : 'payouts',
    header: LAYOUTS[layout].header,
    widths: LAYOUTS[layout].widths,
    rows,
  });
}

export interface PayoutFile {
  fileName: string;
  bytes: Buffer;
  sha256: string;
  rows: number;
  totalFen: number;
}

/** The file of an approved batch, built from the store (nothing recorded). */
export async function payoutFile(
  db: Kysely<Database>,
  batchId: number,
  format: PayoutFileFormat,
  layout: PayoutFileLayout,
): Promise<PayoutFile> {
  const batch = await db
    .selectFrom('payout_batches')
    .select(['batch_id', 'cycle_key', 'status', 'checksum'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  if (!batch)
    throw new PayoutError('PAYOUT_NO_SUCH_BATCH', `没有返利批次 ${batchId} / no payout batch ${batchId}`, {
      batchId,
    });
  if (batch.status === 'rejected')
    throw new PayoutError(
      'PAYOUT_NOT_APPROVED',
      `批次 ${batchId} 已被驳回，驳回的批次不会导出；可为其周期重新准备批次 / batch ${batchId} was rejected: a rejected batch is never exported; prepare a new batch of its cycle`,
      { batchId, status: batch.status },
    );
  if (batch.status !== 'approved' || !batch.checksum)
    throw new PayoutError(
      'PAYOUT_NOT_APPROVED',
      `批次 ${batchId} 尚未审批，不能导出 / batch ${batchId} is not approved: nothing to export yet`,
      { batchId, status: batch.status },
    );
  // R-PAY-3: what is exported is what was approved
  const now = await contentChecksum(db, batchId, batch.cycle_key);
  if (now !== batch.checksum)
    throw new PayoutError(
      'PAYOUT_TAMPERED',
      `批次 ${batchId} 的内容与审批时的校验值不符，拒绝导出 / batch ${batchId} no longer matches the checksum fixed at approval: export refused`,
      { batchId, recorded: batch.checksum, now },
    );
  // the lines approved at approval: since then they only went on to paid or failed
  const lines = await db
    .selectFrom('payout_lines')
    .select(['partner_id', 'amount_fen', 'payee_account', 'payee_name', 'payee_bank'])
    .where('batch_id', '=', batchId)
    .where('status', 'in', ['approved', 'paid', 'failed'])
    .where('amount_fen', '>', 0)
    .orderBy('partner_id')
    .execute();
  const ref = paymentReference(batchId, batch.cycle_key);
  const bytes = format === 'csv' ? csvBytes(layout, lines, ref) : xlsxFile(layout, lines, ref);
  return {
    fileName: `yunke-payout-B${batchId}-${batch.cycle_key}-${layout}.${format}`,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rows: lines.length,
    totalFen: lines.reduce((s, l) => s + l.amount_fen, 0),
  };
}

/**
 * R-PAY-3: exports an approved batch for the bank or the finance system, and records the
 * export (its SHA-256, row count and total, who and when) with the batch and in the audit log.
 */
export async function exportPayoutFile(
  db: Kysely<Database>,
  input: { batchId: number; format: PayoutFileFormat; layout: PayoutFileLayout; actor: Actor; now?: number },
): Promise<PayoutFile> {
  const now = input.now ?? Date.now();
  const file = await payoutFile(db, input.batchId, input.format, input.layout);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('payout_exports')
      .values({
        batch_id: input.batchId,
        format: input.format,
        layout: input.layout,
        sha256: file.sha256,
        rows: file.rows,
        total_fen: file.totalFen,
        bytes: file.bytes.length,
        exported_by: input.actor.operatorId,
        exported_at: now,
      })
      .execute();
    await appendAudit(
      trx,
      {
        actor: input.actor,
        action: 'payout.export',
        entity: 'payout_batch',
        entityId: String(input.batchId),
        after: {
          format: input.format,
          layout: input.layout,
          sha256: file.sha256,
          rows: file.rows,
          totalFen: file.totalFen,
          fileName: file.fileName,
        },
      },
      now,
    );
  });
  return file;
}
