/**
 * One CSV cell, as every CSV the app writes spells it (docs/data-formats.md): quoted when it holds
 * a comma, quote or line break; and a text that a spreadsheet would read as a formula (starting
 * with =, +, -, @, a tab or a carriage return) is written as text, behind a leading apostrophe.
 * Numbers are numbers: -1200 stays -1200.
 */
export type CsvValue = string | number | boolean | null | undefined | readonly string[];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = Array.isArray(v) ? v.join(';') : (v as string);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV line (with its newline). */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + '\n';
}
