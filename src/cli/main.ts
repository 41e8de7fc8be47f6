import { isTeamDatabase, notATeamUrl } from '../main/store/pg-sync/open-port-store';
import { UsageError } from './args';
import type { CliIO, Command } from './command';
import { commands } from './commands';
import { setBusyTimeout } from '../main/store/open-store';
import { decodePassword, passwordOfHostless, redactUrl, urlWithoutPassword } from '../main/store/pg-types';
import { TeamDbError, teamDbFailure } from '../main/store/pg-sync/team-db-errors';

const defaultIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
};

function overview(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'yunke-desk — the headless command line of Yunke Desk (云客工作台)',
    '',
    'Usage: yunke-desk <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `yunke-desk <command> --help` for the options of one command.',
    '--db FILE: a store file, or a team database: --db postgres://user[:password]@host[:port]/database',
    '(a URL without a password takes it from PGPASSWORD or ~/.pgpass).',
    'Exit codes: 0 ok; 1 bad input (the message names file, line, column); 2 usage.',
  ].join('\n');
}

/** The value of `--db` when argument `i` is it (`--db=VALUE`, or the one after `--db`). */
function dbValueAt(args: string[], i: number): string | null {
  const a = args[i];
  return a.startsWith('--db=') ? a.slice(5) : args[i - 1] === '--db' ? a : null;
}

/**
 * A team database's password given in `--db postgres://user:secret@…` leaves the URL before any
 * command sees it (so no message, log or audit entry can show it) and reaches node-pg as
 * PGPASSWORD, which it uses for a URL without a password (the engine's worker threads share it).
 */
export function withoutPassword(args: string[]): string[] {
  return args.map((a, i) => {
    const value = dbValueAt(args, i);
    if (value === null || !isTeamDatabase(value)) return a;
    let bare: string | null;
    try {
      const url = new URL(value);
      if (!url.password) return a;
      process.env.PGPASSWORD = decodePassword(url.password);
      url.password = '';
      bare = url.toString();
    } catch {
      // a URL parser refuses a URL without a host (`postgres://desk:secret@/yunke`, a local socket)
      bare = withoutPasswordText(value);
      if (bare === null) return a;
    }
    return a.startsWith('--db=') ? `--db=${bare}` : bare;
  });
}

/**
 * The password taken out of a URL without a host by its text (a URL parser refuses such a URL), as
 * node-pg reads it, and put in PGPASSWORD; the URL without it, or null (none, or a host).
 */
function withoutPasswordText(url: string): string | null {
  const password = passwordOfHostless(url);
  if (password === null) return null;
  process.env.PGPASSWORD = decodePassword(password);
  return urlWithoutPassword(url);
}

/** The team database a command's `--db` names, or null (a store file, or none). */
function teamDatabaseOf(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const value = dbValueAt(args, i);
    if (value !== null && isTeamDatabase(value)) return value;
  }
  return null;
}

/** A command waits up to this long for another process's write (the app, a scheduled job). */
const CLI_BUSY_TIMEOUT_MS = 10 * 60_000;

/** Entry point of the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  setBusyTimeout(CLI_BUSY_TIMEOUT_MS);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.out : io.err)(overview(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`yunke-desk: unknown command "${name}"\n\n${overview(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n\n${command.help ?? command.summary}`);
    return 0;
  }
  // a --db that reads as a URL of another kind is refused, not made a store file named after it
  for (let i = 0; i < rest.length; i++) {
    const value = dbValueAt(rest, i);
    const problem = value === null ? null : notATeamUrl(value);
    if (problem) {
      io.err(`yunke-desk ${name}: --db ${problem}\nUsage: ${command.usage}`);
      return 2;
    }
  }
  try {
    return await command.run(withoutPassword(rest), io);
  } catch (e) {
    // a --db URL that cannot be read (a port that is not one, an unencoded password, an sslmode
    // psql does not know) is a usage error, as one of another kind is above (DATA.md: exit 2)
    if (e instanceof UsageError || (e instanceof TeamDbError && e.kind === 'TEAM_DB_URL')) {
      io.err(`yunke-desk ${name}: ${e.message}\nUsage: ${command.usage}`);
      return 2;
    }
    const err = e as { code?: string; message?: string; exitCode?: number };
    // a team database's connection broken during the command (what it means for the write), or a
    // privilege its role lacks (a read-only role asked to write)
    const team = teamDatabaseOf(rest);
    const failure = team === null ? null : teamDbFailure(e, redactUrl(team));
    if (failure) {
      io.err(`yunke-desk ${name}: ${failure.message}`);
      return 1;
    }
    io.err(`yunke-desk ${name}: ${err.message ?? String(e)}`);
    return typeof err.exitCode === 'number' ? err.exitCode : 1;
  }
}
