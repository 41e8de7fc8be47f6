import { isSourceName, sourceNames } from '../../main/sources';
import type { Rejection } from '../../main/sync/row-processor';
import { importFile, MAX_LISTED_REJECTIONS, type ImportProgress } from '../../main/sync/import-file';
import { openStore } from '../../main/store/open-store';
import { actorFor, requireAllowed } from '../actor';
import { parseArgs, requireFlag, UsageError } from '../args';
import type { CliIO, Command } from '../command';

export function formatRejection(r: Rejection): string {
  const where = `${r.file}:${r.line}${r.column ? ` [${r.column}]` : ''}`;
  const value = r.value === null ? '' : ` ${JSON.stringify(r.value)}`;
  return `${where}${value}: ${r.messageZh} / ${r.messageEn}`;
}

/** After the listed rejections: how many more there are. */
export function moreRejections(file: string, more: number, total: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${file}: … and ${n(more)} more rejection${more === 1 ? '' : 's'} (${n(total)} in all) / 另有 ${n(more)} 条未列出（共 ${n(total)} 条）`;
}

export function progressLine(file: string, p: ImportProgress): string {
  const pct = p.totalBytes ? Math.floor((p.bytes * 100) / p.totalBytes) : 0;
  const eta = p.etaMs === null ? '' : `, eta ${Math.ceil(p.etaMs / 1000)} s`;
  return `${file}: ${p.rows.toLocaleString('en-US')} rows, ${pct}%, ${p.rowsPerSec.toLocaleString('en-US')} rows/s${eta}`;
}

function tty(io: CliIO) {
  return {
    show: (text: string) => io.isTTY && process.stderr.write(`\r\x1b[K${text}`),
    clear: () => io.isTTY && process.stderr.write('\r\x1b[K'),
  };
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import source files into the store (CSV, XLSX, JSONL; UTF-8 or GBK)',
  usage: 'yunke-desk import --db FILE --source SOURCE [--skip-invalid] [--as OPERATOR] FILE...',
  help:
    `SOURCE: ${sourceNames.join(' | ')}.\n` +
    'Each file is imported in one transaction, upserting by key (re-importing a file changes nothing).\n' +
    'A file with an invalid row is refused whole (exit 1, nothing imported, problems listed with file,\n' +
    'line, column and value: the first 100, then their count) unless --skip-invalid is given, which\n' +
    'imports its valid rows. The import history keeps the first 1,000 problems of each file.\n' +
    'Headers may be English or Chinese (DATA.md), in any order; extra columns are ignored and reported.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'source', 'as'], booleans: ['skip-invalid'] });
    const dbFile = requireFlag(args, 'db');
    const source = requireFlag(args, 'source');
    if (!isSourceName(source))
      throw new UsageError(
        `--source 只能是 ${sourceNames.join(', ')} 之一，收到 "${source}" / --source must be one of ${sourceNames.join(', ')}; got "${source}"`,
      );
    if (args.positionals.length === 0)
      throw new UsageError('请至少指定一个要导入的文件 / give at least one FILE to import');
    const skipInvalid = args.flags.get('skip-invalid') === true;
    const line = tty(io);
    const store = openStore(dbFile);
    let exit = 0;
    try {
      const actor = await actorFor(store, args);
      requireAllowed('sync.start', actor);
      for (const path of args.positionals) {
        let printed = 0;
        const r = await importFile(store, {
          path,
          source,
          skipInvalid,
          actor,
          onProgress: io.isTTY ? (p) => line.show(progressLine(path, p)) : undefined,
          // the first 100 are listed, then their count (2 million duplicates are not 256 MB of text)
          onRejection: (rej) => {
            if (printed >= MAX_LISTED_REJECTIONS) return;
            printed++;
            line.clear();
            io.err(formatRejection(rej));
          },
        });
        line.clear();
        const total = r.counts.rejected;
        if (total > printed) io.err(moreRejections(r.file, total - printed, total));
        for (const w of r.warnings) io.err(`${r.file}: ${w}`);
        const c = r.counts;
        if (r.status === 'committed') {
          io.out(
            `${r.file} → ${source}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ` +
              `${c.rejected} rejected, ${c.dangling} dangling (import #${r.importId}, ${(r.durationMs / 1000).toFixed(1)} s)`,
          );
        } else {
          exit = 1;
          io.err(`${r.file}: ${r.error?.message ?? r.status}`);
        }
      }
    } finally {
      await store.close();
    }
    return exit;
  },
};
