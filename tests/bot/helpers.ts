import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Chat, Update } from "grammy/types";
import { Redis } from "ioredis";
import { afterAll, onTestFinished } from "vitest";
import { CallbackSigner } from "../../src/bot/callback-signing.ts";
import type { BotSettings } from "../../src/bot/context.ts";
import { createBot } from "../../src/bot/index.ts";
import { silentLogger } from "../../src/bot/logger.ts";
import { Coach } from "../../src/core/coach.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/knowledge/load.ts";
import type { LlmCoach } from "../../src/llm/llm-coach.ts";
import { loadPractice } from "../../src/practice/from-knowledge.ts";
import type { PracticeCoach } from "../../src/practice/practice.ts";
import { loadQuiz } from "../../src/quiz/load.ts";
import type { QuizQuestion } from "../../src/quiz/schema.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";

import { BOT_INFO, type FakeBotApi } from "./fake-api.ts";

export const TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz";
export const ADMIN = 1000;

let coach: Coach | undefined;
/** One Coach per test process (loading the knowledge base takes a second). */
export const testCoach = (): Coach => {
  coach ??= new Coach();
  return coach;
};

let practice: PracticeCoach | undefined;
/** The practice core over the shipped scenarios (one per test process). */
export const testPractice = (): PracticeCoach => {
  practice ??= loadPractice(DEFAULT_KNOWLEDGE_DIR, testCoach(), (m, meta) => {
    throw new Error(`${m}: ${JSON.stringify(meta)}`);
  });
  return practice!;
};

export const fixtureQuiz = (): QuizQuestion[] =>
  loadQuiz(join(import.meta.dirname, "fixtures", "quiz"), new Set(testCoach().entries.keys()));

export class FakeClock {
  constructor(public t: Date) {}
  now = () => new Date(this.t);
  set(iso: string) {
    this.t = new Date(iso);
  }
}

/**
 * The store the bot suites run on: SQLite by default; Redis in the "redis" test project (vitest.config.ts
 * adds it when REDIS_URL is set, as in CI). Each store gets its own key namespace.
 */
export const TEST_STORE: "sqlite" | "redis" =
  process.env.TEST_STORE === "redis" && process.env.REDIS_URL ? "redis" : "sqlite";

export interface TestStore {
  dataDir: string;
  namespace: string;
  /** open (or open again, after a simulated restart) the same store */
  open(): Promise<Storage>;
}

const leftovers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of leftovers.splice(0)) await cleanup();
});

/**
 * A temp DATA_DIR and a fresh namespace on the suite's store, both removed when the test ends (or,
 * when made outside a test, e.g. in beforeAll, when the file ends).
 */
export function testStore(): TestStore {
  const dataDir = mkdtempSync(join(tmpdir(), "coach-bot-"));
  const namespace = `test-${randomUUID()}`;
  const redisUrl = TEST_STORE === "redis" ? process.env.REDIS_URL : undefined;
  const open = () => createStorage({ dataDir, namespace, ...(redisUrl ? { redisUrl } : {}) });
  const cleanup = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (redisUrl) {
      // every key of the namespace (the Redis store keeps keyv's layout: <ns>::<ns>:<key>)
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        const keys: string[] = [];
        const scan = redis.scanStream({ match: `${namespace}::*`, count: 500 });
        for await (const batch of scan) keys.push(...(batch as string[]));
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    }
  };
  try {
    onTestFinished(cleanup);
  } catch {
    leftovers.push(cleanup);
  }
  return { dataDir, namespace, open };
}

export interface TestBotOptions {
  api: FakeBotApi;
  /** the store to run on (default: a fresh one); pass storage too to reuse an open connection */
  store?: TestStore;
  storage?: Storage;
  clock?: FakeClock;
  config?: Partial<BotSettings>;
  /** LLM mode (built over testCoach()) */
  llm?: LlmCoach;
}

