import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tipMessage } from "../../src/bot/features/tip.ts";
import { loadConfig } from "../../src/config.ts";
import { type RunningBot, start } from "../../src/main.ts";
import { createStorage } from "../../src/storage/index.ts";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, collector, TOKEN } from "./helpers.ts";

/**
 * The real entry (src/main.ts `start`) against the fake Bot API: what a deployment does at start-up,
 * over long polling and over a webhook, on the embedded store in DATA_DIR.
 */
const api = new FakeBotApi();
let dir: string;
let running: RunningBot | undefined;
beforeAll(async () => {
  await api.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.reset();
  dir = mkdtempSync(join(tmpdir(), "coach-startup-"));
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const TIP = tipMessage("今天重点跟进承诺还款的客户。");
const SUBSCRIBER = 77;
const SERVED = 78;

/** What an earlier run left in DATA_DIR: a subscriber due for today's quiz, a tip job half delivered. */
async function leftBehind(): Promise<void> {
  const storage = await createStorage({ dataDir: dir });
  const sub = collector(SUBSCRIBER, "北区");
  await storage.users.put({ ...sub, daily: { enabled: true, time: "00:00" } });
  await storage.users.put(collector(SERVED, "北区"));
  await storage.jobs.create({
    id: "unfinished",
    senderId: ADMIN,
    senderChatId: ADMIN,
    text: TIP,
    allowWarn: false,
    recipients: [SERVED, SUBSCRIBER],
    createdAt: new Date().toISOString(),
    status: "running",
  });
  await storage.jobs.mark("unfinished", [[SERVED, "sent"]]);
  await storage.close();
}

const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    ADMIN_IDS: String(ADMIN),
    DATA_DIR: dir,
    LOG_LEVEL: "silent",
    ...extra,
  });

async function until<T>(what: string, probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const message = (update_id: number, from: number, text: string): Update =>
  ({
    update_id,
    message: {
      message_id: update_id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: "private", first_name: `用户${from}` },
      from: { id: from, is_bot: false, first_name: `用户${from}`, language_code: "zh-hans" },
      text,
      ...(text.startsWith("/")
        ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] }
        : {}),
    },
  }) as Update;

const tipsTo = (chatId: number) => api.sent("sendMessage", chatId).filter((c) => c.payload.text === TIP);

describe("start-up over long polling", () => {
  it("registers commands, polls with offsets and poll_answer allowed, resumes the tip and runs today's quiz", async () => {
    await leftBehind();
    running = await start(env());

    // command menu in Chinese, webhook cleared, polling with the update types the bot needs
    const commands = api.sent("setMyCommands")[0]?.payload.commands as Array<{ command: string }>;
    expect(commands.map((c) => c.command)).toEqual(expect.arrayContaining(["check", "quiz", "tip", "daily"]));
    expect(api.sent("deleteWebhook")).toHaveLength(1);
    const firstPoll = await until("getUpdates", () => api.sent("getUpdates")[0]);
    expect(firstPoll.payload.allowed_updates).toEqual(expect.arrayContaining(["message", "poll_answer"]));
    expect(api.sent("setWebhook")).toHaveLength(0);

    // the unfinished tip goes to whoever did not have it, once; the sender gets the report
    await until("the resumed tip", () => tipsTo(SUBSCRIBER).length > 0);
    await until("the delivery report", () => api.lastText(ADMIN).includes("成功"));
    expect(tipsTo(SERVED)).toHaveLength(0);
    expect(tipsTo(SUBSCRIBER)).toHaveLength(1);

    // the daily push due today goes out at start, not a minute later
    const poll = await until("the daily quiz", () => api.sent("sendPoll", SUBSCRIBER)[0]);
    expect(poll.payload).toMatchObject({ type: "quiz", is_anonymous: false });

    // inbound updates come through getUpdates; each poll confirms the previous batch by its offset
    api.pushUpdates([message(41, ADMIN, "/help")]);
    await until("the /help answer", () => api.sent("sendMessage", ADMIN).length >= 2);
    api.pushUpdates([message(42, SUBSCRIBER, "/stats")]);
    await until("the /stats answer", () =>
      api.sent("sendMessage", SUBSCRIBER).some((c) => c.payload.text !== TIP),
    );
    const correct = (poll.payload.correct_option_ids as number[])[0]!;
    const pollId = "poll-1";
    api.pushUpdates([
      {
        update_id: 43,
        poll_answer: {
          poll_id: pollId,
          user: { id: SUBSCRIBER, is_bot: false, first_name: "用户77" },
          option_ids: [correct],
          option_persistent_ids: [String(correct)],
        },
      } as Update,
    ]);
    const storage = running.app.services.storage;
    let answered = 0;
    const end = Date.now() + 10_000;
    while (Date.now() < end && !answered) {
      answered = (await storage.quiz.get(SUBSCRIBER)).stats.answered;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answered).toBe(1);
    await until("the poll confirming update 43", () =>
      api.sent("getUpdates").some((c) => Number(c.payload.offset) === 44),
    );
    const offsets = api.sent("getUpdates").map((c) => Number(c.payload.offset ?? 0));
    expect(offsets).toEqual(expect.arrayContaining([42, 43, 44]));
    // never goes back: an update once confirmed is not fetched again
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1]!);

    // stop ends polling
    await running.stop();
    const polls = api.sent("getUpdates").length;
    await new Promise((r) => setTimeout(r, 400));
    expect(api.sent("getUpdates").length).toBe(polls);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe("start-up with a webhook", () => {
  it("leaves webhook registration to deployment, and serves only requests carrying the secret", async () => {
    await leftBehind();
    const port = await freePort();
    const secret = "s3cret-token_for-tests";
    const url = `http://127.0.0.1:${port}/tg/hook`;
    running = await start(
      env({ BOT_MODE: "webhook", WEBHOOK_URL: url, WEBHOOK_SECRET: secret, PORT: String(port) }),
    );

    // several instances start behind one load balancer: `npm run cli -- webhook set` registers the
    // webhook (with the secret and poll_answer) once per deployment, not every instance's start-up
    expect(api.sent("setWebhook")).toHaveLength(0);
    expect(api.sent("setMyCommands")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.sent("getUpdates")).toHaveLength(0);
    await until("the resumed tip", () => tipsTo(SUBSCRIBER).length > 0);
    await until("the daily quiz", () => api.sent("sendPoll", SUBSCRIBER)[0]);

    const post = (update: Update, token?: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { "x-telegram-bot-api-secret-token": token } : {}),
        },
        body: JSON.stringify(update),
      });
    const before = api.sent("sendMessage", ADMIN).length;
    expect((await post(message(7, ADMIN, "/help"), "wrong-secret-value")).status).toBe(401);
    expect((await post(message(8, ADMIN, "/help"))).status).toBe(401);
    expect(api.sent("sendMessage", ADMIN).length).toBe(before);
    expect((await post(message(9, ADMIN, "/help"), secret)).status).toBe(200);
    await until("the /help answer", () => api.sent("sendMessage", ADMIN).length > before);

    await running.stop();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
