/**
 * The core writes a refusal's message in both languages, Chinese first: `中文 / English`. The part
 * of the reader's language: the English after the first " / " that only English follows (no CJK
 * character after it: a " / " inside the Chinese part, `2026-04a / 2026-04b 或 …`, is not the
 * one), the Chinese before it; the whole message when it has no such two parts.
 */
export function messageIn(lang: string, message: string): string {
  const cjk = /[\u3000-\u9fff\uff00-\uffef]/;
  let from = 0;
  for (;;) {
    const at = message.indexOf(' / ', from);
    if (at < 0) return message;
    const zh = message.slice(0, at);
    const en = message.slice(at + 3);
    if (cjk.test(zh) && !cjk.test(en) && en.trim() !== '') return lang.startsWith('zh') ? zh : en;
    from = at + 3;
  }
}
