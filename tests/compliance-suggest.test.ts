import { describe, expect, it } from "vitest";
import { ComplianceEngine, type Violation } from "../src/compliance/engine.ts";
import { suggestRewrite } from "../src/compliance/suggest.ts";
import { testRules } from "./test-rules.ts";

/**
 * The compliant rewrite shown under a flagged text (/check, the practice score, a refused tip): which
 * clauses of the collector's own text are kept, what replaces the flagged one, and when only the rules'
 * wording is given. Small rule sets of our own keep the expected text exact.
 */
const visit = { any: ["上门"], suggest: "我们会按约定方式与您联系。" };
const jail = { any: ["坐牢"], category: "false-criminal-threat", suggest: "逾期可能影响您的征信。" };
const rewrite = (rules: object[], text: string) =>
  new ComplianceEngine(testRules(rules)).check(text).suggestion;

describe("the rewrite keeps the collector's own clauses", () => {
  it("replaces only the flagged clause and keeps the clauses around it, in order", () => {
    expect(rewrite([visit], "王先生您好，明天我们上门，请您准备好材料。")).toBe(
      "王先生您好，我们会按约定方式与您联系。请您准备好材料。",
    );
  });

  it("drops the condition of a threat together with it", () => {
    for (const condition of ["再不还钱", "要是你还拖着", "如果今天不处理", "你敢不接"]) {
      expect(rewrite([visit], `${condition}，明天我们就上门`), condition).toBe("我们会按约定方式与您联系。");
    }
  });

  it("keeps a clause before the threat that is not its condition", () => {
    expect(rewrite([visit], "我们核对过账单了，明天我们就上门")).toBe(
      "我们核对过账单了，我们会按约定方式与您联系。",
    );
  });

  it("gives the replacement once, however many clauses carry the violation", () => {
    expect(rewrite([visit], "今天上门，明天上门，后天还上门")).toBe("我们会按约定方式与您联系。");
  });

  it("gives each violated rule's wording once, in the order the violations come", () => {
    expect(rewrite([visit, jail], "明天上门，让你坐牢，后天还上门")).toBe(
      "我们会按约定方式与您联系。逾期可能影响您的征信。",
    );
  });

  it("a clause right after a flagged one is kept: a violation ending where a clause starts is not in it", () => {
    const v: Violation[] = [
      {
        rule: "rule-0",
        category: "harassment",
        severity: "block",
        start: 0,
        end: 5,
        evidence: "明天上门，",
        description: "",
        explanation: "",
        basis: "",
      } as Violation,
    ];
    const r = suggestRewrite("明天上门，我们核对账单。", v, testRules([visit]), () => "pass");
    expect(r).toBe("我们会按约定方式与您联系。我们核对账单。");
  });
});

describe("the wording is built once", () => {
  it("two violations in different clauses of a text: the first clause is replaced, the second dropped", () => {
    expect(rewrite([visit, jail], "您好，明天上门，让你坐牢，谢谢")).toBe(
      "您好，我们会按约定方式与您联系。逾期可能影响您的征信。谢谢",
    );
    const twice = [
      { rule: "rule-0", start: 3, end: 7 },
      { rule: "rule-0", start: 8, end: 12 },
    ] as Violation[];
    expect(suggestRewrite("您好，明天上门，后天上门，谢谢", twice, testRules([visit]), () => "pass")).toBe(
      "您好，我们会按约定方式与您联系。谢谢",
    );
  });

  it("a condition with 再不 goes with the threat", () => {
    expect(rewrite([visit], "您好，再不接电话，明天就上门")).toBe("您好，我们会按约定方式与您联系。");
  });

  it("a learned finding in a category with no rule adds no wording of its own", () => {
    const v = [
      { rule: "rule-0", category: "harassment", start: 0, end: 4 },
      { rule: "learned", category: "insult", start: 0, end: 4 },
    ] as Violation[];
    expect(suggestRewrite("明天上门", v, testRules([visit]), () => "pass")).toBe(
      "我们会按约定方式与您联系。",
    );
  });
});

