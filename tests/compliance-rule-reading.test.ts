import { describe, expect, it } from "vitest";
import { ComplianceEngine, type SecondOpinion } from "../src/compliance/engine.ts";
import { testRules } from "./test-rules.ts";

/**
 * How the engine reads a rule, on small rule sets of our own (a company adds rules in its own
 * folder, see loadRules' extraDirs): which phrases match, in which scope, what a detector adds,
 * which occurrence is shown as evidence, and when the second opinion is asked.
 */
const engineOf = (rules: object[], second: SecondOpinion | null = null) =>
  new ComplianceEngine(testRules(rules), {}, second);
const read = (engine: ComplianceEngine, text: string) => {
  const r = engine.check(text);
  return { verdict: r.verdict, rules: r.violations.map((v) => v.rule), evidence: r.violations[0]?.evidence };
};

describe("rule phrases", () => {
  it("a phrase written with a space, a comma or a full stop matches the words however the collector spaces them", () => {
    for (const phrase of ["上门 找你", "上门，找你", "上门。找你"]) {
      const engine = engineOf([{ any: [phrase] }]);
      expect(read(engine, "明天上门找你").verdict, phrase).toBe("block");
      expect(read(engine, "明天上门 找你").verdict, phrase).toBe("block");
    }
  });

  it("a phrase of punctuation only matches nothing, so it does not flag every text", () => {
    const engine = engineOf([{ any: ["……"] }, { any: ["上门"] }]);
    expect(read(engine, "您好，请问现在方便说话吗？").verdict).toBe("pass");
    expect(read(engine, "明天上门")).toMatchObject({ verdict: "block", rules: ["rule-1"] });
  });

  it("a passing text gets no rewrite, a flagged one does", () => {
    const engine = engineOf([{ any: ["上门"] }]);
    expect(engine.check("您好，请问现在方便说话吗？").suggestion).toBeNull();
    expect(engine.check("明天上门").suggestion).not.toBeNull();
  });
});

describe("short phrases read by word", () => {
  it("a company's two-character hedge beginning with a particle counts only as a word of its own", () => {
    const engine = engineOf([{ any: ["上门"], unless: ["了解"] }]);
    expect(read(engine, "明天上门了解一下情况").verdict).toBe("pass");
    expect(read(engine, "明天上门为了解决问题").verdict).toBe("block");
  });

  it("a cue of one rule that is another rule's hedge is still read by word", () => {
    const engine = engineOf([{ any: ["着火"] }, { any: ["上门"], unless: ["着火"] }]);
    expect(read(engine, "我们跟着火车站那边的同事核实了").verdict).toBe("pass");
    expect(read(engine, "小心你家着火")).toMatchObject({ verdict: "block", rules: ["rule-0"] });
  });
});

describe("scope of a combination", () => {
  const rules = (scope: "clause" | "sentence") => [{ combos: [[["家人"], ["施压"]]], scope }];
  it("in clause scope the two cues must share a clause; in sentence scope a comma does not part them", () => {
    expect(read(engineOf(rules("clause")), "向你家人施压").verdict).toBe("block");
    expect(read(engineOf(rules("clause")), "你家人那边，我们会施压").verdict).toBe("pass");
    expect(read(engineOf(rules("clause")), "你家人那边我们问过了。我们会施压").verdict).toBe("pass");
    expect(read(engineOf(rules("sentence")), "你家人那边，我们会施压").verdict).toBe("block");
    expect(read(engineOf(rules("sentence")), "你家人那边我们问过了。我们会施压").verdict).toBe("pass");
  });

  it("the evidence shown is the first place in the text, whichever cue kind found it", () => {
    const engine = engineOf([{ any: ["坐牢"], combos: [[["家人"], ["施压"]]] }]);
    expect(read(engine, "向你家人施压，不然就让你坐牢").evidence).toBe("家人施压");
    expect(read(engine, "让你坐牢，还要向你家人施压").evidence).toBe("坐牢");
  });
});

