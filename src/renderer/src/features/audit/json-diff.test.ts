import { describe, expect, it } from 'vitest';
import { diffJson } from './json-diff';

const level = (id: string, ratio_bp: number, threshold: number) => ({ id, ratio_bp, threshold });

describe('an audit entry’s before/after, leaf by leaf', () => {
  it('R-OP-2: a config.save entry reads as the fields that changed, levels matched by id', () => {
    const before = { version: 1, config: { levels: [level('L1', 2000, 0), level('L2', 2500, 10)] } };
    const after = {
      version: 2,
      effectiveFrom: 1_790_784_000_000,
      // the same levels in another order: only the real changes show
      config: { levels: [level('L2', 2500, 1), level('L1', 1000, 0)] },
    };
    expect(diffJson(before, after)).toEqual([
      { path: 'version', kind: 'changed', before: 1, after: 2 },
      { path: 'config.levels.L1.ratio_bp', kind: 'changed', before: 2000, after: 1000 },
      { path: 'config.levels.L2.threshold', kind: 'changed', before: 10, after: 1 },
      { path: 'effectiveFrom', kind: 'added', before: undefined, after: 1_790_784_000_000 },
    ]);
  });

  it('lists without ids compare by position; a removed leaf says so; equal values give no line', () => {
    expect(
      diffJson({ ips: ['a', 'b'], note: 'x', same: { n: 1 } }, { ips: ['a', 'c'], same: { n: 1 } }),
    ).toEqual([
      { path: 'ips.1', kind: 'changed', before: 'b', after: 'c' },
      { path: 'note', kind: 'removed', before: 'x', after: undefined },
    ]);
  });
});
