import { type Rule, ruleSchema } from "../src/compliance/rule-schema.ts";

/** The parts of a rule a test does not care about (a block-level harassment rule with a daytime rewrite). */
const RULE_DEFAULTS = {
  category: "harassment",
  severity: "block",
  description: "测试规则",
  explanation: "测试说明",
  basis: "测试依据",
  suggest: "我们白天再联系您。",
};

/**
 * Small rule sets of our own, as a company adds them in its own folder: each item gives only what the test is
 * about; the id is `rule-<index>` unless given.
 */
export const testRules = (rules: object[]): Rule[] =>
  rules.map((r, i) => ruleSchema.parse({ ...RULE_DEFAULTS, id: `rule-${i}`, ...r }));
