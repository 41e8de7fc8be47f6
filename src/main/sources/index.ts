import { customersSource } from './customers';
import { sourceNames, type SourceDef, type SourceName } from './define';
import { loginIpsSource } from './login-ips';
import { ordersSource } from './orders';
import { partnersSource } from './partners';
import { productLinesSource } from './product-lines';
import { referralEventsSource } from './referral-events';
import { refundsSource } from './refunds';
import { salesSubjectsSource } from './sales-subjects';

export { sourceNames, type SourceDef, type SourceName } from './define';

export const sources: Record<SourceName, SourceDef> = {
  partners: partnersSource,
  customers: customersSource,
  referral_events: referralEventsSource,
  orders: ordersSource,
  refunds: refundsSource,
  login_ips: loginIpsSource,
  product_lines: productLinesSource,
  sales_subjects: salesSubjectsSource,
};

/** The order in which sources are best imported (fewest dangling references on the way). */
export const importOrder: readonly SourceName[] = [
  'product_lines',
  'sales_subjects',
  'partners',
  'customers',
  'login_ips',
  'referral_events',
  'orders',
  'refunds',
];

export function isSourceName(s: string): s is SourceName {
  return (sourceNames as readonly string[]).includes(s);
}

/** Header text → comparable form: no BOM/quotes/spaces, lower case, `Paid Amount` = `paid_amount`. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

export interface HeaderMapping {
  source: SourceName;
  /** For each header position: the canonical column it feeds, or null (extra column). */
  columns: (string | null)[];
  /** Canonical columns the source requires that no header provides. */
  missing: string[];
  /** Headers that match no column of the source (reported as warnings, ignored). */
  extra: string[];
  /** Canonical columns given by more than one header. */
  duplicated: string[];
  /** Columns of the source not in the file (optional ones; they import as empty). */
  absent: string[];
}

const lookup = new Map<SourceName, Map<string, string>>(
  sourceNames.map((s) => [
    s,
    new Map(
      sources[s].columns.flatMap((c) =>
        [c.name, ...c.aliases].map((h) => [normalizeHeader(h), c.name] as [string, string]),
      ),
    ),
  ]),
);

/** Canonical column for one header (or JSONL key) of a source, or null. */
export function columnFor(source: SourceName, header: string): string | null {
  return lookup.get(source)!.get(normalizeHeader(header)) ?? null;
}

/** Maps the headers of a file onto a source's columns (any order, English or Chinese). */
export function resolveHeaders(source: SourceName, headers: readonly string[]): HeaderMapping {
  const columns = headers.map((h) => columnFor(source, h));
  const seen = new Set<string>();
  const duplicated: string[] = [];
  for (const c of columns) {
    if (c === null) continue;
    if (seen.has(c)) duplicated.push(c);
    seen.add(c);
  }
  const def = sources[source];
  return {
    source,
    columns,
    missing: def.columns.filter((c) => c.required && !seen.has(c.name)).map((c) => c.name),
    extra: headers.filter((_, i) => columns[i] === null && headers[i].trim() !== ''),
    duplicated,
    absent: def.columns.filter((c) => !c.required && !seen.has(c.name)).map((c) => c.name),
  };
}

export interface SourceDetection {
  /** The best fitting source, or null when no source has all its required columns. */
  source: SourceName | null;
  /** Every source whose required columns are all present, best first. */
  candidates: { source: SourceName; matched: number; extra: number }[];
}

/**
 * Which source a header row belongs to: the one whose required columns are all present and
 * that explains the most headers (ties: the one with fewer unexplained headers).
 * The 数据同步 screen shows this and lets the user override it.
 */
export function detectSource(headers: readonly string[]): SourceDetection {
  const candidates = sourceNames
    .map((s) => {
      const m = resolveHeaders(s, headers);
      return {
        source: s,
        matched: m.columns.filter((c) => c !== null).length,
        extra: m.extra.length,
        ok: !m.missing.length,
      };
    })
    .filter((c) => c.ok && c.matched > 0)
    .sort((a, b) => b.matched - a.matched || a.extra - b.extra)
    .map(({ source, matched, extra }) => ({ source, matched, extra }));
  return { source: candidates[0]?.source ?? null, candidates };
}
