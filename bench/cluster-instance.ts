/**
 * One bot instance for the cluster benchmark: webhook mode over Redis, in its own process.
 * env: API_URL, NAMESPACE, PORT, REDIS_URL. Prints "ready" once listening.
 */
import { createBot } from "../src/bot/index.ts";
import { silentLogger } from "../src/bot/logger.ts";
import { loadQuizBank } from "../src/bot/quiz-bank.ts";
import { createWebhookServer } from "../src/bot/webhook.ts";
import { Coach } from "../src/core/coach.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../src/knowledge/load.ts";
import { systemClock } from "../src/scheduler/time.ts";
import { createStorage } from "../src/storage/index.ts";
import { BOT_INFO } from "../tests/bot/fake-api.ts";
import { BENCH_TOKEN, benchSettings } from "./settings.ts";

const env = process.env;
const coach = new Coach();
const storage = await createStorage({ dataDir: "unused", redisUrl: env.REDIS_URL, namespace: env.NAMESPACE });
const app = createBot(
  BENCH_TOKEN,
  {
    config: benchSettings(30),
    coach,
    storage,
    quiz: loadQuizBank(DEFAULT_KNOWLEDGE_DIR, coach, silentLogger),
    logger: silentLogger,
    clock: systemClock,
  },
  { botInfo: BOT_INFO, apiRoot: env.API_URL, autoRetry: false, dedupe: true },
);
await app.bot.init();
app.broadcaster.start(); // works the shared delivery queue
const server = createWebhookServer(app.bot, {
  path: "/telegram",
  secret: "bench-secret-0123456789",
  logger: silentLogger,
});
server.keepAliveTimeout = 10_000;
await new Promise<void>((r) => server.listen(Number(env.PORT), "127.0.0.1", r));
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  server.close();
  void app.broadcaster
    .stop()
    .then(() => storage.close())
    .then(() => process.exit(0));
});
