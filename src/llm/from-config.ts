import { join } from "node:path";
import type { Logger } from "../bot/logger.ts";
import type { Config } from "../config.ts";
import type { Coach } from "../core/coach.ts";
import type { Kv } from "../storage/kv.ts";
import { DailyBudget } from "./budget.ts";
import { LlmClient } from "./client.ts";
import { EmbeddingIndex } from "./embeddings.ts";
import { LlmCoach } from "./llm-coach.ts";
import { loadPrompts } from "./prompts.ts";

export type LlmConfig = Pick<
  Config,
  | "OPENAI_API_KEY"
  | "OPENAI_BASE_URL"
  | "OPENAI_MODEL"
  | "OPENAI_TIMEOUT_MS"
  | "OPENAI_EMBEDDING_MODEL"
  | "OPENAI_STRUCTURED"
  | "LLM_DAILY_BUDGET"
  | "DATA_DIR"
  | "TIMEZONE"
>;

/** LLM mode is on whenever an endpoint or a key is configured; with neither, nothing changes. */
export function llmEnabled(config: Pick<Config, "OPENAI_API_KEY" | "OPENAI_BASE_URL">): boolean {
  return Boolean(config.OPENAI_BASE_URL || config.OPENAI_API_KEY);
}

export function createLlmClient(config: LlmConfig, logger: Logger): LlmClient {
  return new LlmClient(
    {
      baseURL: config.OPENAI_BASE_URL,
      apiKey: config.OPENAI_API_KEY,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      structured: config.OPENAI_STRUCTURED,
      embeddingModel: config.OPENAI_EMBEDDING_MODEL,
    },
    { logger },
  );
}

/** The LLM layer over a coach, or undefined when LLM mode is off. Prompts are validated here (fail fast). */
export function createLlmCoach(
  config: LlmConfig,
  coach: Coach,
  logger: Logger,
  /** the bot's store, so that budgets survive a restart (the command line has none) */
  kv?: Kv,
  now: () => Date = () => new Date(),
): LlmCoach | undefined {
  if (!llmEnabled(config)) return undefined;
  const prompts = loadPrompts();
  const client = createLlmClient(config, logger);
  const hybrid = config.OPENAI_EMBEDDING_MODEL
    ? new EmbeddingIndex(client, [...coach.docs.values()], join(config.DATA_DIR, "embeddings"), logger)
    : undefined;
  hybrid?.warm();
  logger.info("llm mode on", {
    model: config.OPENAI_MODEL,
    endpoint: config.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
    embeddings: config.OPENAI_EMBEDDING_MODEL ?? null,
  });
  return new LlmCoach(coach, client, prompts, {
    logger,
    budget: new DailyBudget(config.LLM_DAILY_BUDGET, now, config.TIMEZONE, kv),
    hybrid,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  });
}
