import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../src/compliance/engine.ts";
import { loadRules } from "../src/compliance/load-rules.ts";

/**
 * Describing a violation is not committing one, as minimal pairs: the same forbidden words as a quoted
 * example, under a training document's heading or as a numbered outline line pass; said to somebody they
 * block. Each pair is one reading a trainer relies on when the course material is checked, and a
 * collector relies on when a threat is dressed up as an example.
 */
const engine = new ComplianceEngine(loadRules());

function expectPass(text: string): void {
  const r = engine.check(text);
  expect(r.violations.map((v) => `${v.rule}: ${v.evidence}`)).toEqual([]);
  expect(r.verdict).toBe("pass");
}

function expectBlock(text: string, rule: string): void {
  const r = engine.check(text);
  expect(r.verdict).toBe("block");
  expect(r.violations.map((v) => v.rule)).toContain(rule);
}

const JAIL = "false-criminal-jail-arrest";
const POLICE = "false-criminal-police-involved";

type Pair = [reading: string, passes: string, blocks: string, rule: string];
/** one test per pair: the first text passes, the second blocks with the rule named */
function itReadsPairs(pairs: Pair[]): void {
  it.each(pairs)("%s", (_reading, passes, blocks, rule) => {
    expectPass(passes);
    expectBlock(blocks, rule);
  });
}

describe("a quoted example with a mention word outside the quotes is a mention", () => {
  const quotes: Array<[open: string, close: string]> = [
    ["“", "”"],
    ["「", "」"],
    ["『", "』"],
    ["《", "》"],
    ["‘", "’"],
    ["〈", "〉"],
    ['"', '"'],
  ];
  it.each(quotes)(
    "between %s and %s: passes; without the quotes, or said to the debtor, it blocks",
    (o, c) => {
      expectPass(`质检时注意${o}再拖就让你坐牢${c}这类话术`);
      expectBlock("质检时注意再拖就让你坐牢这类话术", JAIL);
      expectBlock("再拖就让你坐牢", JAIL);
    },
  );

  const pairs: Pair[] = [
    [
      "two examples in ASCII quotes, each opened and closed",
      '质检时注意"坐牢""抓你"这类话术',
      '质检时注意"坐牢"，明天就来抓你',
      JAIL,
    ],
    [
      "a quote that opens and never closes swallows the mention word",
      "质检时注意“再拖就让你坐牢”这类话术",
      "质检时注意“再拖就让你坐牢这类话术",
      JAIL,
    ],
    [
      "a mention word inside the quotes is part of what was said",
      "录音里出现了“再拖就让你坐牢”等字眼",
      "他在电话里说“按咱们的话术，再拖就让你坐牢”",
      JAIL,
    ],
    [
      "a threat after an inner quote is still inside the outer one",
      "质检抽到「你这种“老赖”就该去坐牢」等说法",
      "你这种“老赖”就该去坐牢",
      JAIL,
    ],
    // the quote has to cover the violating words from their first character to their last
    [
      "quote marks around the first word only (from inside to outside)",
      "少跟我扯话术，“警察明天就上门”这种话谁信",
      "少跟我扯话术，“警察”明天就上门",
      POLICE,
    ],
    [
      "quote marks around the last words only (from outside to inside)",
      "少跟我扯话术，“警察明天就上门”这种话谁信",
      "少跟我扯话术，警察“明天就上门”",
      POLICE,
    ],
  ];
  itReadsPairs(pairs);
});

describe("a line under a prohibition heading lists a forbidden act", () => {
  const strongHeadings = ["违规示例", "禁止使用", "反面示例", "错误示范", "禁止行为", "质检项", "扣分项"];
  it.each(strongHeadings)("「%s：…」 passes; the same words without the heading block", (heading) => {
    expectPass(`${heading}：告诉欠款人逾期就会被抓去坐牢`);
    expectBlock("告诉欠款人逾期就会被抓去坐牢", JAIL);
  });

  it("an example that addresses 「你」 after a heading on the same line is still an example", () => {
    expectPass("违规示例：再不还钱就抓你去坐牢");
    expectBlock("再不还钱就抓你去坐牢", JAIL);
  });

  // 「清单」「以下行为」 head a list of forbidden acts only when the line prohibits something
  const pairs: Pair[] = [
    [
      "「以下行为」 with a prohibition in the heading's clause, without one",
      "以下行为严禁出现：警察上门抓人",
      "以下行为要注意：警察上门抓人",
      JAIL,
    ],
    [
      "「清单」 with a prohibition, and as a to-do list",
      "禁止事项清单发过去了，上门抓人是其中一条",
      "逾期客户清单发过去了，明天挨个上门抓人",
      JAIL,
    ],
    [
      "a prohibition in the next sentence does not make a list of the one before",
      "以下行为严禁出现：警察上门抓人。请大家对照自查",
      "逾期客户清单发过去了，明天挨个上门抓人。别迟到",
      JAIL,
    ],
    [
      "a case study in the next sentence does not make the threat before it a report",
      "上个月的案例：催收员说警察明天就上门抓人，被公司开除",
      "警察明天就上门抓人。上个月的案例，周五一起复盘",
      JAIL,
    ],
  ];
  itReadsPairs(pairs);
});

