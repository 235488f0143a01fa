import type { BotDeps } from "./bot/context.ts";
import { createLogger } from "./bot/logger.ts";
import { loadQuizBank } from "./bot/quiz-bank.ts";
import type { Config } from "./config.ts";
import { createCoach } from "./core/from-config.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "./knowledge/load.ts";
import { createLlmCoach } from "./llm/from-config.ts";
import { loadPractice } from "./practice/from-knowledge.ts";
import { systemClock } from "./scheduler/time.ts";
import { createStorage } from "./storage/index.ts";

/** Wire config → core → quiz bank → storage: what every front end (Telegram, console) runs on. */
export async function createAppDeps(config: Config): Promise<BotDeps> {
  const logger = createLogger(config.LOG_LEVEL);
  const coach = createCoach(config);
  const quiz = loadQuizBank(config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR, coach, logger);
  const practice = loadPractice(
    config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR,
    coach,
    logger.warn.bind(logger),
  );
  const storage = await createStorage({ dataDir: config.DATA_DIR, redisUrl: config.REDIS_URL });
  const llm = createLlmCoach(config, coach, logger, storage.kv);
  return { config, coach, llm, storage, quiz, logger, clock: systemClock, ...(practice ? { practice } : {}) };
}

/** The local console chat: the same bot and handlers, printing instead of sending. */
export async function runConsole(config: Config): Promise<void> {
  const deps = await createAppDeps(config);
  const { runConsoleBot } = await import("./bot/console.ts");
  try {
    await runConsoleBot(deps);
  } finally {
    await deps.storage.close();
  }
}
