#!/usr/bin/env node
// Prepares what `npm start` needs on a developer's machine:
//  1. the Electron binary (downloaded by electron's own install step where there is internet);
//  2. better-sqlite3 built for Electron's ABI, in .native/electron-abi<ABI>/better_sqlite3.node.
// The Node build in node_modules/better-sqlite3/build stays untouched (tests and the CLI use it);
// the Electron main process loads the second copy through better-sqlite3's `nativeBinding` option.
// We build from a private copy of the sources, against Electron's headers explicitly, because an
// npm `nodedir` setting (as on our build machines) silently makes electron-rebuild compile against
// Node's headers; the result's ABI is checked by loading it in Electron before it is accepted.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
const target = join(root, '.native', `electron-abi${abi}`, 'better_sqlite3.node');

function fail(message) {
  console.error(`\n[prepare-electron] ${message}\n`);
  process.exit(1);
}

let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}
if (!electronBinary || !existsSync(electronBinary)) {
  fail(
    `The Electron ${electronVersion} binary is not installed (was ELECTRON_SKIP_BINARY_DOWNLOAD set?).\n` +
      `Run "node node_modules/electron/install.js" with internet access, then "npm start" again.\n` +
      `Without Electron you can still use the app in a browser: npx yunke-desk serve --db yunke.db`,
  );
}

// A child environment without npm's nodedir/target settings, so node-gyp uses Electron's headers.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k),
  ),
);

function abiOf(file) {
  const out = execFileSync(
    electronBinary,
    [
      '-e',
      `try { require(${JSON.stringify(file)}); console.log('ok ' + process.versions.modules) } catch (e) { console.log('fail ' + e.message) }`,
    ],
    { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' },
  ).trim();
  return out;
}

if (existsSync(target)) {
  const check = abiOf(target);
  if (check === `ok ${abi}`) process.exit(0);
  console.warn(`[prepare-electron] existing Electron build is unusable (${check}); rebuilding`);
  rmSync(target);
}

console.log(
  `[prepare-electron] building better-sqlite3 for Electron ${electronVersion} (ABI ${abi}); this takes a minute…`,
);
const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(root, '.native', `build-electron-${electronVersion}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib'])
  cpSync(join(pkgDir, part), join(work, part), { recursive: true });

const prebuild = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
function findNodeGyp() {
  const candidates = [
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a direct dependency; npm's bundled copy above is the usual one
  }
  return candidates.find((p) => existsSync(p));
}
const gyp = findNodeGyp();

let built = false;
try {
  execFileSync(
    process.execPath,
    [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
    { cwd: work, env, stdio: 'inherit' },
  );
  built = true;
} catch {
  console.warn('[prepare-electron] no prebuilt binary could be downloaded; compiling from source');
}
if (!built) {
  if (!gyp) fail('node-gyp was not found next to npm; install it with "npm i -g node-gyp" and retry');
  execFileSync(
    process.execPath,
    [
      gyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
      `--arch=${process.arch}`,
    ],
    { cwd: work, env, stdio: 'inherit' },
  );
}
const produced = join(work, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(produced)) fail(`the build produced no ${produced}`);
const check = abiOf(produced);
if (check !== `ok ${abi}`)
  fail(`the Electron build of better-sqlite3 does not load in Electron (${check}); not installed`);
mkdirSync(dirname(target), { recursive: true });
copyFileSync(produced, target);
rmSync(work, { recursive: true, force: true });
console.log(`[prepare-electron] ready: ${target}`);
