/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security), item by item,
 * checked without the Electron binary: the window, session, navigation and IPC set-up are
 * functions of the Electron objects (src/main/electron/security.ts), called here with recording
 * fakes; what only exists as source or configuration (index.ts, the preload, index.html,
 * electron-builder.yml, package.json) is read and checked as text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../api/contract';
import { IPC_CHANNEL } from '../../preload/channel';
import { appFileFor, appProtocolHandler, APP_SCHEME_PRIVILEGES } from './app-protocol';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  hardenContents,
  hardenSession,
  isTrustedSender,
  mainWindowOptions,
  rendererEntry,
  trustedOrigins,
  type ContentsLike,
  type SessionLike,
} from './security';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');
const indexTs = read('src/main/index.ts');

function* files(dir: string, ext: RegExp): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p, ext);
    else if (ext.test(name)) yield p;
  }
}
const sources = (dirs: string[]): { rel: string; text: string }[] =>
  dirs.flatMap((d) =>
    [...files(join(root, d), /\.(ts|tsx|html)$/)]
      .map((f) => ({ rel: relative(root, f), text: readFileSync(f, 'utf8') }))
      .filter((f) => !f.rel.endsWith('.test.ts')),
  );

/** A fake web contents recording its handlers, as Electron would call them. */
function fakeContents() {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
      openHandler = h;
    },
    on(name: string, listener: (...args: unknown[]) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
  };
  /** Emits a navigation-like event; true when some listener prevented it. */
  const emit = (name: string, url: string): boolean => {
    let prevented = false;
    const event = { url, preventDefault: () => (prevented = true) };
    for (const l of listeners.get(name) ?? []) l(event, url);
    return prevented;
  };
  return {
    contents: contents as unknown as ContentsLike,
    emit,
    listens: (name: string) => (listeners.get(name) ?? []).length > 0,
    open: (url: string) => openHandler?.({ url }),
  };
}

