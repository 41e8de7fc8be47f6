/**
 * Lines of COPY's text format as a server sends them, and so as the driver thread hands them to
 * their readers (store/pg-sync/copy-to-frames.ts): a CopyData message each (`d`, its length, the
 * line with its newline). Every line must end with a newline.
 */
export function copyData(lines: string | Uint8Array): Uint8Array {
  const bytes = typeof lines === 'string' ? Buffer.from(lines, 'utf8') : Buffer.from(lines);
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10)
    throw new Error('copyData: a line without its newline');
  const parts: Buffer[] = [];
  for (let from = 0; from < bytes.length;) {
    const nl = bytes.indexOf(10, from);
    const head = Buffer.alloc(5);
    head[0] = 100;
    head.writeUInt32BE(4 + nl + 1 - from, 1);
    parts.push(head, bytes.subarray(from, nl + 1));
    from = nl + 1;
  }
  return new Uint8Array(Buffer.concat(parts));
}
