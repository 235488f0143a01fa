import { describe, expect, it } from "vitest";
import { ComplianceEngine, type SecondOpinion } from "../src/compliance/engine.ts";
import { guardText } from "../src/compliance/guard.ts";
import { testRules } from "./test-rules.ts";

/**
 * The gate every outgoing text passes (answers, quiz explanations, tips, model output): what may be sent,
 * on small rule sets of our own. The bot-level tests (tests/bot/guardian.test.ts) show the same gate
 * in the flows; these pin the gate itself.
 */
const rules = testRules([
  { id: "visit", severity: "block", any: ["上门"] },
  { id: "lawsuit", severity: "warn", any: ["起诉"] },
]);
const modelFlags: SecondOpinion = {
  judge: (text) =>
    text.includes("小心点")
      ? {
          rule: "learned",
          category: "soft-violence",
          severity: "block",
          evidence: text,
          start: 0,
          end: text.length,
          description: "模型认为是软暴力",
          explanation: "模型认为是软暴力",
          basis: "",
        }
      : null,
};
const engine = new ComplianceEngine(rules, {}, modelFlags);

describe("what the gate lets out", () => {
  it("sends a passing text, holds a warned one unless a supervisor confirmed it, never sends a blocked one", () => {
    expect(guardText(engine, "您好，请问现在方便说话吗？")).toMatchObject({ allowed: true, verdict: "pass" });
    expect(guardText(engine, "银行会起诉你")).toMatchObject({ allowed: false, verdict: "warn" });
    expect(guardText(engine, "银行会起诉你", { allowWarn: true })).toMatchObject({
      allowed: true,
      verdict: "warn",
    });
    expect(guardText(engine, "明天上门", { allowWarn: true })).toMatchObject({
      allowed: false,
      verdict: "block",
    });
    expect(guardText(engine, "明天上门", { allowWarn: false })).toMatchObject({
      allowed: false,
      verdict: "block",
    });
  });

  it("gives the reasons with a held text", () => {
    expect(guardText(engine, "明天上门").violations.map((v) => v.rule)).toEqual(["visit"]);
    expect(guardText(engine, "您好").violations).toEqual([]);
  });

  it("reads the words of a formatted answer, not its tags: markup cannot split a phrase", () => {
    expect(guardText(engine, "明天<b>上</b>门").verdict).toBe("block");
    expect(guardText(engine, '<a href="https://example.com/shangmen">查看规则</a>').verdict).toBe("pass");
  });

  it("asks the learned layer only for text from people or a model, never for the bot's own texts", () => {
    expect(guardText(engine, "你小心点", { learned: true })).toMatchObject({
      allowed: false,
      verdict: "block",
    });
    expect(guardText(engine, "你小心点")).toMatchObject({ allowed: true, verdict: "pass" });
    expect(guardText(engine, "你小心点", { learned: false })).toMatchObject({
      allowed: true,
      verdict: "pass",
    });
  });
});
