/**
 * The application menu, built from the app's language (zh-CN | en) as a plain template, so the
 * test can read it without Electron. Editing uses Electron's roles (copy and paste work in every
 * field, and on macOS the standard shortcuts exist only through the menu); reload and developer
 * tools exist only in development builds.
 */
import type { MenuItem } from './shapes';

export type MenuLanguage = 'zh-CN' | 'en';
export const MENU_LANGUAGES: readonly MenuLanguage[] = ['zh-CN', 'en'];

export const menuStrings = {
  'zh-CN': {
    productName: '云客工作台',
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    help: '帮助',
    about: '关于云客工作台',
    hide: '隐藏云客工作台',
    hideOthers: '隐藏其他',
    unhide: '全部显示',
    quit: '退出云客工作台',
    close: '关闭窗口',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    pasteAndMatchStyle: '粘贴并匹配样式',
    delete: '删除',
    selectAll: '全选',
    reload: '重新加载',
    forceReload: '强制重新加载',
    toggleDevTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    togglefullscreen: '切换全屏',
    minimize: '最小化',
    zoom: '缩放',
    front: '前置全部窗口',
    aboutDetail: (version: string) => `版本 ${version}\n云客推广计划运营工作台`,
  },
  en: {
    productName: 'Yunke Desk',
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Yunke Desk',
    hide: 'Hide Yunke Desk',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    quit: 'Quit Yunke Desk',
    close: 'Close Window',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    pasteAndMatchStyle: 'Paste and Match Style',
    delete: 'Delete',
    selectAll: 'Select All',
    reload: 'Reload',
    forceReload: 'Force Reload',
    toggleDevTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    togglefullscreen: 'Toggle Full Screen',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring All to Front',
    aboutDetail: (version: string) =>
      `Version ${version}\nOperations desk for the Yunke partner referral program`,
  },
} as const;

export function isMenuLanguage(v: unknown): v is MenuLanguage {
  return v === 'zh-CN' || v === 'en';
}

/** The text of the About box: title, message, detail. */
export function aboutText(
  language: MenuLanguage,
  version: string,
): { title: string; message: string; detail: string } {
  const s = menuStrings[language];
  return { title: s.about, message: `${s.productName} ${version}`, detail: s.aboutDetail(version) };
}

export function menuTemplate(options: {
  language: MenuLanguage;
  platform: NodeJS.Platform;
  /** development build: reload and developer tools in View */
  dev: boolean;
  onAbout: () => void;
}): MenuItem[] {
  const s = menuStrings[options.language];
  const mac = options.platform === 'darwin';
  const sep: MenuItem = { type: 'separator' };
  const about: MenuItem = { id: 'about', label: s.about, click: () => options.onAbout() };

  const template: MenuItem[] = [];
  if (mac) {
    template.push({
      label: s.productName,
      submenu: [
        about,
        sep,
        { role: 'hide', label: s.hide },
        { role: 'hideOthers', label: s.hideOthers },
        { role: 'unhide', label: s.unhide },
        sep,
        { role: 'quit', label: s.quit },
      ],
    });
  }
  template.push({
    label: s.file,
    submenu: mac ? [{ role: 'close', label: s.close }] : [{ role: 'quit', label: s.quit }],
  });
  template.push({
    label: s.edit,
    submenu: [
      { role: 'undo', label: s.undo },
      { role: 'redo', label: s.redo },
      sep,
      { role: 'cut', label: s.cut },
      { role: 'copy', label: s.copy },
      { role: 'paste', label: s.paste },
      ...(mac ? [{ role: 'pasteAndMatchStyle', label: s.pasteAndMatchStyle } as const] : []),
      { role: 'delete', label: s.delete },
      sep,
      { role: 'selectAll', label: s.selectAll },
    ],
  });
  template.push({
    label: s.view,
    submenu: [
      ...(options.dev
        ? ([
            { role: 'reload', label: s.reload },
            { role: 'forceReload', label: s.forceReload },
            { role: 'toggleDevTools', label: s.toggleDevTools },
            sep,
          ] as MenuItem[])
        : []),
      { role: 'resetZoom', label: s.resetZoom },
      { role: 'zoomIn', label: s.zoomIn },
      { role: 'zoomOut', label: s.zoomOut },
      sep,
      { role: 'togglefullscreen', label: s.togglefullscreen },
    ],
  });
  template.push({
    label: s.window,
    submenu: mac
      ? [
          { role: 'minimize', label: s.minimize },
          { role: 'zoom', label: s.zoom },
          sep,
          { role: 'front', label: s.front },
        ]
      : [
          { role: 'minimize', label: s.minimize },
          { role: 'close', label: s.close },
        ],
  });
  template.push({ label: s.help, role: 'help', submenu: [about] });
  return template;
}
