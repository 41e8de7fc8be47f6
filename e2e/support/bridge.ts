/**
 * Runs the built renderer on the loopback bridge against a throwaway store, once per spec file:
 * `node bin/yunke-desk.mjs serve --db <tmp>`; its first stdout line is the URL with the token.
 */
import { test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTempStore, E2E_ADMIN, type Seed, type TempStore } from './seed';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningBridge {
  /** The URL printed by serve, with `?token=`. */
  url: string;
  origin: string;
  token: string;
  storeFile: string;
}

/**
 * `as`: the operator the page starts signed in as (`serve --as`); null: nobody (the page signs in,
 * or creates the first operator of an empty store). `env`: e.g. YUNKE_PIN for an operator with one.
 * `args`: more options of serve (e.g. `--desk-dir`).
 */
export async function startServe(
  storeFile: string,
  options: { as?: string | null; env?: Record<string, string>; args?: string[] } = {},
): Promise<{ bridge: RunningBridge; stop(): Promise<void> }> {
  const as = options.as === undefined ? E2E_ADMIN.id : options.as;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'yunke-desk.mjs'),
      'serve',
      '--db',
      storeFile,
      ...(as ? ['--as', as] : []),
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 20 s\n${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL\n${stderr}`));
    });
  });
  const url = new URL(firstLine);
  const token = url.searchParams.get('token');
  if (!token) throw new Error(`serve printed no token: ${firstLine}`);
  return {
    bridge: { url: firstLine, origin: url.origin, token, storeFile },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Declares, for the calling spec file, a temp store seeded by `seed` and a bridge serving it.
 * The returned object is filled in before the file's first test runs.
 */
export function useBridge(seed?: Seed, options: { signedIn?: boolean } = {}): RunningBridge {
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  const signedIn = options.signedIn ?? true;
  test.beforeAll(async () => {
    store = await createTempStore(seed, { operator: signedIn });
    const started = await startServe(store.file, { as: signedIn ? E2E_ADMIN.id : null });
    stop = started.stop;
    Object.assign(bridge, started.bridge);
  });
  test.afterAll(async () => {
    await stop?.();
    store?.remove();
  });
  return bridge;
}
