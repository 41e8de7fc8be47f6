import { writeFileSync } from 'node:fs';
import { EXPORT_WHATS, exportRows, toCsv, toJson, toXlsx, type ExportWhat } from '../../main/export/results';
import { lastRun } from '../../main/engine/recompute';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import { refuseOutOverStore, openExistingStore, type Command } from '../command';
import { redactUrl } from '../../main/store/pg-types';

const FORMATS = ['json', 'csv', 'xlsx'] as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export results (attributions | orders | partners | same-person | payouts | payouts-due)',
  usage: 'yunke-desk export --db FILE --what WHAT --format json|csv|xlsx [--out FILE]',
  help:
    'Writes the results of the last recompute in the shapes of DATA.md, ordered by id. payouts: the lines of\n' +
    'the prepared payout batches; payouts-due: the engine’s amounts per partner and cycle.\n' +
    'JSON is one array; CSV has a header row (lists joined with ";"); xlsx needs --out (or stdout redirected to a file).',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'what', 'format', 'out'], booleans: [] });
    const file = requireFlag(args, 'db');
    const what = requireFlag(args, 'what');
    const format = optionalFlag(args, 'format') ?? 'json';
    if (!(EXPORT_WHATS as readonly string[]).includes(what))
      throw new UsageError(
        `--what 只能是 ${EXPORT_WHATS.join(', ')} 之一 / --what must be one of ${EXPORT_WHATS.join(', ')}`,
      );
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(
        `--format 只能是 ${FORMATS.join(', ')} 之一 / --format must be one of ${FORMATS.join(', ')}`,
      );
    const out = optionalFlag(args, 'out');
    if (out) refuseOutOverStore(out, file);
    // a spreadsheet is bytes: never spill them onto a terminal
    if (format === 'xlsx' && !out && process.stdout.isTTY)
      throw new UsageError(
        'xlsx 格式需要 --out 指定文件（或把标准输出重定向到文件） / --format xlsx needs --out FILE (or redirect stdout to a file)',
      );
    const store = openExistingStore(file, 'export', io);
    if (!store) return 1;
    try {
      const table = exportRows(store.sqlite, what as ExportWhat);
      // results exist only after a recompute; say so rather than let an empty export look like an answer
      if (!lastRun(store.sqlite))
        io.err(
          `yunke-desk export: the rule engine has not run on ${redactUrl(file)} yet, so there are no results; run ` +
            `"yunke-desk recompute --db ${redactUrl(file)}" first / 规则引擎尚未运行，暂无结果，请先执行 recompute`,
        );
      if (format === 'xlsx') {
        const buf = await toXlsx(table, what);
        if (out) writeFileSync(out, buf);
        else process.stdout.write(buf);
      } else {
        const text = format === 'json' ? toJson(table) : toCsv(table);
        if (out) writeFileSync(out, text);
        else io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