describe("detectors", () => {
  it("a rule without a detector is not fired by the call count or the night-time reading", () => {
    const engine = engineOf([{ any: ["上门"] }]);
    expect(read(engine, "我们不会上门，今天一天给你打了三十次电话").verdict).toBe("pass");
    expect(read(engine, "我们不会上门，晚上十一点以后给你打电话").verdict).toBe("pass");
    expect(read(engineOf([{ detector: "call-count" }]), "今天一天给你打了三十次电话").verdict).toBe("block");
  });

  it("a prohibition earlier in the sentence covers a time finding even in a clause-scoped rule", () => {
    const engine = engineOf([{ detector: "night-contact", scope: "clause" }]);
    expect(read(engine, "不要再像昨天那样，晚上十一点以后给客户打电话").verdict).toBe("pass");
    expect(read(engine, "就像昨天那样，晚上十一点以后给客户打电话").verdict).toBe("block");
  });
});

describe("the second opinion", () => {
  const flagsAll: SecondOpinion = {
    judge: (text) => ({
      rule: "second-opinion",
      category: "harassment",
      severity: "warn",
      evidence: text,
      start: 0,
      end: text.length,
      description: "模型认为有风险",
      explanation: "模型认为有风险",
      basis: "",
    }),
  };
  it("is asked when the rules pass, not when they already flag, and never for the bot's own reviewed texts", () => {
    const engine = engineOf([{ any: ["上门"] }], flagsAll);
    expect(engine.evaluate("您好，方便说话吗？").violations.map((v) => v.rule)).toEqual(["second-opinion"]);
    expect(engine.evaluate("明天上门").violations.map((v) => v.rule)).toEqual(["rule-0"]);
    expect(engine.evaluate("您好，方便说话吗？", { second: false })).toEqual({
      verdict: "pass",
      violations: [],
    });
  });
});

describe("the window of a combination", () => {
  const rule = { combos: [[["家人"], ["施压"]]], scope: "sentence", window: 6 };
  it("fires when the cues span at most the window, counted from the first cue to the end of the last", () => {
    const engine = engineOf([rule]);
    expect(read(engine, "你家人还会施压").verdict).toBe("block"); // 家人还会施压: 6
    expect(read(engine, "你家人他们会施压").verdict).toBe("pass"); // 7
  });

  it("pairs a cue with the nearest one of the other kind, before or after it", () => {
    const engine = engineOf([rule]);
    // the first 施压 is far from 家人, the second right after it
    expect(read(engine, "施压不是我们的本意，但会对你家人施压")).toMatchObject({
      verdict: "block",
      evidence: "家人施压",
    });
    // the first 施压 is right after 家人, a second one further on does not replace it
    expect(read(engine, "你家人要施压，我们也会施压")).toMatchObject({
      verdict: "block",
      evidence: "家人要施压",
    });
  });

  it("a cue before the anchor does not stop the search for a nearer one after it", () => {
    const engine = engineOf([{ combos: [[["家人"], ["施压"]]] }]);
    // 施压 five characters before 家人, another three after it: the nearer is shown
    expect(read(engine, "施压了你的家人再施压").evidence).toBe("家人再施压");
  });

  it("of two cues the same distance before and after, the earlier is shown", () => {
    const engine = engineOf([{ combos: [[["家人"], ["施压"]]] }]);
    expect(read(engine, "施压了家人再施压").evidence).toBe("施压了家人");
  });

  it("in a three-part combination a cue inside a part already taken is not a part again", () => {
    // 联系 inside 联系人 is not the act of contacting
    const engine = engineOf([{ combos: [[["联系人"], ["施压"], ["联系"]]] }]);
    expect(read(engine, "找你联系人施压").verdict).toBe("pass");
    expect(read(engine, "我们联系你的联系人施压")).toMatchObject({
      verdict: "block",
      evidence: "联系你的联系人施压",
    });
  });

  it("with the default window, cues a long way apart in one clause are not a combination", () => {
    const engine = engineOf([{ combos: [[["家人"], ["施压"]]] }]);
    expect(read(engine, "你家人那边打过电话了会施压").verdict).toBe("block");
    expect(
      read(engine, "你家人那边我们已经打过好几次电话了他们说会想办法筹钱所以我们还是会施压").verdict,
    ).toBe("pass");
  });
});

describe("the verdict of several findings", () => {
  it("is the most serious one, whichever rule comes first", () => {
    const block = { any: ["坐牢"], severity: "block" };
    const warn = { any: ["上门"], severity: "warn" };
    for (const rules of [
      [block, warn],
      [warn, block],
    ]) {
      const engine = engineOf(rules);
      expect(read(engine, "明天上门，不然让你坐牢").verdict).toBe("block");
      expect(read(engine, "明天上门").verdict).toBe("warn");
    }
  });
});
