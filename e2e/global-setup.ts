/**
 * The specs run against the BUILT renderer (out/renderer) served by the CLI's bridge: build the
 * renderer when it is missing, and rebuild the CLI bundle so it matches the sources. The run's
 * temporary files (stores, screenshots' stores, uploads) go to a folder of its own, removed at
 * its end (test-support/tmp-global-setup.ts, as the unit tests').
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import runTmp from '../src/main/test-support/tmp-global-setup';

const ROOT = join(import.meta.dirname, '..');

export default function globalSetup(): () => void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    if (!existsSync(join(ROOT, 'dist-cli', 'cli.mjs')))
      throw new Error('e2e: the CLI bundle could not be built');
    console.warn('e2e: rebuilding the CLI failed; using the existing dist-cli/cli.mjs');
  }
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    console.log('e2e: out/renderer missing, running electron-vite build');
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
  return runTmp();
}
