import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch';
import { openStore } from '../store/open-store';
import { actor, contextFor } from '../test-support/actors';
import { defaultRuleConfig, ruleConfigSchema } from './config';

describe('the rule configuration schema', () => {
  it('R-LVL-1: a config without levels, or with levels that are not objects, is refused, never a TypeError (issue 12 fuzz)', async () => {
    for (const levels of [[], [null], ['L1'], null, 'L1'])
      expect(() => ruleConfigSchema.safeParse({ ...defaultRuleConfig, levels })).not.toThrow();
    expect(ruleConfigSchema.safeParse({ ...defaultRuleConfig, levels: [] }).success).toBe(false);
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'yunke-config-')), 'store.db'));
    try {
      const r = await dispatch(contextFor(store, actor('a1', 'admin')), 'config.preview', {
        config: { ...defaultRuleConfig, levels: [] },
        reason: 'no levels at all',
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await store.close();
    }
  });

  it('R-LVL-1: the first level has threshold 0 and thresholds ascend', () => {
    const [l1, l2] = defaultRuleConfig.levels;
    expect(
      ruleConfigSchema.safeParse({ ...defaultRuleConfig, levels: [{ ...l1, threshold: 5 }] }).success,
    ).toBe(false);
    expect(
      ruleConfigSchema.safeParse({ ...defaultRuleConfig, levels: [l1, { ...l2, threshold: 0 }] }).success,
    ).toBe(false);
    expect(ruleConfigSchema.safeParse(defaultRuleConfig).success).toBe(true);
  });
});
