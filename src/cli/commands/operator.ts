import { formatInstant } from '../../main/rules/time';
import { openStore } from '../../main/store/open-store';
import type { OperatorInfo } from '../../main/api/methods/operators.contract';
import { actorFor, call, cliContext, CliRefusal } from '../actor';
import { choiceFlag, optionalFlag, parseArgs, requireFlag, UsageError, wantsJson } from '../args';
import { openExistingStore, type Command } from '../command';
import { redactUrl } from '../../main/store/pg-types';

export const operatorCommand: Command = {
  name: 'operator',
  summary: 'add or list the operators of a store (R-OP-1)',
  usage:
    'yunke-desk operator add --db FILE --id ID --name NAME --role admin|finance|support [--pin] [--as OPERATOR]\n' +
    '       yunke-desk operator list --db FILE [--format json]',
  help:
    'The first operator of a store is an admin and needs no --as; every later one is added by an admin (--as).\n' +
    "--pin reads the new operator's PIN (4 to 12 digits) from the environment variable YUNKE_PIN — never from\n" +
    'the command line. (With --as, YUNKE_PIN is also the PIN of the admin who adds: give the admin none, or\n' +
    'add the PIN-less operator first.)',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'add' && sub !== 'list')
      throw new UsageError('请指定子命令：operator add | operator list / operator add | operator list');
    const args = parseArgs(rest, { values: ['db', 'id', 'name', 'role', 'as', 'format'], booleans: ['pin'] });
    const file = requireFlag(args, 'db');
    if (sub === 'list') {
      const json = wantsJson(args);
      const store = openExistingStore(file, 'operator', io);
      if (!store) return 1;
      try {
        const actor = await actorFor(store, args);
        const list = (await call(cliContext(store, actor), 'operators.list', {})) as OperatorInfo[];
        // snake_case keys and instants as text, as every other list of the command line prints them
        if (json)
          io.out(
            JSON.stringify(
              list.map((o) => ({
                operator_id: o.operatorId,
                name: o.name,
                role: o.role,
                has_pin: o.hasPin,
                created_at: formatInstant(o.createdAt),
                created_by: o.createdBy,
              })),
            ),
          );
        else
          for (const o of list) io.out(`${o.operatorId}\t${o.role}\t${o.name}${o.hasPin ? '\t(PIN)' : ''}`);
        return 0;
      } finally {
        await store.close();
      }
    }
    const id = requireFlag(args, 'id');
    const name = requireFlag(args, 'name');
    const role = choiceFlag(args, 'role', ['admin', 'finance', 'support']) ?? requireFlag(args, 'role');
    const pin = args.flags.get('pin') === true ? process.env.YUNKE_PIN : undefined;
    if (args.flags.get('pin') === true && !pin)
      throw new UsageError(
        '--pin 从环境变量 YUNKE_PIN 读取 PIN，但它未设置 / --pin reads the PIN from YUNKE_PIN, which is not set',
      );
    wantsJson(args); // (nothing to print as JSON: a --format other than json or text is refused all the same)
    const store = openStore(file);
    try {
      const first =
        (await store.db.selectFrom('operators').select('operator_id').limit(1).execute()).length === 0;
      if (first) {
        if (optionalFlag(args, 'as') !== undefined)
          throw new UsageError('添加第一位操作员时不能使用 --as / the first operator is added without --as');
        if (role !== 'admin')
          throw new CliRefusal('第一位操作员必须是管理员 / the first operator of a store must be an admin');
        const r = await call(cliContext(store, null), 'operators.bootstrap', { operatorId: id, name, pin });
        io.out(`operator ${id} (admin) added — the first operator of ${redactUrl(file)}`);
        return r ? 0 : 1;
      }
      if (optionalFlag(args, 'as') === undefined)
        throw new CliRefusal(
          '新操作员须由管理员添加：请用 --as 指定管理员 / an admin adds operators: give --as ADMIN_ID',
        );
      const actor = await actorFor(store, args);
      await call(cliContext(store, actor), 'operators.add', { operatorId: id, name, role, pin });
      io.out(`operator ${id} (${role}) added by ${actor.operatorId}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
