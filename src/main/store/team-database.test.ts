// The desk's choice of store (issue 13): a file beside the preferences, the password sealed.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aesSecretBox } from '../api/env-secret-box';
import {
  clearTeamDatabase,
  maskTeamUrl,
  readTeamDatabase,
  sealPassword,
  splitTeamUrl,
  TEAM_DATABASE_FILE,
  TeamDatabaseError,
  teamDatabaseUrl,
  writeTeamDatabase,
} from './team-database';

const PASSWORD = 'S3cret:p@ss/wörd%';
let dir: string;
let file: string;
const box = aesSecretBox(Buffer.alloc(32, 7));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'yunke-teamdb-'));
  file = join(dir, TEAM_DATABASE_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function thrown(f: () => unknown): TeamDatabaseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TeamDatabaseError);
    return e as TeamDatabaseError;
  }
  throw new Error('expected a refusal');
}

describe('the team database choice file', () => {
  it('no file: the desk uses its local SQLite store', () => {
    expect(readTeamDatabase(file)).toBeNull();
    expect(teamDatabaseUrl(file, box)).toBeNull();
    expect(clearTeamDatabase(file)).toBe(false);
  });

  it('round trip: the URL without its password, the password sealed, the full URL given back at start-up', () => {
    const { url, password } = splitTeamUrl(`postgres://yunke@db.example:5432/team?sslmode=require`, PASSWORD);
    expect(url).toBe('postgres://yunke@db.example:5432/team?sslmode=require');
    writeTeamDatabase(file, {
      url,
      passwordSealed: sealPassword(box, password),
      savedAt: 1_700_000_000_000,
      savedBy: 'ADM1',
    });
    const back = readTeamDatabase(file)!;
    expect(back.url).toBe(url);
    expect(back.savedBy).toBe('ADM1');
    expect(box.open(back.passwordSealed!)).toBe(PASSWORD);
    const full = new URL(teamDatabaseUrl(file, box)!);
    expect(decodeURIComponent(full.password)).toBe(PASSWORD);
    expect(full.username).toBe('yunke');
    expect(full.searchParams.get('sslmode')).toBe('require');
    expect(clearTeamDatabase(file)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(teamDatabaseUrl(file, box)).toBeNull();
  });

  it('a password with a stray % (not percent-encoded) is taken as written, not refused as a URIError', () => {
    expect(splitTeamUrl('postgres://yunke:50%off@db.example/team')).toEqual({
      url: 'postgres://yunke@db.example/team',
      password: '50%off',
    });
  });

  it('the file never holds the password in clear (neither as typed nor percent-encoded)', () => {
    // a password written into the URL is taken out too
    const { url, password } = splitTeamUrl(
      `postgres://yunke:${encodeURIComponent(PASSWORD)}@db.example/team`,
      undefined,
    );
    expect(password).toBe(PASSWORD);
    writeTeamDatabase(file, {
      url,
      passwordSealed: sealPassword(box, password),
      savedAt: 1,
      savedBy: 'ADM1',
    });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
    expect(text).not.toContain('S3cret');
    expect(JSON.parse(text).url).toBe('postgres://yunke@db.example/team');
    // ?password= is taken out as well; the separate field wins over the URL's
    const q = splitTeamUrl('postgresql://yunke@db.example/team?password=inurl&application_name=x', 'field');
    expect(q).toEqual({ url: 'postgresql://yunke@db.example/team?application_name=x', password: 'field' });
  });

  it('a damaged file: a bilingual error naming the file, and the file left as it was', () => {
    writeFileSync(file, '{"version":1,"url":');
    const e = thrown(() => readTeamDatabase(file));
    expect(e.code).toBe('TEAM_DB_FILE_DAMAGED');
    expect(e.message).toMatch(/已损坏/);
    expect(e.message).toMatch(/damaged/);
    expect(e.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"url":');
    expect(() => teamDatabaseUrl(file, box)).toThrow(TeamDatabaseError);
    // a wrong shape, or a URL holding a password in clear, is damaged too
    writeFileSync(file, JSON.stringify({ version: 1, url: 'postgres://a@h/d', passwordSealed: 3 }));
    expect(thrown(() => readTeamDatabase(file)).code).toBe('TEAM_DB_FILE_DAMAGED');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        url: 'postgres://a:pw@h/d',
        passwordSealed: null,
        savedAt: 1,
        savedBy: 'x',
      }),
    );
    expect(thrown(() => readTeamDatabase(file)).message).not.toContain('pw@');
  });

  it('saving or clearing over a damaged file keeps it aside instead of losing it', () => {
    writeFileSync(file, 'not json');
    writeTeamDatabase(file, { url: 'postgres://a@h/d', passwordSealed: null, savedAt: 1, savedBy: 'x' });
    expect(readTeamDatabase(file)!.url).toBe('postgres://a@h/d');
    const aside = readdirSync(dir).filter((n) => n.startsWith(`${TEAM_DATABASE_FILE}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]), 'utf8')).toBe('not json');
    writeFileSync(file, '[]');
    expect(clearTeamDatabase(file)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.damaged-'))).toHaveLength(2);
  });

  it('not a PostgreSQL URL, or no host: refused in both languages, without the password', () => {
    for (const bad of ['mysql://root:hunter22@h/d', 'http://h/d', 'db.example:5432', 'postgres:///team']) {
      const e = thrown(() => splitTeamUrl(bad, 'hunter22'));
      expect(e.code).toBe('TEAM_DB_URL');
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      expect(e.message).toMatch(/PostgreSQL|URL|host/);
      expect(e.message).not.toContain('hunter22');
    }
  });

  it('a password without a SecretBox is refused (as API tokens are); a URL without one needs none', () => {
    const e = thrown(() => sealPassword(undefined, 'pw'));
    expect(e.code).toBe('TEAM_DB_NO_SECRETS');
    expect(e.message).toMatch(/钥匙串/);
    expect(sealPassword(undefined, null)).toBeNull();
    writeTeamDatabase(file, { url: 'postgres://a@h/d', passwordSealed: null, savedAt: 1, savedBy: 'x' });
    expect(teamDatabaseUrl(file, undefined)).toBe('postgres://a@h/d');
    // a sealed password cannot be opened where there is no box, nor by another key
    writeTeamDatabase(file, {
      url: 'postgres://a@h/d',
      passwordSealed: box.seal('pw'),
      savedAt: 1,
      savedBy: 'x',
    });
    expect(thrown(() => teamDatabaseUrl(file, undefined)).code).toBe('TEAM_DB_NO_SECRETS');
    expect(thrown(() => teamDatabaseUrl(file, aesSecretBox(Buffer.alloc(32, 9)))).code).toBe(
      'TEAM_DB_UNSEAL',
    );
  });

  it('the masked URL shows user, host and database, never the password', () => {
    expect(maskTeamUrl('postgres://yunke:pw@h:5432/team')).toBe('postgres://yunke:***@h:5432/team');
    expect(maskTeamUrl('postgres://yunke@h/team', true)).toBe('postgres://yunke:***@h/team');
    expect(maskTeamUrl('postgres://yunke@h/team?password=pw')).toBe('postgres://yunke@h/team');
  });
});
