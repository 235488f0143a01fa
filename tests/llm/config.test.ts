import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { loadConfig } from "../../src/config.ts";
import { createLlmCoach, llmEnabled } from "../../src/llm/from-config.ts";
import { realCoach } from "../helpers.ts";

describe("LLM mode switch", () => {
  it("is on when OPENAI_BASE_URL or OPENAI_API_KEY is set, off with neither (empty counts as unset)", () => {
    expect(llmEnabled(loadConfig({}))).toBe(false);
    expect(llmEnabled(loadConfig({ OPENAI_API_KEY: "", OPENAI_BASE_URL: "" }))).toBe(false);
    expect(llmEnabled(loadConfig({ OPENAI_API_KEY: "sk-x" }))).toBe(true);
    expect(llmEnabled(loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }))).toBe(true);
    expect(createLlmCoach(loadConfig({}), realCoach(), silentLogger)).toBeUndefined();
    const on = createLlmCoach(
      loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:8000/v1" }),
      realCoach(),
      silentLogger,
    );
    expect(on?.client.model).toBe("gpt-4o-mini");
  });

  it("names bad LLM settings", () => {
    let message = "";
    try {
      loadConfig({ OPENAI_STRUCTURED: "xml", LLM_DAILY_BUDGET: "0", OPENAI_BASE_URL: "llm" });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const field of ["OPENAI_STRUCTURED", "LLM_DAILY_BUDGET", "OPENAI_BASE_URL"])
      expect(message).toContain(field);
  });
});
