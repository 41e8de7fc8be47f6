import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('rules/ holds the pure rules only (issue 13)', () => {
  it('the lint rule refuses the store, SQL, Node and the engine in a rules module', async () => {
    const eslint = new ESLint({ cwd: root });
    const probe = join(root, 'src/main/rules/pure-probe.ts');
    for (const spec of [
      '../store/sql-port',
      '../engine/load',
      '../audit/append',
      'better-sqlite3',
      'kysely',
      'pg',
      'node:fs',
      'node:worker_threads',
    ]) {
      const [r] = await eslint.lintText(`import * as m from '${spec}';\nexport const x = m;\n`, {
        filePath: probe,
      });
      expect(
        r.messages.map((m) => m.ruleId),
        spec,
      ).toContain('no-restricted-imports');
    }
    // another rule, and zod (the config's schema), are fine
    const [ok] = await eslint.lintText(
      `import { z } from 'zod';\nimport { attributeCustomer } from './attribution';\nexport const x = [z, attributeCustomer];\n`,
      { filePath: probe },
    );
    expect(ok.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  it('no rules module imports anything but other rules, zod and types', () => {
    const dir = join(root, 'src/main/rules');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const specs = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const s of specs) expect(s.startsWith('./') || s === 'zod', `${f} imports ${s}`).toBe(true);
    }
  });
});