function fakeSession() {
  const rec: {
    request?: (wc: unknown, permission: string, cb: (ok: boolean) => void, details: unknown) => void;
    check?: (...args: unknown[]) => boolean;
    device?: (...args: unknown[]) => boolean;
    headers?: (
      details: { responseHeaders?: Record<string, string[]> },
      cb: (r: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void;
  } = {};
  const session = {
    setPermissionRequestHandler: (h: typeof rec.request) => (rec.request = h),
    setPermissionCheckHandler: (h: typeof rec.check) => (rec.check = h),
    setDevicePermissionHandler: (h: typeof rec.device) => (rec.device = h),
    webRequest: { onHeadersReceived: (h: typeof rec.headers) => (rec.headers = h) },
  };
  return { session: session as unknown as SessionLike, rec };
}

const dev = 'http://localhost:5173/';
const prefs = mainWindowOptions({
  preload: '/app/out/preload/index.cjs',
  devTools: false,
  bounds: { width: 1360, height: 860 },
}).webPreferences!;

describe('Electron security checklist', () => {
  it('1. Only load secure content: installed builds load app://yunke only; the CSP names no remote source', () => {
    expect(rendererEntry({ packaged: true, devServerUrl: dev })).toBe(APP_ENTRY_URL);
    expect(rendererEntry({ packaged: true })).toBe(APP_ENTRY_URL);
    expect(rendererEntry({ packaged: false, devServerUrl: dev })).toBe(dev);
    // a development build never takes a remote page from the environment either
    expect(rendererEntry({ packaged: false, devServerUrl: 'https://evil.example/' })).toBe(APP_ENTRY_URL);
    expect(rendererEntry({ packaged: false, devServerUrl: 'http://10.0.0.5:5173/' })).toBe(APP_ENTRY_URL);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|wss?:/);
    // the window loads exactly that entry; no loadURL/loadFile of anything else
    expect(indexTs).toMatch(/loadURL\(entryUrl\)/);
    expect(indexTs.match(/\.load(URL|File)\(/g)).toHaveLength(1);
    // the page references no remote script, style or font
    const html = read('src/renderer/index.html');
    expect(html).not.toMatch(/(src|href)=["']https?:/);
  });

  it('2. Do not enable Node.js integration for remote content (nor for ours)', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('3. Enable context isolation', () => {
    expect(prefs.contextIsolation).toBe(true);
  });

  it('4. Enable process sandboxing (and the preload is the bundled CJS file a sandbox accepts)', () => {
    expect(prefs.sandbox).toBe(true);
    expect(prefs.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(indexTs).toMatch(/preload: join\(here, '\.\.\/preload\/index\.cjs'\)/);
  });

  it('5. Handle session permission requests: every request and check is refused', () => {
    const { session, rec } = fakeSession();
    hardenSession(session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'hid',
    ]) {
      const answers: boolean[] = [];
      rec.request!({}, permission, (ok) => answers.push(ok), { requestingUrl: APP_ENTRY_URL });
      expect(answers, permission).toEqual([false]);
    }
    expect(rec.check!({}, 'media', APP_ORIGIN, {})).toBe(false);
    expect(rec.device!({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
    expect(indexTs).toMatch(/hardenSession\(session\.defaultSession\)/);
  });

  it('6. Do not disable webSecurity', () => {
    expect(prefs.webSecurity).toBe(true);
  });

  it('7. Define a Content Security Policy: as a header on every response and in index.html', () => {
    const { session, rec } = fakeSession();
    hardenSession(session);
    let headers: Record<string, string[]> | undefined;
    rec.headers!(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(CSP_DIRECTIVES).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    // the meta tag holds the same policy, less frame-ancestors (which a meta tag cannot carry)
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
      read('src/renderer/index.html'),
    );
    expect(meta?.[1]).toBe(CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; '));
    // and the app:// protocol sends it with every file it serves
    expect(appProtocolHandler).toBeTypeOf('function');
  });

  it('8. Do not enable allowRunningInsecureContent', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('9. Do not enable experimental features', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('10. Do not use enableBlinkFeatures', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    for (const f of sources(['src/main', 'src/preload']))
      expect(f.text, f.rel).not.toMatch(/enableBlinkFeatures\s*:/);
  });

  it('11. <webview>: do not use allowpopups — the tag is disabled and appears nowhere', () => {
    expect(prefs.webviewTag).toBe(false);
    for (const f of sources(['src/renderer'])) expect(f.text, f.rel).not.toMatch(/<webview|allowpopups/i);
  });

  it('12. <webview>: verify options and params — every attach is refused', () => {
    const f = fakeContents();
    hardenContents(f.contents, trustedOrigins(APP_ENTRY_URL));
    expect(f.emit('will-attach-webview', APP_ENTRY_URL)).toBe(true);
    // applied to every web contents the app ever creates
    expect(indexTs).toMatch(
      /app\.on\('web-contents-created', \(_e, contents\) => hardenContents\(contents, origins\)\)/,
    );
  });

  it('13. Disable or limit navigation: only our own pages; external URLs, file: and redirects are stopped', () => {
    const f = fakeContents();
    hardenContents(f.contents, trustedOrigins(APP_ENTRY_URL));
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(f.listens(event), event).toBe(true);
      expect(f.emit(event, 'https://evil.example/phish'), event).toBe(true);
      expect(f.emit(event, 'file:///etc/passwd'), event).toBe(true);
      expect(f.emit(event, 'app://other/index.html'), event).toBe(true);
      expect(f.emit(event, 'javascript:alert(1)'), event).toBe(true);
      expect(f.emit(event, `${APP_ORIGIN}/index.html#/payouts`), event).toBe(false);
    }
    // the dev server is ours only in a development build
    const devContents = fakeContents();
    hardenContents(devContents.contents, trustedOrigins(dev));
    expect(devContents.emit('will-navigate', 'http://localhost:5173/#/lookup')).toBe(false);
    expect(devContents.emit('will-navigate', 'http://localhost:6000/')).toBe(true);
  });

  it('14. Disable or limit the creation of new windows: every window.open is denied', () => {
    const f = fakeContents();
    hardenContents(f.contents, trustedOrigins(APP_ENTRY_URL));
    for (const url of [
      'https://example.com/',
      `${APP_ORIGIN}/index.html`,
      'file:///etc/hosts',
      'about:blank',
    ])
      expect(f.open(url), url).toEqual({ action: 'deny' });
  });

  it('15. Do not use shell.openExternal with untrusted content: the app never calls it', () => {
    for (const f of sources(['src/main', 'src/preload', 'src/renderer']))
      expect(f.text, f.rel).not.toMatch(/openExternal\s*\(/);
  });

  it('16. Use a current version of Electron: a supported major (the latest three stable lines)', () => {
    // Electron supports its latest three stable majors. On 2026-12-01 those were 45, 44 and 43
    // (41 left support when 44 came out, 2026-08-25). Raise this floor when a new major ships.
    const SUPPORTED_FLOOR = 43;
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    const declared = Number(/(\d+)\./.exec(pkg.devDependencies.electron)?.[1]);
    expect(declared).toBeGreaterThanOrEqual(SUPPORTED_FLOOR);
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version: string }> };
    const locked = Number(lock.packages['node_modules/electron'].version.split('.')[0]);
    expect(locked).toBe(declared);
  });

  it('17. Validate the sender of all IPC messages: our window, its main frame, our origin', () => {
    const mainFrame = { url: `${APP_ORIGIN}/index.html#/dashboard` };
    const contents = { mainFrame };
    const expected = { contents, mainFrame, origins: trustedOrigins(APP_ENTRY_URL) };
    expect(isTrustedSender({ sender: contents, senderFrame: mainFrame }, expected)).toBe(true);
    // another web contents (a second window, a devtools page)
    expect(isTrustedSender({ sender: {}, senderFrame: mainFrame }, expected)).toBe(false);
    // a subframe of our window
    expect(isTrustedSender({ sender: contents, senderFrame: { url: APP_ENTRY_URL } }, expected)).toBe(false);
    // our main frame after it navigated elsewhere
    const strayed = { url: 'https://evil.example/' };
    expect(
      isTrustedSender({ sender: contents, senderFrame: strayed }, { ...expected, mainFrame: strayed }),
    ).toBe(false);
    // a frame that is gone, or no window at all
    expect(isTrustedSender({ sender: contents, senderFrame: null }, expected)).toBe(false);
    expect(
      isTrustedSender({ sender: contents, senderFrame: mainFrame }, { ...expected, contents: null }),
    ).toBe(false);
    // the one IPC handler refuses before dispatching when the check fails
    const ipc = read('src/main/ipc.ts');
    expect(ipc).toMatch(/if \(!isTrusted\(event\)\) \{\s*return \{ ok: false, error: \{ code: 'FORBIDDEN'/);
    expect(ipc.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1);
    expect(indexTs).toMatch(/registerContract\(ctx, \(event\) =>\s*isTrustedSender\(event,/);
  });

  it('18. Avoid the file:// protocol: the page is served from app://yunke, only from the renderer folder', async () => {
    expect(indexTs).not.toMatch(/loadFile\(/);
    expect(indexTs).toMatch(/protocol\.registerSchemesAsPrivileged\(\[APP_SCHEME_PRIVILEGES\]\)/);
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: expect.objectContaining({ standard: true, secure: true }),
    });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');

    const dir = mkdtempSync(join(tmpdir(), 'yunke-app-protocol-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ok</title>');
    writeFileSync(join(dir, 'assets', 'index-1.js'), 'export {}');
    writeFileSync(join(tmpdir(), 'yunke-outside.txt'), 'secret');
    const handler = appProtocolHandler(dir);

    const page = await handler(new Request(`${APP_ORIGIN}/index.html`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>ok</title>');
    const script = await handler(new Request(`${APP_ORIGIN}/assets/index-1.js`));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    for (const url of [
      `${APP_ORIGIN}/..%2fyunke-outside.txt`,
      `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/yunke-outside.txt`,
      `${APP_ORIGIN}/%2e%2e%5cyunke-outside.txt`,
      `${APP_ORIGIN}/index.html%00.png`,
      'app://other/index.html',
      `${APP_ORIGIN}/missing.js`,
      `${APP_ORIGIN}/assets`,
    ]) {
      const r = await handler(new Request(url));
      expect(r.status, url).toBe(404);
    }
    expect(appFileFor(dir, `${APP_ORIGIN}/`)).toBe(join(dir, 'index.html'));
    expect(
      (await handler(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }))).status,
    ).toBe(405);
  });

  it('19. Check which fuses you can change: the installer flips them (electron-builder.yml)', () => {
    const yml = read('electron-builder.yml');
    const fuses = /electronFuses:\n((?: {2}.+\n)+)/.exec(yml)?.[1] ?? '';
    const set = Object.fromEntries(
      fuses
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/:\s*/)),
    );
    expect(set).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  describe('20. Do not expose Electron APIs to untrusted web content', () => {
    afterEach(() => {
      vi.doUnmock('electron');
      vi.resetModules();
    });

    it('the preload exposes the contract methods as functions, never ipcRenderer or another Electron API', async () => {
      const exposed: Record<string, unknown> = {};
      const invoke = vi.fn(async () => ({ ok: true, value: 'v' }));
      vi.resetModules();
      vi.doMock('electron', () => ({
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
        ipcRenderer: { invoke, send: vi.fn(), on: vi.fn() },
      }));
      await import('../../preload/index');
      expect(Object.keys(exposed)).toEqual(['yunke']);
      const api = exposed.yunke as Record<string, Record<string, unknown>>;
      const names = Object.entries(api).flatMap(([domain, verbs]) =>
        Object.entries(verbs).map(([verb, fn]) => {
          expect(fn, `${domain}.${verb}`).toBeTypeOf('function');
          return `${domain}.${verb}`;
        }),
      );
      expect(names.sort()).toEqual([...methodNames].sort());
      // a call is one invoke on the contract channel with the method name; nothing else travels
      await expect((api.app.info as (i?: unknown) => Promise<unknown>)()).resolves.toBe('v');
      expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, 'app.info', {});
      const preload = read('src/preload/index.ts');
      expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    });
  });
});
