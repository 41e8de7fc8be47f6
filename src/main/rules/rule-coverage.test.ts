import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const rulesFile = join(root, '..', 'shared', 'spec', 'RULES.md');

function* testFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (/\.(test|spec)\.ts$/.test(name)) yield p;
  }
}

describe('RULES.md coverage', () => {
  it.skipIf(!existsSync(rulesFile))('every rule id of RULES.md is named by at least one test', () => {
    const ids = [...new Set(readFileSync(rulesFile, 'utf8').match(/\bR-[A-Z]+-\d+\b/g) ?? [])].sort();
    expect(ids.length).toBeGreaterThan(30);
    const names: string[] = [];
    for (const dir of ['src', 'e2e']) {
      for (const file of testFiles(join(root, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:it|test|describe)\(\s*(['"`])(.*?)\1/g))
          names.push(m[2]);
      }
    }
    const all = names.join('\n');
    const missing = ids.filter((id) => !new RegExp(`${id}(?!\\d)`).test(all));
    expect(missing).toEqual([]);
  });
});
