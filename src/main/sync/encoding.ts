import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { ImportFileError } from '../sources/messages';

export type TextEncoding = 'utf8' | 'gb18030';

/**
 * Decides a file's text encoding from its first line with non-ASCII bytes: valid UTF-8 → UTF-8,
 * anything else → GB18030 (a superset of GBK, what Excel on Chinese Windows writes). Every
 * later non-ASCII line must agree; a file that mixes both is refused naming the line.
 */
export class EncodingGuard {
  encoding: TextEncoding | null;

  constructor(initial: TextEncoding | null = null) {
    this.encoding = initial;
  }

  /** Call with the bytes of a line (record) that holds a byte ≥ 0x80. */
  check(bytes: Buffer, line: number): void {
    const utf8 = isUtf8(bytes);
    if (this.encoding === null) {
      this.encoding = utf8 ? 'utf8' : 'gb18030';
      return;
    }
    if (this.encoding === 'utf8' && !utf8)
      throw new ImportFileError('MIXED_ENCODING', { line, hint: 'not UTF-8' });
    // GBK text is almost never valid UTF-8 with 3-byte sequences (how UTF-8 writes Chinese).
    if (this.encoding === 'gb18030' && utf8 && hasUtf8ThreeByteSequence(bytes)) {
      throw new ImportFileError('MIXED_ENCODING', { line, hint: 'UTF-8 in a GBK file' });
    }
  }

  /** One GB18030 decoder for every cell: end() leaves it as new (the codec strips no BOM). */
  private gb18030: ReturnType<typeof iconv.getDecoder> | null = null;

  decode(buf: Buffer, start: number, end: number): string {
    if (this.encoding === 'gb18030') {
      const decoder = (this.gb18030 ??= iconv.getDecoder('gb18030'));
      const text = decoder.write(buf.subarray(start, end));
      const rest = decoder.end();
      return rest ? text + rest : text;
    }
    return buf.toString('utf8', start, end);
  }
}

function hasUtf8ThreeByteSequence(b: Buffer): boolean {
  for (let i = 0; i + 2 < b.length; i++) {
    const c = b[i];
    if (c >= 0xe0 && c <= 0xef && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) return true;
  }
  return false;
}

/** Refuses content that is not text: UTF-16 (BOM) or control bytes such as NUL. */
export function assertTextHead(head: Buffer): void {
  if (
    head.length >= 2 &&
    ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
  ) {
    throw new ImportFileError('UTF16_FILE');
  }
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) throw new ImportFileError('BINARY_FILE');
  }
}
