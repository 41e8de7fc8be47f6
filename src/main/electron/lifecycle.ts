/**
 * Single instance and the remembered menu language. A second launch (a double-click on the
 * desktop icon while the desk is open) hands over to the first, whose window comes to the front:
 * two processes on one store would only fight over its write lock.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMenuLanguage, type MenuLanguage } from './menu';
import type { AppLike, WindowLike } from './shapes';

/** True when this process is the desk's only instance; otherwise it quits. */
export function claimSingleInstance(app: AppLike, focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focus());
  return true;
}

/** Brings a window back: restored if minimised, shown if hidden, focused. */
export function focusWindow(win: WindowLike | null): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** The language the menu was last shown in (the page tells main through app.setLanguage). */
export function readMenuLanguage(file: string): MenuLanguage {
  try {
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { language?: unknown }).language;
    return isMenuLanguage(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function writeMenuLanguage(file: string, language: MenuLanguage): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ language }) + '\n');
    renameSync(tmp, file);
  } catch {
    // a read-only profile folder: the menu follows the page for this run only
  }
}
