/**
 * `yunke-desk …` in a process of its own (bin/yunke-desk.mjs, as a user or another desk runs it):
 * its exit code and output. For the tests where two desks act at once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

export function cliProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(repositoryRoot, 'bin', 'yunke-desk.mjs'), ...args],
      { cwd: repositoryRoot, env, maxBuffer: 256 << 20, timeout: 300_000 },
      (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, out, err }),
    ),
  );
}
