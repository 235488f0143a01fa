import type { ComplianceCategory, ScenarioCode } from "../../knowledge/codes.ts";
import { escapeHtml as h } from "../../text/html.ts";
import type { Messages } from "./zh-CN.ts";

/** Every text the bot shows, Traditional Chinese (Taiwan). Generated from zh-CN.ts by `npm run locales`. */

const topics: Record<ScenarioCode | ComplianceCategory, string> = {
  "no-income": "沒錢/沒收入",
  illness: "生病",
  "delay-promise": "拖延承諾",
  "busy-later": "說忙、以後再說",
  "waiver-demand": "要求減免",
  "interest-too-high": "嫌利息高",
  "penalty-too-high": "嫌罰息高",
  "used-by-other": "錢被別人用了",
  "card-by-other": "卡是別人辦的",
  defiant: "態度強硬",
  "complaint-threat": "揚言投訴",
  "already-paid": "說已經還了",
  "other-debts-first": "先還別的債",
  "anti-collection": "反催收",
  "third-party": "第三方",
  "abusive-debtor": "客戶辱罵",
  unreachable: "失聯",
  "contact-rules": "聯繫規範",
  opening: "開場",
  "stage-early": "早期催收",
  "stage-late": "後期催收",
  "debtor-psychology": "客戶心理",
  "emotion-management": "情緒管理",
  "complaint-handling": "投訴處理",
  "legal-process": "法律程序",
  "repayment-plan": "還款方案",
  "follow-up": "跟進",
  "verify-ability": "核實還款能力",
  "persuasion-strategies": "說服策略",
  "violence-threat": "暴力威脅",
  "soft-violence": "軟暴力",
  "false-criminal-threat": "虛構刑事後果",
  insult: "侮辱謾罵",
  "third-party-disclosure": "向第三方透露",
  "third-party-demand": "向第三方催討",
  impersonation: "冒充公檢法",
  "fake-legal-document": "偽造法律文書",
  harassment: "騷擾",
  "contact-hours": "聯繫時段",
  "public-shaming": "公開羞辱",
  "borrow-to-repay": "誘導借新還舊",
  misleading: "誤導",
  "privacy-misuse": "濫用個人信息",
  "unofficial-payment": "私下收款",
  "inflated-debt": "虛增債務",
  "identity-concealment": "隱瞞身份",
};

