import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, FakeClock } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
const S = 71;

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api, clock, config: { FLOOD_LIMIT_PER_MINUTE: 1000 } });
  await t.register(S, "supervisor", "teamA");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

const codeIn = (text: string) => /start=([\w-]+)/.exec(text)?.[1];

describe("bulk onboarding", () => {
  it("a 50-use team invite registers 50 people and refuses the 51st", async () => {
    await t.say(ADMIN, "/invite collector teamA 50");
    const text = api.lastText(ADMIN);
    expect(text).toContain("可供 50 人使用");
    const code = codeIn(text)!;
    for (let i = 0; i < 50; i++) await t.say(10_000 + i, `/start ${code}`);
    for (let i = 0; i < 50; i++)
      expect(await t.storage.users.get(10_000 + i)).toMatchObject({ role: "collector", team: "teamA" });
    await t.say(10_050, `/start ${code}`);
    expect(api.lastText(10_050)).toContain("名额已经用完");
    expect(await t.storage.users.get(10_050)).toBeUndefined();
    // the 50 can use the bot
    await t.say(10_049, "/stats");
    expect(api.lastText(10_049)).toContain("还没有答过题");
  });

  it("concurrent joins never exceed the limit", async () => {
    await t.say(ADMIN, "/invite collector teamA 5");
    const code = codeIn(api.lastText(ADMIN))!;
    await Promise.all(Array.from({ length: 12 }, (_, i) => t.say(11_000 + i, `/start ${code}`)));
    const joined = (await t.storage.users.listTeam("teamA")).filter((u) => u.id >= 11_000 && u.id < 11_012);
    expect(joined).toHaveLength(5);
  });

  it("an invite expires after its validity (`72h` / `7d`)", async () => {
    await t.say(ADMIN, "/invite collector teamA 10 2h");
    expect(api.lastText(ADMIN)).toContain("2 小时内");
    const code = codeIn(api.lastText(ADMIN))!;
    clock.set("2026-03-02T04:00:01Z");
    await t.say(12_000, `/start ${code}`);
    expect(api.lastText(12_000)).toContain("过期");
    clock.set("2026-03-02T02:00:00Z");
  });

  it("/invites lists usable invites with their use counts; /revoke stops one", async () => {
    await t.say(S, "/invite collector teamA 20");
    const code = codeIn(api.lastText(S))!;
    const id = /编号 ([\w-]+)/.exec(api.lastText(S))![1]!;
    await t.say(13_000, `/start ${code}`);
    await t.say(S, "/invites");
    expect(api.lastText(S)).toContain(`${id} · 催收员 · teamA组 · 已用 1/20`);
    // a supervisor sees only their own invites
    expect(api.lastText(S).match(/已用/g)).toHaveLength(1);
    await t.say(ADMIN, "/invites");
    expect(api.lastText(ADMIN)).toContain(id);

    await t.say(13_001, `/revoke ${id}`); // a stranger cannot revoke
    expect(api.lastText(13_001)).toContain("邀请");
    expect(await t.storage.invites.active(clock.now())).toContainEqual(expect.objectContaining({ code }));
    await t.say(S, `/revoke ${id}`);
    expect(api.lastText(S)).toContain("已作废");
    await t.say(13_002, `/start ${code}`);
    expect(api.lastText(13_002)).toContain("作废");
    expect(await t.storage.users.get(13_002)).toBeUndefined();
    await t.say(S, "/invites");
    expect(api.lastText(S)).not.toContain(id);
  });

  it("a supervisor cannot revoke someone else's invite; bad counts get a clear answer", async () => {
    await t.say(ADMIN, "/invite collector teamA 3");
    const id = /编号 ([\w-]+)/.exec(api.lastText(ADMIN))![1]!;
    await t.say(S, `/revoke ${id}`);
    expect(api.lastText(S)).toContain("找不到");
    await t.say(ADMIN, "/invite collector teamA 0");
    expect(api.lastText(ADMIN)).toContain("1 到 1000");
    await t.say(ADMIN, "/invite collector teamA 5000");
    expect(api.lastText(ADMIN)).toContain("1 到 1000");
  });

  it("an admin imports a team from a CSV document and gets a report by line", async () => {
    const csv = [
      "用户ID,姓名,角色,团队",
      "20001,张三,collector,teamB",
      '20002,"李四, 组长",supervisor,teamB',
      "20003,王五,主管,teamB",
      "abc,赵六,collector,teamB",
      "20005,钱七,boss,teamB",
      "20006,孙八,collector,",
      `${ADMIN},我自己,collector,teamB`,
    ].join("\n");
    await t.document(ADMIN, "teamB.csv", `\uFEFF${csv}`);
    const report = api.lastText(ADMIN);
    expect(report).toContain("新增 3 人");
    expect(report).toContain("4 行有问题");
    expect(report).toContain("第 5 行：用户ID必须是数字");
    expect(report).toContain("第 6 行：角色只能是");
    expect(report).toContain("第 7 行：缺少团队");
    expect(report).toContain("第 8 行：不能改动管理员");
    expect(await t.storage.users.get(20002)).toMatchObject({ name: "李四, 组长", role: "supervisor" });
    expect(await t.storage.users.get(20003)).toMatchObject({ role: "supervisor", team: "teamB" });
    expect((await t.storage.users.get(ADMIN))?.role).toBe("admin");
    // imported users are recognised on their first message
    await t.say(20001, "/stats");
    expect(api.lastText(20001)).not.toContain("邀请");
    // importing again updates instead of duplicating
    await t.document(ADMIN, "teamB.csv", "20001,张三,collector,teamC");
    expect(api.lastText(ADMIN)).toContain("更新 1 人");
    expect((await t.storage.users.get(20001))?.team).toBe("teamC");
  });

  it("only admins import; a non-CSV document gets a clear answer", async () => {
    await t.document(S, "x.csv", "30001,a,collector,teamA");
    expect(await t.storage.users.get(30001)).toBeUndefined();
    await t.document(ADMIN, "名单.xlsx", "PK…");
    expect(api.lastText(ADMIN)).toContain("CSV");
  });
});

describe("flood limit", () => {
  it("answers every message over the limit with how long to wait", async () => {
    const f = await createTestBot({ api, clock, config: { FLOOD_LIMIT_PER_MINUTE: 3 } });
    for (let i = 0; i < 6; i++) {
      await f.say(ADMIN, "/invite collector teamA");
      clock.t = new Date(clock.t.getTime() + 5_000);
    }
    const texts = api.sent("sendMessage", ADMIN).map((c) => String(c.payload.text));
    expect(texts).toHaveLength(6);
    expect(texts.filter((x) => x.includes("start="))).toHaveLength(3);
    expect(texts.slice(3)).toEqual([
      "你发得太快了，请等 45 秒再试。",
      "你发得太快了，请等 40 秒再试。",
      "你发得太快了，请等 35 秒再试。",
    ]);
    clock.t = new Date(clock.t.getTime() + 60_000);
    await f.say(ADMIN, "/invite collector teamA");
    expect(api.lastText(ADMIN)).toContain("start=");
    await f.storage.close();
  });
});
