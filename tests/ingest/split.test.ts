import { describe, expect, it } from "vitest";
import { leadingTitle, MAX_CHARS, sentences, splitPassages } from "../../src/ingest/split.ts";

const para = (n: number, seed = "催收员要耐心倾听客户的困难并如实记录") =>
  Array.from({ length: n }, (_, i) => `${seed}第${i + 1}点。`).join("");

describe("splitPassages", () => {
  it("makes one passage per Markdown section, titled by its heading path", () => {
    const text = [
      "# 催收手册",
      "## 承诺跟进",
      "客户承诺还款后，要确认具体金额、日期和还款渠道，在约定日前一天礼貌提醒，到期未还先了解原因，再商量新的安排并如实记录。",
      "## 客户说没钱",
      "先了解收入变化和家庭开支，确认困难是否属实；再根据实际能力商量分期或部分还款，并说清每期金额。",
    ].join("\n");
    const out = splitPassages(text, "催收手册");
    expect(out.map((p) => p.title)).toEqual(["承诺跟进", "客户说没钱"]);
    expect(out[0]!.text).toMatch(/^客户承诺还款后/);
  });

  it("follows a Chinese outline: 第X模块, 一、, and numbered items under them", () => {
    const text = [
      "第一模块",
      "信用卡逾期催收新形势及应对策略",
      "一、市场规模及行业预测",
      "1、目前催收行业市场规模有多大，增长的动力来自哪里",
      "2、疫情对催收工作的影响以及各家机构的应对办法",
      "3、下阶段信用卡催收趋势分析与合规要求的变化",
      "二、电催管理的核心理念",
      "1、电催法律合规红线提示：联系时间、频次与第三方",
      "2、电催工作流程与关键策略：从准备到复盘的每一步",
    ].join("\n");
    const out = splitPassages(text, "课程");
    expect(out.map((p) => p.title)).toEqual([
      "第一模块 信用卡逾期催收新形势及应对策略 › 一、市场规模及行业预测",
      "第一模块 信用卡逾期催收新形势及应对策略 › 二、电催管理的核心理念",
    ]);
    expect(out[0]!.text.split("\n")).toHaveLength(3);
  });

  it("takes a numbered line above a list that starts again at 1 for a heading", () => {
    const text = [
      "4. 催收主管的职责是什么",
      "1.制定小组管理制度和奖惩办法，对催收小组成员进行考核。",
      "2.负责督促员工对逾期客户进行电话催收，分析汇报整体工作。",
      "5. 如何做好承诺跟进",
      "客户承诺还款后，要确认具体金额和日期，在约定日前一天礼貌提醒，到期未还先了解原因再商量安排。",
    ].join("\n");
    const out = splitPassages(text, "问答");
    expect(out.map((p) => p.title)).toEqual(["4. 催收主管的职责是什么", "5. 如何做好承诺跟进"]);
  });

  it("merges tiny sections into the next one instead of making crumbs", () => {
    const text = ["## 一", "短句一。", "## 二", "短句二。", "## 三", para(4)].join("\n");
    const out = splitPassages(text, "文档");
    expect(out).toHaveLength(1);
    expect(out[0]!.title).toBe("一");
    expect(out[0]!.text).toContain("短句一。\n二\n短句二。\n三\n");
  });

  it("caps long paragraphs at sentence boundaries", () => {
    const long = para(40);
    const out = splitPassages(long, "文档");
    expect(out.length).toBeGreaterThan(2);
    for (const p of out) {
      expect(p.text.length).toBeLessThanOrEqual(MAX_CHARS);
      expect(p.text.endsWith("。")).toBe(true);
    }
    expect(out.map((p) => p.text).join("")).toBe(long);
  });

  it("cuts a run without any punctuation hard at the cap", () => {
    const run = "催收".repeat(500);
    expect(sentences(run).every((s) => s.length <= MAX_CHARS)).toBe(true);
    expect(sentences(run).join("")).toBe(run);
  });

  it("breaks numbered items run together inside a paragraph", () => {
    const text =
      "实务中处理过很多债务纠纷，现就浅谈一二： 一、非诉讼方式催收 适用于对方并非恶意拖欠的情况，可以同时使用下列方法。 1、通过电话催收。 在电话沟通过程中应掌握好说话的语气和火候。 2、上门当面催收。 应尽量向对方索要对债务的确认函。";
    const [p] = splitPassages(text, "文档");
    expect(p!.text.split("\n")).toEqual([
      "实务中处理过很多债务纠纷，现就浅谈一二：",
      "一、非诉讼方式催收 适用于对方并非恶意拖欠的情况，可以同时使用下列方法。",
      "1、通过电话催收。 在电话沟通过程中应掌握好说话的语气和火候。",
      "2、上门当面催收。 应尽量向对方索要对债务的确认函。",
    ]);
  });

  it("uses the document title when there are no headings, and skips labels like 摘要", () => {
    const out = splitPassages(`摘要:\n${para(3)}`, "催收员技能提升");
    expect(out).toEqual([{ title: "催收员技能提升", text: para(3) }]);
  });

  it("drops passages with hardly any text", () => {
    expect(splitPassages("01\n02\nOK。", "文档")).toEqual([]);
  });
});

describe("leadingTitle", () => {
  it("reads a short first line or a Markdown title, not a sentence or a numbered item", () => {
    expect(leadingTitle("催收培訓內容需求\n1. 平安催收崗位怎麼樣")).toBe("催收培訓內容需求");
    expect(leadingTitle("# 催收手册\n正文")).toBe("催收手册");
    expect(leadingTitle("打电话前先看客户资料。\n")).toBeNull();
    expect(leadingTitle("1. 平安催收崗位怎麼樣\n")).toBeNull();
  });
});
