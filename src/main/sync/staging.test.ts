import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { sanitizeFileName, StagingArea, StagingError, stagingDirFor } from './staging';

let root: string;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'yunke-'));
});

async function rejects(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StagingError);
  expect((e as StagingError).code).toBe(code);
}

describe('sanitizeFileName', () => {
  it('keeps only the last path segment, so a name cannot leave the staging folder', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\admin\\订单.csv')).toBe('订单.csv');
    expect(sanitizeFileName('..')).toBe('upload');
  });
  it('removes control and reserved characters and leading dots, keeps Chinese names', () => {
    expect(sanitizeFileName('云客 导出<2026>?.csv')).toBe('云客 导出_2026__.csv');
    expect(sanitizeFileName('.hidden.csv')).toBe('hidden.csv');
    expect(sanitizeFileName('a\u0000b\nc.csv')).toBe('a_b_c.csv');
    expect(sanitizeFileName('   ')).toBe('upload');
  });
  it('defuses Windows device names and shortens long names keeping the extension', () => {
    expect(sanitizeFileName('CON.csv')).toBe('_CON.csv');
    const long = sanitizeFileName('x'.repeat(300) + '.xlsx');
    expect(long.length).toBe(120);
    expect(long.endsWith('.xlsx')).toBe(true);
  });
});

describe('StagingArea', () => {
  it('writes ordered chunks to a sanitized name in its own folder and reports size and sha256', async () => {
    const area = new StagingArea(join(root, 'store.db.staging'));
    const text = 'partner_id,status\nP1,active\n';
    const { stagingId } = await area.begin({ fileName: '../云客.csv', size: Buffer.byteLength(text) });
    await area.chunk({ stagingId, offset: 0, base64: b64(text.slice(0, 10)) });
    await area.chunk({ stagingId, offset: 10, base64: b64(text.slice(10)) });
    const done = await area.finish({ stagingId, sha256: sha(text) });
    expect(done.sha256).toBe(sha(text));
    expect(done.size).toBe(Buffer.byteLength(text));
    expect(done.path).toBe(join(root, 'store.db.staging', stagingId, '云客.csv'));
    expect(readFileSync(done.path, 'utf8')).toBe(text);
  });

  it('refuses a chunk that skips ahead or repeats, and keeps the bytes received so far', async () => {
    const area = new StagingArea(join(root, 's'));
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 6 });
    await rejects(area.chunk({ stagingId, offset: 3, base64: b64('def') }), 'STAGING_OUT_OF_ORDER');
    await area.chunk({ stagingId, offset: 0, base64: b64('abc') });
    await rejects(area.chunk({ stagingId, offset: 0, base64: b64('abc') }), 'STAGING_OUT_OF_ORDER');
    await area.chunk({ stagingId, offset: 3, base64: b64('def') });
    const done = await area.finish({ stagingId });
    expect(readFileSync(done.path, 'utf8')).toBe('abcdef');
  });

  it('refuses two chunks written at the same time', async () => {
    const area = new StagingArea(join(root, 's'));
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 6 });
    const results = await Promise.allSettled([
      area.chunk({ stagingId, offset: 0, base64: b64('abc') }),
      area.chunk({ stagingId, offset: 0, base64: b64('abc') }),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('refuses oversized chunks, more bytes than declared, files over the limit and bad base64', async () => {
    const area = new StagingArea(join(root, 's'), { maxChunkBytes: 4, maxBytes: 10 });
    await rejects(area.begin({ fileName: 'big.csv', size: 11 }), 'STAGING_TOO_LARGE');
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 6 });
    await rejects(area.chunk({ stagingId, offset: 0, base64: b64('abcde') }), 'STAGING_CHUNK_TOO_LARGE');
    await rejects(area.chunk({ stagingId, offset: 0, base64: 'ab$=' }), 'STAGING_BAD_CHUNK');
    await rejects(area.chunk({ stagingId, offset: 0, base64: 'abc' }), 'STAGING_BAD_CHUNK');
    await area.chunk({ stagingId, offset: 0, base64: b64('abcd') });
    await rejects(area.chunk({ stagingId, offset: 4, base64: b64('efg') }), 'STAGING_TOO_LARGE');
  });

  it('will not finish an incomplete upload', async () => {
    const area = new StagingArea(join(root, 's'));
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 6 });
    await area.chunk({ stagingId, offset: 0, base64: b64('abc') });
    await rejects(area.finish({ stagingId }), 'STAGING_INCOMPLETE');
  });

  it('verifies the sha256 the renderer computed and discards a file that does not match', async () => {
    const area = new StagingArea(join(root, 's'));
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 3 });
    await area.chunk({ stagingId, offset: 0, base64: b64('abc') });
    const path = area.pathOf(stagingId)!;
    await rejects(area.finish({ stagingId, sha256: sha('abd') }), 'STAGING_HASH_MISMATCH');
    expect(existsSync(path)).toBe(false);
    await rejects(area.chunk({ stagingId, offset: 3, base64: '' }), 'STAGING_UNKNOWN');
  });

  it('discard removes the staged folder; unknown ids are refused', async () => {
    const area = new StagingArea(join(root, 's'));
    const { stagingId } = await area.begin({ fileName: 'a.csv', size: 1 });
    await area.chunk({ stagingId, offset: 0, base64: b64('a') });
    const { path } = await area.finish({ stagingId });
    expect(await area.discard({ stagingId })).toEqual({ discarded: true });
    expect(existsSync(dirname(path))).toBe(false);
    expect(await area.discard({ stagingId })).toEqual({ discarded: false });
    await rejects(area.finish({ stagingId }), 'STAGING_UNKNOWN');
  });

  it('sweeps leftovers of an earlier run but not recent ones', async () => {
    const dir = join(root, 's');
    mkdirSync(join(dir, 'old'), { recursive: true });
    mkdirSync(join(dir, 'recent'), { recursive: true });
    const past = new Date(Date.now() - 48 * 3600_000);
    utimesSync(join(dir, 'old'), past, past);
    new StagingArea(dir, { staleAfterMs: 3600_000 });
    expect(readdirSync(dir)).toEqual(['recent']);
  });
});

