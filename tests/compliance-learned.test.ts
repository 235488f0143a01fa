import { beforeAll, describe, expect, it } from "vitest";
import { type CorpusItem, HELDOUT_SHARE, loadCorpus, splitOf } from "../src/compliance/corpus.ts";
import { ComplianceEngine, type SecondOpinion, type Violation } from "../src/compliance/engine.ts";
import { LABEL_PREFIX, trainModel } from "../src/compliance/learned/fasttext.ts";
import { modelTokens } from "../src/compliance/learned/features.ts";
import { LearnedLayer, type ModelMeta, OK_LABEL } from "../src/compliance/learned/layer.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import { COMPLIANCE_CATEGORIES } from "../src/knowledge/codes.ts";
import { realCoach } from "./helpers.ts";

const rules = loadRules();

describe("the real-language corpus", () => {
  // loaded before the tests, not while the file is collected: a loader that throws then fails the tests
  // here instead of leaving the whole file without tests
  let corpus: CorpusItem[] = [];
  beforeAll(() => {
    corpus = loadCorpus();
  });

  it("has at least 1,000 items: 500 violations over all 17 categories and 500 compliant", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    const violations = corpus.filter((i) => i.label === "violation");
    expect(violations.length).toBeGreaterThanOrEqual(500);
    expect(corpus.length - violations.length).toBeGreaterThanOrEqual(500);
    for (const c of COMPLIANCE_CATEGORIES) {
      expect(violations.filter((i) => i.categories.includes(c)).length, c).toBeGreaterThanOrEqual(10);
    }
  });

  it("is in both scripts and three regions' wording", () => {
    expect(corpus.filter((i) => i.script === "hant").length).toBeGreaterThan(corpus.length / 5);
    for (const region of ["mainland", "taiwan", "hongkong"] as const) {
      expect(corpus.filter((i) => i.region === region).length, region).toBeGreaterThan(100);
    }
  });

  it("is split by source: no page has items on both sides, and about the held-out share of pages is held out", () => {
    const sides = new Map<string, Set<string>>();
    for (const i of corpus) {
      const key = new URL(i.source).host + new URL(i.source).pathname.replace(/\/+$/, "");
      const s = sides.get(key) ?? new Set<string>();
      s.add(splitOf(i.source));
      sides.set(key, s);
    }
    expect([...sides.values()].filter((s) => s.size > 1)).toEqual([]);
    const heldOut = [...sides.values()].filter((s) => s.has("heldout")).length / sides.size;
    expect(heldOut).toBeGreaterThan(HELDOUT_SHARE - 0.1);
    expect(heldOut).toBeLessThan(HELDOUT_SHARE + 0.1);
  });
});

