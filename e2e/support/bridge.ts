/**
 * Runs the built renderer on the loopback bridge against a throwaway store, once per spec file:
 * `node bin/yunke-desk.mjs serve --db <tmp>`; its first stdout line is the URL with the token.
 */
import { test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTempStore, type Seed, type TempStore } from './seed';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningBridge {
  /** The URL printed by serve, with `?token=`. */
  url: string;
  origin: string;
  token: string;
  storeFile: string;
}

export async function startServe(
  storeFile: string,
): Promise<{ bridge: RunningBridge; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'yunke-desk.mjs'), 'serve', '--db', storeFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
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
export function useBridge(seed?: Seed): RunningBridge {
  const bridge = {} as RunningBridge;
  let store: TempStore | undefined;
  let stop: (() => Promise<void>) | undefined;
  test.beforeAll(async () => {
    store = await createTempStore(seed);
    const started = await startServe(store.file);
    stop = started.stop;
    Object.assign(bridge, started.bridge);
  });
  test.afterAll(async () => {
    await stop?.();
    store?.remove();
  });
  return bridge;
}
