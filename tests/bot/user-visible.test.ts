import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tipMessage } from "../../src/bot/features/tip.ts";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, FakeClock, TEST_STORE, testCoach } from "./helpers.ts";

/**
 * What a user would notice if it broke: a warned tip waits for the supervisor's confirmation, the
 * flood limit answers, the reader's locale comes from Telegram's language_code, invites expire, and
 * nothing that breaks a rule reaches a collector even when a feature tries to send it.
 */
const api = new FakeBotApi();
type TestBot = Awaited<ReturnType<typeof createTestBot>>;
const open: TestBot[] = [];
const bot = async (o: Omit<Parameters<typeof createTestBot>[0], "api"> = {}) => {
  const t = await createTestBot({ api, ...o });
  open.push(t);
  return t;
};
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
const WARN_TIP = "晚上九点半给客户打电话提醒还款";
const tipsTo = (chatId: number) =>
  api.sent("sendMessage", chatId).filter((c) => String(c.payload.text).includes("主管提示"));
const buttons = (chatId: number) => {
  const markup = api.sent("sendMessage", chatId).at(-1)?.payload.reply_markup as
    | { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }
    | undefined;
  return markup?.inline_keyboard.flat() ?? [];
};
const settle = async (t: TestBot) => {
  for (const j of await t.storage.jobs.active()) await t.app.broadcaster.wait(j.id);
  await new Promise((r) => setTimeout(r, 50));
};

it("runs on the store of its test project (Redis in the redis project)", async () => {
  const t = await bot();
  expect(t.storage.kv.backend).toBe(TEST_STORE);
  expect(TEST_STORE).toBe(process.env.TEST_STORE === "redis" ? "redis" : "sqlite");
});

describe("a tip the guard warns about", () => {
  it("is held until the supervisor confirms, then delivered", async () => {
    expect(testCoach().guard(WARN_TIP, { learned: true }).verdict).toBe("warn");
    const t = await bot();
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    api.reset();
    await t.say(S, `/tip ${WARN_TIP}`);
    const [confirm, cancel] = buttons(S);
    expect(confirm?.text).toBe("确定发送");
    expect(cancel?.text).toBe("取消");
    await settle(t);
    expect(tipsTo(C)).toHaveLength(0);
    expect(await t.storage.jobs.active()).toHaveLength(0);

    await t.callback(S, confirm!.callback_data, undefined, true);
    await settle(t);
    expect(tipsTo(C)).toHaveLength(1);
    expect(tipsTo(C)[0]!.payload.text).toBe(tipMessage(WARN_TIP));
    expect(api.lastText(S)).toContain("成功 1");
    // the button is single-use
    await t.callback(S, confirm!.callback_data, undefined, true);
    await settle(t);
    expect(tipsTo(C)).toHaveLength(1);
  });

  it("is not sent when the supervisor cancels", async () => {
    const t = await bot();
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    api.reset();
    await t.say(S, `/tip ${WARN_TIP}`);
    const [, cancel] = buttons(S);
    await t.callback(S, cancel!.callback_data, undefined, true);
    await settle(t);
    expect(api.lastText(S)).toContain("已取消");
    expect(tipsTo(C)).toHaveLength(0);
  });
});

describe("flood limit", () => {
  it("answers the first message over the limit with a wait notice, not an answer, and lets the next minute through", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock, config: { FLOOD_LIMIT_PER_MINUTE: 3 } });
    await t.register(C, "collector", "北区");
    clock.set("2026-03-02T02:05:00Z"); // a fresh minute: /start counted in the last one
    api.reset();
    for (let i = 0; i < 3; i++) await t.say(C, "客户说没钱怎么办");
    expect(api.sent("sendMessage", C)).toHaveLength(3);
    expect(api.lastText(C)).toContain("<b>");
    await t.say(C, "客户说没钱怎么办");
    expect(api.sent("sendMessage", C)).toHaveLength(4);
    expect(api.lastText(C)).toMatch(/太快/);
    expect(api.lastText(C)).not.toContain("<b>");
    clock.set("2026-03-02T02:06:01Z");
    await t.say(C, "客户说没钱怎么办");
    expect(api.lastText(C)).toContain("<b>");
  });
});

