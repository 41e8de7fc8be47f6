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
    roles: { admin: '管理员', finance: '财务', support: '客服', system: '系统' },
    session: {
      firstTitle: '创建第一位操作员',
      firstBody: '这是一个新的数据库。请先创建一位管理员：之后由管理员在「设置」中添加财务与客服。',
      firstSubmit: '创建并登录',
      operatorId: '操作员 ID',
      operatorIdHint: '字母、数字、_ . -，最多 40 个字符，例如 ADM1',
      name: '姓名',
      pin: 'PIN',
      pinHint: '4–12 位数字；切换操作员和审批返利时需要输入',
      pinAgain: '再次输入 PIN',
      pinMismatch: '两次输入的 PIN 不一致',
      pinOf: '{{name}} 的 PIN',
      hasPin: '设有 PIN',
      signInTitle: '选择操作员',
      signInBody: '每一项决定都记录操作员与角色。请选择您的身份登录。',
      signIn: '登录',
      switch: '切换操作员',
      switchTitle: '切换操作员',
      signOut: '退出登录',
      invalid: {
        operatorId: '请输入操作员 ID（字母、数字、_ . -）',
        name: '请输入姓名',
        pin: 'PIN 为 4–12 位数字',
        role: '请选择角色',
      },
    },
    decision: {
      reason: '原因',
      reasonHint: '每项决定都需要说明原因（至少 4 个字），将写入操作日志（R-OP-2）',
      reasonPlaceholder: '例如：复核材料无误',
      effectiveAt: '生效时间（北京时间）',
      effectiveHint: '留空表示立即生效；早于该时间的重算不受影响（R-OP-3）',
      pin: '您的 PIN',
      pinHint: '审批需要再次输入 PIN（R-OP-4）',
      cancel: '取消',
      invalid: {
        reason: '请填写原因，至少 4 个字（R-OP-2）',
        effectiveAt: '请填写有效的时间',
        pin: 'PIN 为 4–12 位数字',
      },
    },
    table: { pagination: '第 {{from}}–{{to}} 条，共 {{total}} 条' },
    write: { done: '已完成' },
    jobs: {
      running: '任务进行中',
      runningWaiting: '任务进行中 · {{waiting}} 个排队',
      hint: '导入、拉取、计算、决定、备份与发放准备依次进行，后来的任务排队等待。',
      since: '自 {{time}} 起',
      position: '排第 {{n}} 位',
      kinds: {
        import: '导入',
        pull: '接口拉取',
        recompute: '重新计算',
        decision: '决定',
        backup: '备份',
        restore: '恢复',
        payout: '准备发放批次',
        write: '保存',
      },
      waitingTeam: '等待团队数据库',
      waitingFor: '等待 {{holder}} 写入完成（自 {{time}} 起），之后自动继续',
      waitingForOther: '等待另一台工作台写入完成（自 {{time}} 起），之后自动继续',
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
      IP_INVALID: {
        title: '不是 IP 地址',
        hint: '只能标记 IPv4（如 203.0.113.7）或 IPv6（如 2001:db8::1）地址为共享（R-SAME-4）。',
      },
      UNAUTHORIZED: {
        title: '未授权',
        hint: '访问令牌缺失或无效。请使用 yunke-desk serve 输出的完整地址（含 token）重新打开。',
      },
      FORBIDDEN: {
        title: '无权执行此操作',
        hint: '您的角色不允许这项操作（R-OP-1）。请切换到有权限的操作员。',
      },
      NOT_SIGNED_IN: { title: '请先登录', hint: '尚未选择操作员，请登录后再试。' },
      PIN_REQUIRED: { title: '需要 PIN', hint: '该操作员设有 PIN，请输入。' },
      PIN_WRONG: { title: 'PIN 不正确', hint: '请重新输入该操作员的 PIN。' },
      PIN_LOCKED: {
        title: 'PIN 连续输错次数过多',
        hint: '为防止猜测，该操作员的 PIN 暂停校验，请 {{minutes}} 分钟后再试。',
      },
      OPERATOR_EXISTS: { title: '操作员已存在', hint: '请换一个操作员 ID。' },
      OPERATOR_UNKNOWN: { title: '没有这个操作员', hint: '请刷新后重新选择。' },
      OPERATOR_FIRST_EXISTS: { title: '已有操作员', hint: '本数据库已有操作员，请直接登录。' },
      UNKNOWN_METHOD: { title: '未知操作', hint: '界面与数据服务的版本不一致，请更新或重启应用。' },
      STORE_MIGRATION_MISMATCH: {
        title: '数据文件版本不匹配',
        hint: '该数据文件由其他版本的工作台创建或升级，为保护数据已拒绝打开。详情中说明了是哪个版本：请使用该版本（较新的版本请先安装）。',
      },
      INTERNAL: {
        title: '内部错误',
        hint: '数据服务处理请求时出错。请重试；若问题持续，请将下方详细信息提供给技术支持。',
      },
      NETWORK: { title: '无法连接数据服务', hint: '请确认 yunke-desk serve 仍在运行，然后重试。' },
      INVALID_JSON: { title: '请求格式错误', hint: '数据服务无法解析该请求。' },
      PAYLOAD_TOO_LARGE: { title: '请求过大', hint: '提交的内容超过了允许的大小。' },
      METHOD_NOT_ALLOWED: { title: '请求方式不被允许', hint: '数据服务只接受 POST 请求。' },
      // payouts and levels (issue 11): the refusals a finance or admin operator can meet
      PAYOUT_MAKER_CHECKER: {
        title: '制单人不能审批自己的批次',
        hint: '制单与审批须由两个人完成（R-PAY-2、R-OP-4）。请切换到另一位财务人员后再审批。',
      },
      PAYOUT_CHANGED: {
        title: '批次已被他人处理',
        hint: '您查看之后，批次已被另一位操作员处理，本次决定未执行。请刷新后再看（R-OP-4）。',
      },
      PAYOUT_BATCH_CLOSED: { title: '批次已锁定', hint: '已审批或已驳回的批次不可再修改（R-PAY-3）。' },
      PAYOUT_BAD_TRANSITION: { title: '当前状态下不能这样处理', hint: '请刷新后查看批次或明细的当前状态。' },
      PAYOUT_MISSING_PAYEE: {
        title: '缺少收款信息',
        hint: '该云客没有收款账号、户名或开户行，不能审批；导入收款信息后在下一批次发放。',
      },
      PAYOUT_PARTNER_BLACKLISTED: {
        title: '云客已被列入黑名单',
        hint: '批次生成后，详情中的云客被列入了黑名单，其返利已冻结，不能审批（R-BL-1）。请先暂缓或驳回这些明细，再审批其余部分。',
      },
      PAYOUT_CYCLE_HAS_OPEN_BATCH: {
        title: '本周期已有未结批次',
        hint: '每个周期同时只能有一个待审批或暂缓的批次，请先审批或驳回它（R-OP-4）。',
      },
      PAYOUT_NOTHING_DUE: { title: '没有应发返利', hint: '按最近一次计算，本周期没有可发放的金额。' },
      PAYOUT_NOT_APPROVED: { title: '批次尚未审批', hint: '只有已审批的批次才能导出或标记支付。' },
      PAYOUT_NOTHING_TO_MARK: { title: '没有可标记的明细', hint: '批次中没有已审批、未支付的明细。' },
      PAYOUT_NOT_PAYABLE: { title: '明细不能标记支付', hint: '只有已审批、未支付的明细才能标记为已支付。' },
      PAYOUT_NO_SUCH_BATCH: { title: '没有这个批次', hint: '请返回周期列表重新选择。' },
      PAYOUT_NO_SUCH_PARTNER: { title: '没有这位云客', hint: '请检查云客 ID。' },
      PAYOUT_NO_ENGINE_RUN: { title: '规则引擎尚未运行', hint: '请先重新计算，再生成发放批次。' },
      PAYOUT_BAD_CYCLE: {
        title: '周期格式不正确',
        hint: '周期应写作 2026-04、2026-04a / 2026-04b 或 2026-W15。',
      },
      PAYOUT_REASON_REQUIRED: { title: '请填写原因', hint: '每项决定都需要至少 4 个字的原因（R-OP-2）。' },
      // decisions of admins and finance (issues 8–12): refusals a new operator meets
      BLACKLIST_ALREADY: {
        title: '已在黑名单中',
        hint: '该云客已有生效中的黑名单记录；如需调整，请先解除再重新加入。',
      },
      BLACKLIST_NOT_FOUND: { title: '不在黑名单中', hint: '该云客目前没有生效中的黑名单记录，无需解除。' },
      BLACKLIST_OVERLAPS: {
        title: '生效时间早于上一次解除',
        hint: '加入黑名单的生效时间不能早于该云客上一次解除的时间（R-OP-3）。',
      },
      BLACKLIST_LIFT_BEFORE_ADD: {
        title: '解除时间早于加入时间',
        hint: '解除的生效时间须晚于加入黑名单的生效时间（R-OP-3）。',
      },
      SHARED_IP_ALREADY_MARKED: {
        title: '该 IP 已标记为共享',
        hint: '该 IP 已有生效中的共享标记（R-SAME-4）。',
      },
      SHARED_IP_NOT_MARKED: { title: '该 IP 未标记为共享', hint: '该 IP 目前没有共享标记，无需取消。' },
      SHARED_IP_OVERLAPS: {
        title: '生效时间早于上一次取消',
        hint: '标记的生效时间不能早于该 IP 上一次取消标记的时间（R-OP-3）。',
      },
      SHARED_IP_BEFORE_MARK: {
        title: '取消时间早于标记时间',
        hint: '取消标记的生效时间须晚于标记的生效时间（R-OP-3）。',
      },
      RISK_NOT_FLAGGED: {
        title: '没有风险标记',
        hint: '按最近一次计算，该云客没有待复核的风险标记（R-CLAW-4）。请先重新计算再看。',
      },
      DISPUTE_UNKNOWN_PARTNER: { title: '没有这位云客', hint: '请检查申诉云客的 ID（R-DISP-1）。' },
      DISPUTE_UNKNOWN_CUSTOMER: { title: '没有这位客户', hint: '请检查客户 ID（R-DISP-1）。' },
      DISPUTE_UNKNOWN_ORDER: {
        title: '订单不属于该客户',
        hint: '所填订单不存在，或不是该客户的订单；订单可不填。',
      },
      DISPUTE_CLAIMED_LATER: {
        title: '申诉时点晚于现在',
        hint: '申诉的是已经发生的关联：申诉时点须不晚于现在（R-DISP-1）。',
      },
      DISPUTE_ALREADY_OPEN: {
        title: '已有待处理的争议',
        hint: '同一云客对同一客户同时只能有一件待处理的争议，请先处理它。',
      },
      DISPUTE_NOT_FOUND: { title: '没有这件争议', hint: '请返回争议列表重新选择。' },
      DISPUTE_WRONG_STATUS: {
        title: '争议状态已变化',
        hint: '该争议当前的状态不允许这项操作，请刷新后查看。',
      },
      OPERATOR_FIRST_ADMIN: {
        title: '第一位操作员须为管理员',
        hint: '数据文件的第一位操作员必须是管理员（R-OP-1）。',
      },
      CONFIG_NO_SUCH_VERSION: { title: '没有这个配置版本', hint: '请从版本列表中选择。' },
      PAYOUT_NO_SUCH_LINE: { title: '批次中没有这位云客', hint: '请刷新后查看批次明细。' },
      PAYOUT_TAMPERED: {
        title: '批次内容与审批时不符',
        hint: '批次在审批后被改动过，已拒绝导出（R-PAY-3）。请核查操作日志并联系管理员。',
      },
      PAYOUT_BANK_RESULT_INVALID: {
        title: '银行回单有问题',
        hint: '文件中的问题列在详情中，未做任何记录。请修正后重新导入。',
      },
      TEAM_DB_NOT_SET_UP: {
        title: '团队数据库尚未初始化',
        hint: '这个数据库还没有工作台的表。请在设置中连接它（会自动初始化），或检查数据库名是否写错。',
      },
      TEAM_DB_TAKEN: {
        title: '数据库已被其他程序使用',
        hint: '该数据库中已有其他程序的表。请为工作台使用一个单独的数据库。',
      },
      TEAM_DB_NO_PASSWORD: { title: '需要密码', hint: '团队数据库要求密码，请在设置中填写。' },
      LEVEL_NO_SUCH_PARTNER: { title: '没有这位云客', hint: '请检查云客 ID。' },
      LEVEL_UNKNOWN: { title: '没有这个等级', hint: '请从现行等级表中选择等级。' },
      LEVEL_BAD_RANGE: { title: '时间范围不正确', hint: '结束时间须晚于开始时间。' },
      LEVEL_NO_SUCH_OVERRIDE: { title: '没有这项等级调整', hint: '请刷新后重新选择。' },
      LEVEL_OVERRIDE_REVOKED: { title: '等级调整已撤销', hint: '这项调整已被撤销，不能再次撤销。' },
      // issue 13: Settings → team database
      TEAM_DB_URL: {
        title: '连接地址不正确',
        hint: '请填写 postgres://用户名@主机:5432/数据库 形式的地址。',
      },
      TEAM_DB_NO_SCHEMA: {
        title: '指定的 schema 不存在',
        hint: '地址中 search_path 指定的 schema 不存在：请数据库管理员先创建它（CREATE SCHEMA … AUTHORIZATION 所有者账号），或去掉该选项。',
      },
      TEAM_DB_TLS: {
        title: '加密连接未能建立',
        hint: '服务器不接受 TLS 时请去掉地址中的 sslmode；自签名证书请用 sslrootcert=CA文件 指定其 CA，或用 sslmode=require（只加密，不验证证书）。',
      },
      TEAM_DB_UNKNOWN_HOST: {
        title: '找不到该主机',
        hint: '主机名无法解析：请检查地址中的主机名是否拼写正确，以及本机的网络和 DNS；也可直接填写服务器的 IP 地址。',
      },
      TEAM_DB_UNREACHABLE: {
        title: '无法连接团队数据库',
        hint: '请检查主机、端口和网络，并确认对方是 PostgreSQL 服务器。',
      },
      TEAM_DB_AUTH: {
        title: '团队数据库拒绝登录',
        hint: '请检查用户名和密码，或请数据库管理员允许从本机连接。',
      },
      TEAM_DB_NOT_POSTGRES: { title: '不是 PostgreSQL', hint: '团队数据库只支持 PostgreSQL 服务器。' },
      TEAM_DB_NO_DATABASE: { title: '没有这个数据库', hint: '请数据库管理员先创建该数据库。' },
      TEAM_DB_PRIVILEGE: {
        title: '权限不足',
        hint: '设置新数据库需要建表权限；之后该用户需要读写各表的权限。',
      },
      TEAM_DB_LOST: {
        title: '与团队数据库的连接中断',
        hint: '未提交的写入都已回滚；若恰在提交时中断，写入可能已保存，请先核对再重试。服务器恢复后，工作台会在下一次操作时自动重新连接，无需重启。',
      },
      TEAM_DB_UPGRADE: {
        title: '需要升级团队数据库',
        hint: '本版本需要升级该数据库，此用户无权执行：请用各表的所有者账号以本版本打开一次，之后此用户即可使用。',
      },
      TEAM_DB_MISMATCH: {
        title: '迁移记录不一致',
        hint: '该数据库由其他版本的工作台使用，为保护数据已拒绝使用，未做任何修改。',
      },
      TEAM_DB_FAILED: { title: '团队数据库检查失败', hint: '请将下方详细信息提供给数据库管理员。' },
      TEAM_DB_NO_SECRETS: {
        title: '无法安全保存密码',
        hint: '此处没有系统钥匙串。请在桌面应用中保存，或使用无需密码的连接。',
      },
      TEAM_DB_UNAVAILABLE: { title: '此处无法设置团队数据库', hint: '请在桌面应用的设置中操作。' },
      TEAM_DB_NOT_CONFIGURED: { title: '已在使用本地数据文件', hint: '没有保存团队数据库，无需改回。' },
      TEAM_DB_FILE_DAMAGED: {
        title: '团队数据库设置文件已损坏',
        hint: '文件已原样保留。可重新保存或改回本地。',
      },
      TEAM_DB_FILE_UNWRITABLE: { title: '无法写入设置文件', hint: '请检查应用数据文件夹的权限和磁盘空间。' },
      TEAM_DB_UNSEAL: { title: '无法解密密码', hint: '系统钥匙串已变更，请重新输入密码并保存。' },
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
    roles: { admin: 'Admin', finance: 'Finance', support: 'Support', system: 'System' },
    session: {
      firstTitle: 'Create the first operator',
      firstBody:
        'This is a new store. Create an admin first; the admin then adds finance and support operators in Settings.',
      firstSubmit: 'Create and sign in',
      operatorId: 'Operator ID',
      operatorIdHint: 'Letters, digits, _ . - (at most 40), e.g. ADM1',
      name: 'Name',
      pin: 'PIN',
      pinHint: '4–12 digits; asked when switching operator and approving payouts',
      pinAgain: 'PIN again',
      pinMismatch: 'The two PINs differ',
      pinOf: "{{name}}'s PIN",
      hasPin: 'Has a PIN',
      signInTitle: 'Who is operating?',
      signInBody: 'Every decision records its operator and role. Choose who you are to sign in.',
      signIn: 'Sign in',
      switch: 'Switch operator',
      switchTitle: 'Switch operator',
      signOut: 'Sign out',
      invalid: {
        operatorId: 'Enter an operator ID (letters, digits, _ . -)',
        name: 'Enter a name',
        pin: 'A PIN is 4–12 digits',
        role: 'Choose a role',
      },
    },
    decision: {
      reason: 'Reason',
      reasonHint:
        'Every decision states its reason (at least 4 characters); it goes into the audit log (R-OP-2)',
      reasonPlaceholder: 'e.g. documents checked and in order',
      effectiveAt: 'Effective from (Beijing time)',
      effectiveHint: 'Empty: from now. A recompute as of an earlier time ignores the decision (R-OP-3)',
      pin: 'Your PIN',
      pinHint: 'Approvals ask for your PIN again (R-OP-4)',
      cancel: 'Cancel',
      invalid: {
        reason: 'Give a reason of at least 4 characters (R-OP-2)',
        effectiveAt: 'Enter a valid time',
        pin: 'A PIN is 4–12 digits',
      },
    },
    table: { pagination: '{{from}}–{{to}} of {{total}}' },
    write: { done: 'Done' },
    jobs: {
      running: 'Job running',
      runningWaiting: 'Job running · {{waiting}} waiting',
      hint: 'Imports, pulls, recomputes, decisions, backups and payout preparation run one at a time; later ones wait their turn.',
      since: 'since {{time}}',
      position: 'number {{n}} in line',
      kinds: {
        import: 'Import',
        pull: 'API pull',
        recompute: 'Recompute',
        decision: 'Decision',
        backup: 'Backup',
        restore: 'Restore',
        payout: 'Payout batch',
        write: 'Saving',
      },
      waitingTeam: 'Waiting for the team database',
      waitingFor: 'Waiting for {{holder}} to finish writing (since {{time}}); then it goes on by itself',
      waitingForOther:
        'Waiting for another desk to finish writing (since {{time}}); then it goes on by itself',
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
      IP_INVALID: {
        title: 'Not an IP address',
        hint: 'Only an IPv4 (such as 203.0.113.7) or IPv6 (such as 2001:db8::1) address is marked shared (R-SAME-4).',
      },
      UNAUTHORIZED: {
        title: 'Not authorized',
        hint: 'The access token is missing or wrong. Open the full address (with its token) printed by yunke-desk serve.',
      },
      FORBIDDEN: {
        title: 'Not allowed for your role',
        hint: 'Your role may not take this action (R-OP-1). Switch to an operator who may.',
      },
      NOT_SIGNED_IN: { title: 'Sign in first', hint: 'No operator is signed in: sign in, then try again.' },
      PIN_REQUIRED: { title: 'PIN required', hint: 'This operator has a PIN: enter it.' },
      PIN_WRONG: { title: 'Wrong PIN', hint: "Enter this operator's PIN again." },
      PIN_LOCKED: {
        title: 'Too many wrong PINs',
        hint: "Against guessing, this operator's PIN is not checked for a while: try again in {{minutes}} min.",
      },
      OPERATOR_EXISTS: { title: 'Operator exists already', hint: 'Choose another operator ID.' },
      OPERATOR_UNKNOWN: { title: 'No such operator', hint: 'Refresh and choose again.' },
      OPERATOR_FIRST_EXISTS: { title: 'Operators exist already', hint: 'This store has operators: sign in.' },
      UNKNOWN_METHOD: {
        title: 'Unknown operation',
        hint: 'The screen and the data service are different versions. Update or restart the app.',
      },
      STORE_MIGRATION_MISMATCH: {
        title: 'Data file version mismatch',
        hint: 'This data file was created or upgraded by another version of Yunke Desk and was not opened, to protect it. The details say which: use that version (a newer one: install it first).',
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
      PAYOUT_MAKER_CHECKER: {
        title: 'The preparer cannot approve their own batch',
        hint: 'Preparing and approving take two people (maker–checker, R-PAY-2, R-OP-4). Switch to another finance operator to approve.',
      },
      PAYOUT_CHANGED: {
        title: 'Someone else decided first',
        hint: 'The batch changed since you looked at it; your decision was not applied. Look again (R-OP-4).',
      },
      PAYOUT_BATCH_CLOSED: {
        title: 'The batch is locked',
        hint: 'An approved or rejected batch can no longer change (R-PAY-3).',
      },
      PAYOUT_BAD_TRANSITION: {
        title: 'Not possible in this state',
        hint: 'Refresh to see the batch or line as it is now.',
      },
      PAYOUT_MISSING_PAYEE: {
        title: 'No payee details',
        hint: 'This partner has no payee account, name or bank and cannot be approved; import them, the amount goes into a later batch.',
      },
      PAYOUT_PARTNER_BLACKLISTED: {
        title: 'The partner is blacklisted',
        hint: 'The partners named in the details were blacklisted after the batch was prepared: their rewards are frozen and cannot be approved (R-BL-1). Hold or reject their lines first, then approve the rest.',
      },
      PAYOUT_CYCLE_HAS_OPEN_BATCH: {
        title: 'The cycle has an open batch',
        hint: 'A cycle has at most one batch awaiting approval or held: approve or reject it first (R-OP-4).',
      },
      PAYOUT_NOTHING_DUE: {
        title: 'Nothing is due',
        hint: 'In the latest computation, nothing is due for this cycle.',
      },
      PAYOUT_NOT_APPROVED: {
        title: 'The batch is not approved',
        hint: 'Only an approved batch is exported or marked paid.',
      },
      PAYOUT_NOTHING_TO_MARK: {
        title: 'Nothing to mark paid',
        hint: 'The batch has no approved, unpaid line left.',
      },
      PAYOUT_NOT_PAYABLE: {
        title: 'The line cannot be marked paid',
        hint: 'Only approved, unpaid lines are marked paid.',
      },
      PAYOUT_NO_SUCH_BATCH: { title: 'No such batch', hint: 'Go back to the cycles and choose again.' },
      PAYOUT_NO_SUCH_PARTNER: { title: 'No such partner', hint: 'Check the partner ID.' },
      PAYOUT_NO_ENGINE_RUN: {
        title: 'The rule engine has not run',
        hint: 'Recompute first, then prepare a batch.',
      },
      PAYOUT_BAD_CYCLE: {
        title: 'Not a cycle',
        hint: 'Write a cycle as 2026-04, 2026-04a / 2026-04b or 2026-W15.',
      },
      PAYOUT_REASON_REQUIRED: {
        title: 'Give a reason',
        hint: 'Every decision needs a reason of at least 4 characters (R-OP-2).',
      },
      // decisions of admins and finance (issues 8–12): refusals a new operator meets
      BLACKLIST_ALREADY: {
        title: 'Already blacklisted',
        hint: 'The partner has a blacklist entry in force; lift it first to change it.',
      },
      BLACKLIST_NOT_FOUND: {
        title: 'Not blacklisted',
        hint: 'The partner has no blacklist entry in force: there is nothing to lift.',
      },
      BLACKLIST_OVERLAPS: {
        title: 'Before the last lift',
        hint: "A blacklist cannot take effect before the partner's last lift (R-OP-3).",
      },
      BLACKLIST_LIFT_BEFORE_ADD: {
        title: 'Lift before the entry',
        hint: 'A lift must take effect after the blacklist entry does (R-OP-3).',
      },
      SHARED_IP_ALREADY_MARKED: {
        title: 'Already marked shared',
        hint: 'The IP has a shared mark in force (R-SAME-4).',
      },
      SHARED_IP_NOT_MARKED: {
        title: 'Not marked shared',
        hint: 'The IP has no shared mark: there is nothing to unmark.',
      },
      SHARED_IP_OVERLAPS: {
        title: 'Before the last unmark',
        hint: "A mark cannot take effect before the IP's last unmark (R-OP-3).",
      },
      SHARED_IP_BEFORE_MARK: {
        title: 'Unmark before the mark',
        hint: 'An unmark must take effect after the mark does (R-OP-3).',
      },
      RISK_NOT_FLAGGED: {
        title: 'Not flagged',
        hint: 'In the latest results the partner has no risk flag to review (R-CLAW-4). Recompute, then look again.',
      },
      DISPUTE_UNKNOWN_PARTNER: {
        title: 'No such partner',
        hint: "Check the claimant partner's ID (R-DISP-1).",
      },
      DISPUTE_UNKNOWN_CUSTOMER: { title: 'No such customer', hint: 'Check the customer ID (R-DISP-1).' },
      DISPUTE_UNKNOWN_ORDER: {
        title: "Not the customer's order",
        hint: "The order does not exist or is not this customer's; the order may be left empty.",
      },
      DISPUTE_CLAIMED_LATER: {
        title: 'The instant claimed is later than now',
        hint: 'A claim is about what already happened: the instant claimed must be no later than now (R-DISP-1).',
      },
      DISPUTE_ALREADY_OPEN: {
        title: 'A dispute is already open',
        hint: 'A partner has one open dispute per customer at a time: decide it first.',
      },
      DISPUTE_NOT_FOUND: {
        title: 'No such dispute',
        hint: 'Go back to the list of disputes and choose again.',
      },
      DISPUTE_WRONG_STATUS: {
        title: 'The dispute changed',
        hint: 'Its status no longer allows this. Refresh to see it as it is now.',
      },
      OPERATOR_FIRST_ADMIN: {
        title: 'The first operator must be an admin',
        hint: "A store's first operator must be an admin (R-OP-1).",
      },
      CONFIG_NO_SUCH_VERSION: {
        title: 'No such configuration version',
        hint: 'Choose one from the list of versions.',
      },
      PAYOUT_NO_SUCH_LINE: { title: 'No line for this partner', hint: "Refresh to see the batch's lines." },
      PAYOUT_TAMPERED: {
        title: 'The batch changed after approval',
        hint: 'Its content no longer matches the checksum fixed at approval: the export is refused (R-PAY-3). Check the audit log and call an admin.',
      },
      PAYOUT_BANK_RESULT_INVALID: {
        title: 'The bank result file has problems',
        hint: 'They are listed in the details; nothing was recorded. Correct the file and import it again.',
      },
      TEAM_DB_NOT_SET_UP: {
        title: 'The team database is not set up',
        hint: "The database has no desk tables yet. Connect it in Settings (it is set up then), or check the database's name.",
      },
      TEAM_DB_TAKEN: {
        title: 'Another program uses this database',
        hint: "It holds another program's tables. Give the desk a database of its own.",
      },
      TEAM_DB_NO_PASSWORD: {
        title: 'A password is needed',
        hint: 'The team database asks for a password: give it in Settings.',
      },
      LEVEL_NO_SUCH_PARTNER: { title: 'No such partner', hint: 'Check the partner ID.' },
      LEVEL_UNKNOWN: { title: 'No such level', hint: 'Choose a level of the table in force.' },
      LEVEL_BAD_RANGE: { title: 'Wrong period', hint: 'The end must be after the start.' },
      LEVEL_NO_SUCH_OVERRIDE: { title: 'No such override', hint: 'Refresh and choose again.' },
      LEVEL_OVERRIDE_REVOKED: {
        title: 'The override is revoked',
        hint: 'This override was revoked already and cannot be revoked again.',
      },
      // issue 13: Settings → team database
      TEAM_DB_URL: { title: 'Not a connection URL', hint: 'Write it as postgres://user@host:5432/database.' },
      TEAM_DB_NO_SCHEMA: {
        title: 'The schema does not exist',
        hint: "The schema the URL's search_path names does not exist: ask the database's administrator to create it (CREATE SCHEMA … AUTHORIZATION owner), or leave the option out.",
      },
      TEAM_DB_TLS: {
        title: 'The encrypted connection failed',
        hint: 'If the server takes no TLS, leave sslmode out of the URL; for a self-signed certificate give its CA with sslrootcert=FILE, or use sslmode=require (encrypts, does not check the certificate).',
      },
      TEAM_DB_UNKNOWN_HOST: {
        title: 'Host not found',
        hint: "The host name cannot be resolved: check the URL's host name for typos, and this computer's network and DNS; or give the server's IP address.",
      },
      TEAM_DB_UNREACHABLE: {
        title: 'Cannot reach the team database',
        hint: 'Check the host, the port and the network, and that the server there is PostgreSQL.',
      },
      TEAM_DB_AUTH: {
        title: 'The team database refused the sign-in',
        hint: 'Check the user name and password, or ask its administrator to allow connections from this computer.',
      },
      TEAM_DB_NOT_POSTGRES: { title: 'Not PostgreSQL', hint: 'A team database must be a PostgreSQL server.' },
      TEAM_DB_NO_DATABASE: {
        title: 'No such database',
        hint: 'Ask the database administrator to create it first.',
      },
      TEAM_DB_PRIVILEGE: {
        title: 'Not enough privileges',
        hint: 'Setting a new database up needs the right to create tables; then this user must be able to read and write them.',
      },
      TEAM_DB_LOST: {
        title: 'Connection to the team database lost',
        hint: 'Nothing uncommitted was kept; if it broke at the commit, the write may have been saved: check before trying again. Once the server is back, the desk reconnects at your next action, without a restart.',
      },
      TEAM_DB_UPGRADE: {
        title: 'The team database needs an upgrade',
        hint: 'This version must upgrade that database, which this user may not do: open it once with this version as the owner of the tables; then this user can use it.',
      },
      TEAM_DB_MISMATCH: {
        title: 'Migration history does not match',
        hint: 'That database is used by another version of the desk; it was refused and left untouched.',
      },
      TEAM_DB_FAILED: {
        title: 'The team database check failed',
        hint: 'Give the details below to the database administrator.',
      },
      TEAM_DB_NO_SECRETS: {
        title: 'No secure password storage',
        hint: 'There is no OS keychain here. Save it in the desktop app, or use a connection without a password.',
      },
      TEAM_DB_UNAVAILABLE: {
        title: 'The team database cannot be set here',
        hint: "Use the desktop app's Settings.",
      },
      TEAM_DB_NOT_CONFIGURED: {
        title: 'Already on the local data file',
        hint: 'No team database is saved: nothing to undo.',
      },
      TEAM_DB_FILE_DAMAGED: {
        title: 'The team database setting is damaged',
        hint: 'The file was left as it is. Save again, or use the local store.',
      },
      TEAM_DB_FILE_UNWRITABLE: {
        title: 'Cannot write the setting',
        hint: "Check the permissions and free space of the app's data folder.",
      },
      TEAM_DB_UNSEAL: {
        title: 'Cannot unseal the password',
        hint: 'The OS keychain changed: enter the password again and save.',
      },
    },
  },
});
