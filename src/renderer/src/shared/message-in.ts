/**
 * The core writes a refusal's message in both languages, Chinese first: `中文 / English`. For an
 * English reader the English comes first (`English / 中文`); nothing is left out, as the two halves
 * do not always say the same (one may name the database or the file). The halves are split at the
 * first " / " (or "）/ ", the Chinese half ending in a full-width mark) that only English follows (no CJK character after it: a " / " inside the Chinese
 * half, `2026-04a / 2026-04b 或 …`, is not the one); a message without two such halves is shown as
 * it is.
 */
export function messageIn(lang: string, message: string): string {
  if (lang.startsWith('zh')) return message;
  const cjk = /[\u3000-\u9fff\uff00-\uffef]/;
  let from = 0;
  for (;;) {
    const at = message.indexOf('/ ', from);
    if (at < 0) return message;
    // the Chinese half ends in a space, or in a full-width mark with none (`…证书）/ the …`)
    const before = at > 0 ? message[at - 1] : '';
    if (before === ' ' || (before !== '' && cjk.test(before))) {
      const zh = message.slice(0, before === ' ' ? at - 1 : at);
      const en = message.slice(at + 2);
      if (cjk.test(zh) && !cjk.test(en) && en.trim() !== '') return `${en} / ${zh}`;
    }
    from = at + 2;
  }
}
