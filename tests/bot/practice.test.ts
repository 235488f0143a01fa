import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStorage } from "../../src/storage/index.ts";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, testCoach } from "./helpers.ts";

const api = new FakeBotApi();
let t: Awaited<ReturnType<typeof createTestBot>>;
const S = 70; // supervisor of 东区
const C = 71; // collector
const D = 72; // another collector
const SCENARIO = "no-income-laid-off-easy";

const GOOD_ROUND = [
  "我理解您现在的难处，刚失业压力肯定很大。您现在每个月还有什么收入吗？",
  "补偿金大概还剩多少？每个月房租和生活开销大概多少呢？",
  "一次还清确实有困难，我可以帮您申请分期，先还一部分，您看每个月还多少合适？",
  "那我们定下来：这个月25号先还500元，下个月25号再还500元，可以吗？",
];

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
  await t.register(S, "supervisor", "东区");
  await t.register(C, "collector", "东区");
  await t.register(D, "collector", "东区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

const texts = (chat: number) => api.sent("sendMessage", chat).map((c) => String(c.payload.text));
const everyTextPassesGuard = () => {
  for (const c of api.calls) {
    const v = c.payload.text;
    if (typeof v === "string") expect(testCoach().guard(v).allowed, v).toBe(true);
  }
};

async function play(user: number, replies: string[]) {
  for (const r of replies) await t.say(user, r);
}

describe("practice (陪练) over the fake Bot API", () => {
  it("a good round: the debtor answers each move, agrees, and the scorecard scores high", async () => {
    await t.say(C, `/practice ${SCENARIO}`);
    const [intro, opening] = texts(C);
    expect(intro).toContain("陪练开始");
    expect(intro).toContain("刚被裁员的上班族");
    expect(opening).toContain("被公司裁了");
    await play(C, GOOD_ROUND);
    const all = texts(C);
    // a verification question got information out of the debtor
    expect(all.some((x) => x.includes("到手六千多"))).toBe(true);
    const card = all.at(-1)!;
    expect(card).toContain("陪练成绩单");
    expect(card).toContain("达成还款约定");
    expect(card).toContain("得分 <b>100</b>");
    expect(card).toContain("✅ 提出具体方案");
    expect(card).not.toContain("❌");
    expect(await t.storage.kv.get(`practice:round:${C}`)).toBeUndefined();
    everyTextPassesGuard();
  });

  it("a round with a threat ends at once with the rule, the reason and a compliant version", async () => {
    await t.say(C, "/practice no-income hard");
    api.reset();
    await t.say(C, "再不还钱就让你坐牢，你自己看着办");
    const [violation, card] = texts(C);
    expect(violation).toContain("不合规，本轮结束");
    expect(violation).toContain("虚构刑事后果");
    expect(violation).toContain("合规的说法");
    expect(violation).not.toContain("让你坐牢"); // the offending sentence is not echoed
    expect(card).toContain("违规，本轮结束");
    expect(card).toContain("得分 <b>0</b>");
    expect(card).toContain("推荐说法");
    // the debtor does not answer a violation
    expect(texts(C).some((x) => x.startsWith("🗣"))).toBe(false);
    everyTextPassesGuard();
  });

  it("an empty threat the engine lets through makes the debtor escalate and misses 'no empty threats'", async () => {
    await t.say(D, "/practice no-income-shop-closed-normal");
    await t.say(D, "少来这套，今天必须还");
    expect(api.lastText(D)).toContain("投诉");
    await t.say(D, "少废话，今天必须还，你会后悔的");
    expect(texts(D).at(-2)).toContain("投诉你");
    expect(api.lastText(D)).toContain("客户挂断了电话");
    expect(api.lastText(D)).toContain("❌ 不说空洞的威胁");
  });

  it("empathy without a plan misses 'concrete plan' and shows the entry's phrasing for it", async () => {
    await t.say(C, `/practice ${SCENARIO}`);
    await play(C, [
      "我理解您现在的难处，刚失业压力肯定很大。",
      "您别着急，换作是我也会慌。",
      "真的不容易，谢谢您愿意跟我说这些。",
      "您放心，我能体谅您的心情。",
    ]);
    const card = api.lastText(C);
    expect(card).toContain("没有谈成约定");
    expect(card).toContain("✅ 表达理解");
    expect(card).toContain("❌ 提出具体方案");
    expect(card).toContain("❌ 约定金额和日期");
    expect(card).toMatch(/提出具体方案：[^\n]*分期/);
    expect(card).not.toContain("得分 <b>100</b>");
    everyTextPassesGuard();
  });

  it("a Traditional-script collector gets the debtor in Traditional, and is scored the same", async () => {
    await t.say(D, "/practice 沒錢 easy");
    await t.say(D, "我理解您的難處，您現在每個月還有什麼收入嗎？");
    expect(api.lastText(D)).toMatch(/🗣 .*現在.*補償金/);
    await t.say(D, "/stop");
    expect(api.lastText(D)).toContain("結束");
  });

  it("a restart mid-round resumes the round from the store", async () => {
    await t.say(C, `/practice ${SCENARIO}`);
    await t.say(C, GOOD_ROUND[0]!);
    expect(await t.storage.kv.get(`practice:round:${C}`)).toMatchObject({ scenarioId: SCENARIO, turn: 1 });
    await t.app.broadcaster.stop();
    await t.storage.close();
    // restart: new storage connection and a new bot over the same file
    const storage = await createStorage({ dataDir: t.dataDir });
    t = await createTestBot({ api, storage, dataDir: t.dataDir, clock: t.clock });
    api.reset();
    await play(C, GOOD_ROUND.slice(1));
    // the debtor goes on from turn 2, not from the opening
    expect(texts(C)[0]).toContain("补偿金还剩两千多");
    const card = api.lastText(C);
    expect(card).toContain("陪练成绩单");
    expect(card).toContain("得分 <b>100</b>");
  });

  it("an idle round times out; /stop abandons; neither counts in /stats", async () => {
    await t.say(D, `/practice ${SCENARIO}`);
    t.clock.set(new Date(t.clock.now().getTime() + 31 * 60_000).toISOString());
    await t.say(D, "您好，我们继续说");
    expect(api.lastText(D)).toContain("自动结束");
    await t.say(D, "/stop");
    expect(api.lastText(D)).toContain("没有进行中的陪练");
    await t.say(D, `/practice ${SCENARIO}`);
    await t.say(D, "/practice illness");
    expect(api.lastText(D)).toContain("你正在练");
    await t.say(D, "/stop");
    expect(api.lastText(D)).toContain("不计入成绩");
    await t.say(D, "/stats");
    expect(api.lastText(D)).toContain("已完成：1 轮"); // the hung-up round of the escalation case
  });

  it("/stats shows the collector's rounds and average", async () => {
    await t.say(C, "/stats");
    expect(api.lastText(C)).toMatch(/已完成：\d+ 轮，平均 \d+ 分/);
  });

  it("/team shows practice results per member and per scenario", async () => {
    await t.say(S, "/team");
    const team = api.lastText(S);
    expect(team).toContain("陪练（成员）");
    expect(team).toMatch(/用户71：4 轮，平均 \d+ 分/);
    expect(team).toContain("陪练（场景，低分在前）");
    expect(team).toMatch(/刚被裁员的上班族：\d 轮/);
    await t.say(C, "/team");
    expect(api.lastText(C)).not.toContain("陪练（成员）");
  });

  it("/assign reaches the team like a tip, and /practice then starts the assigned scenario", async () => {
    await t.say(S, "/assign illness hard");
    expect(api.lastText(S)).toContain("正在发给 2 人");
    for (const j of await t.storage.jobs.active()) await t.app.broadcaster.wait(j.id);
    await new Promise((r) => setTimeout(r, 50));
    for (const id of [C, D]) {
      const got = texts(id).find((x) => x.includes("主管布置了陪练"));
      expect(got).toContain("/practice illness-chronic-hard");
    }
    expect(api.sent("sendMessage", ADMIN)).toHaveLength(0);
    await t.say(C, "/practice");
    expect(texts(C).at(-2)).toContain("拿病当挡箭牌");
    await t.say(C, "/stop");
    await t.say(C, "/assign illness");
    expect(api.lastText(C)).toContain("没有权限");
    everyTextPassesGuard();
  });

  it("explains bad arguments", async () => {
    await t.say(C, "/practice 不存在的场景");
    expect(api.lastText(C)).toContain("没有找到");
    await t.say(S, "/assign");
    expect(api.lastText(S)).toContain("用法");
    await t.group(C, -500, "/practice");
    expect(api.lastText(-500)).toContain("私聊");
  });
});
