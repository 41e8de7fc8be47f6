/**
 * The installers' configuration (electron-builder.yml), checked without Electron: electron-builder
 * loads and validates it, the targets are NSIS / dmg / AppImage + deb, every icon it names exists
 * in the sizes the platforms need (read from the PNG, ICO and ICNS headers), and the `files`
 * patterns put the built main, preload and renderer in the package but no sources, tests or
 * screenshots, and keep every package the main process imports.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const abs = (rel: string): string => join(root, rel);

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  /** normalised by electron-builder's loader into file sets */
  files: { filter: string[] }[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter: string[] }[];
  win: { target: string[]; icon: string };
  nsis: { shortcutName: string; oneClick: boolean };
  mac: { target: string[]; icon: string };
  linux: {
    target: string[];
    icon: string;
    executableName: string;
    desktop: { entry: Record<string, string> };
  };
}

async function loadConfig(): Promise<BuilderConfig> {
  // electron-builder's own loader and schema validation (what `electron-builder` runs first)
  const { getConfig, validateConfiguration } = (await import(
    'app-builder-lib/out/util/config/config.js' as string
  )) as {
    getConfig(dir: string, path: string | null, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = (await import('builder-util' as string)) as {
    DebugLogger: new (on: boolean) => unknown;
  };
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function icoSizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1);
  const sizes: number[] = [];
  for (let n = 0; n < bytes.readUInt16LE(4); n++) {
    const e = 6 + 16 * n;
    const declared = bytes[e] === 0 ? 256 : bytes[e];
    const length = bytes.readUInt32LE(e + 8);
    const offset = bytes.readUInt32LE(e + 12);
    const image = pngSize(bytes.subarray(offset, offset + length));
    expect(image).toEqual({ width: declared, height: declared });
    sizes.push(declared);
  }
  return sizes;
}

function icnsEntries(bytes: Buffer): Record<string, number> {
  expect(bytes.toString('ascii', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const entries: Record<string, number> = {};
  for (let at = 8; at < bytes.length;) {
    const type = bytes.toString('ascii', at, at + 4);
    const length = bytes.readUInt32BE(at + 4);
    entries[type] = pngSize(bytes.subarray(at + 8, at + length)).width;
    at += length;
  }
  return entries;
}

/**
 * Whether electron-builder's `files` patterns (later ones win, `!` excludes) keep a path.
 * Production dependencies in node_modules are added by electron-builder itself; only exclusions apply.
 */
function packaged(sets: BuilderConfig['files'], path: string): boolean {
  expect(sets).toHaveLength(1);
  const patterns = sets[0].filter;
  let kept = path.startsWith('node_modules/');
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchesGlob(path, p.slice(1))) kept = false;
    } else if (matchesGlob(path, p)) kept = true;
  }
  return kept;
}

function* tree(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tree(p);
    else yield p;
  }
}

describe('installers (electron-builder.yml)', () => {
  it('loads and passes electron-builder’s own validation; app id and names', async () => {
    const c = await loadConfig();
    expect(c.appId).toBe('cn.yunke.desk');
    expect(c.productName).toBe('Yunke Desk');
    expect(c.nsis.shortcutName).toBe('云客工作台');
    expect(c.linux.desktop.entry['Name[zh_CN]']).toBe('云客工作台');
    expect(c.linux.executableName).toBe('yunke-desk');
    const pkg = JSON.parse(readFileSync(abs('package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts.dist).toBe(
      'node scripts/prepare-electron.mjs && electron-vite build && electron-builder',
    );
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
  }, 60_000);

  it('targets: Windows NSIS, macOS dmg, Linux AppImage and deb', async () => {
    const c = await loadConfig();
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.nsis.oneClick).toBe(false);
  }, 60_000);

  it('icons: every file named exists, in every size each platform needs', async () => {
    const c = await loadConfig();
    expect(c.directories.buildResources).toBe('resources');
    // Windows: one .ico holding 16…256
    expect(icoSizes(readFileSync(abs(c.win.icon))).sort((a, b) => a - b)).toEqual([
      16, 24, 32, 48, 64, 128, 256,
    ]);
    // macOS: .icns from 16 to 1024 (512@2x), each a PNG of its declared size
    expect(icnsEntries(readFileSync(abs(c.mac.icon)))).toEqual({
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    });
    // Linux: a folder of <n>x<n>.png files up to 512
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512])
      expect(pngSize(readFileSync(abs(join(c.linux.icon, `${n}x${n}.png`)))), `${n}`).toEqual({
        width: n,
        height: n,
      });
    // the 1024 master (window icon on Linux, store listings)
    expect(pngSize(readFileSync(abs('resources/icon.png')))).toEqual({ width: 1024, height: 1024 });
  }, 60_000);

  it('files: the built main, preload and renderer go in; sources, tests, maps, screenshots stay out', async () => {
    const { files } = await loadConfig();
    for (const p of [
      'package.json',
      'out/main/index.js',
      'out/main/import-worker.js',
      'out/main/chunks/open-store-abc.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc.js',
      'resources/icon.png',
    ])
      expect(packaged(files, p), p).toBe(true);
    for (const p of [
      'src/main/index.ts',
      'src/main/electron/security-checklist.test.ts',
      'src/renderer/src/main.tsx',
      'e2e/lookup.spec.ts',
      'scripts/bench/engine.mjs',
      'screenshots/dashboard-zh-light.png',
      'docs/rules.md',
      'dist-cli/yunke-desk.mjs',
      '.native/electron-abi145/better_sqlite3.node',
      'out/main/index.js.map',
      'resources/icon.icns',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
      'node_modules/react-dom/index.js',
      'node_modules/@mantine/core/index.js',
    ])
      expect(packaged(files, p), p).toBe(false);
    // when a build exists, every file of it is packaged
    if (existsSync(abs('out/main/index.js')))
      for (const f of tree(abs('out'))) {
        const rel = relative(root, f).split('\\').join('/');
        expect(packaged(files, rel), rel).toBe(!rel.endsWith('.map'));
      }
  }, 60_000);

  it('every package the main process imports is packaged', async () => {
    const { files } = await loadConfig();
    const imported = new Set(['better-sqlite3', 'kysely', 'zod', 'exceljs', 'iconv-lite']);
    if (existsSync(abs('out/main/index.js')))
      for (const f of tree(abs('out/main'))) {
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/(?:from |import\(|require\()["']([^."'][^"']*)["']/g)) {
          const name = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0];
          if (!name.startsWith('node:') && name !== 'electron') imported.add(name);
        }
      }
    for (const name of imported)
      expect(packaged(files, `node_modules/${name}/package.json`), name).toBe(true);
    expect(packaged(files, 'node_modules/better-sqlite3/lib/database.js')).toBe(true);
  }, 60_000);

  it('native module: better-sqlite3’s Electron build ships outside the asar; node_modules is never rebuilt in place', async () => {
    const c = await loadConfig();
    expect(c.asar).toBe(true);
    expect(c.asarUnpack).toContain('**/*.node');
    expect(c.npmRebuild).toBe(false);
    expect(c.extraResources).toEqual([
      { from: '.native', to: 'native', filter: ['electron-abi*/better_sqlite3.node'] },
    ]);
    // and main looks for it there (src/main/native-binding.ts)
    expect(readFileSync(abs('src/main/native-binding.ts'), 'utf8')).toMatch(
      /join\(process\.resourcesPath \?\? '', 'native', `electron-abi\$\{abi\}`, 'better_sqlite3\.node'\)/,
    );
  }, 60_000);
});
