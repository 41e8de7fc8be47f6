import { defineStrings } from '../shared/strings';

/** Strings of the shell and of the shared components (namespace `app`). */
export const appStrings = defineStrings({
  'zh-CN': {
    productName: '云客工作台',
    productTagline: '云客推广计划运营平台',
    languageNames: { 'zh-CN': '中文', en: 'English' },
    nav: {
      label: '主导航',
      groups: { overview: '总览', risk: '风控', finance: '财务', system: '系统' },
      version: '版本 {{version}}',
    },
    header: {
      language: '界面语言',
      toDark: '切换到深色模式',
      toLight: '切换到浅色模式',
      store: '数据文件',
      transport: { ipc: '本地应用', bridge: '本地桥接' },
      storeTooltip: '数据文件：{{file}}',
      transportTooltip: {
        ipc: '通过应用内通道访问本机数据',
        bridge: '通过本机回环桥接访问数据（仅用于测试与浏览器调试）',
      },
      storeUnknown: '未连接',
      openNav: '显示或隐藏导航',
    },
    boot: {
      loading: '正在连接数据…',
      failedTitle: '无法打开工作台',
      failedHint: '工作台无法从本机数据服务读取信息。',
    },
    comingSoon: {
      badge: '即将推出',
      title: '此功能将在后续版本中推出',
      notice: '该页面尚在开发中，目前不显示任何数据，也不会修改数据。',
    },
    common: {
      retry: '重试',
      refresh: '刷新',
      details: '详细信息',
      code: '错误代码',
      field: '字段',
      updatedAt: '更新于 {{time}}',
      beijingTime: '北京时间',
      none: '—',
    },
    errors: {
      fallback: { title: '操作失败', hint: '发生了意外错误。' },
      INVALID_INPUT: { title: '输入无效', hint: '提交的内容未通过校验，请检查以下字段后重试。' },
      UNAUTHORIZED: {
        title: '未授权',
        hint: '访问令牌缺失或无效。请使用 yunke-desk serve 输出的完整地址（含 token）重新打开。',
      },
      FORBIDDEN: { title: '拒绝访问', hint: '该请求并非来自工作台主窗口。' },
      UNKNOWN_METHOD: { title: '未知操作', hint: '界面与数据服务的版本不一致，请更新或重启应用。' },
      STORE_MIGRATION_MISMATCH: {
        title: '数据文件版本不匹配',
        hint: '该数据文件由不同版本的工作台创建，为保护数据已拒绝打开。请使用匹配的版本。',
      },
      INTERNAL: {
        title: '内部错误',
        hint: '数据服务处理请求时出错。请重试；若问题持续，请将下方详细信息提供给技术支持。',
      },
      NETWORK: { title: '无法连接数据服务', hint: '请确认 yunke-desk serve 仍在运行，然后重试。' },
      INVALID_JSON: { title: '请求格式错误', hint: '数据服务无法解析该请求。' },
      PAYLOAD_TOO_LARGE: { title: '请求过大', hint: '提交的内容超过了允许的大小。' },
      METHOD_NOT_ALLOWED: { title: '请求方式不被允许', hint: '数据服务只接受 POST 请求。' },
    },
  },
  en: {
    productName: 'Yunke Desk',
    productTagline: '云客工作台 · Partner referral operations',
    languageNames: { 'zh-CN': '中文', en: 'English' },
    nav: {
      label: 'Main navigation',
      groups: { overview: 'Overview', risk: 'Risk control', finance: 'Finance', system: 'System' },
      version: 'Version {{version}}',
    },
    header: {
      language: 'Language',
      toDark: 'Switch to dark mode',
      toLight: 'Switch to light mode',
      store: 'Data file',
      transport: { ipc: 'Desktop', bridge: 'Local bridge' },
      storeTooltip: 'Data file: {{file}}',
      transportTooltip: {
        ipc: 'Reading local data through the app’s own channel',
        bridge: 'Reading local data through the loopback bridge (tests and browser development only)',
      },
      storeUnknown: 'Not connected',
      openNav: 'Show or hide navigation',
    },
    boot: {
      loading: 'Connecting to your data…',
      failedTitle: 'Yunke Desk could not start',
      failedHint: 'The desk could not read from the local data service.',
    },
    comingSoon: {
      badge: 'Coming in a later release',
      title: 'This feature arrives in a later release',
      notice: 'This screen is still being built: it shows no data and changes nothing.',
    },
    common: {
      retry: 'Retry',
      refresh: 'Refresh',
      details: 'Details',
      code: 'Error code',
      field: 'Field',
      updatedAt: 'Updated {{time}}',
      beijingTime: 'Beijing time',
      none: '—',
    },
    errors: {
      fallback: { title: 'Something went wrong', hint: 'An unexpected error occurred.' },
      INVALID_INPUT: {
        title: 'Invalid input',
        hint: 'What was submitted did not pass validation. Check the fields below and try again.',
      },
      UNAUTHORIZED: {
        title: 'Not authorized',
        hint: 'The access token is missing or wrong. Open the full address (with its token) printed by yunke-desk serve.',
      },
      FORBIDDEN: { title: 'Access denied', hint: 'The request did not come from the desk’s main window.' },
      UNKNOWN_METHOD: {
        title: 'Unknown operation',
        hint: 'The screen and the data service are different versions. Update or restart the app.',
      },
      STORE_MIGRATION_MISMATCH: {
        title: 'Data file version mismatch',
        hint: 'This data file was created by a different version of Yunke Desk and was not opened, to protect it. Use the matching version.',
      },
      INTERNAL: {
        title: 'Internal error',
        hint: 'The data service failed while handling the request. Try again; if it persists, send the details below to support.',
      },
      NETWORK: {
        title: 'Cannot reach the data service',
        hint: 'Check that yunke-desk serve is still running, then retry.',
      },
      INVALID_JSON: { title: 'Malformed request', hint: 'The data service could not read the request.' },
      PAYLOAD_TOO_LARGE: { title: 'Request too large', hint: 'What was submitted exceeds the allowed size.' },
      METHOD_NOT_ALLOWED: {
        title: 'Method not allowed',
        hint: 'The data service accepts POST requests only.',
      },
    },
  },
});
