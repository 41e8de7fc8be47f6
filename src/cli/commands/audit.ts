import { createWriteStream } from 'node:fs';
import { exportAudit } from '../../main/audit/export';
import { verifyAuditStore } from '../../main/audit/verify';
import { actorFor, requireAllowed } from '../actor';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import { openExistingStore, type Command } from '../command';
import { count } from '../count';

const PROBLEM = {
  gap: { zh: '前面缺少条目（被删除）', en: 'an entry before it is missing (removed)' },
  link: {
    zh: '与前一条的链接不符（被删除或移动）',
    en: 'its link to the entry before does not match (removed or moved)',
  },
  content: { zh: '内容与其哈希不符（被修改）', en: 'its content does not give its hash (edited)' },
  head: {
    zh: '链头与最后一条不符（末尾条目被删除）',
    en: 'the head does not match the last entry (last entries removed)',
  },
} as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify or export the audit log (R-OP-2)',
  usage:
    'yunke-desk audit verify --db FILE\n       yunke-desk audit export --db FILE [--format csv|jsonl] [--out FILE]',
  help:
    'verify walks the hash chain: exit 0 "intact: N entries, head HASH"; exit 1 naming the first broken entry\n' +
    "(edited, removed or moved behind the store's back). export writes every entry, oldest first, with its hashes.",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify' && sub !== 'export')
      throw new UsageError('请指定子命令：audit verify | audit export / audit verify | audit export');
    const args = parseArgs(rest, { values: ['db', 'format', 'out', 'as'], booleans: [] });
    const file = requireFlag(args, 'db');
    const format = optionalFlag(args, 'format') ?? 'csv';
    if (sub === 'export' && format !== 'csv' && format !== 'jsonl')
      throw new UsageError('--format 只能是 csv 或 jsonl / --format must be csv or jsonl');
    const store = openExistingStore(file, 'audit', io, { readonly: true });
    if (!store) return 1;
    try {
      const actor = await actorFor(store, args);
      requireAllowed(sub === 'verify' ? 'audit.verify' : 'audit.export', actor);
      if (sub === 'verify') {
        const v = await verifyAuditStore(store);
        if (v.intact) {
          io.out(
            `intact: ${count(v.entries, 'entry', 'entries')}, head ${v.head} / 链完整：${v.entries} 条，头哈希 ${v.head}`,
          );
          return 0;
        }
        const b = v.broken!;
        const p = PROBLEM[b.problem];
        io.err(
          `broken at entry #${b.auditId}: ${p.en} (expected ${b.expected}, found ${b.found}) / ` +
            `第 ${b.auditId} 条出错：${p.zh}`,
        );
        return 1;
      }
      const out = optionalFlag(args, 'out');
      if (out) {
        const stream = createWriteStream(out);
        const n = await exportAudit(
          store.db,
          format as 'csv' | 'jsonl',
          (chunk) => new Promise<void>((res, rej) => stream.write(chunk, (e) => (e ? rej(e) : res()))),
        );
        await new Promise<void>((res, rej) => stream.end((e?: Error | null) => (e ? rej(e) : res())));
        io.out(`audit export: ${count(n, 'entry', 'entries')} → ${out}`);
      } else
        await exportAudit(store.db, format as 'csv' | 'jsonl', (chunk) => void process.stdout.write(chunk));
      return 0;
    } finally {
      await store.close();
    }
  },
};