describe('stagingDirFor', () => {
  it('keeps a store file’s uploads next to it', () => {
    expect(stagingDirFor('/data/yunke/store.db')).toBe('/data/yunke/store.db.staging');
  });
  it('puts a team database’s uploads in the temp folder, one per database, never naming its server or password', () => {
    const withPassword = stagingDirFor('postgres://desk:s3cret@10.0.0.7:5432/yunke');
    expect(dirname(withPassword)).toBe(tmpdir());
    expect(withPassword).not.toMatch(/postgres|s3cret|10\.0\.0\.7|yunke$/);
    // the password plays no part (a desk given it again stages to the same folder)
    expect(stagingDirFor('postgres://desk@10.0.0.7:5432/yunke')).toBe(withPassword);
    expect(stagingDirFor('postgres://desk@10.0.0.7:5432/other')).not.toBe(withPassword);
    // a URL without a host (a local socket), which a URL parser refuses, has a folder too
    const local = stagingDirFor('postgres://desk:s3cret@/yunke');
    expect(dirname(local)).toBe(tmpdir());
    expect(stagingDirFor('postgres://desk@/yunke')).toBe(local);
    expect(stagingDirFor('postgres://desk@:5433/yunke')).not.toBe(local);
    // an @ in an option's value: two databases are two folders, whatever follows it
    for (const more of ['', '&sslrootcert=/etc/ca.pem']) {
      const ops = (where: string) =>
        stagingDirFor(`postgres://desk:s3cret@${where}?application_name=ops@desk1${more}`);
      expect(ops('10.0.0.7:5432/yunke')).not.toBe(ops('10.0.0.7:5432/other'));
      expect(ops('10.0.0.7:5432/yunke')).not.toBe(ops('10.0.0.8:5432/yunke'));
      expect(ops('10.0.0.7:5432/yunke')).toBe(
        stagingDirFor(`postgres://desk@10.0.0.7:5432/yunke?application_name=ops@desk1${more}`),
      );
    }
  });
});