describe("locale from Telegram's language_code", () => {
  const start = (t: TestBot, id: number, code: string, language_code: string) =>
    t.update({
      message: {
        message_id: id,
        date: 0,
        chat: { id, type: "private", first_name: "新人" },
        from: { id, is_bot: false, first_name: "新人", language_code },
        text: `/start ${code}`,
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    } as Omit<Update, "update_id">);
  const invite = async (t: TestBot) => {
    await t.say(ADMIN, "/invite collector 北区");
    return /start=([\w-]+)/.exec(api.lastText(ADMIN))![1]!;
  };

  it("zh-TW registers a Traditional reader and answers in Traditional; zh-hans in Simplified", async () => {
    const t = await bot();
    await start(t, 61, await invite(t), "zh-TW");
    expect((await t.storage.users.get(61))?.locale).toBe("zh-TW");
    expect(api.lastText(61)).toMatch(/[歡這團隊]/);
    await start(t, 62, await invite(t), "zh-hans");
    expect((await t.storage.users.get(62))?.locale).toBe("zh-CN");
    expect(api.lastText(62)).toMatch(/[欢这团队]/);
    expect(api.lastText(62)).not.toMatch(/[歡這團隊]/);
  });

  it("a stranger with zh-TW is refused in Traditional", async () => {
    const t = await bot();
    await start(t, 63, "no-such-code", "zh-TW");
    await t.update({
      message: {
        message_id: 2,
        date: 0,
        chat: { id: 63, type: "private", first_name: "x" },
        from: { id: 63, is_bot: false, first_name: "x", language_code: "zh-TW" },
        text: "hello",
      },
    } as Omit<Update, "update_id">);
    expect(api.lastText(63)).toContain("這個機器人只對受邀");
  });
});

describe("invite expiry (INVITE_TTL_HOURS)", () => {
  it("a link works until its hours are up and is refused as expired after", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const t = await bot({ clock, config: { INVITE_TTL_HOURS: 72 } });
    await t.say(ADMIN, "/invite collector 北区");
    const early = /start=([\w-]+)/.exec(api.lastText(ADMIN))![1]!;
    await t.say(ADMIN, "/invite collector 北区");
    const late = /start=([\w-]+)/.exec(api.lastText(ADMIN))![1]!;
    clock.set("2026-03-05T01:59:00Z"); // 71 h 59 min later
    await t.say(71, `/start ${early}`);
    expect((await t.storage.users.get(71))?.team).toBe("北区");
    clock.set("2026-03-05T02:01:00Z"); // 72 h 1 min later
    await t.say(72, `/start ${late}`);
    expect(api.lastText(72)).toContain("过期");
    expect(await t.storage.users.get(72)).toBeUndefined();
    await t.say(72, "客户说没钱怎么办");
    expect(api.lastText(72)).toContain("受邀");
  });
});

describe("the outgoing compliance guard in a flow", () => {
  it("a tip that breaks a rule never reaches a collector, even when a job already holds it", async () => {
    // a job written before the rules caught this wording (or by a bug upstream) is resumed
    const t = await bot();
    await t.register(C, "collector", "北区");
    const text = tipMessage("跟客户说再不还钱就让他坐牢");
    expect(testCoach().guard(text).allowed).toBe(false);
    api.reset();
    await t.storage.jobs.create({
      id: "old",
      senderId: ADMIN,
      senderChatId: ADMIN,
      text,
      allowWarn: false,
      recipients: [C],
      createdAt: new Date().toISOString(),
      status: "running",
    });
    await t.app.broadcaster.resumeAll();
    await t.app.broadcaster.wait("old");
    const toCollector = api.sent("sendMessage", C).map((c) => String(c.payload.text));
    expect(toCollector.length).toBeLessThanOrEqual(1);
    for (const s of toCollector) {
      expect(s).not.toContain("坐牢");
      expect(testCoach().guard(s).allowed).toBe(true);
    }
  });

  it("a warned tip confirmed for the team does not open the gate for other texts", async () => {
    const t = await bot();
    await t.register(S, "supervisor", "北区");
    await t.register(C, "collector", "北区");
    await t.say(S, `/tip ${WARN_TIP}`);
    await t.callback(S, buttons(S)[0]!.callback_data, undefined, true);
    await settle(t);
    // once delivered, the confirmed text is no longer allowed through on its own
    expect(t.app.services.guardian.check(tipMessage(WARN_TIP)).allowed).toBe(false);
  });
});
