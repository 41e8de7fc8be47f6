import { UsageError } from './args';
import type { CliIO, Command } from './command';
import { commands } from './commands';
import { setBusyTimeout } from '../main/store/open-store';

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
    'Exit codes: 0 ok; 1 bad input (the message names file, line, column); 2 usage.',
  ].join('\n');
}

/** Entry point of the CLI; returns the exit code. */
/** A command waits up to this long for another process's write (the app, a scheduled job). */
const CLI_BUSY_TIMEOUT_MS = 10 * 60_000;

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
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`yunke-desk ${name}: ${e.message}\nUsage: ${command.usage}`);
      return 2;
    }
    const err = e as { code?: string; message?: string; exitCode?: number };
    io.err(`yunke-desk ${name}: ${err.message ?? String(e)}`);
    return typeof err.exitCode === 'number' ? err.exitCode : 1;
  }
}
