/**
 * vitest globalSetup: the run's temporary files in one folder of its own, removed when the run
 * ends. Tests make their folders with `mkdtempSync(join(tmpdir(), …))` (a store file, exports, a
 * throwaway PostgreSQL cluster), and most leave them: a unit run left some 530 folders and 590 MB
 * in the system's temporary folder, run after run. `TMPDIR` points the run's processes (the test
 * workers, started after this, and the CLI and servers they start) at `<tmp>/yunke-test-XXXXXX`.
 * A run killed before its end leaves that one folder.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const outer = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'yunke-test-'));
  // a cluster's server runs as the `postgres` user (scripts/pg-cluster.mjs): it passes through
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(dir, { recursive: true, force: true });
  };
}
