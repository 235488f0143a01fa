import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { detectScript } from "../../src/text/script.ts";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, FakeClock } from "./helpers.ts";

/**
 * The middleware every update passes: who is registered and active, in which script they read,
 * the flood limit's answers, and what strangers get.
 */
const api = new FakeBotApi();
type TestBot = Awaited<ReturnType<typeof createTestBot>>;
const open: TestBot[] = [];
afterEach(() => expect(api.rejected).toEqual([]));
beforeAll(async () => {
  await api.start();
});
afterAll(() => api.stop());
beforeEach(() => api.reset());
afterEach(async () => {
  for (const t of open.splice(0)) await t.storage.close();
});

const S = 30;
const C = 31;
const bot = async (o: Omit<Parameters<typeof createTestBot>[0], "api"> = {}) => {
  const t = await createTestBot({ api, ...o });
  open.push(t);
  return t;
};
const memberLine = (text: string, id: number) => text.split("\n").find((l) => l.includes(`（${id}）`)) ?? "";

describe("who is active", () => {
  it("a member back after a week away is active again on /team as soon as they write", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock });
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    clock.set("2026-03-10T02:00:00Z");
    await t.say(S, "/team");
    expect(memberLine(api.lastText(S), C)).toContain("不活跃");
    await t.say(C, "客户说没钱怎么办");
    await t.say(S, "/team");
    expect(memberLine(api.lastText(S), C)).not.toContain("不活跃");
  });

  it("someone who had blocked the bot (403) and writes again gets tips again", async () => {
    const t = await bot();
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    await t.storage.users.patch(C, (u) => ({ ...u, active: false }));
    await t.say(S, "/tip 今天重点跟进承诺还款的客户");
    expect(api.lastText(S)).toBe("没有可以发送的成员。");
    await t.say(C, "客户说没钱怎么办");
    expect((await t.storage.users.get(C))?.active).toBe(true);
    await t.say(S, "/tip 今天重点跟进承诺还款的客户");
    expect(api.lastText(S)).toContain("正在发给 1 人");
  });

  it("an admin from the config is registered on first contact, in the script of their Telegram language", async () => {
    const t = await bot();
    await t.say(ADMIN, "/help", {
      from: { id: ADMIN, is_bot: false, first_name: "管理员", language_code: "zh-TW" },
    });
    const admin = await t.storage.users.get(ADMIN);
    expect(admin).toMatchObject({ role: "admin", team: null, locale: "zh-TW" });
  });
});

describe("the reader's script", () => {
  it("follows what they write: Traditional text switches them to Traditional, also for commands, and back", async () => {
    const t = await bot();
    await t.register(C, "collector", "北区");
    const script = () => detectScript(api.lastText(C));
    await t.say(C, "/help");
    expect(script()).toBe("simplified");
    await t.say(C, "客戶說沒錢怎麼辦");
    expect(script()).toBe("traditional");
    // a command fits both scripts: the saved choice holds
    await t.say(C, "/help");
    expect(script()).toBe("traditional");
    expect((await t.storage.users.get(C))?.locale).toBe("zh-TW");
    await t.say(C, "客户说没钱怎么办");
    expect(script()).toBe("simplified");
    await t.say(C, "/help");
    expect(script()).toBe("simplified");
  });
});

describe("flood limit", () => {
  it("over the limit: a wait notice per message up to twice the limit, then silence; a new minute lets them through", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 2 } });
    await t.register(C, "collector", "北区");
    clock.set("2026-03-02T02:05:00Z");
    api.reset();
    for (let i = 0; i < 6; i++) await t.say(C, "客户说没钱怎么办");
    const texts = api.sent("sendMessage", C).map((c) => String(c.payload.text));
    expect(texts).toHaveLength(4);
    expect(texts.slice(2)).toEqual(["你发得太快了，请等 60 秒再试。", "你发得太快了，请等 60 秒再试。"]);
    clock.set("2026-03-02T02:05:59.900Z");
    await t.say(C, "客户说没钱怎么办");
    expect(api.sent("sendMessage", C)).toHaveLength(4);
    clock.set("2026-03-02T02:06:00Z");
    await t.say(C, "客户说没钱怎么办");
    expect(api.lastText(C)).toContain("<b>");
  });

  it("each person has their own window: one at the limit does not slow down another", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 2 } });
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    clock.set("2026-03-02T02:05:00Z");
    api.reset();
    for (const id of [S, S, C, C]) await t.say(id, "客户说没钱怎么办");
    expect(api.calls.filter((c) => String(c.payload.text ?? "").includes("太快"))).toEqual([]);
  });

  it("button presses are not counted: at the limit, the buttons of an answer still work", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 1 } });
    await t.register(C, "collector", "北区");
    clock.set("2026-03-02T02:05:00Z");
    await t.say(C, "客户说没钱怎么办");
    const button = t.buttons(C)[0]!;
    api.reset();
    await t.callback(C, button.callback_data!, undefined, true);
    await t.callback(C, button.callback_data!, undefined, true);
    expect(api.sent("answerCallbackQuery")).toHaveLength(2);
    expect(api.calls.filter((c) => String(c.payload.text ?? "").includes("太快"))).toEqual([]);
  });

  it("the last notice of a window says at least one second", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:05:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 1 } });
    await t.say(ADMIN, "/help");
    clock.set("2026-03-02T02:05:59.700Z");
    await t.say(ADMIN, "/help");
    expect(api.lastText(ADMIN)).toBe("你发得太快了，请等 1 秒再试。");
  });

  it("in a group, a flood gets no notices", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:05:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 1 } });
    await t.register(C, "collector", "北区");
    clock.set("2026-03-02T02:07:00Z");
    api.reset();
    for (let i = 0; i < 3; i++) await t.group(C, -100, "/help");
    expect(api.sent("sendMessage", -100)).toHaveLength(1);
    expect(api.calls.filter((c) => String(c.payload.text ?? "").includes("太快"))).toEqual([]);
  });
});

describe("strangers", () => {
  it("a stranger's button press gets the refusal as an alert", async () => {
    const t = await bot();
    await t.callback(77, "x:1");
    const answer = api.sent("answerCallbackQuery").at(-1)!;
    expect(answer.payload).toMatchObject({ show_alert: true });
    expect(String(answer.payload.text)).toContain("受邀");
    expect(api.sent("sendMessage", 77)).toEqual([]);
  });
});
