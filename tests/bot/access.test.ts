import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

describe("access control", () => {
  it("refuses a stranger in private and gives nothing from the knowledge base", async () => {
    await t.say(5, "客户说没钱怎么办");
    await t.say(5, "/check 我打死你");
    await t.say(5, "/quiz");
    const texts = api.sent("sendMessage", 5).map((c) => String(c.payload.text));
    expect(texts).toHaveLength(3);
    for (const x of texts) expect(x).toContain("邀请");
    expect(api.sent("sendPoll")).toHaveLength(0);
  });

  it("answers a stranger's command in a group with the private-chat note only, and stays quiet on chatter", async () => {
    await t.group(6, -100, "/check 你好");
    await t.group(6, -100, "大家好");
    expect(api.sent("sendMessage", -100)).toHaveLength(1);
    expect(api.lastText(-100)).toContain("请私聊我");
    expect(api.lastText(-100)).not.toContain("合规");
  });

  it("invite → /start registers once; the code cannot be reused; supervisors invite only to their team", async () => {
    await t.say(ADMIN, "/invite supervisor 北区");
    const text = api.lastText(ADMIN);
    expect(text).toMatch(/https:\/\/t\.me\/collector_coach_test_bot\?start=[\w-]+/);
    const code = /start=([\w-]+)/.exec(text)![1]!;
    await t.say(7, `/start ${code}`);
    expect(api.lastText(7)).toContain("欢迎");
    expect((await t.storage.users.get(7))?.role).toBe("supervisor");
    await t.say(8, `/start ${code}`);
    expect(api.lastText(8)).toContain("已经被使用");
    expect(await t.storage.users.get(8)).toBeUndefined();

    await t.say(7, "/invite collector 南区");
    expect(api.lastText(7)).toContain("只能邀请自己团队");
    await t.say(7, "/invite collector");
    const c2 = /start=([\w-]+)/.exec(api.lastText(7))![1]!;
    await t.say(9, `/start ${c2}`);
    expect(await t.storage.users.get(9)).toMatchObject({ role: "collector", team: "北区" });
    // collectors may not invite or see other teams
    await t.say(9, "/invite collector");
    expect(api.lastText(9)).toContain("没有权限");
  });

  it("admins list, move and remove users", async () => {
    await t.register(21, "collector", "东区");
    await t.say(ADMIN, "/users");
    expect(api.lastText(ADMIN)).toContain("21");
    await t.say(ADMIN, "/move 21 西区");
    expect((await t.storage.users.get(21))?.team).toBe("西区");
    await t.say(ADMIN, "/remove 21");
    expect(await t.storage.users.get(21)).toBeUndefined();
    await t.say(21, "客户说没钱怎么办");
    expect(api.lastText(21)).toContain("邀请");
  });
});
