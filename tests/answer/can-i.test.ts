import { describe, expect, it } from "vitest";
import { parseCanI } from "../../src/answer/can-i.ts";
import { stripHtml } from "../../src/text/html.ts";
import { readYamlFixture, realCoach } from "../helpers.ts";

interface CanICase {
  q: string;
  entry?: string;
}
const cases = readYamlFixture<{ unlawful: CanICase[]; lawful: CanICase[] }>("can-i.yaml");

describe("parseCanI: the act a question proposes", () => {
  it.each([
    ["能不能去他单位闹", "去他单位闹"],
    ["通讯录要不要爆", "爆通讯录"],
    ["可以爆他通讯录吗？", "爆他通讯录"],
    ["可以去他公司找他老闆嗎", "去他公司找他老板"],
    ["外访行不行", "外访"],
    ["联系不上本人，可以联系他的紧急联系人吗", "联系他的紧急联系人"],
  ])("%s → %s", (q, act) => {
    expect(parseCanI(q)?.act).toBe(act);
  });

  it.each(["客户说能不能下个月再还", "客户问，可以分期吗", "客户一直不接电话怎么办", "他说能不能先还一半"])(
    "%s is not the collector's own plan",
    (q) => {
      expect(parseCanI(q)).toBeNull();
    },
  );
});

describe("unlawful tactics get a clear no, the rule and the lawful way", () => {
  it(`covers at least 20 questions (${cases.unlawful.length})`, () => {
    expect(cases.unlawful.length).toBeGreaterThanOrEqual(20);
  });
  it.each(cases.unlawful)("$q", ({ q, entry }) => {
    const r = realCoach().ask(q);
    const text = stripHtml(r.html);
    expect(text.startsWith("⛔ 不能。")).toBe(true);
    expect(text).toMatch(/规则|規則/);
    expect(text).toMatch(/依据|依據/);
    expect(text).toMatch(/应该这样做|應該這樣做/);
    expect(r.act?.kind).toBe("unlawful");
    expect(r.verdict).toBe("pass");
    if (entry) expect(r.entryId).toBe(entry);
  });
});

describe("lawful acts get 「可以，但…」 with the conditions", () => {
  it(`covers at least 10 questions (${cases.lawful.length})`, () => {
    expect(cases.lawful.length).toBeGreaterThanOrEqual(10);
  });
  it.each(cases.lawful)("$q", ({ q, entry }) => {
    const r = realCoach().ask(q);
    const text = stripHtml(r.html);
    expect(text.startsWith("✅ 可以，但…")).toBe(true);
    expect(text).toMatch(/条件|條件/);
    expect(text).toMatch(/\n1\. /);
    expect(r.verdict).toBe("pass");
    if (entry) expect(r.entryId).toBe(entry);
  });
});

describe("answers in the asker's script", () => {
  it("answers a Traditional question in Traditional", () => {
    const text = stripHtml(realCoach().ask("可以去他公司找他老闆嗎").html);
    expect(text.startsWith("⛔ 不能。這樣做屬於")).toBe(true);
  });
});

describe("sources a reader can read", () => {
  it("cites the document's title and section in Simplified for a Simplified asker, never a hashed file name", () => {
    // abusive-debtor-cursing cites a section of 000_24ee06940e58e696.txt, written in Traditional
    const html = realCoach().ask("客户一接电话就开骂，满嘴脏话").html;
    const sources = stripHtml(html).split("📚 来源")[1] ?? "";
    expect(sources).toContain("电话催收新人培训 › 应对客户拒绝与投诉方法");
    expect(sources).not.toMatch(/\.txt|[應對與訴]/);
  });

  it("and in Traditional for a Traditional asker", () => {
    const html = realCoach().ask("客戶一接電話就破口大罵").html;
    expect(stripHtml(html)).toContain("電話催收新人培訓 › 應對客戶拒絕與投訴方法");
  });
});

describe("combinations and borderline acts", () => {
  it("names every kind of rule a combination of tactics breaks", () => {
    const r = realCoach().ask("能不能先去他单位闹一闹，再给他家人施压");
    const text = stripHtml(r.html);
    expect(text).toMatch(/^⛔ 不能。这样做属于软暴力滋扰、向无义务的第三人施压/);
    expect(text.match(/📏 规则/g)).toHaveLength(2);
  });

  it("treats a warned act (a call between 21:00 and 22:00) as allowed with conditions, not as a no", () => {
    const text = stripHtml(realCoach().ask("能不能晚上九点半打电话").html);
    expect(text.startsWith("✅ 可以，但…")).toBe(true);
    expect(text).toContain("8:00–22:00");
  });
});
