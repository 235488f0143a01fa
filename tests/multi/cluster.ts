import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { reportStorageErrors } from "../../src/app.ts";
import { CallbackSigner } from "../../src/bot/callback-signing.ts";
import type { BotSettings } from "../../src/bot/context.ts";
import { createBot } from "../../src/bot/index.ts";
import { silentLogger } from "../../src/bot/logger.ts";
import { createWebhookServer } from "../../src/bot/webhook.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import { BOT_INFO, type FakeBotApi } from "../bot/fake-api.ts";
import { ADMIN, FakeClock, fixtureQuiz, TOKEN, testCoach } from "../bot/helpers.ts";
import { deleteNamespace } from "./namespace.ts";

export const REDIS_URL = process.env.REDIS_URL;
export const SECRET = "cluster-secret-0123456789";

export const config: BotSettings = {
  ADMIN_IDS: [ADMIN],
  TIMEZONE: "Asia/Shanghai",
  DAILY_DEFAULT_TIME: "09:00",
  INVITE_TTL_HOURS: 72,
  FLOOD_LIMIT_PER_MINUTE: 100_000,
  MAX_INPUT_CHARS: 1000,
  BROADCAST_RATE: 200,
};

/** Update ids unique across the whole test process (instances share the de-duplication keys). */
let nextUpdateId = Math.floor(Math.random() * 1e8);
export const updateId = () => nextUpdateId++;

const from = (id: number) => ({ id, is_bot: false, first_name: `用户${id}`, language_code: "zh-hans" });

export const msg = (id: number, text: string): Omit<Update, "update_id"> =>
  ({
    message: {
      message_id: updateId(),
      date: Math.floor(Date.now() / 1000),
      chat: { id, type: "private", first_name: `用户${id}` },
      from: from(id),
      text,
      ...(text.startsWith("/")
        ? { entities: [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] }
        : {}),
    },
  }) as Omit<Update, "update_id">;

const signer = new CallbackSigner(TOKEN);

/** a button press (data signed for the chat, as the bot signs its buttons) */
export const callback = (id: number, data: string): Omit<Update, "update_id"> =>
  ({
    callback_query: {
      id: String(updateId()),
      from: from(id),
      chat_instance: "ci",
      data: signer.sign(data, id),
      message: { message_id: 1, date: 0, chat: { id, type: "private", first_name: "u" }, text: "answer" },
    },
  }) as Omit<Update, "update_id">;

export const pollAnswer = (id: number, pollId: string, option: number): Omit<Update, "update_id"> =>
  ({
    poll_answer: {
      poll_id: pollId,
      user: from(id),
      option_ids: [option],
      option_persistent_ids: [String(option)],
    },
  }) as Omit<Update, "update_id">;

export type Instance = Awaited<ReturnType<typeof startInstance>>;

/** One bot instance in webhook mode over its own Redis connection, in a shared namespace. */
export async function startInstance(
  api: FakeBotApi,
  namespace: string,
  clock: FakeClock,
  redisUrl = REDIS_URL,
  options: { tipLeaseMs?: number; config?: Partial<BotSettings>; worker?: boolean } = {},
) {
  const metrics = new Metrics();
  const storage: Storage = await createStorage({
    dataDir: "unused",
    redisUrl,
    namespace,
    onError: reportStorageErrors(silentLogger, metrics),
  });
  const app = createBot(
    TOKEN,
    {
      config: { ...config, ...options.config },
      coach: testCoach(),
      storage,
      quiz: fixtureQuiz(),
      logger: silentLogger,
      clock,
      metrics,
    },
    {
      botInfo: BOT_INFO,
      apiRoot: api.url,
      autoRetry: false,
      dedupe: true,
      ...(options.tipLeaseMs ? { tipLeaseMs: options.tipLeaseMs } : {}),
    },
  );
  await app.bot.init();
  // tips and daily pushes: this instance works the shared queue, as main starts it
  if (options.worker !== false) app.broadcaster.start();
  const server: Server = createWebhookServer(app.bot, {
    path: "/telegram",
    secret: SECRET,
    logger: silentLogger,
    ready: () => storage.kv.ping(),
    metrics,
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    storage,
    metrics,
    base,
    /** handle an update directly (as the webhook does) */
    send: (u: Omit<Update, "update_id">, id = updateId()) =>
      app.bot.handleUpdate({ update_id: id, ...u } as Update),
    /** POST an update to this instance's webhook, as Telegram does */
    post: (u: Omit<Update, "update_id">, id = updateId()) =>
      fetch(`${base}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify({ update_id: id, ...u }),
      }),
    async stop() {
      // as main's stop: intake and delivery stop together, then the rest
      await Promise.all([app.queue?.stopWorker(), new Promise<void>((r) => server.close(() => r()))]);
      await app.daily.stop();
      await app.broadcaster.stop();
      await storage.close();
    },
  };
}

/** Two instances on one Redis namespace of their own; `cleanup` deletes every key of it. */
export async function startCluster(api: FakeBotApi, clock = new FakeClock(new Date("2026-03-02T02:00:00Z"))) {
  const namespace = `i10t-${randomUUID()}`;
  const a = await startInstance(api, namespace, clock);
  const b = await startInstance(api, namespace, clock);
  return {
    a,
    b,
    clock,
    namespace,
    async stop() {
      await a.stop();
      await b.stop();
      await deleteNamespace(namespace);
    },
  };
}

export { deleteNamespace };
