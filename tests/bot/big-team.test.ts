import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { paginate } from "../../src/bot/pager.ts";
import { LIMITS, visibleText } from "../../src/bot/telegram-limits.ts";
import { type Doc, FakeBotApi, telegramRejects } from "./fake-api.ts";
import { ADMIN, collector, createTestBot } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const S = 5000;
const MEMBERS = Array.from({ length: 300 }, (_, i) => 5001 + i);

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
  await t.register(S, "supervisor", "大组");
  for (const id of MEMBERS) {
    // long names: the roster is far over one message
    await t.storage.users.put({ ...collector(id, "大组"), name: `成员${id}号·某某分行第三催收小组` });
  }
  await t.storage.users.patch(MEMBERS[7]!, (u) => ({ ...u, active: false }));
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

/** Walk ▶ from the first page to the last; the texts of every page shown. */
async function everyPage(user: number): Promise<string[]> {
  const pages = [api.lastText(user)];
  while (t.buttons(user).some((b) => b.text === "▶") && pages.length < 50) {
    await t.press(user, "▶");
    const edit = api.sent("editMessageText", user).at(-1)!;
    pages.push(String(edit.payload.text));
  }
  return pages;
}

const idsIn = (texts: string[]) =>
  new Set(texts.flatMap((x) => [...x.matchAll(/\b(5\d{3})\b/g)].map((m) => Number(m[1]))));

describe("a 300-member team", () => {
  it("/team pages with ◀ ▶: every member reachable, every page within Telegram's limit", async () => {
    await t.say(S, "/team");
    expect(api.rejected).toEqual([]);
    const pages = await everyPage(S);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(visibleText(p).length).toBeLessThanOrEqual(LIMITS.text);
    const seen = idsIn(pages);
    for (const id of MEMBERS) expect(seen.has(id), `member ${id}`).toBe(true);
    expect(pages[0]).toContain("（301 人）");
    expect(api.rejected).toEqual([]);
    // and back
    await t.press(S, "◀");
    expect(api.sent("editMessageText", S).at(-1)?.payload.text).toBe(pages.at(-2));
  });

  it("/team exports the whole roster as a CSV document", async () => {
    await t.say(S, "/team");
    await t.press(S, /CSV/);
    const [doc] = api.sent("sendDocument", S);
    const file = doc!.payload.document as Doc;
    expect(file.name).toBe("team.csv");
    const lines = file.content
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(302); // header + supervisor + 300
    for (const id of MEMBERS) expect(file.content).toContain(`\r\n${id},`);
    expect(String(doc!.payload.caption).length).toBeLessThanOrEqual(LIMITS.caption);
  });

  it("/users lists everyone, deactivated users included, across pages", async () => {
    await t.say(ADMIN, "/users");
    const pages = await everyPage(ADMIN);
    const seen = idsIn(pages);
    for (const id of MEMBERS) expect(seen.has(id), `user ${id}`).toBe(true);
    expect(pages.join("\n")).toMatch(new RegExp(`${MEMBERS[7]} [^\\n]*已停用`));
    expect(pages[0]).toContain("其中 1 人已停用");
    expect(api.rejected).toEqual([]);
  });

  it("pages belong to whoever asked: another user's press is refused", async () => {
    await t.say(S, "/users");
    const kb = api.sent("sendMessage", S).at(-1)!.payload.reply_markup as {
      inline_keyboard: Array<Array<{ callback_data: string }>>;
    };
    const next = kb.inline_keyboard[0]![2]!.callback_data.replace(/\.[\w-]{8}$/, "");
    // a collector of the team re-signed for their own chat still does not own the pages
    await t.callback(MEMBERS[0]!, next);
    expect(api.sent("editMessageText")).toHaveLength(0);
    expect(String(api.sent("answerCallbackQuery").at(-1)?.payload.text)).toContain("失效");
  });

  it("/gaps pages long lists too", async () => {
    for (let i = 0; i < 120; i++)
      await t.storage.gaps.record({
        team: "大组",
        kind: "unanswered",
        text: `一个知识库里没有的问题第${i}号，客户说了一大段话需要记下来以便培训负责人补充`,
        entryId: null,
        at: new Date(),
      });
    await t.say(S, "/gaps");
    const pages = await everyPage(S);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.join("\n");
    for (let i = 0; i < 120; i++) expect(all).toContain(`第${i}号`);
    expect(api.rejected).toEqual([]);
  });
});

describe("Telegram's limits", () => {
  it("the fake Bot API refuses what Telegram refuses", () => {
    expect(telegramRejects("sendMessage", { text: "x".repeat(4097) })).toBe(
      "Bad Request: message is too long",
    );
    expect(telegramRejects("sendMessage", { text: `<b>${"x".repeat(4096)}</b>`, parse_mode: "HTML" })).toBe(
      undefined,
    );
    expect(telegramRejects("sendMessage", { text: "<b>x", parse_mode: "HTML" })).toMatch(/parse entities/);
    expect(telegramRejects("sendDocument", { caption: "x".repeat(1025) })).toMatch(/caption is too long/);
    expect(
      telegramRejects("sendMessage", {
        text: "x",
        reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "x".repeat(65) }]] },
      }),
    ).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("paginate keeps every page within the limit, even for one enormous line", () => {
    const pages = paginate({ header: ["<b>头</b>"], lines: ["短", "长".repeat(9000), "尾"] });
    for (const p of pages)
      expect(telegramRejects("sendMessage", { text: p, parse_mode: "HTML" })).toBeUndefined();
    expect(pages.map(visibleText).join("")).toContain("尾");
  });

  it("any over-long message the bot sends is split (keyboard on the last part), captions cut", async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `<b>第${i}行</b> 一些说明文字，足够长的一行内容`);
    await t.app.bot.api.sendMessage(S, lines.join("\n"), {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "ok", callback_data: "noop" }]] },
    });
    const sent = api.sent("sendMessage", S);
    expect(sent.length).toBeGreaterThan(2);
    expect(api.rejected).toEqual([]);
    const all = sent.map((c) => visibleText(String(c.payload.text))).join("\n");
    for (let i = 0; i < 400; i++) expect(all).toContain(`第${i}行`);
    expect(sent.at(-1)!.payload.reply_markup).toBeDefined();
    expect(sent[0]!.payload.reply_markup).toBeUndefined();
    await t.app.bot.api.sendMessage(S, "长".repeat(9000));
    expect(api.rejected).toEqual([]);
    expect(api.sent("sendMessage", S).length - sent.length).toBe(3);
  });
});
