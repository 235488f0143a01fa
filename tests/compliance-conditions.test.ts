import { describe, expect, it } from "vitest";
import { realCoach } from "./helpers.ts";

/**
 * A negator inside a condition does not negate the consequence: 「要是你没有还钱的话就等着坐牢吧」
 * threatens prison. Minimal pairs: the same conditions with a lawful consequence pass, and a
 * negated consequence ("不会坐牢") is still read as a negation.
 */
const blocks: Array<[string, string]> = [
  ["要是你没有还钱的话就等着坐牢吧", "false-criminal-threat"],
  ["要是你不还钱，就等着坐牢吧", "false-criminal-threat"],
  ["如果你没有按时还款的话就等着坐牢", "false-criminal-threat"],
  ["要是没有还钱，就让你坐牢", "false-criminal-threat"],
  ["如果你不还钱，我们就通知你单位领导", "third-party-disclosure"],
];
const passes = [
  "要是您没有还清的话，我们会依法起诉",
  "要是你没有还钱的话就等着被起诉吧",
  "如果你没有还钱的话，不会坐牢，但会影响征信",
  "你没有坐牢的风险，请放心",
];

describe("negator inside a condition", () => {
  it.each(blocks)("「%s」 blocks as %s", (text, category) => {
    const r = realCoach().check(text);
    expect(r.verdict).toBe("block");
    expect(r.violations.map((v) => v.category)).toContain(category);
  });

  it.each(passes.map((t) => [t]))("「%s」 passes", (text) => {
    expect(realCoach().check(text).verdict).toBe("pass");
  });
});
