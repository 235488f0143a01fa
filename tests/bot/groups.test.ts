import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, FakeClock } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const S = 61;
const C = 62;
const G = -1001;
const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api, clock });
  await t.register(S, "supervisor", "北区");
  await t.register(C, "collector", "北区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => {
  api.reset();
  clock.t = new Date(clock.t.getTime() + 120_000); // the note is sent at most once a minute per group
});

const groupTexts = () =>
  api.calls.filter((c) => c.payload.chat_id === G).map((c) => String(c.payload.text ?? ""));

describe("groups: nothing private, a short note pointing to a private chat", () => {
  it.each([
    [ADMIN, "/invite collector 北区 50"],
    [ADMIN, "/users"],
    [ADMIN, "/invites"],
    [S, "/team"],
    [S, "/gaps"],
    [C, "/stats"],
    [C, "/check 不还钱就让你坐牢"],
    [C, "/quiz"],
    [S, "/TEAM@collector_coach_test_bot"],
  ])("user %i sending %s in a group gets only the note", async (who, command) => {
    await t.group(who, G, command);
    const texts = groupTexts();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("私聊");
    expect(texts[0]).toContain("@collector_coach_test_bot");
    // no link, roster, id or stats
    expect(texts[0]).not.toMatch(/start=|（\d+）|正确率|合规/);
    const markup = api.calls[0]!.payload.reply_markup as { inline_keyboard: Array<Array<{ url?: string }>> };
    expect(markup.inline_keyboard[0]![0]!.url).toBe("https://t.me/collector_coach_test_bot");
    expect(api.sent("sendPoll")).toHaveLength(0);
    expect(await t.storage.invites.active(clock.now())).toEqual([]);
  });

  it("chatter, questions and other bots' commands get nothing; notes are spaced", async () => {
    await t.group(C, G, "客户说没钱怎么办");
    await t.group(C, G, "/start@other_bot");
    expect(groupTexts()).toEqual([]);
    await t.group(C, G, "/help");
    await t.group(C, G, "/stats");
    expect(groupTexts()).toHaveLength(1); // once a minute per group
  });

  it("being added to a group: the note, once", async () => {
    await t.update({
      my_chat_member: {
        chat: { id: G, type: "supergroup", title: "北区群" },
        from: { id: S, is_bot: false, first_name: "s" },
        date: 0,
        old_chat_member: { status: "left", user: { id: 424242, is_bot: true, first_name: "b" } },
        new_chat_member: { status: "member", user: { id: 424242, is_bot: true, first_name: "b" } },
      },
    } as Omit<Update, "update_id">);
    expect(groupTexts()).toHaveLength(1);
    expect(groupTexts()[0]).toContain("私聊");
  });

  it("a button pressed in a group does nothing private", async () => {
    await t.update({
      callback_query: {
        id: "g1",
        from: { id: C, is_bot: false, first_name: "c" },
        chat_instance: "x",
        data: "fd:no-income-claims-broke",
        message: { message_id: 1, date: 0, chat: { id: G, type: "group", title: "g" }, text: "x" },
      },
    } as Omit<Update, "update_id">);
    expect(api.sent("sendMessage")).toHaveLength(0);
    expect(String(api.sent("answerCallbackQuery")[0]?.payload.text)).toContain("私聊");
  });

  it("the same commands still work in a private chat", async () => {
    await t.say(S, "/team");
    expect(api.lastText(S)).toContain(`（${C}）`);
  });
});
