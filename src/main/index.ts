/**
 * Electron entry: window, menu, lifecycle. With ipc.ts the only main-process files that import
 * electron; everything else (store, engine, importers) runs in plain Node.
 */
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, screen, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiContext, SecretBox } from './api/context';
import { APP_SCHEME_PRIVILEGES, serveAppProtocol } from './electron/app-protocol';
import { claimSingleInstance, focusWindow, readMenuLanguage, writeMenuLanguage } from './electron/lifecycle';
import { aboutText, menuTemplate, type MenuLanguage } from './electron/menu';
import {
  hardenContents,
  hardenSession,
  isTrustedSender,
  mainWindowOptions,
  rendererEntry,
  trustedOrigins,
} from './electron/security';
import { keepWindowState, loadWindowState, type Rect } from './electron/window-state';
import { registerContract } from './ipc';
import { electronNativeBinding } from './native-binding';
import { dailyBackup } from './store/backup';
import { openStore, type Store } from './store/open-store';
import { TEAM_DATABASE_FILE, teamDatabaseUrl } from './store/team-database';
import { appVersion } from './version';

const here = import.meta.dirname;
/** Development build (electron-vite dev / preview): dev server, reload and developer tools. */
const dev = !app.isPackaged;
// Security checklist item 1: the page is ours — app://yunke, or the local dev server in development.
const entryUrl = rendererEntry({ packaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });
const origins = trustedOrigins(entryUrl);

// Item 18: app:// instead of file:// (must be registered before ready).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// The store and the window state live in <appData>/yunke-desk in development and once installed
// (the installed app's display name, "Yunke Desk", would otherwise pick another folder).
app.setPath('userData', join(app.getPath('appData'), 'yunke-desk'));

let mainWindow: BrowserWindow | null = null;
// A second launch quits at once and brings this one's window to the front.
const firstInstance = claimSingleInstance(app, () => focusWindow(mainWindow));

/** API tokens rest in the store sealed by the OS keychain (DPAPI, Keychain, libsecret). */
const safeStorageBox: SecretBox = {
  seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
  open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};
let store: Store | null = null;

const userFile = (name: string): string => join(app.getPath('userData'), name);

function storeFile(): string {
  return process.env.YUNKE_DB ?? userFile('yunke-desk.db');
}

/**
 * The store this desk works on (issue 13): the team database chosen in Settings, else the local
 * file. A team database out of reach (offline, server down) does not lock the desk out: the
 * operator may work on the local store this time, or quit.
 */
function openChosenStore(secrets: SecretBox | undefined, options: { nativeBinding?: string }): Store {
  if (process.env.YUNKE_DB || !existsSync(userFile(TEAM_DATABASE_FILE)))
    return openStore(storeFile(), options);
  try {
    const team = teamDatabaseUrl(userFile(TEAM_DATABASE_FILE), secrets);
    return openStore(team ?? storeFile(), options);
  } catch (e) {
    const choice = dialog.showMessageBoxSync({
      type: 'warning',
      title: '云客工作台 / Yunke Desk',
      message: '团队数据库暂时无法打开 / The team database cannot be opened now',
      detail: (e as Error).message,
      buttons: ['使用本机数据库 / Use the local store', '退出 / Quit'],
      defaultId: 0,
      cancelId: 1,
    });
    if (choice !== 0) throw e;
    return openStore(storeFile(), options);
  }
}

/** Work areas of the connected displays, the primary one first. */
function workAreas(): Rect[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

function createWindow(): BrowserWindow {
  const stateFile = userFile('window-state.json');
  const state = loadWindowState(stateFile, workAreas());
  const win = new BrowserWindow(
    mainWindowOptions({
      preload: join(here, '../preload/index.cjs'),
      devTools: dev,
      bounds: { x: state.x, y: state.y, width: state.width, height: state.height },
      // Windows and macOS take the icon from the installed executable / bundle
      icon: process.platform === 'linux' ? join(app.getAppPath(), 'resources', 'icon.png') : undefined,
    }),
  );
  keepWindowState(win, stateFile);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(entryUrl);
  return win;
}

// The application menu speaks the page's language (app.setLanguage), remembered for the next start.
let menuLanguage: MenuLanguage = 'zh-CN';

function showAbout(): void {
  const text = aboutText(menuLanguage, appVersion);
  const options = { type: 'info' as const, title: text.title, message: text.message, detail: text.detail };
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

function applyMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({ language: menuLanguage, platform: process.platform, dev, onAbout: showAbout }),
    ),
  );
}

function ready(): void {
  // Items 5 and 7: permissions refused, the CSP header on every response.
  hardenSession(session.defaultSession);
  serveAppProtocol(protocol, join(here, '../renderer'));
  const preferencesFile = userFile('preferences.json');
  menuLanguage = readMenuLanguage(preferencesFile);
  applyMenu();

  const storeOptions = { nativeBinding: electronNativeBinding(app.getAppPath(), process.versions.modules) };
  const secrets = safeStorage.isEncryptionAvailable() ? safeStorageBox : undefined;
  try {
    store = openChosenStore(secrets, storeOptions);
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
    secrets,
    // issue 13: the desk's choice of store (a team database) rests beside preferences.json
    desk: { teamDatabaseFile: userFile(TEAM_DATABASE_FILE) },
    shell: {
      setLanguage(language) {
        if (language === menuLanguage) return;
        menuLanguage = language;
        writeMenuLanguage(preferencesFile, language);
        applyMenu();
      },
    },
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
  // Item 17: only our window's main frame, showing our page, may call the contract.
  registerContract(ctx, (event) =>
    isTrustedSender(event, {
      contents: mainWindow?.webContents ?? null,
      mainFrame: mainWindow?.webContents.mainFrame ?? null,
      origins,
    }),
  );
  // one automatic backup a day, the last seven kept (a failure is shown, never blocks the desk)
  void dailyBackup(store, Date.now(), 7, storeOptions).catch((e: Error) =>
    dialog.showErrorBox('云客工作台 / Yunke Desk', `自动备份失败 / the daily backup failed: ${e.message}`),
  );
  mainWindow = createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

if (firstInstance) void app.whenReady().then(ready);

// Items 12–15: in every web contents, no new windows, no navigation away, no <webview>.
app.on('web-contents-created', (_e, contents) => hardenContents(contents, origins));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void store?.close();
});
