import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { ImportFileError } from '../sources/messages';

export type TextEncoding = 'utf8' | 'gb18030';

/**
 * Decides a file's text encoding from its first line with non-ASCII bytes: valid UTF-8 → UTF-8,
 * anything else → GB18030 (a superset of GBK, what Excel on Chinese Windows writes). Every
 * later non-ASCII line must agree; a file that mixes both is refused naming the line. Bytes that
 * are text in neither (a damaged file) are never decoded silently into U+FFFD: `cellValid` tells
 * the parser, which makes the cell a row problem (INVALID_ENCODING).
 */
export class EncodingGuard {
  encoding: TextEncoding | null;

  constructor(initial: TextEncoding | null = null) {
    this.encoding = initial;
  }

  /**
   * Call with the bytes of a line (record) that holds a byte ≥ 0x80. Returns false when the
   * line is not valid UTF-8 in a UTF-8 file (its cells are then checked one by one); throws
   * MIXED_ENCODING when the line is text in the other encoding.
   */
  check(bytes: Buffer, line: number): boolean {
    const utf8 = isUtf8(bytes);
    if (this.encoding === null) {
      // a line that is text in neither encoding: UTF-8 if it holds UTF-8's way of writing Chinese
      this.encoding = utf8 || (hasUtf8ThreeByteSequence(bytes) && !isGb18030Text(bytes)) ? 'utf8' : 'gb18030';
      return utf8 || this.encoding === 'gb18030';
    }
    if (this.encoding === 'utf8') {
      if (utf8) return true;
      // a line saved in GBK (GBK text, and none of UTF-8's ways of writing Chinese): the file
      // mixes encodings; otherwise damaged bytes (a character cut short…), a row problem
      if (!hasUtf8ThreeByteSequence(bytes) && isGb18030Text(bytes))
        throw new ImportFileError('MIXED_ENCODING', { line, hint: 'not UTF-8' });
      return false;
    }
    // GBK text is almost never valid UTF-8 with 3-byte sequences (how UTF-8 writes Chinese).
    if (utf8 && hasUtf8ThreeByteSequence(bytes)) {
      throw new ImportFileError('MIXED_ENCODING', { line, hint: 'UTF-8 in a GBK file' });
    }
    return true;
  }

  /**
   * Whether a decoded cell is the text its bytes hold: no byte was replaced by U+FFFD.
   * `lineValid` is what check() said of the cell's line.
   */
  cellValid(text: string, buf: Buffer, start: number, end: number, lineValid: boolean): boolean {
    if (this.encoding === 'gb18030') {
      if (text.indexOf('\uFFFD') === -1) return true;
      return countChar(text, 0xfffd) === countBytes(buf, start, end, GB18030_FFFD);
    }
    return lineValid || isUtf8(buf.subarray(start, end));
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

/** U+FFFD as GB18030 writes it: a file may hold the replacement character itself. */
const GB18030_FFFD = Buffer.from([0x84, 0x31, 0xa4, 0x37]);

/** Whether bytes decode as GB18030 without a replacement (U+FFFD written as such excepted). */
function isGb18030Text(bytes: Buffer): boolean {
  const text = iconv.decode(bytes, 'gb18030');
  return (
    text.indexOf('\uFFFD') === -1 ||
    countChar(text, 0xfffd) === countBytes(bytes, 0, bytes.length, GB18030_FFFD)
  );
}

function countChar(s: string, c: number): number {
  let n = 0;
  for (let i = s.indexOf(String.fromCharCode(c)); i !== -1; i = s.indexOf(String.fromCharCode(c), i + 1)) n++;
  return n;
}

function countBytes(buf: Buffer, start: number, end: number, seq: Buffer): number {
  let n = 0;
  for (
    let i = buf.indexOf(seq, start);
    i !== -1 && i + seq.length <= end;
    i = buf.indexOf(seq, i + seq.length)
  )
    n++;
  return n;
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
