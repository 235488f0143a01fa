import type { ComplianceCategory, ScenarioCode } from "../../knowledge/codes.ts";
import { escapeHtml as h } from "../../text/html.ts";

/** Every text the bot shows, Simplified Chinese. zh-TW.ts is generated from it: `npm run locales`. */

const topics: Record<ScenarioCode | ComplianceCategory, string> = {
  "no-income": "没钱/没收入",
  illness: "生病",
  "delay-promise": "拖延承诺",
  "busy-later": "说忙、以后再说",
  "waiver-demand": "要求减免",
  "interest-too-high": "嫌利息高",
  "penalty-too-high": "嫌罚息高",
  "used-by-other": "钱被别人用了",
  "card-by-other": "卡是别人办的",
  defiant: "态度强硬",
  "complaint-threat": "扬言投诉",
  "already-paid": "说已经还了",
  "other-debts-first": "先还别的债",
  "anti-collection": "反催收",
  "third-party": "第三方",
  "abusive-debtor": "客户辱骂",
  unreachable: "失联",
  "contact-rules": "联系规范",
  opening: "开场",
  "stage-early": "早期催收",
  "stage-late": "后期催收",
  "debtor-psychology": "客户心理",
  "emotion-management": "情绪管理",
  "complaint-handling": "投诉处理",
  "legal-process": "法律程序",
  "repayment-plan": "还款方案",
  "follow-up": "跟进",
  "verify-ability": "核实还款能力",
  "persuasion-strategies": "说服策略",
  "violence-threat": "暴力威胁",
  "soft-violence": "软暴力",
  "false-criminal-threat": "虚构刑事后果",
  insult: "侮辱谩骂",
  "third-party-disclosure": "向第三方透露",
  "third-party-demand": "向第三方催讨",
  impersonation: "冒充公检法",
  "fake-legal-document": "伪造法律文书",
  harassment: "骚扰",
  "contact-hours": "联系时段",
  "public-shaming": "公开羞辱",
  "borrow-to-repay": "诱导借新还旧",
  misleading: "误导",
  "privacy-misuse": "滥用个人信息",
  "unofficial-payment": "私下收款",
  "inflated-debt": "虚增债务",
  "identity-concealment": "隐瞒身份",
};

const roles: Record<"admin" | "supervisor" | "collector", string> = {
  admin: "管理员",
  supervisor: "主管",
  collector: "催收员",
};
type RoleName = "admin" | "supervisor" | "collector";
interface InviteRowInfo {
  id: string;
  role: RoleName;
  team: string | null;
  used: number;
  max: number;
  expires: string;
}
const pct = (correct: number, answered: number) =>
  answered ? `${Math.round((correct / answered) * 100)}%` : "—";

