/**
 * Electron entry: window, menu, lifecycle. With ipc.ts the only main-process files that import
 * electron; everything else (store, engine, importers) runs in plain Node.
 */
import { app, BrowserWindow, dialog, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import type { ApiContext, SecretBox } from './api/context';
import { registerContract } from './ipc';
import { electronNativeBinding } from './native-binding';
import { dailyBackup } from './store/backup';
import { openStore, type Store } from './store/open-store';
import { appVersion } from './version';

const here = import.meta.dirname;

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let mainWindow: BrowserWindow | null = null;

/** API tokens rest in the store sealed by the OS keychain (DPAPI, Keychain, libsecret). */
const safeStorageBox: SecretBox = {
  seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
  open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};
let store: Store | null = null;

function storeFile(): string {
  return process.env.YUNKE_DB ?? join(app.getPath('userData'), 'yunke-desk.db');
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    title: '云客工作台 Yunke Desk',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Navigation and new windows are blocked; external links open in the system browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL)
    void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const storeOptions = { nativeBinding: electronNativeBinding(app.getAppPath(), process.versions.modules) };
  try {
    store = openStore(storeFile(), storeOptions);
  } catch (e) {
    dialog.showErrorBox('云客工作台 / Yunke Desk', (e as Error).message);
    app.exit(1);
    return;
  }
  const ctx: ApiContext = {
    store,
    // nobody operates until someone signs in (or creates the first operator of an empty store)
    session: { actor: null },
    transport: 'ipc',
    version: appVersion,
    storeOptions,
    secrets: safeStorage.isEncryptionAvailable() ? safeStorageBox : undefined,
    // files are chosen here, in main, never named by the page
    dialogs: {
      async saveFile(o) {
        const r = mainWindow
          ? await dialog.showSaveDialog(mainWindow, {
              title: o.title,
              defaultPath: o.defaultName,
              filters: o.filters,
            })
          : await dialog.showSaveDialog({ title: o.title, defaultPath: o.defaultName, filters: o.filters });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      async openFile(o) {
        const options = { title: o.title, filters: o.filters, properties: ['openFile' as const] };
        const r = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
      },
    },
  };
  registerContract(ctx, (sender) => mainWindow !== null && sender === mainWindow.webContents);
  // one automatic backup a day, the last seven kept (a failure is shown, never blocks the desk)
  void dailyBackup(store, Date.now(), 7, storeOptions).catch((e: Error) =>
    dialog.showErrorBox('云客工作台 / Yunke Desk', `自动备份失败 / the daily backup failed: ${e.message}`),
  );
  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void store?.close();
});