describe("the learned layer next to the rules", () => {
  const always = (severity: "warn" | "block"): SecondOpinion & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      judge(text: string): Violation {
        asked.push(text);
        return {
          rule: "model-insult",
          category: "insult",
          severity,
          evidence: text,
          start: 0,
          end: text.length,
          description: "",
          explanation: "",
          basis: "",
        };
      },
    };
  };

  it("is asked only when the rules pass, and never clears a rule's block", () => {
    const second = always("warn");
    const engine = new ComplianceEngine(rules, {}, second);
    const blocked = engine.evaluate("再不还钱就让你坐牢");
    expect(blocked.verdict).toBe("block");
    expect(blocked.violations.map((v) => v.rule)).not.toContain("model-insult");
    expect(second.asked).toEqual([]);
    const warned = engine.check("您好，请问本月的账单您收到了吗");
    expect(warned.verdict).toBe("warn");
    expect(second.asked[0]).toBe("您好，请问本月的账单您收到了吗");
    // a model finding gets the wording of its category's rules as the suggestion
    expect(warned.suggestion).toBeTruthy();
  });

  it("trains, loads and flags unseen wording near its violations, with the nearest example", () => {
    // the model reads texts of ten characters or more (shorter ones are left to the rules)
    const violations = [
      "你个废物东西赶紧把钱还上来",
      "废物一样的人还有脸借钱不还",
      "你就是个废物垃圾借钱不还的",
      "废物东西到底还不还钱给个准话",
      "你这种废物活着干嘛还欠一屁股债",
      "垃圾废物快点把欠的钱还了吧",
    ];
    const oks = [
      "您好请问现在方便接电话吗",
      "请您按时还款谢谢您的配合",
      "您可以申请分期还款减轻压力",
      "我们会如实上报征信请您留意",
      "请通过官方渠道还款注意安全",
      "祝您生活愉快有问题随时联系",
    ];
    const lines = [
      ...violations.map((t) => `${LABEL_PREFIX}insult ${modelTokens(t)}`),
      ...oks.map((t) => `${LABEL_PREFIX}${OK_LABEL} ${modelTokens(t)}`),
    ];
    const options = { loss: "ova", dim: 8, epoch: 50, lr: 0.5, wordNgrams: 2, bucket: 2000 } as const;
    const bytes = trainModel([...lines, ...lines, ...lines], options);
    const meta: ModelMeta = {
      version: 1,
      options,
      thresholds: { warn: 0.6, block: 0.999 },
      training: { items: lines.length, corpusTrain: 0, sources: 0 },
      examples: violations.map((text) => ({ text, categories: ["insult"] })),
    };
    const layer = new LearnedLayer(bytes, meta, rules);
    const engine = new ComplianceEngine([], {}, layer);
    const flagged = engine.check("就你这种废物样还想赖掉");
    expect(flagged.verdict).toBe("warn");
    expect(flagged.violations[0]).toMatchObject({ rule: "model-insult", category: "insult" });
    expect(violations).toContain(flagged.violations[0]!.example);
    expect(engine.check("请问您这个月方便按时还款吗").verdict).toBe("pass");
    expect(engine.check("废物").verdict).toBe("pass"); // too short for the model; no rules here
  });

  it("ships a model that the product loads (npm run train writes it)", () => {
    const layer = LearnedLayer.load(rules);
    expect(layer).not.toBeNull();
    expect(layer!.meta.thresholds.warn).toBeGreaterThan(0);
    expect(layer!.meta.thresholds.warn).toBeLessThan(1);
    expect(layer!.meta.thresholds.block).toBeGreaterThanOrEqual(layer!.meta.thresholds.warn);
  });
});

describe("the product's check on the phrasings users reported", () => {
  let coach: ReturnType<typeof realCoach>;
  beforeAll(() => {
    coach = realCoach();
  });
  it.each(["多给他家人打电话施压", "给他父母打电话施压", "信不信我弄死你", "一小时不处理，家里人得替你扛"])(
    "blocks %s",
    (text) => {
      expect(coach.check(text).verdict).toBe("block");
    },
  );
  it.each(["记得按时还款", "您好，请问是李先生的朋友吗？麻烦您转告他方便时回电XX银行，谢谢。"])(
    "passes %s",
    (text) => {
      expect(coach.check(text).violations).toEqual([]);
    },
  );
});

describe("reading: the same words used against someone and described", () => {
  let engine: ComplianceEngine;
  beforeAll(() => {
    engine = new ComplianceEngine(rules);
  });
  const verdict = (t: string) => engine.evaluate(t).verdict;
  it.each([
    ["你再不还，法院就拘留你", "法院对拒不履行判决的被执行人可以依法予以拘留"],
    ["我们的人明天去你家门口泼油漆", "案例：某外包公司催收员在债务人门口泼油漆，被以寻衅滋事罪判刑"],
    ["你就是个老赖", "“老赖”称呼引发的投诉案例"],
    ["不配合将冻结你名下所有银行卡", "我们不会冻结您的银行卡"],
  ])("blocks 「%s」 and passes 「%s」", (use, description) => {
    expect(verdict(use)).toBe("block");
    expect(verdict(description)).toBe("pass");
  });
  it("reads an A-not-A question as a question, not a negation", () => {
    expect(verdict("你信不信我找人收拾你")).toBe("block");
    expect(verdict("你想不想让全家都知道你欠钱")).toBe("block");
  });
  it("reads a short cue only as a whole word", () => {
    expect(verdict("记得按时还款")).toBe("pass");
    expect(verdict("这笔钱还是得按三倍算")).toBe("block");
  });
  it("reads Cantonese prohibitions as prohibitions", () => {
    expect(verdict("唔好為咗還我哋去借第二間財務")).toBe("pass");
    expect(verdict("你去借第二間財務還我哋")).toBe("block");
  });
});