describe("a short numbered outline line names a topic", () => {
  it.each([
    ["an Arabic number and 、", "3、拘留的适用条件"],
    ["leading spaces", "  3、拘留的适用条件"],
    ["第…章", "第三章 拘留与逮捕"],
    ["第…条, an article of a law", "第三条 拘留"],
    ["a heading followed by a sentence with a plan word", "3、拘留的适用条件\n今天的培训到此结束"],
    ["a two-digit Arabic number", "12、拘留的适用条件"],
    ["a two-character Chinese number", "十二、拘留的适用条件"],
    ["a Chinese number in full-width brackets", "（二）拘留的适用条件"],
    ["a two-character number in brackets", "（十二）拘留的适用条件"],
    ["a point on the second line, under a chapter", "第三章 强制措施\n一、拘留"],
    ["a point on the second line, under an unnumbered title", "强制措施\n一、拘留"],
    ["sixteen characters, the longest a heading may be", "五、关于拘留和逮捕两个词的使用边界"],
    ["a 「你」 on a later line does not address the heading", "四、拘留\n你们要记住：这是法院的权力"],
  ])("%s: 「%s」 passes", (_reading, text) => {
    expectPass(text);
  });

  it.each([
    ["a sentence that merely contains a number", "欠款3.5万，明天就上门抓人"],
    ["第一条 as a count of messages", "第一条短信发过去就上门抓人"],
    ["a numbered point in the middle of a line", "跟他说两件事。1、明天警察上门抓人"],
    ["the same without a plan word", "跟他说两件事。1、警察会上门抓人"],
    ["the second sentence of a numbered line", "1、先打电话。2、不接就上门抓人"],
    ["a threat after a numbered topic on the same line", "2、拘留。送去看守所关起来"],
    ["a number later in the line, not at its start", "够坐牢2.5年了"],
    ["an unnumbered line after a numbered one", "一、拘留\n明天就把他拘留"],
    ["a numbered line longer than a heading", "2、这种人最后肯定会被公安拘留关起来"],
    // a short numbered step of a plan says what to do: a condition, a time to act, someone sent or taken
    ["a numbered plan whose step has a condition", "1、先打电话\n2、不接就上门抓人"],
    ["a numbered step with a time, someone sent and someone taken", "3、明天派人上门把他抓走关进看守所"],
    ["a short numbered step with a condition", "2、不接电话就去拘留"],
    ["a numbered line that addresses 「你」", "2、明天就来抓你"],
    ["a numbered line with 「你」 under a chapter heading", "三、强制措施\n2、明天就来抓你"],
  ])("%s: 「%s」 blocks", (_reading, text) => {
    expectBlock(text, JAIL);
  });
});

describe("a hedge that ends the clause still hedges it", () => {
  it("「…的可能。」 passes; the same consequence asserted blocks", () => {
    expectPass("这种情况有被拘留的可能。");
    expectBlock("这种情况就会被拘留。", JAIL);
  });
});

describe("a mention marker before an instruction to say the quote", () => {
  it.each([
    ["「按话术跟他说」", "按话术跟他说“警察马上就上门”"],
    ["「你就说」", "按话术你就说「警察马上就上门」"],
    ["a colon, then 「跟他们讲」", "话术：跟他们讲“警察马上就上门”"],
    ["Traditional, 「跟他講」", "按這個話術跟他講「警察馬上就上門」"],
  ])("%s: 「%s」 is said to a debtor and blocks", (_reading, text) => {
    expect(engine.check(text).verdict).toBe("block");
  });

  it.each([
    ["a marker after the quote", "跟他说“警察马上就上门”这种说法是违规的"],
    ["a marker with no instruction", "话术示例：“警察马上就上门”"],
    ["a review reporting what somebody said", "复盘：昨天有人跟客户说“警察马上就上门”"],
    ["a review reporting it more briefly", "复盘：有人跟客户说“警察马上就上门”"],
  ])("%s: 「%s」 is a mention and passes", (_reading, text) => {
    expect(engine.check(text).verdict).toBe("pass");
  });
});
