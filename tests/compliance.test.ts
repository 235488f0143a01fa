import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../src/compliance/engine.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import type { ComplianceCategory } from "../src/knowledge/codes.ts";
import { COMPLIANCE_CATEGORIES } from "../src/knowledge/codes.ts";
import { detectScript } from "../src/text/script.ts";
import { readYamlFixture } from "./helpers.ts";

interface Case {
  text: string;
  expect: "violation" | "ok";
  category?: ComplianceCategory;
}

const engine = new ComplianceEngine(loadRules());
const cases = readYamlFixture<Case[]>("compliance-cases.yaml");

describe("table-driven compliance cases (own paraphrases, both scripts, symbols, negations)", () => {
  it("covers every category with at least six violating cases", () => {
    for (const c of COMPLIANCE_CATEGORIES) {
      expect(cases.filter((x) => x.category === c).length, c).toBeGreaterThanOrEqual(6);
    }
  });

  const violations = cases.filter((c) => c.expect === "violation");
  it.each(violations.map((c) => [c.text, c.category] as const))("flags %s as %s", (text, category) => {
    const r = engine.check(text);
    expect(r.verdict).not.toBe("pass");
    expect(r.violations.map((v) => v.category)).toContain(category);
  });

  const ok = cases.filter((c) => c.expect === "ok");
  it.each(ok.map((c) => [c.text] as const))("passes %s", (text) => {
    const r = engine.check(text);
    expect(r.violations.map((v) => `${v.rule}: ${v.evidence}`)).toEqual([]);
    expect(r.verdict).toBe("pass");
  });
});

describe("check output", () => {
  it("points the evidence at the original text, even with symbols and Traditional script", () => {
    const text = "你這個老-賴，真不要臉";
    const r = engine.check(text);
    const v = r.violations.find((x) => x.category === "insult")!;
    expect(text.slice(v.start, v.end)).toBe(v.evidence);
    expect(v.evidence).toContain("老-賴");
  });

  it("sees through zero-width characters and full-width letters", () => {
    expect(engine.check("再不还就让你坐\u200b牢").verdict).toBe("block");
    expect(engine.check("ＳＢ，赶紧还钱").violations.map((v) => v.category)).toContain("insult");
  });

  it("suggests a compliant rewrite in the text's own script", () => {
    const simp = engine.check("他白天不接，我打算今晚十一点再打给他");
    expect(simp.suggestion).toBeTruthy();
    expect(engine.check(simp.suggestion!).verdict).toBe("pass");
    const trad = engine.check("再不還錢就讓你坐牢");
    expect(detectScript(trad.suggestion!)).toBe("traditional");
    expect(engine.check(trad.suggestion!).verdict).toBe("pass");
  });

  it("gives the explanation and legal basis of each violation", () => {
    const r = engine.check("我是法院的工作人员，通知你明天来一趟");
    expect(r.violations[0]).toMatchObject({ category: "impersonation", severity: "block" });
    expect(r.violations[0]!.basis).toMatch(/刑法|指引/);
    expect(r.violations[0]!.explanation.length).toBeGreaterThan(5);
  });

  it("passes truthful, measured statements about consequences", () => {
    for (const t of ["逾期会报送征信，建议您尽快处理", "银行可能依法起诉", "法院会依法送达文书"]) {
      expect(engine.check(t).verdict, t).toBe("pass");
    }
  });
});

describe("contact hours and call limits are configurable", () => {
  it("warns in the late-evening band and blocks at night by default", () => {
    expect(engine.check("晚上九点半再给他打一次").verdict).toBe("warn");
    expect(engine.check("晚上十点半再给他打一次").verdict).toBe("block");
    expect(engine.check("下午三点再给他打一次").verdict).toBe("pass");
  });

  it("follows a company's stricter window", () => {
    const strict = new ComplianceEngine(loadRules(), {
      contactHours: { blockFrom: 20, blockUntil: 9, warnFrom: 19 },
      callLimits: { connected: 3, attempts: 6 },
    });
    expect(strict.check("晚上八点半再给他打一次").verdict).toBe("block");
    expect(strict.check("早上八点半给他打电话").verdict).toBe("block");
  });

  it("counts calls per day against the limits", () => {
    expect(engine.check("今天给他打了五次").verdict).toBe("warn");
    expect(engine.check("每天给他打二十个电话").verdict).toBe("block");
    expect(engine.check("每天最多打三次").verdict).toBe("pass");
  });
});

describe("adversarial input", () => {
  it("checks 100 KB of repeated near-misses without blowing up", () => {
    const big = "晚上十一点再打你家楼下老赖坐牢不要以为".repeat(5000).slice(0, 100_000);
    const r = engine.check(big);
    expect(r.verdict).toBe("block");
  });
});