/** A real bot over HTTP against the fake Bot API server, with its own SQLite file and a fake clock. */
export async function createTestBot(o: TestBotOptions) {
  const store = o.store ?? testStore();
  const { dataDir } = store;
  const storage = o.storage ?? (await store.open());
  const clock = o.clock ?? new FakeClock(new Date("2026-03-02T02:00:00Z")); // 10:00 Asia/Shanghai
  const config: BotSettings = {
    ADMIN_IDS: [ADMIN],
    TIMEZONE: "Asia/Shanghai",
    DAILY_DEFAULT_TIME: "09:00",
    INVITE_TTL_HOURS: 72,
    FLOOD_LIMIT_PER_MINUTE: 1000,
    MAX_INPUT_CHARS: 1000,
    BROADCAST_RATE: 25,
    ...o.config,
  };
  const app = createBot(
    TOKEN,
    {
      config,
      coach: testCoach(),
      llm: o.llm,
      storage,
      quiz: fixtureQuiz(),
      logger: silentLogger,
      clock,
      practice: testPractice(),
    },
    { botInfo: BOT_INFO, apiRoot: o.api.url, autoRetry: false },
  );
  await app.bot.init();
  if (app.queue) {
    // Redis: tips and daily pushes run on the shared queue, as in production; its connections
    // close when the file ends (a bot may outlive the test that made it)
    app.queue.start();
    leftovers.unshift(() => app.broadcaster.stop());
  }
  const signer = new CallbackSigner(TOKEN);
  let updateId = 1;
  let messageId = 1;
  const from = (id: number, language_code = "zh-hans") => ({
    id,
    is_bot: false,
    first_name: `用户${id}`,
    language_code,
  });
  /** a text message from user id in a chat; commands get their bot_command entity */
  const textMessage = (id: number, chat: Chat, text: string, extra = {}) => {
    const entities = text.startsWith("/")
      ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    return drive.update({
      message: {
        message_id: messageId++,
        date: Math.floor(clock.now().getTime() / 1000),
        chat,
        from: from(id),
        text,
        ...(entities ? { entities } : {}),
        ...extra,
      },
    } as Omit<Update, "update_id">);
  };

  const drive = {
    app,
    storage,
    clock,
    dataDir,
    store,
    api: o.api,
    /** one daily-push tick, and (on Redis) until the queued pushes have gone out */
    async dailyTick() {
      const n = await app.daily.tick();
      await app.queue?.idle();
      return n;
    },
    update: (u: Omit<Update, "update_id">) => app.bot.handleUpdate({ update_id: updateId++, ...u } as Update),
    /** a private text message from user id */
    say(id: number, text: string, extra: Record<string, unknown> = {}) {
      return textMessage(id, { id, type: "private", first_name: `用户${id}` }, text, extra);
    },
    group(id: number, groupId: number, text: string) {
      return textMessage(id, { id: groupId, type: "group", title: "组" }, text);
    },
    /** a button press in user id's private chat; data is signed as the bot signs it (raw: forged) */
    callback(id: number, data: string, message?: Record<string, unknown>, raw = false) {
      return drive.update({
        callback_query: {
          id: String(updateId),
          from: from(id),
          chat_instance: "ci",
          data: raw ? data : signer.sign(data, id),
          message: {
            message_id: messageId++,
            date: 0,
            chat: { id, type: "private", first_name: "u" },
            text: "answer",
            ...message,
          },
        },
      } as Omit<Update, "update_id">);
    },
    /**
     * Press the button labelled `label` on the latest keyboard the bot showed in user id's private
     * chat (sent or edited), with the data exactly as the bot signed it.
     */
    press(id: number, label: string | RegExp) {
      const c = drive.keyboardCall(id);
      const b = drive
        .buttons(id)
        .find((x) => (typeof label === "string" ? x.text === label : label.test(x.text)));
      if (!c || !b?.callback_data) throw new Error(`no button ${label} shown to ${id}`);
      return drive.callback(id, b.callback_data, { text: String(c.payload.text) }, true);
    },
    /** the latest message (sent or edited) with a keyboard in user id's private chat */
    keyboardCall(id: number) {
      return o.api.calls.findLast(
        (c) =>
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          c.payload.chat_id === id &&
          c.payload.reply_markup,
      );
    },
    /** the buttons of that latest keyboard */
    buttons(id: number): Button[] {
      const c = drive.keyboardCall(id);
      return ((c?.payload.reply_markup as { inline_keyboard?: Button[][] })?.inline_keyboard ?? []).flat();
    },
    /** a document (file contents served by the fake API) from user id in their private chat */
    document(id: number, fileName: string, content: string, caption?: string) {
      const fileId = `file-${updateId}`;
      o.api.files.set(fileId, { path: `documents/${fileId}.csv`, content });
      return drive.update({
        message: {
          message_id: messageId++,
          date: Math.floor(clock.now().getTime() / 1000),
          chat: { id, type: "private", first_name: `用户${id}` },
          from: from(id),
          document: {
            file_id: fileId,
            file_unique_id: fileId,
            file_name: fileName,
            mime_type: "text/csv",
            file_size: Buffer.byteLength(content),
          },
          ...(caption ? { caption } : {}),
        },
      } as Omit<Update, "update_id">);
    },
    pollAnswer(id: number, pollId: string, option: number) {
      return drive.update({
        poll_answer: {
          poll_id: pollId,
          user: from(id),
          option_ids: [option],
          option_persistent_ids: [String(option)],
        },
      } as Omit<Update, "update_id">);
    },
    /** invite a user as role/team through the admin and register them with /start */
    async register(id: number, role: "collector" | "supervisor", team: string) {
      await drive.say(ADMIN, `/invite ${role} ${team}`);
      const link = /start=([\w-]+)/.exec(o.api.lastText(ADMIN))?.[1];
      if (!link) throw new Error("no invite link");
      await drive.say(id, `/start ${link}`);
    },
  };
  return drive;
}

interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

export { collector } from "./people.ts";
