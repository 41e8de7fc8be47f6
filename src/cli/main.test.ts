import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore } from '../main/store/open-store';
import { badPort, notATeamUrl } from '../main/store/pg-sync/open-port-store';
import type { CliIO } from './command';
import { main, withoutPassword } from './main';
import { cliContext } from './actor';
import { everyRow } from './commands/desk';
import { world } from '../main/test-support/world';

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false };
}

/** every store and file the tests make, removed after them */
const root = mkdtempSync(join(tmpdir(), 'yunke-cli-tests-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('yunke-desk command line', () => {
  it('lists every command of DATA.md in --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['import', 'pull', 'recompute', 'explain', 'export', 'demo', 'serve']) {
      expect(io.stdout.join('\n')).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    }
  });

  it('issue 13: a team database out of reach is refused with exit 1, naming it without its password', async () => {
    const saved = process.env.PGPASSWORD;
    try {
      const io = capture();
      // port 1 of the loopback: nothing listens (refused at once)
      expect(await main(['recompute', '--db', 'postgres://desk:s3cret%21@127.0.0.1:1/yunke'], io)).toBe(1);
      const said = io.stderr.join('');
      expect(said).toContain('postgres://desk@127.0.0.1:1/yunke');
      expect(said).toMatch(/无法连接团队数据库.*cannot reach the team database .*is the server running/s);
      expect(said).not.toContain('s3cret');
      // the password went to node-pg's PGPASSWORD, decoded
      expect(process.env.PGPASSWORD).toBe('s3cret!');
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });

  it('issue 13: a team database whose host name does not resolve says so (not that nobody listens), exit 1', async () => {
    const io = capture();
    // .invalid never resolves (RFC 2606): ENOTFOUND, or EAI_AGAIN where no name server answers
    expect(
      await main(
        ['export', '--db', 'postgres://desk@no-such-host.invalid:5432/yunke', '--what', 'orders'],
        io,
      ),
    ).toBe(1);
    const said = io.stderr.join('');
    expect(said).toMatch(/找不到团队数据库 postgres:\/\/desk@no-such-host\.invalid:5432\/yunke 的主机/);
    expect(said).toMatch(
      /the host of the team database .* is not found: its name cannot be resolved; check the host name/,
    );
    expect(said).not.toMatch(/is the server running/);
  });

  it('R-OP-1: a PIN that is not 4 to 12 digits is refused in both languages (exit 1), and nobody is added', async () => {
    const file = join(root, 'bad-pin.db');
    const saved = process.env.YUNKE_PIN;
    try {
      for (const bad of ['12', 'abcd', '1234567890123']) {
        process.env.YUNKE_PIN = bad;
        const io = capture();
        const args = [
          'operator',
          'add',
          '--db',
          file,
          '--id',
          'A1',
          '--name',
          'Ann',
          '--role',
          'admin',
          '--pin',
        ];
        expect(await main(args, io), bad).toBe(1);
        const said = io.stderr.join('');
        expect(said).toMatch(/pin: PIN 须为 4–12 位数字 \/ 4 to 12 digits/);
      }
    } finally {
      if (saved === undefined) delete process.env.YUNKE_PIN;
      else process.env.YUNKE_PIN = saved;
    }
    const s = openStore(file);
    try {
      expect(s.sqlite.prepare('SELECT COUNT(*) FROM operators').pluck().get()).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('R-OP-1, R-OP-4: wrong PINs are counted across runs of the command line: after 5 in a row, the right one is refused too for a while', async () => {
    const file = join(root, 'pin-runs.db');
    const saved = process.env.YUNKE_PIN;
    const run = async (pin: string) => {
      process.env.YUNKE_PIN = pin;
      const io = capture();
      const code = await main(['operator', 'list', '--db', file, '--as', 'A1'], io);
      return { code, said: io.stderr.join('') };
    };
    try {
      process.env.YUNKE_PIN = '2468';
      expect(
        await main(
          ['operator', 'add', '--db', file, '--id', 'A1', '--name', 'Ann', '--role', 'admin', '--pin'],
          capture(),
        ),
      ).toBe(0);
      expect((await run('2468')).code).toBe(0);
      // (A2: added by A1, with the same PIN, which YUNKE_PIN gives both)
      expect(
        await main(
          [
            'operator',
            'add',
            '--db',
            file,
            '--id',
            'A2',
            '--name',
            'Bo',
            '--role',
            'admin',
            '--pin',
            '--as',
            'A1',
          ],
          capture(),
        ),
      ).toBe(0);
      // each run is a process of its own: the count is the store's
      for (let i = 0; i < 4; i++)
        expect(await run('0000')).toMatchObject({ code: 1, said: expect.stringMatching(/wrong PIN for A1/) });
      const fifth = await run('0000');
      expect(fifth.said).toMatch(/too many wrong PINs for operator A1: try again in 1 min/);
      const right = await run('2468');
      expect(right.code).toBe(1);
      expect(right.said).toMatch(/PIN 连续输错次数过多.*too many wrong PINs for operator A1/s);
      // a command that opens the store read-only (audit verify) counts them too: A2's five wrong PINs
      // there pause it
      const audit = async (pin: string) => {
        process.env.YUNKE_PIN = pin;
        const io = capture();
        const code = await main(['audit', 'verify', '--db', file, '--as', 'A2'], io);
        return { code, said: io.stderr.join('') };
      };
      expect((await audit('2468')).code).toBe(0);
      for (let i = 0; i < 5; i++) expect((await audit('0000')).code).toBe(1);
      expect(await audit('2468')).toMatchObject({
        code: 1,
        said: expect.stringMatching(/too many wrong PINs for operator A2/),
      });
      // a store of an earlier build (no count table yet), verified with --as, is not migrated by it
      const db = new Database(file);
      db.exec("DROP TABLE pin_attempts; DELETE FROM _migrations WHERE name = 'pin attempts'");
      db.close();
      expect((await audit('2468')).code).toBe(0);
      const after = new Database(file, { readonly: true });
      expect(
        after.prepare("SELECT name FROM sqlite_master WHERE name = 'pin_attempts'").get(),
      ).toBeUndefined();
      after.close();
    } finally {
      if (saved === undefined) delete process.env.YUNKE_PIN;
      else process.env.YUNKE_PIN = saved;
    }
  });

  it('issue 13: a password in a URL without a host (a local socket: postgres://desk:secret@/yunke) leaves it too, to PGPASSWORD', () => {
    const saved = process.env.PGPASSWORD;
    try {
      expect(
        withoutPassword(['export', '--db', 'postgres://desk:s3cret%21@/yunke', '--what', 'orders']),
      ).toEqual(['export', '--db', 'postgres://desk@/yunke', '--what', 'orders']);
      expect(process.env.PGPASSWORD).toBe('s3cret!');
      expect(withoutPassword(['--db=postgres://desk:pw@:5433/yunke?sslmode=disable'])).toEqual([
        '--db=postgres://desk@:5433/yunke?sslmode=disable',
      ]);
      expect(process.env.PGPASSWORD).toBe('pw');
      // node-pg reads a password's unencoded @ (up to the last @ before the host): all of it leaves
      expect(withoutPassword(['--db', 'postgres://desk:sec@ret@/yunke'])).toEqual([
        '--db',
        'postgres://desk@/yunke',
      ]);
      expect(process.env.PGPASSWORD).toBe('sec@ret');
      // no password, or an @ only after the host: as it is
      for (const url of ['postgres://desk@/yunke', 'postgres:///yunke?application_name=a@b'])
        expect(withoutPassword(['--db', url])).toEqual(['--db', url]);
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });

  it('exits 2 with the overview for no command or an unknown one', async () => {
    const none = capture();
    expect(await main([], none)).toBe(2);
    const unknown = capture();
    expect(await main(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain('unknown command "frobnicate"');
  });

  it('prints per-command help and exits 2 on a missing required option', async () => {
    const help = capture();
    expect(await main(['demo', '--help'], help)).toBe(0);
    expect(help.stdout.join('')).toContain('yunke-desk demo --db FILE');
    const missing = capture();
    expect(await main(['demo'], missing)).toBe(2);
    expect(missing.stderr.join('')).toContain('--db is required');
    const badOption = capture();
    expect(await main(['demo', '--db', 'x.db', '--colour', 'red'], badOption)).toBe(2);
    expect(badOption.stderr.join('')).toContain('unknown option --colour');
  });

  it("the lists' --format json (operator list, shared-ip list, payouts prepare) use snake_case keys and instants as text, as DATA.md's lists do (R-OP-1, R-SAME-4, R-PAY-1)", async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    const run = async (...argv: string[]) => {
      const io = capture();
      const code = await main([...argv, '--db', file], io);
      expect(code, io.stderr.join('')).toBe(0);
      return io.stdout.join('');
    };
    await run('demo', '--scale', '0.02');
    const ops = JSON.parse(await run('operator', 'list', '--format', 'json')) as Record<string, unknown>[];
    expect(ops.find((o) => o.operator_id === 'demo-admin')).toEqual({
      operator_id: 'demo-admin',
      name: expect.any(String),
      role: 'admin',
      has_pin: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
      created_by: null,
    });
    await run(
      'shared-ip',
      'add',
      '--ip',
      '10.9.8.7',
      '--reason',
      'office NAT',
      '--as',
      'demo-admin',
      '--at',
      '2026-10-01T00:00:00+08:00',
    );
    const marks = JSON.parse(await run('shared-ip', 'list', '--format', 'json')) as Record<string, unknown>[];
    expect(marks.find((m) => m.ip === '10.9.8.7')).toEqual({
      mark_id: expect.any(Number),
      ip: '10.9.8.7',
      active: true,
      marked_at: '2026-10-01T00:00:00+08:00',
      marked_by: 'demo-admin',
      reason: 'office NAT',
      recorded_at: expect.stringMatching(/\+08:00$/),
      unmarked_at: null,
      unmarked_by: null,
      unmark_reason: null,
      unmark_recorded_at: null,
    });
    const store = openStore(file);
    // a store with a long history of marks: the list pages through all of them (500 per call)
    const mark = store.sqlite.prepare(
      "INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at) VALUES (?, 'old office', 'demo-admin', ?, ?)",
    );
    store.sqlite.transaction(() => {
      for (let i = 0; i < 600; i++)
        mark.run(`10.200.${i >> 8}.${i & 255}`, Date.UTC(2025, 0, 1) + i, Date.UTC(2025, 0, 1) + i);
    })();
    await store.close();
    const all = JSON.parse(await run('shared-ip', 'list', '--format', 'json')) as { ip: string }[];
    expect(all.length).toBe(marks.length + 600);
    expect(new Set(all.map((m) => m.ip)).size).toBe(all.length);
    const text = capture();
    expect(await main(['shared-ip', 'list', '--db', file], text)).toBe(0);
    expect(text.stdout).toHaveLength(all.length);
    const reopened = openStore(file);
    const partner = reopened.sqlite
      .prepare(
        'SELECT partner_id FROM partners WHERE partner_id NOT IN (SELECT partner_id FROM blacklist_entries) ORDER BY partner_id LIMIT 1',
      )
      .pluck()
      .get() as string;
    const entries = reopened.sqlite.prepare('SELECT COUNT(*) FROM blacklist_entries').pluck().get() as number;
    await reopened.close();
    await run(
      'blacklist',
      'add',
      '--partner',
      partner,
      '--reason',
      'fake orders',
      '--as',
      'demo-admin',
      '--at',
      '2026-10-02T00:00:00+08:00',
    );
    const listed = JSON.parse(await run('blacklist', 'list', '--format', 'json')) as Record<
      string,
      unknown
    >[];
    expect(listed).toHaveLength(entries + 1);
    expect(listed.find((e) => e.partner_id === partner)).toMatchObject({
      entry_id: expect.any(Number),
      since: '2026-10-02T00:00:00+08:00',
      until: null,
      restrict_promotion: true,
      reason: 'fake orders',
      added_by: 'demo-admin',
    });
    const again = openStore(file);
    const cycle = again.sqlite
      .prepare(
        "SELECT cycle_key FROM result_payouts WHERE status = 'due' AND amount_fen > 0 GROUP BY cycle_key ORDER BY max(cycle_end) DESC LIMIT 1",
      )
      .pluck()
      .get() as string;
    await again.close();
    // a --format it cannot print is refused (exit 2) before anything is done: no batch prepared
    for (const argv of [
      ['payouts', 'prepare', '--cycle', cycle, '--as', 'demo-finance', '--format', 'csv'],
      ['operator', 'list', '--format', 'xml'],
      ['shared-ip', 'list', '--format', 'JSON'],
      ['blacklist', 'list', '--format', 'yaml'],
      ['risk', 'list', '--format', 'table'],
      ['dispute', 'list', '--format', 'csv'],
      // (its config file is not read first: a usage error is said as one)
      ['what-if', '--config', join(root, 'no-such-config.json'), '--format', 'csv'],
      [
        'operator',
        'add',
        '--id',
        'op-x',
        '--name',
        'X',
        '--role',
        'support',
        '--as',
        'demo-admin',
        '--format',
        'xml',
      ],
    ]) {
      const io = capture();
      expect(await main([...argv, '--db', file], io), argv.join(' ')).toBe(2);
      expect(io.stderr.join('')).toContain(
        '--format 只能是 json（或 text） / --format must be json (or text)',
      );
      expect(io.stdout).toEqual([]);
    }
    const counted = openStore(file);
    expect(counted.sqlite.prepare('SELECT COUNT(*) FROM payout_batches').pluck().get()).toBe(0);
    await counted.close();
    const batch = JSON.parse(
      await run('payouts', 'prepare', '--cycle', cycle, '--as', 'demo-finance', '--format', 'json'),
    );
    expect(Object.keys(batch)).toEqual([
      'batch_id',
      'cycle',
      'lines',
      'total_fen',
      'missing_payee',
      'frozen',
      'run_id',
      'as_of',
      'config_version',
    ]);
    expect(batch).toMatchObject({
      cycle,
      missing_payee: { lines: expect.any(Number), fen: expect.any(Number) },
    });
    expect(batch.lines).toBeGreaterThan(0);
    expect(batch.total_fen).toBeGreaterThan(0);
    expect(batch.as_of).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  it('a list of more than one page is read in one snapshot: a mark another desk adds meanwhile neither repeats a row nor drops one (R-SAME-4)', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.01', '--no-recompute'], capture())).toBe(0);
    const store = openStore(file);
    const other = openStore(file);
    try {
      const mark = (s: typeof store, ip: string, at: number) =>
        s.sqlite
          .prepare(
            "INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at) VALUES (?, 'old office', 'demo-admin', ?, ?)",
          )
          .run(ip, at, at);
      store.sqlite.transaction(() => {
        for (let i = 0; i < 700; i++) mark(store, `10.201.${i >> 8}.${i & 255}`, Date.UTC(2025, 0, 1) + i);
      })();
      const before = store.sqlite.prepare('SELECT COUNT(*) FROM shared_ips').pluck().get() as number;
      const ctx = cliContext(store, { operatorId: 'demo-admin', role: 'admin', name: 'admin' });
      let added = 0;
      // another desk marks IPs, the newest first in the list, while the pages are read
      const rows = await everyRow<{ markId: number }>(ctx, 'ips.list', 'all', () => {
        mark(other, `10.202.0.${++added}`, Date.UTC(2026, 10, 1) + added);
      });
      expect(added).toBe(1);
      expect(rows).toHaveLength(before);
      expect(new Set(rows.map((r) => r.markId)).size).toBe(before);
      expect(await everyRow(ctx, 'ips.list', 'all')).toHaveLength(before + 1);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('a list of more than one page is read at one instant: marks that end between two pages are on the list whole or not at all (R-SAME-4, R-OP-3)', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.01', '--no-recompute'], capture())).toBe(0);
    const store = openStore(file);
    try {
      const t0 = Date.UTC(2026, 11, 1, 4);
      const ended = t0 + 1000;
      store.sqlite.transaction(() => {
        const ins = store.sqlite.prepare(
          "INSERT INTO shared_ips (ip, reason, marked_by, marked_at, recorded_at, unmarked_by, unmarked_at, unmark_reason, unmark_recorded_at) VALUES (?, 'old office', 'demo-admin', ?, ?, 'demo-admin', ?, 'moved', ?)",
        );
        for (let i = 0; i < 700; i++)
          ins.run(`10.203.${i >> 8}.${i & 255}`, t0 - 3_600_000, t0 - 3_600_000, ended, t0);
      })();
      const activeAt = (t: number) =>
        store.sqlite
          .prepare(
            'SELECT COUNT(*) FROM shared_ips WHERE marked_at <= ? AND (unmarked_at IS NULL OR unmarked_at > ?)',
          )
          .pluck()
          .get(t, t) as number;
      expect(activeAt(t0)).toBeGreaterThan(500);
      // the clock passes the marks' end between the first page and the second
      let calls = 0;
      const ctx = {
        ...cliContext(store, { operatorId: 'demo-admin', role: 'admin', name: 'admin' }),
        now: () => (calls++ === 0 ? t0 : ended + 1),
      };
      const rows = await everyRow<{ markId: number }>(ctx, 'ips.list', 'active');
      expect(rows).toHaveLength(activeAt(t0));
      expect(new Set(rows.map((r) => r.markId)).size).toBe(rows.length);
    } finally {
      await store.close();
    }
  });

  it('R-OP-1: a decision given without --as is refused saying which operator it needs and how to name one', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.01', '--no-recompute'], capture())).toBe(0);
    const io = capture();
    const argv = ['blacklist', 'add', '--db', file, '--partner', 'YK100001', '--reason', '退款率偏高待复核'];
    expect(await main(argv, io)).toBe(1);
    expect(io.stderr.join('')).toContain(
      'blacklist.add 需要 admin 角色的操作员（R-OP-1），请用 --as 操作员编号 指定',
    );
    expect(io.stderr.join('')).toContain(
      'no --as given: blacklist.add needs an operator of role admin (R-OP-1)',
    );
    // with --as an admin, the same command is done
    expect(await main([...argv, '--as', 'demo-admin'], capture())).toBe(0);
  });

  it('a missing or wrong pull configuration and an unknown rule config version are told in both languages', async () => {
    const dir = mkdtempSync(join(root, 'yunke-cli-'));
    const file = join(dir, 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.01', '--no-recompute'], capture())).toBe(0);
    let io = capture();
    expect(await main(['pull', '--db', file, '--config', join(dir, 'none.json')], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /无法读取拉取配置 .*none\.json \/ cannot read the pull configuration/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ bogus: 1 }));
    io = capture();
    expect(await main(['pull', '--db', file, '--config', bad], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(
      /拉取配置 .*bad\.json 有误（见下） \/ the pull configuration .* is not valid/,
    );
    io = capture();
    expect(await main(['recompute', '--db', file, '--config-version', '99'], io)).toBe(1);
    expect(io.stderr.join('')).toContain('规则配置版本 99 不存在 / rule config version 99 does not exist');
  });

  it('says one thing in the singular: “1 order (1 valid), 1 partner”, not “1 partners”', async () => {
    const w = world().partner('P1').customer('C1').event('E1', 'P1', 'C1', 'register', '2026-03-01 10:00:00');
    w.order('O1', 'C1', '2026-03-02 10:00:00', 1000);
    const file = w.file;
    await w.store.close();
    const io = capture();
    expect(await main(['recompute', '--db', file, '--as-of', '2026-11-01T00:00:00+08:00'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/: 1 order \(1 valid\), 1 partner, 0 same-person groups in /);
  });

  it('an unreadable time or a value a flag does not take is a usage error (exit 2) naming what it takes, on every command', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.01', '--no-recompute'], capture())).toBe(0);
    const decideAt = (at: string, as: string) => [
      ...['dispute', 'decide', '--dispute', '1', '--decision', 'reject', '--reason', '证据不足以支持'],
      ...['--at', at, '--as', as],
    ];
    const cases: [string[], RegExp][] = [
      [
        [
          'dispute',
          'open',
          '--partner',
          'YK100001',
          '--customer',
          'K1',
          '--claim',
          '客户说是通过我的链接注册的',
          '--claimed-at',
          '01/08/2026',
          '--as',
          'demo-admin',
        ],
        /--claimed-at: cannot read "01\/08\/2026"/,
      ],
      [decideAt('2026-08-32', 'demo-admin'), /--at: cannot read "2026-08-32"/],
      // (read before the operator is: an unknown one is not what is said)
      [decideAt('tomorrow', 'nobody'), /--at: cannot read "tomorrow"/],
      [
        ['blacklist', 'list', '--status', 'gone'],
        /--status must be one of active, scheduled, lifted, all, got "gone"/,
      ],
      [['shared-ip', 'list', '--status', 'gone'], /--status must be one of active, ended, all, got "gone"/],
      [
        ['operator', 'add', '--id', 'B1', '--name', 'Boss', '--role', 'boss', '--as', 'demo-admin'],
        /--role must be one of admin, finance, support, got "boss"/,
      ],
    ];
    const count = openStore(file);
    const disputes = count.sqlite.prepare('SELECT COUNT(*) FROM disputes').pluck().get() as number;
    await count.close();
    for (const [[command, sub, ...rest], said] of cases) {
      const io = capture();
      expect(await main([command, sub, '--db', file, ...rest], io), `${command} ${sub}`).toBe(2);
      expect(io.stderr.join('\n')).toMatch(said);
    }
    // nothing was written
    const s = openStore(file);
    try {
      expect(s.sqlite.prepare("SELECT COUNT(*) FROM operators WHERE operator_id = 'B1'").pluck().get()).toBe(
        0,
      );
      expect(s.sqlite.prepare('SELECT COUNT(*) FROM disputes').pluck().get()).toBe(disputes);
    } finally {
      await s.close();
    }
  });

  it("R-OP-3: a what-if of a rule configuration effective after the results' as-of says it changes nothing until a later recompute, as a decision's does", async () => {
    const dir = mkdtempSync(join(root, 'yunke-cli-'));
    const file = join(dir, 'store.db');
    expect(await main(['demo', '--db', file, '--scale', '0.02', '--no-recompute'], capture())).toBe(0);
    expect(await main(['recompute', '--db', file, '--as-of', '2026-11-01T00:00:00+08:00'], capture())).toBe(
      0,
    );
    const s = openStore(file);
    const config = join(dir, 'config.json');
    const current = JSON.parse(
      s.sqlite.prepare('SELECT config_json FROM rule_configs LIMIT 1').pluck().get() as string,
    );
    await s.close();
    writeFileSync(config, JSON.stringify(current));
    const later = capture();
    expect(
      await main(['what-if', '--db', file, '--config', config, '--at', '2026-11-15T00:00:00+08:00'], later),
    ).toBe(0);
    expect(later.stderr.join('')).toMatch(
      /effective 2026-11-15T00:00:00\+08:00, after the results' as-of 2026-11-01T00:00:00\+08:00 .*\(R-OP-3\)/,
    );
    const earlier = capture();
    expect(
      await main(['what-if', '--db', file, '--config', config, '--at', '2026-01-01T00:00:00+08:00'], earlier),
    ).toBe(0);
    expect(earlier.stderr.join('')).not.toMatch(/R-OP-3/);
  });

  it('export before any recompute prints valid empty JSON and says on stderr that the engine has not run', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'store.db');
    await openStore(file).close();
    const io = capture();
    expect(await main(['export', '--db', file, '--what', 'orders', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual([]);
    expect(io.stderr.join('')).toContain('has not run');
  });

  it('export and payouts export refuse an --out that is the store or its WAL, and leave the store as it was', async () => {
    const dir = mkdtempSync(join(root, 'yunke-cli-'));
    const file = join(dir, 'store.db');
    await openStore(file).close();
    const before = readFileSync(file);
    for (const argv of [
      ['export', '--db', file, '--what', 'orders', '--format', 'csv', '--out', file],
      // the same file by another spelling of its path
      ['export', '--db', file, '--what', 'orders', '--out', join(dir, '.', 'sub', '..', 'store.db')],
      ['export', '--db', file, '--what', 'orders', '--out', `${file}-wal`],
      [
        'payouts',
        'export',
        '--db',
        file,
        '--batch',
        '1',
        '--format',
        'csv',
        '--layout',
        'bank',
        '--out',
        file,
        '--as',
        'x',
      ],
    ]) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr.join('')).toContain('is the store');
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // another file beside it is written as before
    const io = capture();
    expect(
      await main(['export', '--db', file, '--what', 'orders', '--out', join(dir, 'orders.json')], io),
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'orders.json'), 'utf8'))).toEqual([]);
  });

  it('recompute, explain and export refuse a store file that does not exist, and create none', async () => {
    const file = join(mkdtempSync(join(root, 'yunke-cli-')), 'typo.db');
    for (const argv of [
      ['recompute', '--db', file],
      ['explain', '--db', file, '--order', 'O1'],
      ['export', '--db', file, '--what', 'orders'],
    ]) {
      const io = capture();
      expect(await main(argv, io)).toBe(1);
      expect(io.stderr.join('')).toContain(`store ${file} does not exist`);
    }
    expect(existsSync(file)).toBe(false);
  });

  it('issue 13: a --db that reads as a URL of another kind (a mistyped scheme) is refused with exit 2, its password masked, and makes no store', async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(join(root, 'yunke-cli-url-'));
    process.chdir(dir);
    try {
      for (const [argv, shown] of [
        [
          ['demo', '--db', 'mysql://yunke:s3cret@127.0.0.1:5432/yunke', '--scale', '0.01'],
          'mysql://yunke:***@127.0.0.1:5432/yunke',
        ],
        [
          ['import', '--db=postgress://yunke:s3cret@db/yunke', '--source', 'orders', 'x.csv'],
          'postgress://yunke:***@db/yunke',
        ],
        [['operator', 'list', '--db', 'postgres:/yunke:s3cret@db/yunke'], 'postgres:/yunke:***@db/yunke'],
        [['recompute', '--db', 'sqlite://store.db'], 'sqlite://store.db'],
        // the colon left out: it made ./postgres/yunke:s3cret@db/yunke, password and all
        [
          ['import', '--db', 'postgres//yunke:s3cret@db/yunke', '--source', 'orders', 'x.csv'],
          'postgres//yunke:***@db/yunke',
        ],
        [
          ['export', '--db', 'postgresql//yunke@db/yunke?password=s3cret'],
          'postgresql//yunke@db/yunke?password=***',
        ],
      ] as const) {
        const io = capture();
        expect(await main([...argv], io), argv.join(' ')).toBe(2);
        const said = io.stderr.join('');
        expect(said).toContain(`${shown} reads as a URL but not a postgres:// or postgresql:// one`);
        expect(said).toMatch(/看起来是网址，但不是 postgres:\/\/ 或 postgresql:\/\/ 地址/);
        expect(said).not.toContain('s3cret');
      }
      // a team database's URL pasted with spaces around it: said so
      const io = capture();
      expect(await main(['demo', '--db', ' postgres://yunke:s3cret@db/yunke', '--scale', '0.01'], io)).toBe(
        2,
      );
      expect(io.stderr.join('')).toContain('"postgres://yunke:***@db/yunke" has spaces around it');
      expect(io.stderr.join('')).not.toContain('s3cret');
      // nothing made where the URL would have been a path
      expect(readdirSync(dir)).toEqual([]);
      // a folder named postgres is still a path
      expect(notATeamUrl('postgres/yunke.db')).toBeNull();
      expect(notATeamUrl('postgres:backup.db')).toBeNull();
      // spaces after it too
      expect(notATeamUrl('postgres://yunke@db/yunke ')).toContain('has spaces around it');
      expect(notATeamUrl('postgres_backup.db')).toBeNull();
      // a store file's path is still a path (a Windows drive letter is not a scheme)
      expect(notATeamUrl('C:/stores/yunke.db')).toBeNull();
      expect(notATeamUrl('D:\\yunke.db')).toBeNull();
      expect(notATeamUrl('./yunke.db')).toBeNull();
      expect(notATeamUrl('postgresql://desk@db/yunke')).toBeNull();
      // and the core refuses it too (the app opens stores by the same function)
      expect(() => openStore('mysql://yunke:s3cret@db/yunke')).toThrow(
        /mysql:\/\/yunke:\*\*\*@db\/yunke reads as a URL/,
      );
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('issue 13: a team database URL whose port is not a number says so, not that the password is unreadable; exit 2, as for a URL of another kind', async () => {
    const io = capture();
    // a --db that cannot be read is a usage error (exit 2, with the usage line), as a URL of another kind is
    expect(await main(['recompute', '--db', 'postgres://yunke:s3cret@127.0.0.1:notaport/yunke'], io)).toBe(2);
    const said = io.stderr.join('');
    expect(said).toMatch(/端口 "notaport" 不是端口号/);
    expect(said).toMatch(
      /the port "notaport" in the team database URL postgres:\/\/yunke:\*\*\*@127\.0\.0\.1:notaport\/yunke is not a port number/,
    );
    expect(said).not.toMatch(/percent-encoded|s3cret/);
    expect(said).toContain('Usage: yunke-desk recompute');
    expect(badPort('postgres://u@[::1]:5432/db')).toBeNull();
    expect(badPort('postgres://u:p@host/db')).toBeNull();
    expect(badPort('postgres://u@host:99999/db')).toBe('99999');
    // a password holding an unencoded / ? or # is the URL's own problem (percent-encoding), not the port's
    expect(badPort('postgres://alice:pa#ss@127.0.0.1:1/teamdb')).toBeNull();
    expect(badPort('postgres://alice:pa/ss@127.0.0.1:1/teamdb')).toBeNull();
    expect(badPort('postgres://alice@127.0.0.1:5432?sslmode=require')).toBeNull();
  });
});