describe("when only the rules' wording is given", () => {
  it("a rewrite that would still be flagged is replaced by the rules' wording alone", () => {
    const rules = testRules([visit]);
    const v = [{ rule: "rule-0", start: 3, end: 7 } as Violation];
    const asked: string[] = [];
    const verdictOf = (t: string) => {
      asked.push(t);
      return t.includes("后果自负") ? "warn" : "pass";
    };
    expect(suggestRewrite("您好，明天上门，后果自负", v, rules, verdictOf)).toBe(
      "我们会按约定方式与您联系。",
    );
    expect(asked).toEqual(["您好，我们会按约定方式与您联系。后果自负"]);
    expect(suggestRewrite("您好，明天上门，谢谢配合", v, rules, verdictOf)).toBe(
      "您好，我们会按约定方式与您联系。谢谢配合",
    );
  });

  it("the wording alone is also the answer when a kept clause and the wording together break a rule", () => {
    // the wording mentions a call, the kept clause the family: together they tell the family
    const call = { any: ["上门"], suggest: "我们会打电话" };
    const family = {
      combos: [[["打电话"], ["家人"]]],
      category: "third-party-disclosure",
      suggest: "只和您本人沟通。",
    };
    expect(rewrite([call, family], "明天上门，告诉你家人。")).toBe("我们会打电话");
  });

  it("a text over 2,000 characters gets the rules' wording, not a clause-by-clause rewrite", () => {
    const filler = "请您核对账单。".repeat(300);
    expect(rewrite([visit], `${filler}明天上门。`)).toBe("我们会按约定方式与您联系。");
    const edge = `${"请".repeat(2000 - "，明天上门。".length)}，明天上门。`;
    expect(edge.length).toBe(2000);
    expect(rewrite([visit], edge)).toBe(
      `${"请".repeat(2000 - "，明天上门。".length)}，我们会按约定方式与您联系。`,
    );
    expect(rewrite([visit], `请${edge}`)).toBe("我们会按约定方式与您联系。");
    expect(rewrite([visit, jail], `请${edge}让你坐牢。`)).toBe(
      "我们会按约定方式与您联系。逾期可能影响您的征信。",
    );
  });

  it("a finding of the learned layer (no rule of its own) takes the wording of its category's first rule", () => {
    const v = { rule: "learned", category: "false-criminal-threat", start: 0, end: 4 } as Violation;
    const rules = testRules([visit, jail, { ...jail, suggest: "第二条的说法。" }]);
    expect(suggestRewrite("再拖着试试", [v], rules, () => "pass")).toBe("逾期可能影响您的征信。");
  });
});

describe("punctuation and script", () => {
  it("a rewrite never ends on a comma and never has a comma after a full stop", () => {
    const noStop = { any: ["上门"], suggest: "我们会按约定方式与您联系" };
    expect(rewrite([noStop], "您好，明天上门，")).toBe("您好，我们会按约定方式与您联系");
    expect(rewrite([visit], "您好，明天上门，谢谢")).toBe("您好，我们会按约定方式与您联系。谢谢");
    const trailing = { any: ["上门"], suggest: "我们会按约定方式与您联系；" };
    expect(
      suggestRewrite(
        "明天上门",
        [{ rule: "rule-0", start: 0, end: 4 } as Violation],
        testRules([trailing]),
        () => "warn",
      ),
    ).toBe("我们会按约定方式与您联系。");
  });

  it("ASCII commas part clauses as Chinese ones do", () => {
    expect(rewrite([visit], "您好,明天上门,请准备材料")).toBe("您好,我们会按约定方式与您联系。请准备材料");
  });

  it("stray commas and spaces around the rewrite are tidied", () => {
    expect(rewrite([visit], "您好，明天上门，谢谢，，")).toBe("您好，我们会按约定方式与您联系。谢谢。");
    expect(rewrite([visit], "收到。，好的。，明天上门。")).toBe("收到。好的。我们会按约定方式与您联系。");
    expect(rewrite([visit], "  您好，明天上门")).toBe("您好，我们会按约定方式与您联系。");
    const trailing = { any: ["上门"], suggest: "我们会按约定方式与您联系；" };
    expect(rewrite([trailing], `${"请您核对账单。".repeat(300)}明天上门。`)).toBe(
      "我们会按约定方式与您联系。",
    );
  });

  it("a Traditional text keeps its own words as written (週 stays 週, 麵 stays 麵)", () => {
    expect(rewrite([visit], "週一先去吃麵，我們明天上門")).toBe("週一先去吃麵，我們會按約定方式與您聯繫。");
  });

  it("a Traditional text gets its rewrite in Traditional, its own clauses included", () => {
    expect(rewrite([visit], "陳先生您好，明天我們上門，請您準備好資料。")).toBe(
      "陳先生您好，我們會按約定方式與您聯繫。請您準備好資料。",
    );
  });
});
