/**
 * Every import problem a user can see, as a code with a plain zh-CN and English message.
 * Row problems name a line and column; file problems refuse the whole file.
 */
export const rowMessages = {
  REQUIRED: { zh: '必填项为空', en: 'required value is empty' },
  AMOUNT_INVALID: {
    zh: '金额格式不正确（应为元，如 1200、1,200.50、¥1200.00）',
    en: 'not an amount in yuan (e.g. 1200, 1,200.50, ¥1200.00)',
  },
  AMOUNT_NEGATIVE: { zh: '金额不能为负数', en: 'amount must not be negative' },
  AMOUNT_DECIMALS: { zh: '金额最多两位小数（精确到分）', en: 'amount has more than 2 decimals (fen)' },
  AMOUNT_TOO_LARGE: { zh: '金额过大', en: 'amount is too large' },
  TIME_INVALID: {
    zh: '时间格式不正确（应为 ISO 8601 或 YYYY-MM-DD HH:mm:ss）',
    en: 'not a valid time (ISO 8601 or YYYY-MM-DD HH:mm:ss)',
  },
  BOOL_INVALID: {
    zh: '应为 true/false、1/0、yes/no 或 是/否',
    en: 'expected true/false, 1/0, yes/no or 是/否',
  },
  ENUM_INVALID: { zh: '取值不在允许范围内', en: 'value is not one of the allowed values' },
  TOO_LONG: { zh: '内容过长', en: 'value is too long' },
  DUPLICATE_KEY: {
    zh: '与本文件前面的行主键重复',
    en: 'duplicate key: an earlier line of this file has the same key',
  },
  INVALID_JSON: { zh: '该行不是有效的 JSON 对象', en: 'this line is not a JSON object' },
  INVALID_CELL: { zh: '单元格内容无法识别', en: 'cell value cannot be read' },
  WRONG_TYPE: { zh: '取值类型不正确', en: 'value has the wrong type' },
  IP_INVALID: {
    zh: 'IP 地址格式不正确（应为 IPv4，如 203.0.113.7，或 IPv6，如 2001:db8::1）',
    en: 'not an IP address (IPv4 such as 203.0.113.7, or IPv6 such as 2001:db8::1)',
  },
  QUOTE_TEXT_AFTER: {
    zh: '引号闭合后还有多余的内容（如 "A18-1"junk），请检查引号',
    en: 'text after the closing quote of a quoted cell (such as "A18-1"junk): check the quotes',
  },
  CONTROL_CHAR: {
    zh: '含有控制字符（如 NUL、ESC、BEL），不是正常文本',
    en: 'contains a control character (such as NUL, ESC or BEL), not plain text',
  },
  INVALID_ENCODING: {
    zh: '含有无效字节，不是有效的 UTF-8 或 GBK 文本（文件可能已损坏）',
    en: 'contains bytes that are not valid UTF-8 or GBK text (the file may be damaged)',
  },
  JSON_TOO_DEEP: {
    zh: 'JSON 嵌套层数过多（最多 32 层）',
    en: 'JSON nested too deeply (at most 32 levels)',
  },
  DUPLICATE_FIELD: {
    zh: '同一列在这一行出现了两次（如 order_id 与 订单号），无法确定取哪个',
    en: 'the same column is given twice on this line (such as order_id and 订单号): which one is meant is unclear',
  },
} as const;

export type RowErrorCode = keyof typeof rowMessages;

