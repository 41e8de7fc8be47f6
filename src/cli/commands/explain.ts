import { explainOrder, renderExplanation } from '../../main/explain/explain-order';
import type { Lang } from '../../main/explain/messages';
import { optionalFlag, parseArgs, requireFlag, UsageError } from '../args';
import { openExistingStore, type Command } from '../command';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain why an order did or did not earn',
  usage: 'yunke-desk explain --db FILE --order ORDER_ID [--lang zh-CN|en] [--json]',
  help:
    'Prints the attribution chain, the first-order check, each exclusion tested, same-person evidence, the level\n' +
    'and ratio in force, cap and clawback effects and the rule ids (R-RECALC-2), as of the last recompute.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['db', 'order', 'lang'], booleans: ['json'] });
    const file = requireFlag(args, 'db');
    const order = requireFlag(args, 'order');
    const lang = optionalFlag(args, 'lang') ?? 'zh-CN';
    if (lang !== 'zh-CN' && lang !== 'en')
      throw new UsageError('--lang 只能是 zh-CN 或 en / --lang must be zh-CN or en');
    const store = openExistingStore(file, 'explain', io);
    if (!store) return 1;
    try {
      const e = explainOrder(store.sqlite, order, lang as Lang);
      io.out(args.flags.get('json') ? JSON.stringify(e, null, 2) : renderExplanation(e));
      return 0;
    } finally {
      await store.close();
    }
  },
};