export const zhCN = {
  locale: "zh-CN",
  topic: (t: string) => topics[t as keyof typeof topics] ?? t,
  role: (r: RoleName): string => roles[r],
  commands: {
    help: "使用说明",
    ask: "提问：客户说…怎么办",
    check: "检查话术是否合规",
    quiz: "来一道练习题",
    daily: "每日一题：on / off / HH:MM",
    stats: "我的练习成绩",
    leaderboard: "本周团队排行（自愿参加）",
    team: "主管：团队情况",
    tip: "主管：给团队发提示",
    gaps: "主管：知识库缺口",
    invite: "主管/管理员：生成邀请链接",
    invites: "主管/管理员：有效的邀请链接",
    revoke: "主管/管理员：作废邀请链接",
    users: "管理员：用户列表",
    practice: "角色扮演陪练：/practice [场景] [easy|normal|hard]",
    stop: "结束当前陪练",
    assign: "主管：给团队布置陪练",
  },
  // access
  refuse: "抱歉，这个机器人只对受邀的催收团队成员开放。请向你的主管索取邀请链接。",
  startUnknownCode: "邀请码无效。请向主管重新索取邀请链接。",
  startExpired: "邀请码已过期。请向主管重新索取邀请链接。",
  startUsed: "这个邀请码已经被使用过了。请向主管重新索取邀请链接。",
  startFull: "这个邀请链接的名额已经用完了。请向主管重新索取邀请链接。",
  startRevoked: "这个邀请链接已经作废。请向主管重新索取邀请链接。",
  alreadyRegistered: (role: RoleName, team: string | null) =>
    `你已经注册过了（${roles[role]}${team ? ` · ${h(team)}组` : ""}）。发 /help 查看用法。`,
  welcome: (name: string, role: RoleName, team: string | null) =>
    `欢迎，${h(name)}！你已加入催收教练（${roles[role]}${team ? ` · ${h(team)}组` : ""}）。\n\n直接发问题给我，例如“客户说没钱怎么办”。发 /help 查看全部功能。`,
  help: (role: RoleName) =>
    [
      "<b>催收教练 · 使用说明</b>",
      "",
      "直接发问题（或 /ask 问题）：得到应对思路和合规话术",
      "/check 话术：检查一句话是否合规（也可以回复某条消息发 /check）",
      "/quiz：来一道练习题",
      "/daily on|off|HH:MM：订阅每日一题（默认 09:00）",
      "/stats：我的正确率、连续天数和薄弱环节",
      "/leaderboard on|off：加入或退出本周团队排行",
      "/practice [场景] [easy|normal|hard]：和扮演客户的机器人练一轮，逐句打分；/stop 结束",
      ...(role !== "collector"
        ? [
            "",
            "<b>主管</b>",
            "/invite collector|supervisor [团队] [人数]：生成邀请链接（写人数就是多人共用）",
            "/invites：有效的邀请链接 · /revoke 编号：作废",
            "/team：团队成员和各主题正确率",
            "/tip 内容：经合规检查后发给团队",
            "/gaps：没答好的问题和被点踩的回答",
            "/users：团队成员",
            "/assign 场景 [难度]：给团队布置一个陪练",
          ]
        : []),
      ...(role === "admin"
        ? [
            "",
            "<b>管理员</b>",
            "/move 用户ID 团队 · /role 用户ID 角色 · /remove 用户ID",
            "/tip all 内容：发给全体成员",
            "发送 CSV 文件（用户ID,姓名,角色,团队）：批量导入成员",
          ]
        : []),
    ].join("\n"),
  // robustness
  flood: (seconds: number) => `你发得太快了，请等 ${seconds} 秒再试。`,
  tooLong: (max: number) => `内容太长了（上限 ${max} 字）。请精简后再发。`,
  onlyText: "我只能看懂文字。请用文字描述你遇到的情况。",
  unknownCommand: "没有这个命令。发 /help 查看可用命令。",
  privateOnly: "这个功能请私聊我使用。",
  groupNote: (username: string) =>
    `我在群里不提供功能：邀请链接、成员名单、个人成绩和话术检查都只在私聊里。请私聊我：@${h(username)}`,
  forgedButton: "这个按钮无效。",
  openPrivateChat: "💬 私聊我",
  noPermission: "你没有权限使用这个命令。",
  error: "抱歉，处理时出了点问题，请稍后再试。",
  blockedOutgoing: "（这条内容没有通过合规检查，已拦截。）",
  expired: "这个按钮已失效，请重新提问。",
  // ask
  askUsage: "请在 /ask 后面写上你的问题，例如：/ask 客户说没钱怎么办",
  fbUp: "👍 有用",
  fbDown: "👎 没用",
  morePhrasing: "💬 更多说法",
  related: (title: string) => `🔗 ${title}`,
  thanks: "谢谢反馈！",
  whyDown: "哪里不好？",
  whyDownPrompt: "哪里不好？点一个原因，或者 5 分钟内直接打字告诉我。",
  skipReason: "跳过",
  reasonSkipped: "好的，跳过。",
  reasonThanks: "收到，谢谢！这条意见会转给培训负责人。",
  reasons: { wrong: "内容有误", irrelevant: "答非所问", unclear: "看不懂", noncompliant: "不合规" },
  noMorePhrasing: "这个主题没有更多说法了。",
  morePhrasingTitle: "<b>💬 还可以这样说</b>",
  // check
  checkUsage: "用法：/check 要检查的话术，或者回复一条消息发 /check。",
  verdict: { pass: "✅ 合规", warn: "⚠️ 需要注意", block: "⛔ 不合规" },
  severity: { block: "禁止", warn: "注意" } as Record<string, string>,
  checkViolation: (i: number, category: string, severity: string, what: string) =>
    `\n<b>${i}. ${h(category)}</b>（${h(severity)}）${what ? `：${h(what)}` : ""}`,
  checkWhy: (s: string) => `原因：${h(s)}`,
  checkBasis: (s: string) => `依据：${h(s)}`,
  checkSuggestion: (s: string) => `\n<b>建议改为：</b>\n${h(s)}`,
  checkPassNote: "没有发现违规。注意语气平和、只和本人沟通。",
  // quiz
  quizEmpty: "题库还在准备中，稍后再来。",
  quizPollFailed: "出题失败，请稍后再试。",
  dailyQuizIntro: "☀️ 每日一题",
  // daily
  dailyStatus: (on: boolean, time: string, tz: string) =>
    on
      ? `每日一题已开启，每天 ${time}（${h(tz)}）推送。发 /daily off 关闭。`
      : "每日一题未开启。发 /daily on 开启，或 /daily 08:30 指定时间。",
  dailyOn: (time: string, tomorrow: boolean) =>
    `好的，每天 ${time} 给你推送一道题。第一题${tomorrow ? "明天" : "今天"} ${time} 送到。`,
  dailyOff: "已关闭每日一题。",
  dailyUsage: "用法：/daily on、/daily off 或 /daily HH:MM（例如 /daily 08:30）",
  // stats
  stats: (s: { answered: number; correct: number; streak: number; best: number; weak: string[] }) =>
    s.answered
      ? [
          "<b>📊 我的练习</b>",
          `答题数：${s.answered}`,
          `正确率：${pct(s.correct, s.answered)}`,
          `连续练习：${s.streak} 天（最长 ${s.best} 天）`,
          s.weak.length ? `薄弱环节：${s.weak.map(h).join("、")}` : "薄弱环节：暂无",
        ].join("\n")
      : "你还没有答过题。发 /quiz 来一道吧！",
  leaderboardOn: "已加入本周团队排行。",
  leaderboardOff: "已退出团队排行。",
  leaderboardNoTeam: "你还没有分配团队，暂时没有排行。",
  leaderboard: (team: string, rows: Array<{ name: string; correct: number; answered: number }>) =>
    rows.length
      ? [
          `<b>🏆 ${h(team)}组 本周排行</b>`,
          ...rows.map((r, i) => `${i + 1}. ${h(r.name)}：答对 ${r.correct} / ${r.answered}`),
        ].join("\n")
      : "本周还没有人上榜。发 /leaderboard on 加入。",
  // team
  teamUsage: "用法：/team 或（管理员）/team 团队名",
  teamNone: "没有这个团队的成员。",
  teamHeader: (team: string, n: number) => `<b>👥 ${h(team)}组</b>（${n} 人）`,
  teamMember: (m: { name: string; id: number; answered: number; correct: number; inactive: boolean }) =>
    `• ${h(m.name)}（${m.id}）：${m.answered} 题，正确率 ${pct(m.correct, m.answered)}${m.inactive ? " · 💤 不活跃" : ""}`,
  teamTopics: (topicRows: Array<{ topic: string; answered: number; correct: number }>) =>
    topicRows.length
      ? [
          "<b>各主题正确率（低到高）</b>",
          ...topicRows.map((t) => `• ${h(t.topic)}：${pct(t.correct, t.answered)}（${t.answered} 题）`),
        ]
      : [],
  teamCsvHeader: ["用户ID", "姓名", "答题数", "正确数", "正确率", "不活跃"],
  teamCsvCaption: (team: string, n: number) => `${team}组成员（${n} 人）`,
  exportCsv: "📄 导出 CSV",
  // tips
  tipUsage: "用法：/tip 提示内容（管理员可用 /tip all 内容 发给所有人）",
  tipBlocked: (reasons: string[], suggestion: string | null) =>
    [
      "⛔ 这条提示没有通过合规检查，<b>没有发送</b>。",
      ...reasons.map((r) => `• ${h(r)}`),
      ...(suggestion ? ["", "<b>可以改成：</b>", h(suggestion)] : []),
    ].join("\n"),
  tipWarn: (reasons: string[]) =>
    ["⚠️ 这条提示有需要注意的地方：", ...reasons.map((r) => `• ${h(r)}`), "", "确定仍要发送吗？"].join("\n"),
  tipConfirm: "确定发送",
  tipCancel: "取消",
  tipCancelled: "已取消，没有发送。",
  tipNoRecipients: "没有可以发送的成员。",
  tipQueued: (n: number) => `正在发给 ${n} 人，完成后告诉你结果。`,
  tipHeader: "📣 <b>主管提示</b>",
  tipReport: (r: { sent: number; failed: number; inactive: number; unknown: number; total: number }) =>
    `📬 提示发送完毕：共 ${r.total} 人，成功 ${r.sent}，失败 ${r.failed}，已停用 ${r.inactive}${r.unknown ? `，状态不明 ${r.unknown}` : ""}。`,
  // gaps
  gapsEmpty: "还没有记录到缺口。",
  gapsHeader: "<b>🕳 知识库缺口（按次数）</b>",
  gap: (
    i: number,
    g: {
      kind: "unanswered" | "disliked";
      text: string;
      count: number;
      entry: string | null;
      reasons: string[];
      notes: string[];
    },
  ) =>
    `${i}. ${g.kind === "unanswered" ? "没答上" : "被点踩"} ×${g.count}：${h(g.text)}${g.entry ? `（回答：${h(g.entry)}）` : ""}${g.reasons.length ? ` · ${g.reasons.map(h).join("、")}` : ""}${g.notes.length ? `\n   意见：${g.notes.map((n) => `“${h(n)}”`).join(" ")}` : ""}`,
  // invites & users
  inviteUsage:
    "用法：/invite collector|supervisor [团队] [人数] [有效期]，例如 /invite collector 北区 50 7d（50 人可用，7 天内有效）",
  inviteSupervisorOwnTeam: "主管只能邀请自己团队的催收员。",
  inviteLink: (role: RoleName, team: string | null, link: string, hours: number, uses: number, id: string) =>
    `邀请链接（${roles[role]}${team ? ` · ${h(team)}组` : ""}，${uses > 1 ? `可供 ${uses} 人使用` : "一次有效"}，${hours} 小时内使用，编号 ${h(id)}）：\n${h(link)}`,
  inviteBadCount: (max: number) => `人数请写 1 到 ${max} 之间的数字。`,
  invitesNone: "没有有效的邀请链接。",
  invitesHeader: "<b>🔗 有效的邀请链接</b>（/revoke 编号 作废）",
  inviteRow: (i: InviteRowInfo) =>
    `• ${h(i.id)} · ${roles[i.role]}${i.team ? ` · ${h(i.team)}组` : ""} · 已用 ${i.used}/${i.max} · ${h(i.expires)} 到期`,
  revokeUsage: "用法：/revoke 编号（编号见 /invites）",
  revoked: (id: string) => `邀请链接 ${h(id)} 已作废。`,
  revokeUnknown: "找不到这个邀请链接，或者你无权作废它。",
  usersNone: "还没有用户。",
  usersHeader: (n: number, inactive: number) =>
    `<b>用户</b>（${n} 人${inactive ? `，其中 ${inactive} 人已停用` : ""}）`,
  userRow: (u: { id: number; name: string; role: RoleName; team: string | null; active: boolean }) =>
    `• ${u.id} ${h(u.name)} · ${roles[u.role]}${u.team ? ` · ${h(u.team)}` : ""}${u.active ? "" : " · 已停用"}`,
  usersCsvHeader: ["用户ID", "姓名", "角色", "团队", "状态"],
  usersCsvCaption: (n: number) => `用户列表（${n} 人）`,
  activeLabel: (active: boolean) => (active ? "正常" : "已停用"),
  // import
  importUsage:
    "批量导入：发送一个 CSV 文件（UTF-8），每行 用户ID,姓名,角色,团队，角色是 collector 或 supervisor。第一行可以是表头。",
  importNotCsv: "只能导入 CSV 文件（.csv）。",
  importTooBig: (max: number) => `文件太大了（上限 ${max} 行）。请分批导入。`,
  importReport: (added: number, updated: number, errors: string[]) =>
    [
      `📥 导入完成：新增 ${added} 人，更新 ${updated} 人${errors.length ? `，${errors.length} 行有问题` : ""}。`,
      ...errors.slice(0, 20).map((e) => `• ${h(e)}`),
      ...(errors.length > 20 ? [`……还有 ${errors.length - 20} 行`] : []),
      ...(added ? ["", "新成员给我发任意一条消息就能开始使用。"] : []),
    ].join("\n"),
  importRowError: (line: number, why: string) => `第 ${line} 行：${why}`,
  importWhy: {
    id: "用户ID必须是数字",
    role: "角色只能是 collector 或 supervisor",
    team: "缺少团队",
    name: "缺少姓名",
    admin: "不能改动管理员",
  },
  moveUsage: "用法：/move 用户ID 团队",
  roleUsage: "用法：/role 用户ID collector|supervisor|admin",
  removeUsage: "用法：/remove 用户ID",
  userNotFound: "找不到这个用户。",
  userUpdated: (id: number) => `已更新用户 ${id}。`,
  userRemoved: (id: number) => `已移除用户 ${id}。`,
  // practice (陪练)
  difficulty: (d: string) => ({ easy: "简单", normal: "普通", hard: "困难" })[d] ?? d,
  practiceOff: "陪练功能暂时不可用。",
  practiceUsage:
    "用法：/practice [场景] [easy|normal|hard]，例如 /practice no-income easy。不写场景就按你的薄弱环节挑一个。",
  practiceNotFound: (arg: string) =>
    `没有找到“${h(arg)}”对应的陪练场景。可以写借口代码（如 no-income、illness），或主管布置的场景编号。`,
  practiceBusy: (title: string) => `你正在练“${h(title)}”。直接回复继续，或发 /stop 结束这一轮。`,
  practiceStart: (s: { title: string; difficulty: string; persona: string; topic: string }) =>
    [
      `🎭 <b>陪练开始：${h(s.title)}</b>（${h(s.topic)} · ${h(s.difficulty)}）`,
      `对方：${h(s.persona)}`,
      "我来扮演客户。你直接回复你要说的话，每一句都会先做合规检查，再按要点打分。发 /stop 结束。",
    ].join("\n"),
  practiceLine: (line: string) => `🗣 ${h(line)}`,
  practiceStopped: "已结束这一轮陪练（不计入成绩）。",
  practiceNoRound: "你现在没有进行中的陪练。发 /practice 开始一轮。",
  practiceTimeout: (minutes: number) =>
    `上一轮陪练超过 ${minutes} 分钟没有回复，已自动结束（不计入成绩）。发 /practice 再来一轮。`,
  practiceResumed: "（接着上次的陪练继续）",
  practiceViolation: (v: { category: string; why: string; basis: string; suggestion: string | null }) =>
    [
      "⛔ <b>这句话不合规，本轮结束。</b>",
      `<b>${h(v.category)}</b>${v.why ? `：${h(v.why)}` : ""}`,
      ...(v.basis ? [`依据：${h(v.basis)}`] : []),
      ...(v.suggestion ? ["", "<b>合规的说法：</b>", h(v.suggestion)] : []),
    ].join("\n"),
  outcome: (o: string) =>
    ({
      deal: "达成还款约定",
      open: "没有谈成约定",
      "hung-up": "客户挂断了电话",
      violation: "违规，本轮结束",
      abandoned: "中途结束",
      timeout: "超时结束",
    })[o] ?? o,
  scorecard: (c: {
    title: string;
    difficulty: string;
    outcome: string;
    score: number;
    met: string[];
    missed: string[];
    violations: string[];
    advice: Array<{ item: string; phrasings: string[] }>;
  }) =>
    [
      `📋 <b>陪练成绩单：${h(c.title)}</b>（${h(c.difficulty)}）`,
      `结果：${h(c.outcome)} · 得分 <b>${c.score}</b>`,
      ...c.met.map((m) => `✅ ${h(m)}`),
      ...c.missed.map((m) => `❌ ${h(m)}`),
      ...c.violations.map((v) => `⛔ ${h(v)}`),
      ...(c.advice.some((a) => a.phrasings.length)
        ? [
            "",
            "<b>推荐说法</b>",
            ...c.advice.flatMap((a) => a.phrasings.map((p) => `• ${h(a.item)}：${h(p)}`)),
          ]
        : []),
      "",
      "再练一轮：/practice",
    ].join("\n"),
  statsPractice: (p: { rounds: number; average: number | null; weak: string[] }) =>
    p.rounds
      ? [
          "",
          "",
          "<b>🎭 陪练</b>",
          `已完成：${p.rounds} 轮，平均 ${p.average ?? 0} 分`,
          ...(p.weak.length ? [`待加强：${p.weak.map(h).join("、")}`] : []),
        ].join("\n")
      : "\n\n🎭 还没有练过陪练。发 /practice 开始一轮。",
  teamPractice: (
    members: Array<{ name: string; rounds: number; average: number | null }>,
    scenarios: Array<{ title: string; rounds: number; average: number | null }>,
  ) =>
    [
      "",
      "",
      "<b>🎭 陪练（成员）</b>",
      ...members.map((m) => `• ${h(m.name)}：${m.rounds} 轮${m.rounds ? `，平均 ${m.average ?? 0} 分` : ""}`),
      ...(scenarios.length
        ? [
            "",
            "<b>🎭 陪练（场景，低分在前）</b>",
            ...scenarios.map((s) => `• ${h(s.title)}：${s.rounds} 轮，平均 ${s.average ?? 0} 分`),
          ]
        : []),
    ].join("\n"),
  assignUsage: "用法：/assign 场景编号或借口代码 [easy|normal|hard]，例如 /assign no-income hard",
  assignMessage: (title: string, difficulty: string, id: string) =>
    `📌 <b>主管布置了陪练</b>：${h(title)}（${h(difficulty)}）\n发 /practice ${h(id)} 开始练习。`,
};

export type Messages = typeof zhCN;
