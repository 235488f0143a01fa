import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../src/compliance/engine.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import type { Rule } from "../src/compliance/rule-schema.ts";

/**
 * Where a cue may stand, as minimal pairs. A short cue that is no word itself (「得按」「得替」) counts
 * only where the text really says it, not inside a longer word (「记得按时还款」): at the start and the
 * end of a text, beside a comma or a full stop, deep inside a long message typed without commas, and
 * twice in one message. Latin cues (「sb」「loser」) count only as whole words, not inside 「usb」;
 * cues that mix digits and Chinese (「24小时」「借款app」) still count beside other digits.
 */
const rules = loadRules();
const engine = new ComplianceEngine(rules);
const ruleIds = (text: string) => engine.check(text).violations.map((v) => v.rule);

type Pair = [reading: string, passes: string, blocks: string, rule: string];

const INFLATED = "inflated-amount";
const THIRD_PARTY = "demand-third-party-pay";

const pairs: Pair[] = [
  ["「记得按时」 holds no 「得按」", "这个月记得按时还款", "这个月的滞纳金得按每天百分之一加", INFLATED],
  // the edges of the text and of a clause are word boundaries
  ["at the start of the text", "记得按时还款，别再拖了", "得按每天百分之一的违约金来还", INFLATED],
  ["near the end of the text", "这个月的钱记得按时还", "这个月的钱得按日息百分之一还", INFLATED],
  [
    "right after a comma",
    "你这个月的账单，记得按时还款",
    "你这个月的滞纳金，得按每天百分之一的违约金来还",
    INFLATED,
  ],
  [
    "right after a full stop",
    "逾期三天了。记得按时还款",
    "逾期三天了。得按每天百分之一的违约金来还",
    INFLATED,
  ],
  // more than twelve characters from either end: the words around it decide, not where the text ends
  [
    "deep inside a message typed without commas",
    "您好这是我们公司的规定请您一定记得按时还款逾期以后的费用我们会在短信里发给您",
    "您好这是我们公司的规定请您一定按时还款逾期以后的滞纳金得按每天百分之一的违约金来算您心里要有数",
    INFLATED,
  ],
  // the same cue twice: what was read for the first one neither hides nor decides the second
  [
    "twice, in clauses far apart",
    "提醒您这个月记得按时还款，如果有困难请提前联系我们协商，下个月开始也记得按新的计划来还",
    "提醒您这个月记得按时还款，如果有困难请提前联系我们协商，下个月开始滞纳金得按每天百分之一来算",
    INFLATED,
  ],
  [
    "twice, twelve characters apart in a message typed without commas",
    "您好您这个月记得按时还款下个月开始也记得按时还",
    "您好您这个月记得按时还款下个月开始的钱得按每天百分之一加",
    INFLATED,
  ],
  // 「得替」 is a cue of a combination (a relative and what is demanded of them), read the same way
  [
    "「记得替」 holds no 「得替」",
    "家里人记得替他提醒一下，让他本人尽快联系我们",
    "家里人得替他扛着，让他本人尽快联系我们",
    THIRD_PARTY,
  ],
  // a cue that is a word itself but begins like a particle (「着火」): 「跟着」 and 「火车站」 are other words
  [
    "「跟着火车站」 holds no 「着火」",
    "我们跟着火车站那边的同事一起核实了",
    "小心你家房子着火",
    "violence-bodily-harm",
  ],
  // a longer cue is a plain substring: 「得负责」 counts after 「总」 although 「总得」 is a word
  [
    "「得负责」 after 「总」",
    "这笔钱由他本人负责，你们做父母的劝劝他",
    "你们做父母的总得负责吧",
    THIRD_PARTY,
  ],
  // Latin cues are whole words only, and a text may start or end with one
  ["「sb」 inside 「usb」", "你的usb里存着还款记录", "你个sb，还款记录呢", "insult-name-calling"],
  ["「loser」 ending the text", "你就是个老实人", "你就是个loser", "insult-name-calling"],
  ["「loser」 starting the text", "老实人才不还钱", "loser才不还钱", "insult-name-calling"],
];

describe("a short cue counts only where it is said (minimal pairs)", () => {
  it.each(pairs)("%s: 「%s」 passes, 「%s」 blocks", (_reading, passes, blocks, rule) => {
    expect(engine.check(passes).verdict).toBe("pass");
    const blocked = engine.check(blocks);
    expect(blocked.verdict).toBe("block");
    expect(blocked.violations.map((v) => v.rule)).toContain(rule);
  });

  it("a real 「得按」 first and 「记得按」 later in the same text: the first still blocks", () => {
    expect(
      ruleIds(
        "提醒您这个月的滞纳金得按每天百分之一来算，如果有困难请提前联系我们协商，下个月开始也记得按新的计划来还",
      ),
    ).toContain(INFLATED);
  });
});

describe("cues that mix digits and Chinese count beside other digits", () => {
  it("「7×24小时」 holds 「24小时」", () => {
    expect(ruleIds("我们安排的人会7×24小时在你公司楼下蹲着")).toContain("soft-violence-camp-outside");
    expect(ruleIds("我们的人会7×24小时不停地给你打电话")).toContain("harassment-bombing");
    expect(engine.check("我们的客服热线7×24小时都有人接听").verdict).toBe("pass");
  });

  it("「360借款app」 holds 「借款app」", () => {
    expect(ruleIds("你手机里不是装了个360借款app吗，上去看看还有多少额度")).toContain("borrow-to-repay");
  });
});

describe("a company rule phrase of punctuation only", () => {
  it("matches nothing, so an ordinary message still passes", () => {
    const shouting: Rule = {
      id: "company-no-shouting",
      category: rules[0]!.category,
      severity: "warn",
      description: "对客户吼叫",
      explanation: "不得用感叹号连发或吼叫的语气对待客户。",
      basis: "公司服务规范",
      suggest: "请您耐心听我说明一下。",
      any: ["！！！", "给我听好"],
      unless: [],
      scope: "clause",
      window: 24,
      negatable: true,
    };
    const withCompanyRule = new ComplianceEngine([...rules, shouting]);
    expect(withCompanyRule.check("您好，请问是张先生吗？").verdict).toBe("pass");
    expect(withCompanyRule.check("您好，这个月的账单已经出了！！！").verdict).toBe("pass");
    expect(withCompanyRule.check("你给我听好，这个月必须还").violations.map((v) => v.rule)).toContain(
      "company-no-shouting",
    );
  });
});
