import { describe, expect, it } from 'vitest';
import { sources, sourceNames } from '.';
import { UNUSUAL, type CellReader } from './define';
import { amountFenFast, parseAmountFen, parseTimeMs, timeMsFast } from './values';

// The readers' fast paths are shortcuts: every value they return must be the one the column's
// zod schema gives for the same cell (checked here with padding, which only the schema handles).
const samples = [
  '',
  'O1',
  'C123',
  'ecs',
  '张三',
  '云服务器 ',
  '\u00a0x',
  'x\u3000',
  'prepaid',
  'Postpaid',
  'active',
  'enterprise',
  'paid_channel',
  'true',
  'FALSE',
  'Yes',
  '是',
  '否',
  '1',
  '0',
  '2',
  '1200',
  '1200.5',
  '1200.50',
  '0.01',
  '007',
  '1200.',
  '.5',
  '1,200.50',
  '¥1200',
  '9999999999999',
  '99999999999999',
  '2026-03-01 10:00:00',
  '2026-03-01T10:00:00',
  '2024-02-29 23:59:59',
  '2025-02-29 10:00:00',
  '2026-03-01 24:00:00',
  '2026-03-01 10:00:60',
  '0099-03-01 10:00:00',
  '1969-12-31 23:59:59',
  '2026-03-01T10:00:00Z',
  '2026/3/1 10:00',
  '10.1.0.2',
  '2001:db8::1',
  '::ffff:192.0.2.128',
  '1.2.3.04',
  '256.0.0.1',
];

const readers = sourceNames.flatMap((s) =>
  sources[s].columns.map((c, i): [string, CellReader] => [`${s}.${c.name}`, sources[s].readers[i]]),
);

describe('column readers: the fast path agrees with the zod schema', () => {
  it.each(readers)('%s', (_, reader) => {
    for (const raw of [...samples, undefined]) {
      const fast = reader.fast(raw);
      if (fast === UNUSUAL) continue;
      const padded = raw ? ` ${raw} ` : raw;
      const schema = reader.schema.safeParse(padded);
      expect(schema.success, JSON.stringify(raw)).toBe(true);
      expect(fast, JSON.stringify(raw)).toEqual(schema.data);
      expect(reader.schema.safeParse(raw).data, JSON.stringify(raw)).toEqual(fast);
    }
  });

  it('keeps a text cell as is only when trimming would not change it', () => {
    const text = sources.partners.readers[sources.partners.columns.findIndex((c) => c.name === 'name')];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const raw of [`${ch}x`, `x${ch}`]) {
        const fast = text.fast(raw);
        if (fast !== UNUSUAL) expect(fast, `U+${c.toString(16)}`).toBe(raw.trim());
      }
    }
  });
});

describe('value fast paths agree with the general parsers', () => {
  it('amounts', () => {
    for (let i = 0; i < 20_000; i++) {
      const yuan = String(Math.floor(Math.random() * 10 ** (1 + (i % 13))));
      const text = i % 3 === 0 ? yuan : `${yuan}.${String(i % 100).padStart(2 - (i % 2), '0')}`;
      const fast = amountFenFast(text);
      expect(fast, text).toBeGreaterThanOrEqual(0);
      expect(parseAmountFen(` ${text} `), text).toEqual({ ok: true, value: fast });
    }
  });

  it('times (against Date.UTC, Shanghai wall clock)', () => {
    for (let i = 0; i < 20_000; i++) {
      const t = Math.floor(Math.random() * 5e12) - 1e12;
      const d = new Date(t - (t % 1000) + 8 * 3600_000);
      const p = (v: number, w = 2) => String(v).padStart(w, '0');
      const text = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}${i % 2 ? 'T' : ' '}${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      expect(timeMsFast(text), text).toBe(t - (t % 1000));
      expect(parseTimeMs(` ${text} `), text).toEqual({ ok: true, value: t - (t % 1000) });
    }
  });
});
