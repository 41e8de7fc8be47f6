/**
 * Reading the entries of a zip file (an XLSX) with a byte budget (issue 12). The central
 * directory is read from the end of the file (random access, so a sheet may come before or after
 * its shared strings), and each entry is inflated as a stream: the moment it inflates past its
 * budget, reading stops. Sizes a zip declares are not trusted — only what inflation produces.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Why a zip cannot be read: damaged, or past a limit. The caller turns it into its own message. */
export class ZipError extends Error {
  constructor(
    readonly kind: 'damaged' | 'limit',
    message: string,
    /** for a limit: which one, the entry and the figure passed */
    readonly limit?: { kind: 'entries' | 'directory' | 'bytes' | 'ratio'; entry: string; value: number },
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  if (got < length) throw new ZipError('damaged', 'unexpected end of file');
  return buf;
}

/** The entries of the central directory, refusing more than `maxEntries` or a directory over `maxBytes`. */
export async function readZipDirectory(
  fh: FileHandle,
  size: number,
  limits: { maxEntries: number; maxDirectoryBytes: number },
): Promise<Map<string, ZipEntry>> {
  if (size < 22) throw new ZipError('damaged', 'too small for a zip file');
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  if (at === -1) throw new ZipError('damaged', 'no end of central directory (truncated?)');
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // zip64: the locator sits just before the end record
    const loc = at - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== EOCD64_LOCATOR)
      throw new ZipError('damaged', 'zip64 locator missing');
    const recOffset = Number(tail.readBigUInt64LE(loc + 8));
    const rec = await readAt(fh, recOffset, 56);
    if (rec.readUInt32LE(0) !== EOCD64) throw new ZipError('damaged', 'zip64 end record missing');
    count = Number(rec.readBigUInt64LE(32));
    dirSize = Number(rec.readBigUInt64LE(40));
    dirOffset = Number(rec.readBigUInt64LE(48));
  }
  if (count > limits.maxEntries)
    throw new ZipError('limit', `more than ${limits.maxEntries} entries`, {
      kind: 'entries',
      entry: '',
      value: limits.maxEntries,
    });
  if (dirSize > limits.maxDirectoryBytes)
    throw new ZipError('limit', 'central directory too large', {
      kind: 'directory',
      entry: '',
      value: limits.maxDirectoryBytes,
    });
  if (dirOffset + dirSize > size)
    throw new ZipError('damaged', 'central directory beyond the end of the file');
  const dir = await readAt(fh, dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL)
      throw new ZipError('damaged', 'bad central directory');
    const flags = dir.readUInt16LE(p + 8);
    const method = dir.readUInt16LE(p + 10);
    const crc = dir.readUInt32LE(p + 16);
    let compressedSize = dir.readUInt32LE(p + 20);
    let entrySize = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    let localOffset = dir.readUInt32LE(p + 42);
    if (p + 46 + nameLength + extraLength + commentLength > dir.length)
      throw new ZipError('damaged', 'bad central directory');
    const name = dir.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // zip64 extended information: the 64-bit values of the fields that are 0xffffffff, in order
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = dir.readUInt16LE(x);
      const len = dir.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const take = () => {
          if (q + 8 > x + 4 + len) throw new ZipError('damaged', 'bad zip64 field');
          const v = Number(dir.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (entrySize === 0xffffffff) entrySize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      x += 4 + len;
    }
    entries.set(name, { name, method, flags, crc, compressedSize, size: entrySize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Small reads keep the count of compressed bytes close to what inflation consumed (the ratio check). */
const READ_CHUNK = 1 << 14;

export interface InflateLimits {
  /** inflated bytes allowed for this entry */
  maxBytes: number;
  /** inflated ÷ compressed bytes allowed, once `ratioFloor` bytes are inflated (a zip bomb's is ~1000) */
  maxRatio: number;
  ratioFloor: number;
}

/**
 * The inflated bytes of an entry, chunk by chunk; past `maxBytes` inflated bytes, or an inflation
 * ratio above `maxRatio`, it stops with a ZipError('limit'). `onCompressed` is told how many
 * compressed bytes were read (progress). Checks the size and CRC the directory declares once the
 * entry is read to its end.
 */
export async function* inflateEntry(
  fh: FileHandle,
  fileSize: number,
  entry: ZipEntry,
  limits: InflateLimits,
  onCompressed?: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw new ZipError('damaged', `${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipError('damaged', `${entry.name}: unsupported compression method ${entry.method}`);
  const local = await readAt(fh, entry.localOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL) throw new ZipError('damaged', `${entry.name}: bad local header`);
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > fileSize)
    throw new ZipError('damaged', `${entry.name} goes beyond the end of the file (truncated?)`);

  async function* compressed(): AsyncGenerator<Buffer> {
    for (let pos = start; pos < end;) {
      const chunk = await readAt(fh, pos, Math.min(READ_CHUNK, end - pos));
      pos += chunk.length;
      onCompressed?.(chunk.length);
      yield chunk;
    }
  }

  let total = 0;
  let crc = 0;
  const crc32 = (zlib as unknown as { crc32?: (b: Buffer, v: number) => number }).crc32;
  const tooLarge = () =>
    new ZipError('limit', `${entry.name} inflates to more than ${limits.maxBytes} bytes`, {
      kind: 'bytes',
      entry: entry.name,
      value: limits.maxBytes,
    });
  if (entry.method === 0) {
    if (entry.compressedSize > limits.maxBytes) throw tooLarge();
    for await (const c of compressed()) {
      total += c.length;
      if (crc32) crc = crc32(c, crc);
      yield c;
    }
  } else {
    const source = Readable.from(compressed(), { objectMode: true, highWaterMark: 1 });
    const inflate = zlib.createInflateRaw({ chunkSize: 1 << 16 });
    source.on('error', (e) => inflate.destroy(e));
    source.pipe(inflate);
    try {
      for await (const c of inflate as AsyncIterable<Buffer>) {
        total += c.length;
        if (total > limits.maxBytes) throw tooLarge();
        // bytesWritten: compressed bytes handed to the engine so far (a little ahead of what it used)
        if (total > limits.ratioFloor && total > limits.maxRatio * Math.max(1, inflate.bytesWritten))
          throw new ZipError('limit', `${entry.name} inflates more than ${limits.maxRatio} times its size`, {
            kind: 'ratio',
            entry: entry.name,
            value: limits.maxRatio,
          });
        if (crc32) crc = crc32(c, crc);
        yield c;
      }
    } catch (e) {
      if (e instanceof ZipError) throw e;
      throw new ZipError('damaged', `${entry.name}: ${(e as Error).message}`);
    } finally {
      source.destroy();
      inflate.destroy();
    }
  }
  if (total !== entry.size) throw new ZipError('damaged', `${entry.name}: size does not match the directory`);
  if (crc32 && crc >>> 0 !== entry.crc) throw new ZipError('damaged', `${entry.name}: checksum mismatch`);
}