export const fileMessages = {
  FILE_EMPTY: { zh: '文件为空', en: 'the file is empty' },
  NO_DATA_ROWS: { zh: '文件只有表头，没有数据行', en: 'the file has a header but no data rows' },
  MISSING_COLUMNS: { zh: '缺少必需的列', en: 'required columns are missing' },
  WRONG_SOURCE: { zh: '表头与所选数据源不符', en: 'the headers do not match the chosen source' },
  UNKNOWN_SOURCE: { zh: '无法根据表头识别数据源', en: 'the source cannot be recognised from the headers' },
  DUPLICATE_COLUMN: { zh: '表头中有重复的列', en: 'a column appears twice in the header' },
  BINARY_FILE: {
    zh: '文件不是文本、XLSX 或 JSONL 文件（含二进制内容）',
    en: 'not a text, XLSX or JSONL file (binary content)',
  },
  UTF16_FILE: {
    zh: '不支持 UTF-16 编码，请另存为 UTF-8 或 GBK',
    en: 'UTF-16 is not supported: save as UTF-8 or GBK',
  },
  MIXED_ENCODING: {
    zh: '文件混用了不同的字符编码（UTF-8 与 GBK）',
    en: 'the file mixes character encodings (UTF-8 and GBK)',
  },
  UNTERMINATED_QUOTE: {
    zh: '引号未闭合，文件在字段中途结束',
    en: 'a quoted field is never closed (file ends inside it)',
  },
  RECORD_TOO_LARGE: {
    zh: '一行内容过大（可能缺少闭合引号）',
    en: 'a record is too large (perhaps a missing closing quote)',
  },
  JSONL_FIRST_LINE: {
    zh: 'JSONL 文件第一行不是 JSON 对象，无法读取列名',
    en: 'the first line of the JSONL file is not a JSON object, so its columns cannot be read',
  },
  XLSX_DAMAGED: { zh: 'XLSX 文件已损坏或不完整', en: 'the XLSX file is damaged or truncated' },
  XLSX_NO_SHEET: { zh: 'XLSX 文件中没有工作表', en: 'the XLSX file has no worksheet' },
  XLSX_LIMIT: {
    zh: 'XLSX 文件超出读取上限，已停止读取（可能是压缩炸弹；请另存为 CSV 或拆分文件）',
    en: 'the XLSX file exceeds a reading limit, so reading stopped (perhaps a zip bomb; save it as CSV or split it)',
  },
  INVALID_HEADER: { zh: '表头行无法读取', en: 'the header row cannot be read' },
  FILE_CHANGED: {
    zh: '文件在预览之后被修改，请重新预览后再导入',
    en: 'the file changed after it was previewed: preview it again before importing',
  },
  FILE_UNREADABLE: { zh: '无法读取文件', en: 'the file cannot be read' },
  INVALID_ROWS: {
    zh: '文件中有无效行，整个文件未导入',
    en: 'the file has invalid rows: nothing was imported',
  },
  CANCELLED: { zh: '导入已取消，数据未改变', en: 'import cancelled: nothing was changed' },
} as const;

export type FileErrorCode = keyof typeof fileMessages;

/** A whole-file refusal: nothing of the file lands. `line` when a line is to blame. */
export class ImportFileError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: FileErrorCode,
    readonly detail: FileErrorDetail = {},
  ) {
    super(formatFileError(code, detail));
  }
  get messageZh(): string {
    return fileMessages[this.code].zh + suffix(this.detail, 'zh');
  }
  get messageEn(): string {
    return fileMessages[this.code].en + suffix(this.detail, 'en');
  }
}

export interface FileErrorDetail {
  line?: number;
  columns?: string[];
  hint?: string | { zh: string; en: string };
}

function suffix(d: FileErrorDetail, lang: 'zh' | 'en'): string {
  const parts: string[] = [];
  if (d.line !== undefined) parts.push(lang === 'zh' ? `第 ${d.line} 行` : `line ${d.line}`);
  if (d.columns?.length) parts.push(d.columns.join(', '));
  if (d.hint) parts.push(typeof d.hint === 'string' ? d.hint : d.hint[lang]);
  return parts.length ? (lang === 'zh' ? '：' : ': ') + parts.join(lang === 'zh' ? '；' : '; ') : '';
}

export function formatFileError(code: FileErrorCode, detail: FileErrorDetail): string {
  return `${fileMessages[code].zh}${suffix(detail, 'zh')} / ${fileMessages[code].en}${suffix(detail, 'en')}`;
}

/** Control characters made visible (`\u001b`), for messages: never a raw escape on a terminal. */
export function visibleControls(s: string): string {
  return s.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// C0 controls but tab, LF and CR; and DEL
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
