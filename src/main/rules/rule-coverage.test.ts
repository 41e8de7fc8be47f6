import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
/** The program's rules as this repository documents them. */
const rulesDoc = join(root, 'docs', 'rules.md');

/**
 * Rule ids whose issue is still open: not yet named by a test. Each names its issue; the list
 * empties as the issues land (a test below fails when an id here is already covered).
 */
const OPEN: Record<string, string> = {
  'R-OP-4': 'issue 9: operators, roles and the decision trail',
  'R-DISP-1': 'issue 14: attribution disputes',
  'R-DISP-2': 'issue 14: attribution disputes',
};

const idsIn = (text: string) => [...new Set(text.match(/\bR-[A-Z]+-\d+\b/g) ?? [])].sort();

function* testFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (/\.(test|spec)\.ts$/.test(name) && !p.includes(join('src', 'main', 'api'))) yield p;
  }
}

function testNames(): string {
  const names: string[] = [];
  for (const dir of ['src', 'e2e'])
    for (const file of testFiles(join(root, dir)))
      for (const m of readFileSync(file, 'utf8').matchAll(
        /\b(?:it|test|describe)(?:\.\w+)*\(\s*(['"`])(.*?)\1/g,
      ))
        names.push(m[2]);
  return names.join('\n');
}

const named = (all: string, id: string) => new RegExp(`${id}(?!\\d)`).test(all);

describe('docs/rules.md coverage', () => {
  const ids = idsIn(readFileSync(rulesDoc, 'utf8'));

  it('documents the whole rule book', () => {
    expect(ids.length).toBeGreaterThan(40);
    for (const family of [
      'JOIN',
      'ATTR',
      'ORDER',
      'EXCL',
      'SAME',
      'REB',
      'EXP',
      'LVL',
      'CLAW',
      'BL',
      'PAY',
      'DISP',
      'OP',
      'RECALC',
    ])
      expect(
        ids.some((id) => id.startsWith(`R-${family}-`)),
        family,
      ).toBe(true);
  });

  it('every rule id of docs/rules.md is named by a test, except those of open issues', () => {
    const all = testNames();
    const missing = ids.filter((id) => !named(all, id) && !(id in OPEN));
    expect(missing).toEqual([]);
  });

  it('the open list holds only ids that are documented and not yet covered', () => {
    const all = testNames();
    for (const id of Object.keys(OPEN)) {
      expect(ids, `${id} (${OPEN[id]}) is not in docs/rules.md`).toContain(id);
      expect(named(all, id), `${id} is covered now: remove it from OPEN`).toBe(false);
    }
  });
});
