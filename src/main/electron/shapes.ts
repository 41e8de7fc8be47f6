/**
 * The parts of Electron's objects the window modules use, described here instead of imported:
 * only src/main/index.ts, src/main/ipc.ts and the preload import electron (lint-enforced). Where
 * index.ts passes the real objects in, TypeScript checks them against these shapes.
 */

/** A navigation, redirect or webview-attach event: where it goes, and how to stop it. */
export interface NavigationEvent {
  url?: string;
  preventDefault(): void;
}

/** BrowserWindow's webPreferences, the ones the checklist sets. */
export interface WebPreferencesShape {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  experimentalFeatures: boolean;
  webviewTag: boolean;
  navigateOnDragDrop: boolean;
  safeDialogs: boolean;
  spellcheck: boolean;
  devTools: boolean;
}

export interface WindowOptionsShape {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  icon?: string;
  webPreferences: WebPreferencesShape;
}

type Headers = Record<string, string | string[]>;

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Headers },
        callback: (response: { responseHeaders?: Headers }) => void,
      ) => void,
    ): void;
  };
}

export interface ContentsLike {
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
  on(event: string, listener: (event: NavigationEvent) => void): unknown;
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

export interface CustomSchemeShape {
  scheme: string;
  privileges: {
    standard: boolean;
    secure: boolean;
    supportFetchAPI: boolean;
    corsEnabled: boolean;
    codeCache: boolean;
  };
}

export interface AppLike {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

export interface WindowLike {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

export interface TrackedWindow {
  on(event: 'close', listener: () => void): unknown;
  isMaximized(): boolean;
  getNormalBounds(): { x: number; y: number; width: number; height: number };
}

export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'help'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit';

/** One item of the application menu's template (Menu.buildFromTemplate). */
export interface MenuItem {
  id?: string;
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  submenu?: MenuItem[];
  click?: () => void;
}
