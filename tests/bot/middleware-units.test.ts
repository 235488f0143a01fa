import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api, Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BotContext, BotServices } from "../../src/bot/context.ts";
import { LOCALES } from "../../src/bot/locales/index.ts";
import { attach, floodLimit, normaliseMessage, strangerGate } from "../../src/bot/middleware.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import { newUser, type User } from "../../src/storage/users.ts";
import { FakeClock } from "./helpers.ts";

/**
 * The middleware functions on their own, one update at a time, without the rest of the bot in front
 * of them: what each one lets through, writes and answers, including the cases the bot's wiring
 * never shows them today (groups reaching the stranger gate, a flood in a group).
 */
const ME = { id: 1, is_bot: true, first_name: "Coach", username: "CoachBot" } as UserFromGetMe;
const ADMIN = 500;
let calls: Array<{ method: string; payload: Record<string, unknown> }>;
let dir: string;
let storage: Storage;
const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));

beforeEach(async () => {
  calls = [];
  clock.set("2026-03-02T02:00:00Z");
  dir = mkdtempSync(join(tmpdir(), "coach-mw-"));
  storage = await createStorage({ dataDir: dir });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function api(): Api {
  const a = new Api("1:test");
  a.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return { ok: true, result: true } as never;
  });
  return a;
}

const person = (id: number, language_code = "zh-hans") => ({
  id,
  is_bot: false,
  first_name: `用户${id}`,
  language_code,
});
const privateChat = (id: number) => ({ id, type: "private" as const, first_name: `用户${id}` });
const group = { id: -100, type: "supergroup" as const, title: "北区" };

function message(from: number, fields: Record<string, unknown>, chat: object = privateChat(from)): Update {
  return { update_id: 1, message: { message_id: 1, date: 0, chat, from: person(from), ...fields } } as Update;
}

/** A context as the bot builds it, with attach having run over the test's storage and clock. */
async function run(update: Update, mw: (ctx: BotContext, next: () => Promise<void>) => unknown) {
  const ctx = new Context(update, api(), ME) as BotContext;
  const deps = {
    config: { ADMIN_IDS: [ADMIN], DAILY_DEFAULT_TIME: "09:00" },
    clock,
    storage,
  } as unknown as BotServices;
  let passed = false;
  await attach(deps)(ctx, async () => {
    await mw(ctx, async () => {
      passed = true;
    });
  });
  return { ctx, passed };
}
const none = (_ctx: BotContext, next: () => Promise<void>) => next();

async function member(id: number, patch: Partial<User> = {}) {
  const u = {
    ...newUser({
      id,
      role: "collector",
      team: "北区",
      name: "u",
      locale: "zh-CN",
      now: clock.now(),
      dailyTime: "09:00",
    }),
    ...patch,
  };
  await storage.users.put(u);
  return u;
}

describe("attach: who is writing", () => {
  it("last seen is written once per ten minutes of activity, not on every message", async () => {
    await member(10);
    const first = (await storage.users.get(10))!.lastSeenAt;
    clock.set("2026-03-02T02:10:00Z");
    await run(message(10, { text: "客户说没钱怎么办" }), none);
    expect((await storage.users.get(10))!.lastSeenAt).toBe(first);
    clock.set("2026-03-02T02:10:00.001Z");
    await run(message(10, { text: "客户说没钱怎么办" }), none);
    expect((await storage.users.get(10))!.lastSeenAt).toBe("2026-03-02T02:10:00.001Z");
  });

  it("an inactive member (blocked the bot once) who writes is active again at once, and the context has the new record", async () => {
    await member(11, { active: false });
    clock.set("2026-03-02T02:00:05Z");
    const { ctx } = await run(message(11, { text: "你好" }), none);
    expect(ctx.user?.active).toBe(true);
    expect((await storage.users.get(11))!.active).toBe(true);
  });

  it("a Traditional caption switches the reader's script like a Traditional text does", async () => {
    await member(12);
    const { ctx } = await run(message(12, { photo: [], caption: "客戶說沒錢怎麼辦" }), none);
    expect(ctx.locale).toBe("zh-TW");
    expect(ctx.t).toBe(LOCALES["zh-TW"]);
    expect(ctx.script).toBe("traditional");
    expect((await storage.users.get(12))!.locale).toBe("zh-TW");
  });

  it("a text that fits both scripts keeps the saved one", async () => {
    await member(13, { locale: "zh-TW" });
    const { ctx } = await run(message(13, { text: "/help" }), none);
    expect(ctx.locale).toBe("zh-TW");
  });

  it("a stranger is not registered; their script comes from their text, else from their Telegram language", async () => {
    const traditional = await run(message(14, { text: "請問怎麼使用" }), none);
    expect(traditional.ctx.user).toBeUndefined();
    expect(traditional.ctx.locale).toBe("zh-TW");
    const sticker = await run(
      {
        update_id: 1,
        message: { message_id: 1, date: 0, chat: privateChat(15), from: person(15, "zh-hant"), sticker: {} },
      } as Update,
      none,
    );
    expect(sticker.ctx.locale).toBe("zh-TW");
    expect(await storage.users.get(14)).toBeUndefined();
  });

  it("an admin named in the config is registered on sight; another bot is never looked up", async () => {
    const { ctx } = await run(message(ADMIN, { text: "/help" }), none);
    expect(ctx.user).toMatchObject({ id: ADMIN, role: "admin", team: null });
    const bot = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: privateChat(ADMIN),
        from: { ...person(ADMIN), is_bot: true },
        text: "x",
      },
    } as Update;
    const fromBot = await run(bot, none);
    expect(fromBot.ctx.user).toBeUndefined();
  });

  it("a quiz answer (poll answer, no chat) finds its member", async () => {
    await member(16);
    const update = {
      update_id: 1,
      poll_answer: { poll_id: "p", user: person(16), option_ids: [0] },
    } as unknown as Update;
    const { ctx } = await run(update, none);
    expect(ctx.user?.id).toBe(16);
  });
});

