import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * A clone of the repository has no folder beside it: no file may send a reader or a test there.
 * The one exception is the optional extra scenarios, run in addition where such a folder exists.
 */
const MAY_MENTION = new Set([
  'scripts/scenarios.mjs',
  'src/main/rules/scenarios.test.ts',
  'src/self-contained.test.ts',
]);

/** Ways of naming the sibling folder: `../shared/…`, path.join(…, '..', 'shared'), ../../…/shared. */
const SIBLING = [
  /(?:\.\.\/)+shared\/(?:spec|seed|tools|scenarios|STYLE|hooks)/,
  /(?:\.\.\/)+shared(?![\w/-])/,
  /'\.\.',\s*'shared'/,
  /\/work\/shared\b/,
];

describe('the repository is self-contained', () => {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && !/\.(png|jpg|ico|icns|woff2?|xlsx|db)$/.test(f) && f !== 'package-lock.json');

  it('no file refers to a folder beside the repository, except the optional extra scenarios', () => {
    const offenders: string[] = [];
    for (const f of files) {
      if (MAY_MENTION.has(f)) continue;
      let text: string;
      try {
        text = readFileSync(join(root, f), 'utf8');
      } catch {
        continue; // listed but deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        if (SIBLING.some((re) => re.test(line))) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('catches each way of naming the sibling folder', () => {
    for (const line of [
      'see ../shared/spec/RULES.md',
      'the folder ../shared beside it',
      "join(root, '..', 'shared', 'spec')",
      "join(__dirname, '../../../../shared/scenarios')",
      'node /work/shared/tools/run-scenarios.mjs',
    ])
      expect(
        SIBLING.some((re) => re.test(line)),
        line,
      ).toBe(true);
    // the renderer's own src/renderer/src/shared folder is not the sibling
    for (const line of ["import { formatFen } from '../../shared/format';", "from '../shared/strings';"])
      expect(
        SIBLING.some((re) => re.test(line)),
        line,
      ).toBe(false);
  });
});
