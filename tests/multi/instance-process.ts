/**
 * One bot instance in its own process, working the shared delivery queue, for tests that kill it
 * with SIGKILL. env: API_URL, NAMESPACE, REDIS_URL, LOCK_MS, RATE. Prints "ready" once working.
 * (No vitest helpers here: this runs outside the test runner.)
 */
import { createBot } from "../../src/bot/index.ts";
import { silentLogger } from "../../src/bot/logger.ts";
import { loadQuizBank } from "../../src/bot/quiz-bank.ts";
import { Coach } from "../../src/core/coach.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/knowledge/load.ts";
import { systemClock } from "../../src/scheduler/time.ts";
import { createStorage } from "../../src/storage/index.ts";
import { BOT_INFO } from "../bot/fake-api.ts";

const env = process.env;
const coach = new Coach();
const storage = await createStorage({ dataDir: "unused", redisUrl: env.REDIS_URL, namespace: env.NAMESPACE });
const app = createBot(
  "123456:MULTI-token-abcdefghijklmnopqrstuvwxyz",
  {
    config: {
      ADMIN_IDS: [1],
      TIMEZONE: "Asia/Shanghai",
      DAILY_DEFAULT_TIME: "09:00",
      INVITE_TTL_HOURS: 72,
      FLOOD_LIMIT_PER_MINUTE: 100_000,
      MAX_INPUT_CHARS: 1000,
      BROADCAST_RATE: Number(env.RATE ?? 200),
    },
    coach,
    storage,
    quiz: loadQuizBank(DEFAULT_KNOWLEDGE_DIR, coach, silentLogger),
    logger: silentLogger,
    clock: systemClock,
  },
  { botInfo: BOT_INFO, apiRoot: env.API_URL, autoRetry: false, tipLeaseMs: Number(env.LOCK_MS ?? 1000) },
);
await app.bot.init();
app.broadcaster.start();
process.stdout.write("ready\n");