describe("flood limit on its own", () => {
  const limit = (kvLimit: number) => (ctx: BotContext, next: () => Promise<void>) =>
    floodLimit(kvLimit, () => clock.now().getTime(), storage.kv)(ctx, next);

  it("in a private chat: through up to the limit, then a notice with the seconds left, then silence; nothing over the limit is handled", async () => {
    await member(20);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      clock.set(`2026-03-02T02:00:${String(10 + i * 10).padStart(2, "0")}Z`);
      outcomes.push((await run(message(20, { text: "客户说没钱怎么办" }), limit(2))).passed);
    }
    expect(outcomes).toEqual([true, true, false, false, false]);
    // the window started at :10, so at :30 40 s are left and at :40 30 s; the fifth gets nothing
    expect(calls.map((c) => c.payload.text)).toEqual([
      LOCALES["zh-CN"].flood(40),
      LOCALES["zh-CN"].flood(30),
    ]);
  });

  it("in a group: over the limit it is not handled and nothing is said", async () => {
    await member(21);
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push((await run(message(21, { text: "/help" }, group), limit(1))).passed);
    expect(results).toEqual([true, false, false]);
    expect(calls).toEqual([]);
  });

  it("button presses and updates without a sender pass and are not counted", async () => {
    await member(22);
    const press = {
      update_id: 1,
      callback_query: { id: "q", from: person(22), chat_instance: "c", data: "x" },
    } as Update;
    for (let i = 0; i < 3; i++) expect((await run(press, limit(1))).passed).toBe(true);
    expect((await run(message(22, { text: "你好" }), limit(1))).passed).toBe(true);
    const channel = {
      update_id: 1,
      channel_post: { message_id: 1, date: 0, chat: { id: -5, type: "channel", title: "c" }, text: "x" },
    } as Update;
    expect((await run(channel, limit(0))).passed).toBe(true);
  });
});

describe("stranger gate on its own", () => {
  const gate = (ctx: BotContext, next: () => Promise<void>) => strangerGate(ctx, next);

  it("a member passes", async () => {
    await member(30);
    expect((await run(message(30, { text: "你好" }), gate)).passed).toBe(true);
    expect(calls).toEqual([]);
  });

  it("a stranger's private message gets the refusal and goes no further", async () => {
    const { passed } = await run(message(31, { text: "客户说没钱怎么办" }), gate);
    expect(passed).toBe(false);
    expect(calls).toMatchObject([
      { method: "sendMessage", payload: { chat_id: 31, text: LOCALES["zh-CN"].refuse } },
    ]);
  });

  it("in a group, a stranger's command is refused but their chatter and stickers are ignored", async () => {
    expect((await run(message(32, { text: "大家好" }, group), gate)).passed).toBe(false);
    expect((await run(message(32, { sticker: {} }, group), gate)).passed).toBe(false);
    expect(calls).toEqual([]);
    await run(
      message(32, { text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }] }, group),
      gate,
    );
    expect(calls).toMatchObject([
      { method: "sendMessage", payload: { chat_id: -100, text: LOCALES["zh-CN"].refuse } },
    ]);
  });

  it("a stranger's button press is answered with the refusal as an alert; a stranger's poll answer with nothing", async () => {
    const press = {
      update_id: 1,
      callback_query: { id: "q", from: person(33), chat_instance: "c", data: "x" },
    } as Update;
    expect((await run(press, gate)).passed).toBe(false);
    expect(calls).toMatchObject([
      {
        method: "answerCallbackQuery",
        payload: { callback_query_id: "q", text: LOCALES["zh-CN"].refuse, show_alert: true },
      },
    ]);
    calls = [];
    const vote = {
      update_id: 1,
      poll_answer: { poll_id: "p", user: person(33), option_ids: [0] },
    } as unknown as Update;
    expect((await run(vote, gate)).passed).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe("message normalisation", () => {
  async function normalised(fields: Record<string, unknown>) {
    const { ctx } = await run(message(40, fields), (c, next) => normaliseMessage(c, next));
    return ctx.message!;
  }

  it("a command in any case is lower-cased, the bot's name and the arguments are kept as written", async () => {
    const m = await normalised({
      text: "/CHECK@CoachBot 你再不还试试",
      entities: [{ type: "bot_command", offset: 0, length: 15 }],
    });
    expect(m.text).toBe("/check@CoachBot 你再不还试试");
    const plain = await normalised({
      text: "/Check ABC",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    });
    expect(plain.text).toBe("/check ABC");
  });

  it("only a command at the very start is touched: a mention first, or a command later in the text, stays as is", async () => {
    const mention = await normalised({
      text: "@Boss /CHECK",
      entities: [{ type: "mention", offset: 0, length: 5 }],
    });
    expect(mention.text).toBe("@Boss /CHECK");
    const later = await normalised({
      text: "请用 /CHECK",
      entities: [{ type: "bot_command", offset: 3, length: 6 }],
    });
    expect(later.text).toBe("请用 /CHECK");
  });

  it("a captioned photo reads as a text with the caption's entities, so a captioned /Check is a command", async () => {
    const m = await normalised({
      photo: [],
      caption: "/Check 不还就找你单位",
      caption_entities: [{ type: "bot_command", offset: 0, length: 6 }],
    });
    expect(m.text).toBe("/check 不还就找你单位");
    expect(m.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const noEntities = await normalised({ photo: [], caption: "客户说没钱" });
    expect(noEntities.text).toBe("客户说没钱");
    expect(noEntities.entities).toBeUndefined();
  });
});
