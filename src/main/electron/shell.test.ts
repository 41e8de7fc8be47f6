/**
 * The desktop shell's pure parts: the window comes back where it was (on a display that still
 * exists), a second launch focuses the first window, and the menu speaks the app's language.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItem } from './shapes';
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, focusWindow, readMenuLanguage, writeMenuLanguage } from './lifecycle';
import { aboutText, menuStrings, menuTemplate } from './menu';
import {
  clampToDisplays,
  DEFAULT_WINDOW_STATE,
  keepWindowState,
  loadWindowState,
  parseWindowState,
  type TrackedWindow,
} from './window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const monitor = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('window state', () => {
  it('a window on a display that still exists comes back exactly where it was', () => {
    const s = { x: 1600, y: 0, width: 1500, height: 900, maximized: false };
    expect(clampToDisplays(s, [laptop, monitor])).toEqual(s);
  });

  it('a window whose display was unplugged is centred on the primary display, no larger than it', () => {
    const s = { x: 1600, y: 0, width: 2400, height: 1300, maximized: true };
    expect(clampToDisplays(s, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 875, maximized: true });
    const small = { x: 5000, y: 3000, width: 1200, height: 700, maximized: false };
    expect(clampToDisplays(small, [laptop])).toEqual({
      x: 120,
      y: 88,
      width: 1200,
      height: 700,
      maximized: false,
    });
  });

  it('a window hanging off the edge of its display is pulled wholly onto it', () => {
    const s = { x: 1000, y: 600, width: 1200, height: 700, maximized: false };
    expect(clampToDisplays(s, [laptop])).toEqual({
      x: 240,
      y: 175,
      width: 1200,
      height: 700,
      maximized: false,
    });
    // mostly on the monitor: it stays there (the display it overlaps most), pulled inside it
    const straddling = { x: 1300, y: -300, width: 1400, height: 800, maximized: false };
    expect(clampToDisplays(straddling, [laptop, monitor])).toEqual({
      x: 1440,
      y: -200,
      width: 1400,
      height: 800,
      maximized: false,
    });
  });

  it('never smaller than the window minimum', () => {
    const s = { x: 10, y: 10, width: 200, height: 100, maximized: false };
    expect(clampToDisplays(s, [laptop])).toMatchObject({ width: 1024, height: 680 });
  });

  it('a missing, broken or hand-edited file gives the default size, centred', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-window-'));
    const file = join(dir, 'window-state.json');
    const centred = { x: 40, y: 8, width: 1360, height: 860, maximized: false };
    expect(loadWindowState(file, [laptop])).toEqual(centred);
    for (const text of ['{', '[]', '{"width":"wide","height":800}', '{"width":-5,"height":800}', 'null']) {
      writeFileSync(file, text);
      expect(loadWindowState(file, [laptop]), text).toEqual(centred);
    }
    expect(parseWindowState('{"width":1200.4,"height":700,"x":1e400}')).toEqual({
      width: 1200,
      height: 700,
      maximized: false,
    });
    expect(DEFAULT_WINDOW_STATE).toMatchObject({ width: 1360, height: 860 });
  });

  it('closing the window saves its normal bounds and maximised state; the next start restores them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-window-'));
    const file = join(dir, 'nested', 'window-state.json');
    const handlers: Record<string, () => void> = {};
    const win = {
      on: (name: string, h: () => void) => (handlers[name] = h),
      isMaximized: () => true,
      getNormalBounds: () => ({ x: 1500, y: -100, width: 1600, height: 1000 }),
    } as unknown as TrackedWindow;
    keepWindowState(win, file);
    handlers.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      x: 1500,
      y: -100,
      width: 1600,
      height: 1000,
      maximized: true,
    });
    expect(loadWindowState(file, [laptop, monitor])).toEqual({
      x: 1500,
      y: -100,
      width: 1600,
      height: 1000,
      maximized: true,
    });
  });
});

describe('single instance', () => {
  it('the first launch keeps the lock; a second launch brings its window to the front', () => {
    const handlers: Record<string, () => void> = {};
    const app = {
      requestSingleInstanceLock: () => true,
      on: (name: string, h: () => void) => (handlers[name] = h),
      quit: vi.fn(),
    };
    const focus = vi.fn();
    expect(claimSingleInstance(app as never, focus)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    handlers['second-instance']();
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('a second launch quits at once', () => {
    const app = { requestSingleInstanceLock: () => false, on: vi.fn(), quit: vi.fn() };
    expect(claimSingleInstance(app as never, vi.fn())).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.on).not.toHaveBeenCalled();
  });

  it('focusing restores a minimised window, shows and focuses it', () => {
    const calls: string[] = [];
    const win = {
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    };
    focusWindow(win as never);
    expect(calls).toEqual(['restore', 'show', 'focus']);
    expect(() => focusWindow(null)).not.toThrow();
  });
});

const labels = (items: MenuItem[]): string[] => items.map((i) => i.label ?? '');
const sub = (item: MenuItem): MenuItem[] => item.submenu as MenuItem[];
const roles = (item: MenuItem): string[] => sub(item).flatMap((i) => (i.role ? [i.role] : []));

describe('application menu', () => {
  it('speaks Chinese or English, following the app language', () => {
    const zh = menuTemplate({ language: 'zh-CN', platform: 'win32', dev: false, onAbout: vi.fn() });
    expect(labels(zh)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    expect(labels(sub(zh[1]))).toEqual(['撤销', '重做', '', '剪切', '复制', '粘贴', '删除', '', '全选']);
    const en = menuTemplate({ language: 'en', platform: 'win32', dev: false, onAbout: vi.fn() });
    expect(labels(en)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    // every string exists in both languages
    expect(Object.keys(menuStrings.en).sort()).toEqual(Object.keys(menuStrings['zh-CN']).sort());
  });

  it('Edit uses the roles, so copy and paste work in every field (and on macOS at all)', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      const t = menuTemplate({ language: 'en', platform, dev: false, onAbout: vi.fn() });
      const edit = t.find((i) => i.label === 'Edit')!;
      expect(roles(edit)).toEqual(
        expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
      );
    }
  });

  it('View has reload and developer tools only in development builds', () => {
    const installed = menuTemplate({ language: 'en', platform: 'win32', dev: false, onAbout: vi.fn() });
    const view = installed.find((i) => i.label === 'View')!;
    expect(roles(view)).not.toContain('reload');
    expect(roles(view)).not.toContain('forceReload');
    expect(roles(view)).not.toContain('toggleDevTools');
    const devBuild = menuTemplate({ language: 'en', platform: 'win32', dev: true, onAbout: vi.fn() });
    expect(roles(devBuild.find((i) => i.label === 'View')!)).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']),
    );
  });

  it('Help → About shows the product and its version in the menu language', () => {
    const onAbout = vi.fn();
    const t = menuTemplate({ language: 'zh-CN', platform: 'linux', dev: false, onAbout });
    const about = sub(t.find((i) => i.label === '帮助')!).find((i) => i.id === 'about')!;
    expect(about.label).toBe('关于云客工作台');
    (about.click as () => void)();
    expect(onAbout).toHaveBeenCalledTimes(1);
    expect(aboutText('zh-CN', '0.1.0')).toMatchObject({ message: '云客工作台 0.1.0' });
    expect(aboutText('en', '0.1.0')).toMatchObject({
      title: 'About Yunke Desk',
      message: 'Yunke Desk 0.1.0',
    });
    expect(aboutText('en', '0.1.0').detail).toContain('Version 0.1.0');
  });

  it('on macOS the first menu is the app menu with About, Hide and Quit', () => {
    const t = menuTemplate({ language: 'en', platform: 'darwin', dev: false, onAbout: vi.fn() });
    expect(labels(t)).toEqual(['Yunke Desk', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(sub(t[0])[0].id).toBe('about');
    expect(roles(t[0])).toEqual(['hide', 'hideOthers', 'unhide', 'quit']);
  });

  it('the last language is remembered for the next start (zh-CN when unknown)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yunke-prefs-'));
    const file = join(dir, 'preferences.json');
    expect(readMenuLanguage(file)).toBe('zh-CN');
    writeMenuLanguage(file, 'en');
    expect(readMenuLanguage(file)).toBe('en');
    writeFileSync(file, '{"language":"fr"}');
    expect(readMenuLanguage(file)).toBe('zh-CN');
  });
});
