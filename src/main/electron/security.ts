/**
 * The window's security settings, as functions of the Electron objects they configure, so the
 * checklist test (security-checklist.test.ts) can call them with recording fakes: this folder
 * describes the parts it uses (shapes.ts); index.ts passes the real modules in.
 * The numbered items are electronjs.org's security checklist (docs/latest/tutorial/security).
 */
import type {
  ContentsLike,
  NavigationEvent,
  SessionLike,
  WebPreferencesShape,
  WindowOptionsShape,
} from './shapes';

export type { ContentsLike, SessionLike } from './shapes';

/**
 * Item 18: the packaged page is served from our own privileged scheme, not file:// (a file:
 * page may read any file: URL). `app://yunke/index.html` is a standard, secure origin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'yunke';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Item 7: the page's Content-Security-Policy. Only our own origin; Mantine injects <style>
 * tags at run time, hence 'unsafe-inline' for styles only. index.html carries the same policy
 * in a meta tag (without frame-ancestors, which only a header can set).
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/** Items 2, 3, 4, 6, 8, 9, 10, 11: the renderer gets no Node, its own context, the OS sandbox. */
export function secureWebPreferences(options: { preload: string; devTools: boolean }): WebPreferencesShape {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    // a finance desk's installed build has no inspector; development builds do
    devTools: options.devTools,
  };
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export const MIN_WINDOW = { width: 1024, height: 680 } as const;

export function mainWindowOptions(options: {
  preload: string;
  devTools: boolean;
  bounds: WindowBounds;
  icon?: string;
}): WindowOptionsShape {
  return {
    ...options.bounds,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    title: '云客工作台 Yunke Desk',
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options),
  };
}

/**
 * The origin part of a URL as the page sees it (`app://yunke`, `http://localhost:5173`).
 * Node's URL says "null" for the origin of a non-special scheme, so it is assembled here.
 */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * Item 1: where the window's page comes from. Installed builds load only app://yunke; the dev
 * server (electron-vite dev) is accepted when unpackaged and only on this machine.
 */
export function rendererEntry(options: { packaged: boolean; devServerUrl?: string }): string {
  const dev = options.devServerUrl;
  if (!options.packaged && dev && isLoopbackHttp(dev)) return dev;
  return APP_ENTRY_URL;
}

function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** The origins whose pages are ours: the app scheme, plus the dev server's when it is used. */
export function trustedOrigins(entryUrl: string): ReadonlySet<string> {
  const set = new Set([APP_ORIGIN]);
  const dev = originOf(entryUrl);
  if (dev) set.add(dev);
  return set;
}

/**
 * Items 5 and 7: every permission request (camera, notifications, geolocation, HID, …) is
 * refused, every permission check answers no, and every response gets the CSP header.
 */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

/**
 * Items 12, 13, 14, 15: no new windows (and nothing handed to shell.openExternal — the desk has
 * no outside links), no navigation or redirect away from our own origins, no <webview>.
 * Applied to every web contents the app creates (app 'web-contents-created').
 */
export function hardenContents(contents: ContentsLike, origins: ReadonlySet<string>): void {
  const ours = (url: string): boolean => {
    const origin = originOf(url);
    return origin !== null && origins.has(origin);
  };
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayHome = (details: NavigationEvent) => {
    if (!ours(details.url ?? '')) details.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Item 17: an IPC call is served only from our window's main frame showing one of our pages.
 * A frame that navigated elsewhere (or a subframe) is refused even inside our window.
 */
export function isTrustedSender(
  event: { sender: unknown; senderFrame: { url: string } | null },
  expected: { contents: unknown; mainFrame: unknown; origins: ReadonlySet<string> },
): boolean {
  if (expected.contents === null || event.sender !== expected.contents) return false;
  if (!event.senderFrame || event.senderFrame !== expected.mainFrame) return false;
  const origin = originOf(event.senderFrame.url);
  return origin !== null && expected.origins.has(origin);
}
