import { describe, expect, it } from 'vitest';
import { messageIn } from './message-in';

describe('a message of the core in the reader language', () => {
  it('puts the English half of a two-language message first for an English reader, and leaves nothing out', () => {
    const m = '没有返利批次 7 / no payout batch 7';
    expect(messageIn('zh-CN', m)).toBe(m);
    expect(messageIn('en', m)).toBe('no payout batch 7 / 没有返利批次 7');
  });

  it('splits where only English follows, not at a " / " inside the Chinese half', () => {
    const m =
      '周期 "x" 无法识别，应为 2026-04、2026-04a / 2026-04b 或 2026-W15 / "x" is not a cycle: use 2026-04, 2026-04a / 2026-04b or 2026-W15';
    expect(messageIn('en', m)).toBe(
      '"x" is not a cycle: use 2026-04, 2026-04a / 2026-04b or 2026-W15 / 周期 "x" 无法识别，应为 2026-04、2026-04a / 2026-04b 或 2026-W15',
    );
  });

  it('splits too where the Chinese half ends in a full-width bracket with no space before the slash', () => {
    const m =
      '与团队数据库 x 的加密连接（TLS）未能建立：或用 sslmode=require（只加密，不验证证书）/ the encrypted connection (TLS) to the team database x failed';
    expect(messageIn('en', m)).toBe(
      'the encrypted connection (TLS) to the team database x failed / 与团队数据库 x 的加密连接（TLS）未能建立：或用 sslmode=require（只加密，不验证证书）',
    );
    // a URL's slashes are no split
    expect(messageIn('en', '地址 postgres://u@h/db 不可用 / the URL postgres://u@h/db cannot be used')).toBe(
      'the URL postgres://u@h/db cannot be used / 地址 postgres://u@h/db 不可用',
    );
  });

  it('keeps a message as it is when it is in one language, or its English names Chinese text', () => {
    expect(messageIn('en', 'the file is empty')).toBe('the file is empty');
    expect(messageIn('en', '文件为空')).toBe('文件为空');
    const named = '云客 张三 已在黑名单中 / partner 张三 is already blacklisted';
    expect(messageIn('en', named)).toBe(named);
  });
});
