import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEntries } from "../src/knowledge/load.ts";
import { entryToDoc, Retriever } from "../src/retrieval/retriever.ts";
import { tokenize } from "../src/retrieval/tokenize.ts";
import { FIXTURES, readYamlFixture, realCoach } from "./helpers.ts";

describe("tokenize", () => {
  it("normalises scripts and full-width forms, and adds bigrams", () => {
    const t = tokenize("債務人說ＡＢＣ失業了");
    expect(t).toContain("失业");
    expect(t).toContain("abc");
    expect(t).not.toContain("债务人");
  });
});

describe("golden relevance on a fixed fixture", () => {
  const retriever = new Retriever(loadEntries(join(FIXTURES, "knowledge")).map(entryToDoc), { threshold: 1 });
  const golden: Array<[string, string[]]> = [
    ["客户说他下岗了一分钱收入都没有", ["fx-no-income"]],
    ["債務人說他媽媽住院開刀，錢都花光了", ["fx-illness"]],
    ["他非要停息挂账才肯还", ["fx-waiver"]],
    ["滞纳金和罚息太多了客户不想还", ["fx-penalty"]],
    ["客户说罚息太高，要求减免利息", ["fx-penalty", "fx-waiver"]],
    ["打了十几次都不接，还把号码拉黑了", ["fx-unreachable"]],
  ];
  it.each(golden)("%s → %j", (q, expected) => {
    const { hits } = retriever.search(q, expected.length);
    expect(hits.map((h) => h.id)).toEqual(expected);
  });

  it("says so when nothing matches well", () => {
    const strict = new Retriever(loadEntries(join(FIXTURES, "knowledge")).map(entryToDoc));
    expect(strict.search("帮我写一首关于春天的诗").confident).toBe(false);
  });

  it("ranks curated entries above raw passages of equal relevance", () => {
    const entries = loadEntries(join(FIXTURES, "knowledge")).map(entryToDoc);
    const passage = { ...entries[0]!, id: "passage-copy", kind: "passage" as const };
    const r = new Retriever([passage, ...entries], { threshold: 1 });
    const ids = r.search("客户说失业了没钱").hits.map((h) => h.id);
    expect(ids.indexOf("fx-no-income")).toBeLessThan(ids.indexOf("passage-copy"));
  });
});

interface Paraphrase {
  q: string;
  codes: string[];
}

describe("own paraphrase set on the shipped knowledge base", () => {
  const items = readYamlFixture<Paraphrase[]>("ask-paraphrases.yaml");
  const coach = realCoach();
  const results = items.map((it) => {
    const { hits } = coach.retriever.search(it.q, 3);
    return {
      ...it,
      at1: hits[0]?.codes.some((c) => it.codes.includes(c)) ?? false,
      at3: hits.some((h) => h.codes.some((c) => it.codes.includes(c))),
      got: hits.map((h) => h.id),
    };
  });
  it("hit@1 ≥ 0.85 and hit@3 ≥ 0.95", () => {
    const at1 = results.filter((r) => r.at1).length / results.length;
    const at3 = results.filter((r) => r.at3).length / results.length;
    const misses = results.filter((r) => !r.at1).map((r) => `${r.q} → ${r.got.join(",")}`);
    expect(at1, misses.join("\n")).toBeGreaterThanOrEqual(0.85);
    expect(at3, misses.join("\n")).toBeGreaterThanOrEqual(0.95);
  });
});

describe("no good match on the shipped knowledge base", () => {
  it.each(["今天天气怎么样", "帮我写一首诗", "周末去哪里玩", "给我讲个笑话"])(
    "%s → says so and suggests topics",
    (q) => {
      const a = realCoach().ask(q);
      expect(a.confident).toBe(false);
      expect(a.entryId).toBeNull();
      expect(a.html).toMatch(/没有找到可靠的答案/);
    },
  );
});
