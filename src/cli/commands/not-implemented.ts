import type { Command } from '../command';

/** A DATA.md command whose issue has not landed yet: says so and exits 2. */
export function notImplemented(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    async run(_argv, io) {
      io.err(`yunke-desk ${name}: not implemented yet`);
      return 2;
    },
  };
}
