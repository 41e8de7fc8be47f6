import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridge } from '../../main/api/bridge-server';
import { BRIDGE_SECRET_KEY_ENV, secretBoxFromEnv } from '../../main/api/env-secret-box';
import { TEAM_DATABASE_FILE } from '../../main/store/team-database';
import { openStore } from '../../main/store/open-store';
import { appVersion } from '../../main/version';
import { parseArgs, requireFlag, UsageError, optionalFlag } from '../args';
import { storeMissing, type Command } from '../command';
import { actorFor } from '../actor';

/** Finds out/renderer from the repository root (dist-cli/ or src/cli/commands/). */
export function defaultRendererDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'out', 'renderer');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'out', 'renderer');
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the app and its contract on a loopback bridge (tests, browser development)',
  usage: 'yunke-desk serve --db FILE [--create] [--port N] [--renderer DIR] [--as OPERATOR] [--desk-dir DIR]',
  help:
    'Starts an HTTP server on 127.0.0.1 that serves the built renderer and the contract at POST /api/<method>.\n' +
    'The first line printed is the URL with its per-run token. Stop with Ctrl-C.\n' +
    `--desk-dir: the folder of this desk's own settings (${TEAM_DATABASE_FILE}: Settings → team database);\n` +
    'without it that panel cannot save. A password is sealed only with ' +
    `${BRIDGE_SECRET_KEY_ENV} (64 hex digits) set.`,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['db', 'port', 'renderer', 'as', 'desk-dir'],
      booleans: ['create'],
    });
    const file = requireFlag(args, 'db');
    // a mistyped path would otherwise serve a new, empty store as if it were the real one
    if (args.flags.get('create') !== true && storeMissing(file, 'serve', io)) {
      io.err('  (pass --create to start a new, empty store there / 如需新建空数据库请加 --create)');
      return 1;
    }
    const portText = optionalFlag(args, 'port');
    const port = portText === undefined ? 0 : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(
        `--port 必须在 0..65535 之间，收到 ${portText} / --port must be 0..65535, got ${portText}`,
      );
    const store = openStore(file);
    // --as: this bridge's page starts signed in as that operator (YUNKE_PIN where it has a PIN)
    const as = optionalFlag(args, 'as');
    const actor = as === undefined ? null : await actorFor(store, args);
    const deskDir = optionalFlag(args, 'desk-dir');
    const bridge = await startBridge({
      context: {
        store,
        session: { actor },
        version: appVersion,
        secrets: secretBoxFromEnv(),
        ...(deskDir ? { desk: { teamDatabaseFile: join(deskDir, TEAM_DATABASE_FILE) } } : {}),
      },
      rendererDir: optionalFlag(args, 'renderer') ?? defaultRendererDir(),
      port,
    });
    io.out(bridge.url);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await bridge.close();
    await store.close();
    return 0;
  },
};
