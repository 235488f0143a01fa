import { silentLogger } from "../../src/bot/logger.ts";
import type { Coach } from "../../src/core/coach.ts";
import { DailyBudget } from "../../src/llm/budget.ts";
import { LlmClient, type LlmSettings } from "../../src/llm/client.ts";
import { type HybridSearch, LlmCoach } from "../../src/llm/llm-coach.ts";
import { loadPrompts } from "../../src/llm/prompts.ts";
import { realCoach } from "../helpers.ts";

export const LLM_HOST = "http://llm.test";
export const CHAT = "/v1/chat/completions";
export const EMBED = "/v1/embeddings";

/** An OpenAI chat completion whose message content is `content` (a string, or an object sent as JSON). */
export function completion(content: string | object | null, extra: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "test-model",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: content === null || typeof content === "string" ? content : JSON.stringify(content),
          refusal: null,
        },
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    ...extra,
  };
}

export interface Body {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string };
}

/** Every message content of a request body, joined (for assertions on what was sent). */
export const sentText = (b: Body) => b.messages.map((m) => m.content).join("\n");

export function testClient(settings: Partial<LlmSettings> = {}, extra: { now?: () => number } = {}) {
  return new LlmClient(
    { baseURL: `${LLM_HOST}/v1`, apiKey: "sk-test", model: "test-model", timeoutMs: 3000, ...settings },
    { logger: silentLogger, ...extra },
  );
}

export function testLlmCoach(
  o: { coach?: Coach; settings?: Partial<LlmSettings>; budget?: number; hybrid?: HybridSearch } = {},
) {
  const client = testClient(o.settings);
  return new LlmCoach(o.coach ?? realCoach(), client, loadPrompts(), {
    logger: silentLogger,
    budget: new DailyBudget(o.budget ?? 1000),
    hybrid: o.hybrid,
    timeoutMs: o.settings?.timeoutMs ?? 3000,
  });
}
