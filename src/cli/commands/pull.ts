import { readFileSync } from 'node:fs';
import { pullAll, pullConfigSchema } from '../../main/sync/pull';
import { openStore } from '../../main/store/open-store';
import { actorFor, requireAllowed } from '../actor';
import { parseArgs, requireFlag } from '../args';
import type { Command } from '../command';
import { formatRejection } from './import';

export const pullCommand: Command = {
  name: 'pull',
  summary: 'pull every configured API source',
  usage: 'yunke-desk pull --db FILE --config FILE [--as OPERATOR]',
  help:
    'CONFIG is JSON: { "sources": { "orders": { "url": "https://…/orders", "token_env": "YUNKE_TOKEN_ORDERS" }, … },\n' +
    '                  "timeout_ms"?: 30000, "retries"?: 5, "backoff_ms"?: 250 }  ("token": "…" instead of token_env also works).\n' +
    'Each source is paged with GET url?cursor=… (Bearer token) → { "items": [...], "next": cursor | null }, from the\n' +
    'cursor kept in the store; every page lands in its own transaction with its cursor, so an interrupted pull resumes.\n' +
    'Retries with exponential backoff and jitter on 429 (honouring Retry-After), 5xx, timeouts and dropped connections.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'config', 'as'], booleans: [] });
    const dbFile = requireFlag(args, 'db');
    const configFile = requireFlag(args, 'config');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (e) {
      io.err(
        `yunke-desk pull: 无法读取拉取配置 ${configFile} / cannot read the pull configuration ${configFile}: ${(e as Error).message}`,
      );
      return 1;
    }
    const parsed = pullConfigSchema.safeParse(raw);
    if (!parsed.success) {
      io.err(
        `yunke-desk pull: 拉取配置 ${configFile} 有误（见下） / the pull configuration ${configFile} is not valid (below)`,
      );
      for (const i of parsed.error.issues)
        io.err(`${configFile}: ${i.path.join('.') || '(顶层 / top level)'}: ${i.message}`);
      return 1;
    }
    const store = openStore(dbFile);
    try {
      const actor = await actorFor(store, args);
      requireAllowed('sync.apiSources.pullNow', actor);
      const results = await pullAll(store, parsed.data, {
        actor,
        onRejection: (r) => io.err(formatRejection(r)),
        onRetry: (r) =>
          io.err(
            `${r.source}: ${r.reason}; retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s / ${r.reason}，${(r.delayMs / 1000).toFixed(1)} 秒后第 ${r.attempt} 次重试`,
          ),
      });
      let exit = 0;
      for (const r of results) {
        const c = r.counts;
        const line =
          `${r.source}: ${r.pages} pages, ${r.items} items — ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ` +
          `${c.rejected} rejected, ${c.dangling} dangling (${(r.durationMs / 1000).toFixed(1)} s)`;
        if (r.status === 'ok') io.out(line);
        else
          io.err(
            `${line}; FAILED: ${r.error} (resumes from the last committed page / 下次从最后提交的页继续)`,
          );
        if (r.status !== 'ok' || c.rejected > 0) exit = 1;
      }
      return exit;
    } finally {
      await store.close();
    }
  },
};
