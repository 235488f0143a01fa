import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REASON_WINDOW_MS } from "../../src/bot/features/feedback.ts";
import { FakeBotApi } from "./fake-api.ts";
import { createTestBot, FakeClock } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
const C = 81;
const OTHER = 82;

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api, clock });
  await t.register(C, "collector", "东区");
  await t.register(OTHER, "collector", "东区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

const disliked = async () => (await t.storage.gaps.top(["东区"], 50)).filter((g) => g.kind === "disliked");

/** Ask, then press 👎 on the answer (as Telegram sends it: the answer replies to the question). */
async function askAndDislike(question: string) {
  await t.say(C, question);
  const answer = api.sent("sendMessage", C).at(-1)!;
  const down = t.buttons(C).find((b) => b.text.includes("👎"))!;
  await t.callback(
    C,
    down.callback_data!,
    {
      text: "answer",
      reply_to_message: { message_id: 1, date: 0, chat: { id: C, type: "private" }, text: question },
    },
    true,
  );
  return answer;
}

describe("feedback after 👎", () => {
  it("the next text is the reason, kept (redacted) with the question, not answered as a question", async () => {
    await askAndDislike("客户说没钱怎么办");
    expect(api.lastText(C)).toContain("打字告诉我");
    expect(t.buttons(C).map((b) => b.text)).toContain("跳过");
    const answersBefore = api.sent("sendMessage", C).length;
    await t.say(C, "话术太长了，客户13912345678根本听不完");
    expect(api.lastText(C)).toContain("收到");
    expect(api.sent("sendMessage", C)).toHaveLength(answersBefore + 1); // no coaching answer
    const [gap] = await disliked();
    expect(gap).toMatchObject({ text: "客户说没钱怎么办", entryId: expect.any(String) });
    expect(gap!.notes).toEqual(["话术太长了，客户[PHONE]根本听不完"]);
    // the reason shows in /gaps for the supervisor... and the text after it is a question again
    await t.say(C, "客户说没钱怎么办");
    expect(api.lastText(C)).toContain("<b>");
  });

  it("skip: the next text is a question again", async () => {
    await askAndDislike("客户说利息太高");
    const before = (await disliked()).length;
    await t.press(C, "跳过");
    expect(api.sent("editMessageText", C).at(-1)?.payload.text).toContain("跳过");
    await t.say(C, "客户说他失业了");
    expect(api.lastText(C)).not.toContain("收到");
    expect((await disliked()).length).toBe(before);
  });

  it("a reason button records that reason", async () => {
    await askAndDislike("客户说他生病了");
    await t.press(C, "答非所问");
    const gap = (await disliked()).find((g) => g.text === "客户说他生病了");
    expect(gap?.reasons).toEqual({ irrelevant: 1 });
  });

  it("after the window, a text is a question again", async () => {
    await askAndDislike("客户说已经还了");
    clock.t = new Date(clock.t.getTime() + REASON_WINDOW_MS + 1000);
    await t.say(C, "客户说过两天再还");
    expect(api.lastText(C)).not.toContain("收到");
    expect(api.lastText(C)).toContain("<b>");
  });
});

describe("callback data is verified", () => {
  it("every button the bot sends is signed and within 64 bytes", async () => {
    await t.say(C, "客户说没钱怎么办");
    const data = t.buttons(C).map((b) => b.callback_data!);
    expect(data.length).toBeGreaterThan(2);
    for (const d of data) {
      expect(d).toMatch(/\.[\w-]{8}$/);
      expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);
    }
    expect(api.rejected).toEqual([]);
  });

  it("forged data is refused and nothing is stored", async () => {
    const before = await t.storage.gaps.top(["东区"], 100);
    await t.callback(C, "fr:0:made-up-entry", undefined, true); // unsigned
    await t.callback(C, "fr:0:made-up-entry.AAAAAAAA", undefined, true); // bad signature
    await t.callback(C, "fd:no-income-claims-broke", undefined, true);
    const answers = api.sent("answerCallbackQuery").map((c) => String(c.payload.text));
    expect(answers).toEqual(["这个按钮无效。", "这个按钮无效。", "这个按钮无效。"]);
    expect(api.sent("sendMessage", C)).toHaveLength(0);
    expect(await t.storage.gaps.top(["东区"], 100)).toEqual(before);
    expect(await t.storage.kv.get("feedback:made-up-entry")).toBeUndefined();
  });

  it("a button copied to another chat is refused", async () => {
    await t.say(C, "客户说没钱怎么办");
    const down = t.buttons(C).find((b) => b.text.includes("👎"))!;
    await t.callback(OTHER, down.callback_data!, undefined, true);
    expect(String(api.sent("answerCallbackQuery").at(-1)?.payload.text)).toBe("这个按钮无效。");
    expect(api.sent("sendMessage", OTHER)).toHaveLength(0);
  });

  it("correctly signed data for an entry that does not exist is refused too", async () => {
    const before = await t.storage.gaps.top(["东区"], 100);
    await t.callback(C, "fr:0:no-such-entry");
    await t.callback(C, "fu:no-such-entry");
    expect(await t.storage.gaps.top(["东区"], 100)).toEqual(before);
    expect(await t.storage.kv.get("feedback:no-such-entry")).toBeUndefined();
  });
});