const roles: Record<"admin" | "supervisor" | "collector", string> = {
  admin: "管理員",
  supervisor: "主管",
  collector: "催收員",
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

export const zhTW: Messages = {
  locale: "zh-TW",
  topic: (t: string) => topics[t as keyof typeof topics] ?? t,
  role: (r: RoleName): string => roles[r],
  commands: {
    help: "使用說明",
    ask: "提問：客戶說…怎麼辦",
    check: "檢查話術是否合規",
    quiz: "來一道練習題",
    daily: "每日一題：on / off / HH:MM",
    stats: "我的練習成績",
    leaderboard: "本週團隊排行（自願參加）",
    team: "主管：團隊情況",
    tip: "主管：給團隊發提示",
    gaps: "主管：知識庫缺口",
    invite: "主管/管理員：生成邀請鏈接",
    invites: "主管/管理員：有效的邀請鏈接",
    revoke: "主管/管理員：作廢邀請鏈接",
    users: "管理員：用戶列表",
    practice: "角色扮演陪練：/practice [場景] [easy|normal|hard]",
    stop: "結束當前陪練",
    assign: "主管：給團隊佈置陪練",
  },
  // access
  refuse: "抱歉，這個機器人只對受邀的催收團隊成員開放。請向你的主管索取邀請鏈接。",
  startUnknownCode: "邀請碼無效。請向主管重新索取邀請鏈接。",
  startExpired: "邀請碼已過期。請向主管重新索取邀請鏈接。",
  startUsed: "這個邀請碼已經被使用過了。請向主管重新索取邀請鏈接。",
  startFull: "這個邀請鏈接的名額已經用完了。請向主管重新索取邀請鏈接。",
  startRevoked: "這個邀請鏈接已經作廢。請向主管重新索取邀請鏈接。",
  alreadyRegistered: (role: RoleName, team: string | null) =>
    `你已經註冊過了（${roles[role]}${team ? ` · ${h(team)}組` : ""}）。發 /help 查看用法。`,
  welcome: (name: string, role: RoleName, team: string | null) =>
    `歡迎，${h(name)}！你已加入催收教練（${roles[role]}${team ? ` · ${h(team)}組` : ""}）。\n\n直接發問題給我，例如“客戶說沒錢怎麼辦”。發 /help 查看全部功能。`,
  help: (role: RoleName) =>
    [
      "<b>催收教練 · 使用說明</b>",
      "",
      "直接發問題（或 /ask 問題）：得到應對思路和合規話術",
      "/check 話術：檢查一句話是否合規（也可以回覆某條消息發 /check）",
      "/quiz：來一道練習題",
      "/daily on|off|HH:MM：訂閱每日一題（默認 09:00）",
      "/stats：我的正確率、連續天數和薄弱環節",
      "/leaderboard on|off：加入或退出本週團隊排行",
      "/practice [場景] [easy|normal|hard]：和扮演客戶的機器人練一輪，逐句打分；/stop 結束",
      ...(role !== "collector"
        ? [
            "",
            "<b>主管</b>",
            "/invite collector|supervisor [團隊] [人數]：生成邀請鏈接（寫人數就是多人共用）",
            "/invites：有效的邀請鏈接 · /revoke 編號：作廢",
            "/team：團隊成員和各主題正確率",
            "/tip 內容：經合規檢查後發給團隊",
            "/gaps：沒答好的問題和被點踩的回答",
            "/users：團隊成員",
            "/assign 場景 [難度]：給團隊佈置一個陪練",
          ]
        : []),
      ...(role === "admin"
        ? [
            "",
            "<b>管理員</b>",
            "/move 用戶ID 團隊 · /role 用戶ID 角色 · /remove 用戶ID",
            "/tip all 內容：發給全體成員",
            "發送 CSV 文件（用戶ID,姓名,角色,團隊）：批量導入成員",
          ]
        : []),
    ].join("\n"),
  // robustness
  flood: (seconds: number) => `你發得太快了，請等 ${seconds} 秒再試。`,
  tooLong: (max: number) => `內容太長了（上限 ${max} 字）。請精簡後再發。`,
  onlyText: "我只能看懂文字。請用文字描述你遇到的情況。",
  unknownCommand: "沒有這個命令。發 /help 查看可用命令。",
  privateOnly: "這個功能請私聊我使用。",
  groupNote: (username: string) =>
    `我在群裡不提供功能：邀請鏈接、成員名單、個人成績和話術檢查都只在私聊裡。請私聊我：@${h(username)}`,
  forgedButton: "這個按鈕無效。",
  openPrivateChat: "💬 私聊我",
  noPermission: "你沒有權限使用這個命令。",
  error: "抱歉，處理時出了點問題，請稍後再試。",
  blockedOutgoing: "（這條內容沒有通過合規檢查，已攔截。）",
  expired: "這個按鈕已失效，請重新提問。",
  // ask
  askUsage: "請在 /ask 後面寫上你的問題，例如：/ask 客戶說沒錢怎麼辦",
  fbUp: "👍 有用",
  fbDown: "👎 沒用",
  morePhrasing: "💬 更多說法",
  related: (title: string) => `🔗 ${title}`,
  thanks: "謝謝反饋！",
  whyDown: "哪裡不好？",
  whyDownPrompt: "哪裡不好？點一個原因，或者 5 分鐘內直接打字告訴我。",
  skipReason: "跳過",
  reasonSkipped: "好的，跳過。",
  reasonThanks: "收到，謝謝！這條意見會轉給培訓負責人。",
  reasons: { wrong: "內容有誤", irrelevant: "答非所問", unclear: "看不懂", noncompliant: "不合規" },
  noMorePhrasing: "這個主題沒有更多說法了。",
  morePhrasingTitle: "<b>💬 還可以這樣說</b>",
  // check
  checkUsage: "用法：/check 要檢查的話術，或者回復一條消息發 /check。",
  verdict: { pass: "✅ 合規", warn: "⚠️ 需要注意", block: "⛔ 不合規" },
  severity: { block: "禁止", warn: "注意" } as Record<string, string>,
  checkViolation: (i: number, category: string, severity: string, what: string) =>
    `\n<b>${i}. ${h(category)}</b>（${h(severity)}）${what ? `：${h(what)}` : ""}`,
  checkWhy: (s: string) => `原因：${h(s)}`,
  checkBasis: (s: string) => `依據：${h(s)}`,
  checkSuggestion: (s: string) => `\n<b>建議改為：</b>\n${h(s)}`,
  checkPassNote: "沒有發現違規。注意語氣平和、只和本人溝通。",
  // quiz
  quizEmpty: "題庫還在準備中，稍後再來。",
  quizPollFailed: "出題失敗，請稍後再試。",
  dailyQuizIntro: "☀️ 每日一題",
  // daily
  dailyStatus: (on: boolean, time: string, tz: string) =>
    on
      ? `每日一題已開啟，每天 ${time}（${h(tz)}）推送。發 /daily off 關閉。`
      : "每日一題未開啟。發 /daily on 開啟，或 /daily 08:30 指定時間。",
  dailyOn: (time: string, tomorrow: boolean) =>
    `好的，每天 ${time} 給你推送一道題。第一題${tomorrow ? "明天" : "今天"} ${time} 送到。`,
  dailyOff: "已關閉每日一題。",
  dailyUsage: "用法：/daily on、/daily off 或 /daily HH:MM（例如 /daily 08:30）",
  // stats
  stats: (s: { answered: number; correct: number; streak: number; best: number; weak: string[] }) =>
    s.answered
      ? [
          "<b>📊 我的練習</b>",
          `答題數：${s.answered}`,
          `正確率：${pct(s.correct, s.answered)}`,
          `連續練習：${s.streak} 天（最長 ${s.best} 天）`,
          s.weak.length ? `薄弱環節：${s.weak.map(h).join("、")}` : "薄弱環節：暫無",
        ].join("\n")
      : "你還沒有答過題。發 /quiz 來一道吧！",
  leaderboardOn: "已加入本週團隊排行。",
  leaderboardOff: "已退出團隊排行。",
  leaderboardNoTeam: "你還沒有分配團隊，暫時沒有排行。",
  leaderboard: (team: string, rows: Array<{ name: string; correct: number; answered: number }>) =>
    rows.length
      ? [
          `<b>🏆 ${h(team)}組 本週排行</b>`,
          ...rows.map((r, i) => `${i + 1}. ${h(r.name)}：答對 ${r.correct} / ${r.answered}`),
        ].join("\n")
      : "本週還沒有人上榜。發 /leaderboard on 加入。",
  // team
  teamUsage: "用法：/team 或（管理員）/team 團隊名",
  teamNone: "沒有這個團隊的成員。",
  teamHeader: (team: string, n: number) => `<b>👥 ${h(team)}組</b>（${n} 人）`,
  teamMember: (m: { name: string; id: number; answered: number; correct: number; inactive: boolean }) =>
    `• ${h(m.name)}（${m.id}）：${m.answered} 題，正確率 ${pct(m.correct, m.answered)}${m.inactive ? " · 💤 不活躍" : ""}`,
  teamTopics: (topicRows: Array<{ topic: string; answered: number; correct: number }>) =>
    topicRows.length
      ? [
          "<b>各主題正確率（低到高）</b>",
          ...topicRows.map((t) => `• ${h(t.topic)}：${pct(t.correct, t.answered)}（${t.answered} 題）`),
        ]
      : [],
  teamCsvHeader: ["用戶ID", "姓名", "答題數", "正確數", "正確率", "不活躍"],
  teamCsvCaption: (team: string, n: number) => `${team}組成員（${n} 人）`,
  exportCsv: "📄 導出 CSV",
  // tips
  tipUsage: "用法：/tip 提示內容（管理員可用 /tip all 內容 發給所有人）",
  tipBlocked: (reasons: string[], suggestion: string | null) =>
    [
      "⛔ 這條提示沒有通過合規檢查，<b>沒有發送</b>。",
      ...reasons.map((r) => `• ${h(r)}`),
      ...(suggestion ? ["", "<b>可以改成：</b>", h(suggestion)] : []),
    ].join("\n"),
  tipWarn: (reasons: string[]) =>
    ["⚠️ 這條提示有需要注意的地方：", ...reasons.map((r) => `• ${h(r)}`), "", "確定仍要發送嗎？"].join("\n"),
  tipConfirm: "確定發送",
  tipCancel: "取消",
  tipCancelled: "已取消，沒有發送。",
  tipNoRecipients: "沒有可以發送的成員。",
  tipQueued: (n: number) => `正在發給 ${n} 人，完成後告訴你結果。`,
  tipHeader: "📣 <b>主管提示</b>",
  tipReport: (r: { sent: number; failed: number; inactive: number; unknown: number; total: number }) =>
    `📬 提示發送完畢：共 ${r.total} 人，成功 ${r.sent}，失敗 ${r.failed}，已停用 ${r.inactive}${r.unknown ? `，狀態不明 ${r.unknown}` : ""}。`,
  // gaps
  gapsEmpty: "還沒有記錄到缺口。",
  gapsHeader: "<b>🕳 知識庫缺口（按次數）</b>",
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
    `${i}. ${g.kind === "unanswered" ? "沒答上" : "被點踩"} ×${g.count}：${h(g.text)}${g.entry ? `（回答：${h(g.entry)}）` : ""}${g.reasons.length ? ` · ${g.reasons.map(h).join("、")}` : ""}${g.notes.length ? `\n   意見：${g.notes.map((n) => `“${h(n)}”`).join(" ")}` : ""}`,
  // invites & users
  inviteUsage:
    "用法：/invite collector|supervisor [團隊] [人數] [有效期]，例如 /invite collector 北區 50 7d（50 人可用，7 天內有效）",
  inviteSupervisorOwnTeam: "主管只能邀請自己團隊的催收員。",
  inviteLink: (role: RoleName, team: string | null, link: string, hours: number, uses: number, id: string) =>
    `邀請鏈接（${roles[role]}${team ? ` · ${h(team)}組` : ""}，${uses > 1 ? `可供 ${uses} 人使用` : "一次有效"}，${hours} 小時內使用，編號 ${h(id)}）：\n${h(link)}`,
  inviteBadCount: (max: number) => `人數請寫 1 到 ${max} 之間的數字。`,
  invitesNone: "沒有有效的邀請鏈接。",
  invitesHeader: "<b>🔗 有效的邀請鏈接</b>（/revoke 編號 作廢）",
  inviteRow: (i: InviteRowInfo) =>
    `• ${h(i.id)} · ${roles[i.role]}${i.team ? ` · ${h(i.team)}組` : ""} · 已用 ${i.used}/${i.max} · ${h(i.expires)} 到期`,
  revokeUsage: "用法：/revoke 編號（編號見 /invites）",
  revoked: (id: string) => `邀請鏈接 ${h(id)} 已作廢。`,
  revokeUnknown: "找不到這個邀請鏈接，或者你無權作廢它。",
  usersNone: "還沒有用戶。",
  usersHeader: (n: number, inactive: number) =>
    `<b>用戶</b>（${n} 人${inactive ? `，其中 ${inactive} 人已停用` : ""}）`,
  userRow: (u: { id: number; name: string; role: RoleName; team: string | null; active: boolean }) =>
    `• ${u.id} ${h(u.name)} · ${roles[u.role]}${u.team ? ` · ${h(u.team)}` : ""}${u.active ? "" : " · 已停用"}`,
  usersCsvHeader: ["用戶ID", "姓名", "角色", "團隊", "狀態"],
  usersCsvCaption: (n: number) => `用戶列表（${n} 人）`,
  activeLabel: (active: boolean) => (active ? "正常" : "已停用"),
  // import
  importUsage:
    "批量導入：發送一個 CSV 文件（UTF-8），每行 用戶ID,姓名,角色,團隊，角色是 collector 或 supervisor。第一行可以是表頭。",
  importNotCsv: "只能導入 CSV 文件（.csv）。",
  importTooBig: (max: number) => `文件太大了（上限 ${max} 行）。請分批導入。`,
  importReport: (added: number, updated: number, errors: string[]) =>
    [
      `📥 導入完成：新增 ${added} 人，更新 ${updated} 人${errors.length ? `，${errors.length} 行有問題` : ""}。`,
      ...errors.slice(0, 20).map((e) => `• ${h(e)}`),
      ...(errors.length > 20 ? [`……還有 ${errors.length - 20} 行`] : []),
      ...(added ? ["", "新成員給我發任意一條消息就能開始使用。"] : []),
    ].join("\n"),
  importRowError: (line: number, why: string) => `第 ${line} 行：${why}`,
  importWhy: {
    id: "用戶ID必須是數字",
    role: "角色只能是 collector 或 supervisor",
    team: "缺少團隊",
    name: "缺少姓名",
    admin: "不能改動管理員",
  },
  moveUsage: "用法：/move 用戶ID 團隊",
  roleUsage: "用法：/role 用戶ID collector|supervisor|admin",
  removeUsage: "用法：/remove 用戶ID",
  userNotFound: "找不到這個用戶。",
  userUpdated: (id: number) => `已更新用戶 ${id}。`,
  userRemoved: (id: number) => `已移除用戶 ${id}。`,
  // practice (陪練)
  difficulty: (d: string) => ({ easy: "簡單", normal: "普通", hard: "困難" })[d] ?? d,
  practiceOff: "陪練功能暫時不可用。",
  practiceUsage:
    "用法：/practice [場景] [easy|normal|hard]，例如 /practice no-income easy。不寫場景就按你的薄弱環節挑一個。",
  practiceNotFound: (arg: string) =>
    `沒有找到“${h(arg)}”對應的陪練場景。可以寫藉口代碼（如 no-income、illness），或主管佈置的場景編號。`,
  practiceBusy: (title: string) => `你正在練“${h(title)}”。直接回復繼續，或發 /stop 結束這一輪。`,
  practiceStart: (s: { title: string; difficulty: string; persona: string; topic: string }) =>
    [
      `🎭 <b>陪練開始：${h(s.title)}</b>（${h(s.topic)} · ${h(s.difficulty)}）`,
      `對方：${h(s.persona)}`,
      "我來扮演客戶。你直接回復你要說的話，每一句都會先做合規檢查，再按要點打分。發 /stop 結束。",
    ].join("\n"),
  practiceLine: (line: string) => `🗣 ${h(line)}`,
  practiceStopped: "已結束這一輪陪練（不計入成績）。",
  practiceNoRound: "你現在沒有進行中的陪練。發 /practice 開始一輪。",
  practiceTimeout: (minutes: number) =>
    `上一輪陪練超過 ${minutes} 分鐘沒有回覆，已自動結束（不計入成績）。發 /practice 再來一輪。`,
  practiceResumed: "（接著上次的陪練繼續）",
  practiceViolation: (v: { category: string; why: string; basis: string; suggestion: string | null }) =>
    [
      "⛔ <b>這句話不合規，本輪結束。</b>",
      `<b>${h(v.category)}</b>${v.why ? `：${h(v.why)}` : ""}`,
      ...(v.basis ? [`依據：${h(v.basis)}`] : []),
      ...(v.suggestion ? ["", "<b>合規的說法：</b>", h(v.suggestion)] : []),
    ].join("\n"),
  outcome: (o: string) =>
    ({
      deal: "達成還款約定",
      open: "沒有談成約定",
      "hung-up": "客戶掛斷了電話",
      violation: "違規，本輪結束",
      abandoned: "中途結束",
      timeout: "超時結束",
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
      `📋 <b>陪練成績單：${h(c.title)}</b>（${h(c.difficulty)}）`,
      `結果：${h(c.outcome)} · 得分 <b>${c.score}</b>`,
      ...c.met.map((m) => `✅ ${h(m)}`),
      ...c.missed.map((m) => `❌ ${h(m)}`),
      ...c.violations.map((v) => `⛔ ${h(v)}`),
      ...(c.advice.some((a) => a.phrasings.length)
        ? [
            "",
            "<b>推薦說法</b>",
            ...c.advice.flatMap((a) => a.phrasings.map((p) => `• ${h(a.item)}：${h(p)}`)),
          ]
        : []),
      "",
      "再練一輪：/practice",
    ].join("\n"),
  statsPractice: (p: { rounds: number; average: number | null; weak: string[] }) =>
    p.rounds
      ? [
          "",
          "",
          "<b>🎭 陪練</b>",
          `已完成：${p.rounds} 輪，平均 ${p.average ?? 0} 分`,
          ...(p.weak.length ? [`待加強：${p.weak.map(h).join("、")}`] : []),
        ].join("\n")
      : "\n\n🎭 還沒有練過陪練。發 /practice 開始一輪。",
  teamPractice: (
    members: Array<{ name: string; rounds: number; average: number | null }>,
    scenarios: Array<{ title: string; rounds: number; average: number | null }>,
  ) =>
    [
      "",
      "",
      "<b>🎭 陪練（成員）</b>",
      ...members.map((m) => `• ${h(m.name)}：${m.rounds} 輪${m.rounds ? `，平均 ${m.average ?? 0} 分` : ""}`),
      ...(scenarios.length
        ? [
            "",
            "<b>🎭 陪練（場景，低分在前）</b>",
            ...scenarios.map((s) => `• ${h(s.title)}：${s.rounds} 輪，平均 ${s.average ?? 0} 分`),
          ]
        : []),
    ].join("\n"),
  assignUsage: "用法：/assign 場景編號或藉口代碼 [easy|normal|hard]，例如 /assign no-income hard",
  assignMessage: (title: string, difficulty: string, id: string) =>
    `📌 <b>主管佈置了陪練</b>：${h(title)}（${h(difficulty)}）\n發 /practice ${h(id)} 開始練習。`,
};
