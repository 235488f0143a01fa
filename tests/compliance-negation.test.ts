import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../src/compliance/engine.ts";
import { loadRules } from "../src/compliance/load-rules.ts";

/**
 * How far a negation reaches, as minimal pairs: the same words with and without the negator, at
 * different distances, across a clause or sentence boundary. Each pair is one reading a collector
 * relies on — a prohibition clears the phrasing it forbids, and nothing else.
 */
const engine = new ComplianceEngine(loadRules());
const verdict = (text: string) => engine.check(text).verdict;

type Pair = [reading: string, passes: string, blocks: string];

const pairs: Pair[] = [
  // a bare 不/没 negates the act right after it, and only that
  ["a bare 不 before the act", "我们不轰炸你", "我们轰炸你"],
  [
    "a bare 没 three characters before the act, four characters before",
    "我们没给客户天天打",
    "他不老实我们天天打",
  ],
  [
    "a comma later in the sentence does not undo a bare negation",
    "我们不轰炸你，请放心",
    "我们轰炸你，请放心",
  ],
  // …not when it belongs to a repayment or cooperation verb: that is the condition, the threat stands
  ["a bare 不 before a cooperation verb and a threat", "我们不会天天打你", "不配合天天打"],
  ["a bare 没 before a repayment verb and a threat", "我们没天天打你", "没结清天天打"],
  ["a bare 未 before a repayment verb and a threat", "我们未天天打你", "未结清天天打"],
  ["a bare 没 before 回电 and a threat", "我们没天天打你", "没回电天天打"],
  // …also after a word of haste: 「不快还钱」 is the condition
  ["a bare 不, a word of haste and a repayment verb", "我们不会天天打你", "不快还钱天天打你电话"],
  ["a bare 不, 按时 and a bare 还", "我们不会天天打你", "不按时还天天打你"],
  ["a bare 不, 早 and a bare 还, in Traditional script", "我們不會天天打你", "不早還天天打你"],
  // …not across a clause: the negated condition stands alone, the demand on the family stands
  ["a bare 不 in the clause before a demand on the family", "家里人那边不施压", "不处理，家里人得替你扛"],
  // …not when the act is the negated condition of a consequence that follows
  ["a negated act followed by its consequence", "家里人不垫上，请放心", "家里人不垫上，这事就没完"],
  ["the same with a particle before the comma", "家里人不垫上啊，请放心", "家里人不垫上啊，这事就没完"],
  ["…but not a 就 two clauses on", "家里人不垫上，你放心，就按你自己的计划还", "家里人不垫上，这事就没完"],
  ["the same, later in the sentence", "这个月底前家里人不垫上，请放心", "这个月底前家里人不垫上，这事就没完"],
  // …and not the cue words before it: the family is named first, then a negated aside, then the demand
  ["a demand on the family after a negated aside", "联系人那边不施压", "联系人不在乎，那就向他们施压"],
  // a bare 不 followed by 将/会 is a condition (「不配合将…」); a prohibition followed by 将 is not
  ["a prohibition followed by 将", "严禁将欠款情况告诉他的同事", "马上将欠款情况告诉他的同事"],
  [
    "a prohibition beginning with 不, followed by 将",
    "我们不得将欠款情况告诉他的同事",
    "我们会将欠款情况告诉他的同事",
  ],
  ["a bare 不 followed by 将: a condition, not a negation", "我们不拘留你", "你不配合将拘留你"],
  ["a bare 不 followed by 会, with no repayment verb: a condition", "我们不会让你坐牢", "你不老实会坐牢"],
  [
    "a two-character negator followed by 将 still negates",
    "我们没有将欠款情况告诉他的同事",
    "我们会将欠款情况告诉他的同事",
  ],
  ["a bare 不 in the clause before, with no repayment verb", "家里人那边不施压", "你不老实，家里人得替你扛"],
  // a negator in an earlier clause, or too far back, negates something else
  ["a negator in the clause before", "我们不会骗你，也不会让你坐牢", "我们不会骗你，让你坐牢"],
  [
    "a negator 19 characters back, 26 characters back",
    "我们从来不会为了这一点点小事情专门找人过来让你坐牢",
    "我们从来不会为了这一点点小事情专门找人过来在大家面前当场让你坐牢",
  ],
  // 「…是违法的」 after the act, in the same sentence only
  [
    "「是违法的」 in the same sentence, in the next one",
    "明天就让你坐牢，这种说法是违法的",
    "明天就让你坐牢。跟你说，赖账是违法的",
  ],
  // a false negator earlier in the text does not swallow a real one later
  [
    "「没钱」 earlier, 「不会」 before the act",
    "你没钱没关系，我们不会让你坐牢",
    "你没钱没关系，我们会让你坐牢",
  ],
  // 「不要以为」 denies what follows: a negation inside it is denied too, the act stands
  ["a negation after 「不要以为」", "我们不会让你坐牢", "不要以为不会坐牢"],
  ["the same with two words between", "我们不敢上门打扰你", "别以为我们不敢上门打断你的腿"],
  ["…but not in the next clause", "不要以为我们不管，我们不会让你坐牢", "不要以为我们不管，我们会让你坐牢"],
  // …which holds for a negator up to four characters after 「以为」, in its clause, and only after 「以为」
  [
    "a negator four characters after 「别以为」",
    "我们真的不敢上门打扰你",
    "别以为我们真的不敢上门打断你的腿，等着瞧",
  ],
  [
    "a negator nine characters after 「别以为」, in a message typed without commas",
    "你别以为我是在骗你我们真的不会让你坐牢",
    "你别以为我是在骗你我们真的会让你坐牢",
  ],
  [
    "a negator after a comma that closes 「别以为…」",
    "别以为我骗你，不会让你坐牢的",
    "别以为我骗你，会让你坐牢的",
  ],
  [
    "a negator after a false negator that is not 「以为」",
    "你没钱我们也不会让你坐牢",
    "你没钱我们也会让你坐牢",
  ],
  // an A-没-A question asks, it does not negate
  ["an A-没-A question", "他没想过坐牢", "你想没想过坐牢"],
];

describe("how far a negation reaches (minimal pairs)", () => {
  it.each(pairs)("%s: 「%s」 passes, 「%s」 blocks", (_reading, passes, blocks) => {
    expect(verdict(passes)).toBe("pass");
    expect(verdict(blocks)).toBe("block");
  });
});
