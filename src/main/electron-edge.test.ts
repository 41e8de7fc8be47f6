import { ESLint } from 'eslint';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

describe('Electron stays at the edge of src/main', () => {
  it('the lint rule refuses electron imports outside index.ts, ipc.ts and the preload', async () => {
    const eslint = new ESLint({ cwd: root });
    // the probe imports electron (the module name is assembled so no source file holds the import)
    const moduleName = ['elec', 'tron'].join('');
    const code = `import { app } from '${moduleName}';\nexport const name = app.name;\n`;
    const [engine] = await eslint.lintText(code, {
      filePath: join(root, 'src/main/rules/engine-edge-probe.ts'),
    });
    expect(engine.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const [renderer] = await eslint.lintText(code, {
      filePath: join(root, 'src/renderer/src/edge-probe.ts'),
    });
    expect(renderer.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const [entry] = await eslint.lintText(code, { filePath: join(root, 'src/main/index.ts') });
    expect(entry.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
    // the window modules take Electron objects as parameters and describe them (shapes.ts): not
    // even a type import of electron there
    const shellFile = join(root, 'src/main/electron/edge-probe.ts');
    const typeOnly = `import type { App } from '${moduleName}';\nexport type A = App;\n`;
    for (const text of [code, typeOnly]) {
      const [shell] = await eslint.lintText(text, { filePath: shellFile });
      expect(shell.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    }
  });

  it('no file of the plain-Node core imports or requires electron', () => {
    const allowed = new Set(['src/main/index.ts', 'src/main/ipc.ts']);
    const offenders: string[] = [];
    for (const dir of ['src/main', 'src/cli']) {
      for (const file of sourceFiles(join(root, dir))) {
        const rel = relative(root, file);
        if (allowed.has(rel) || rel.endsWith('.test.ts')) continue;
        const text = readFileSync(file, 'utf8');
        if (/from ['"]electron['"]|require\(['"]electron['"]\)/.test(text)) offenders.push(rel);
      }
    }
    expect(offenders).toEqual([]);
  });
});
