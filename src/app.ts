import type { BotDeps } from "./bot/context.ts";
import { createLogger, type Logger } from "./bot/logger.ts";
import { loadQuizBank } from "./bot/quiz-bank.ts";
import type { Config } from "./config.ts";
import { createCoach } from "./core/from-config.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "./knowledge/load.ts";
import { createLlmCoach } from "./llm/from-config.ts";
import { Metrics } from "./ops/metrics.ts";
import { loadPractice } from "./practice/from-knowledge.ts";
import { systemClock } from "./scheduler/time.ts";
import { createStorage, type Storage, type StorageError } from "./storage/index.ts";

/** Log every failed storage operation with its operation, key, fault and place, and count it. */
export function reportStorageErrors(logger: Logger, metrics?: Metrics) {
  return (err: StorageError): void => {
    metrics?.inc("coach_storage_errors_total", { op: err.op, fault: err.fault });
    logger.error("storage operation failed", {
      op: err.op,
      key: err.key,
      fault: err.fault,
      where: err.location,
      message: err.cause instanceof Error ? err.cause.message : String(err.cause),
    });
  };
}

/**
 * Open the store, loudly: every failed operation is logged with its operation, key and fault and
 * counted; at start-up an unreachable Redis is retried (each attempt logged, naming REDIS_URL)
 * and a DATA_DIR that cannot be written stops the start with the path named.
 */
export function openStorage(
  config: Config,
  logger: Logger,
  metrics?: Metrics,
  connectAttempts = 30,
): Promise<Storage> {
  return createStorage({
    dataDir: config.DATA_DIR,
    redisUrl: config.REDIS_URL,
    ...(config.REDIS_URL ? { namespace: config.REDIS_PREFIX } : {}),
    connectAttempts,
    onError: reportStorageErrors(logger, metrics),
    onRetry: (err, attempt, delayMs) =>
      logger.warn("storage unavailable at start-up, retrying", {
        where: err.location,
        fault: err.fault,
        attempt,
        retryInMs: delayMs,
      }),
  });
}

/** Wire config → core → quiz bank → storage: what every front end (Telegram, console) runs on. */
export async function createAppDeps(config: Config): Promise<BotDeps> {
  const logger = createLogger(config.LOG_LEVEL);
  const metrics = new Metrics();
  const coach = createCoach(config);
  const quiz = loadQuizBank(config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR, coach, logger);
  const practice = loadPractice(
    config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR,
    coach,
    logger.warn.bind(logger),
  );
  const storage = await openStorage(config, logger, metrics);
  const llm = createLlmCoach(config, coach, logger, storage.kv);
  return {
    config,
    coach,
    llm,
    storage,
    quiz,
    logger,
    clock: systemClock,
    metrics,
    ...(practice ? { practice } : {}),
  };
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
