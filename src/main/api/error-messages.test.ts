import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A string literal of the strings file, in single or double quotes. */
const TEXT = `(?:'[^']+'|"[^"]+")`;

/**
 * The codes of the refusals an operator's decision can meet (blacklist, shared IPs, risk,
 * disputes, operators, configuration, payouts, levels, the team database), as the core throws them.
 */
function decisionCodes(): string[] {
  const codes = new Set<string>();
  const pattern = /'((?:BLACKLIST|SHARED_IP|RISK|DISPUTE|OPERATOR|CONFIG|PAYOUT|LEVEL|TEAM_DB)_[A-Z0-9_]+)'/g;
  for (const file of [...sources(join(ROOT, 'src', 'main')), ...sources(join(ROOT, 'src', 'cli'))])
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) codes.add(m[1]);
  return [...codes].sort();
}

describe('error messages of the app', () => {
  it('every refusal of a decision has its own title and hint in both languages, not "something went wrong"', () => {
    const codes = decisionCodes();
    // the scan finds the codes (a pattern that found none would pass anything)
    expect(codes).toEqual(
      expect.arrayContaining(['BLACKLIST_ALREADY', 'DISPUTE_UNKNOWN_PARTNER', 'PAYOUT_MAKER_CHECKER']),
    );
    // the app's strings (renderer/src/app/app.i18n.ts), read as text: a code's entry is written
    // `CODE: { title: …, hint: … }` once per language (the compiler checks the languages have the
    // same keys), and the alert shows "something went wrong" for a code without one
    const strings = readFileSync(join(ROOT, 'src', 'renderer', 'src', 'app', 'app.i18n.ts'), 'utf8');
    const entries = (code: string) =>
      [...strings.matchAll(new RegExp(`\\b${code}: \\{\\s*title: ${TEXT},\\s*hint: ${TEXT}`, 'g'))].length;
    expect(codes.filter((c) => entries(c) !== 2)).toEqual([]);
  });
});
