import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FastTextModel, LABEL_PREFIX, runtimeFiles, trainModel } from "../src/compliance/learned/fasttext.ts";
import { modelTokens } from "../src/compliance/learned/features.ts";
import {
  LearnedLayer,
  META_FILE,
  MODEL_DIR_NAME,
  MODEL_FILE,
  type ModelMeta,
  OK_LABEL,
  violationScore,
} from "../src/compliance/learned/layer.ts";
import { NearestExamples } from "../src/compliance/learned/nearest.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import type { Rule } from "../src/compliance/rule-schema.ts";
import { CoachError } from "../src/errors.ts";

const rules = loadRules();

describe("modelTokens: the model's view of a text", () => {
  it("is one token per character, with no space before the first or after the last", () => {
    expect(modelTokens("快点还钱")).toBe("快 点 还 钱");
  });
  it("folds Traditional to Simplified, full-width to ASCII and upper to lower case", () => {
    expect(modelTokens("還錢ＡＰＰ")).toBe("还 钱 a p p");
  });
  it("reads a run of digits as one 0 token, wherever it stands", () => {
    expect(modelTokens("3天内还5000")).toBe("0 天 内 还 0");
    expect(modelTokens("欠10块拖9天")).toBe("欠 0 块 拖 0 天");
  });
  it("marks clause and sentence ends alike with ， and drops spaces and other symbols", () => {
    expect(modelTokens("你好，还钱。")).toBe("你 好 ， 还 钱 ，");
    expect(modelTokens("坐 牢！老-赖")).toBe("坐 牢 ， 老 赖");
  });
});

describe("NearestExamples: the corpus example shown with a finding", () => {
  const ex = (text: string, category: Rule["category"]) => ({ text, categories: [category] });

  it("is taken from the finding's category only, even when another category has the same words", () => {
    const nearest = new NearestExamples([
      ex("今晚去你家砸门", "insult"),
      ex("明天去你家堵人", "violence-threat"),
    ]);
    expect(nearest.find("今晚去你家砸门", "violence-threat")).toBe("明天去你家堵人");
  });

  it("is the most similar by overlap of character pairs, relative to both lengths (Dice)", () => {
    // 「赶紧还钱别再拖了」 shares two pairs of 「赶紧还」 but is long; 「你赶紧」 shares one and is short
    const nearest = new NearestExamples([
      ex("赶紧还钱别再拖了", "insult"),
      ex("你赶紧", "insult"),
      ex("滚去借", "insult"),
    ]);
    expect(nearest.find("赶紧还", "insult")).toBe("你赶紧");
    expect(nearest.find("赶紧还钱别拖了", "insult")).toBe("赶紧还钱别再拖了");
  });

  it("is null when no example of the category shares a pair of characters (one shared character is not enough)", () => {
    const nearest = new NearestExamples([ex("打断你的腿！", "violence-threat"), ex("钱", "violence-threat")]);
    expect(nearest.find("请按时还款，谢谢。", "violence-threat")).toBeNull(); // nor do the punctuation marks
    expect(nearest.find("快还钱", "violence-threat")).toBeNull();
  });

  it("matches a one-character text to a one-character example", () => {
    const nearest = new NearestExamples([ex("滚蛋", "insult"), ex("滚", "insult")]);
    expect(nearest.find("滾", "insult")).toBe("滚");
  });

  it("keeps the first of equally similar examples", () => {
    const nearest = new NearestExamples([
      ex("砸你家门", "violence-threat"),
      ex("砸你家窗", "violence-threat"),
    ]);
    expect(nearest.find("砸你家", "violence-threat")).toBe("砸你家门");
  });

  it("compares normalised text: Traditional, spacing and punctuation do not matter", () => {
    const nearest = new NearestExamples([
      ex("再唔還錢就斬你", "violence-threat"),
      ex("今晚去你家砸门", "violence-threat"),
    ]);
    expect(nearest.find("再唔还钱就斩你", "violence-threat")).toBe("再唔還錢就斬你");
    expect(nearest.find("今 晚 去 你 家", "violence-threat")).toBe("今晚去你家砸门");
  });
});

describe("violationScore", () => {
  it("one-vs-all: the likeliest category's own probability; ok is not a category", () => {
    expect(
      violationScore(
        new Map([
          [OK_LABEL, 0.9],
          ["insult", 0.05],
          ["harassment", 0.02],
        ]),
        "ova",
      ),
    ).toEqual({
      violation: 0.05,
      category: "insult",
    });
    expect(
      violationScore(
        new Map([
          ["violence-threat", 0.7],
          ["insult", 0.2],
        ]),
        "ova",
      ),
    ).toEqual({
      violation: 0.7,
      category: "violence-threat",
    });
  });
  it("softmax: everything that is not ok, with the likeliest category", () => {
    const s = violationScore(
      new Map([
        [OK_LABEL, 0.25],
        ["insult", 0.3],
        ["harassment", 0.45],
      ]),
      "softmax",
    );
    expect(s.violation).toBeCloseTo(0.75, 10);
    expect(s.category).toBe("harassment");
  });
  it("softmax without an ok probability (ok not among the k labels): all of it", () => {
    expect(violationScore(new Map([["insult", 0.6]]), "softmax").violation).toBe(1);
  });
  it("keeps the first of equally likely categories", () => {
    expect(
      violationScore(
        new Map([
          ["insult", 0.4],
          ["harassment", 0.4],
        ]),
        "ova",
      ).category,
    ).toBe("insult");
  });
});

// a tiny model: threats, insults and polite reminders (trains in well under a second)
const threats = [
  "再不还钱我就带人去你家砸门",
  "信不信我找人打断你的腿",
  "今晚不还钱你就等着挨揍吧",
  "小心你出门被人堵在巷子里打",
  "不还钱我让兄弟去你单位找你算账",
  "再拖一天我就上门收拾你",
  "你等着我们的人马上就到你家楼下",
  "唔還錢就搵人斬你",
  "你再裝死我就叫人去你屋企淋紅油",
  "欠錢不還小心你的手腳",
  "晚上走夜路注意点别被人打了",
  "明天还不上就让你好看",
];
const insults = [
  "你个废物东西赶紧还钱",
  "老赖就是不要脸的垃圾",
  "借钱不还的人渣活该被骂",
  "你这种废物活着有什么用",
  "死皮赖脸的臭老赖",
  "你个扑街仲唔还钱",
];
const oks = [
  "您好请问现在方便接听电话吗",
  "请您在本月十五日前按时还款",
  "如有困难可以申请分期还款",
  "请通过官方App还款注意资金安全",
  "感谢您的配合祝您生活愉快",
  "您的账单已出请留意还款日期",
  "逾期会影响您的个人征信请及时处理",
  "您好這邊是銀行客服提醒您繳款",
  "如需協商還款方案請致電客服專線",
  "麻烦您方便时回电我们谢谢",
  "您的还款已到账感谢支持",
  "我们可以为您调整还款计划",
];
const lines = [
  ...threats.map((t) => `${LABEL_PREFIX}violence-threat ${modelTokens(t)}`),
  ...insults.map((t) => `${LABEL_PREFIX}insult ${modelTokens(t)}`),
  ...oks.map((t) => `${LABEL_PREFIX}${OK_LABEL} ${modelTokens(t)}`),
];
const options = { loss: "ova", dim: 10, epoch: 40, lr: 0.5, wordNgrams: 2, bucket: 2000 } as const;
const bytes = trainModel([...lines, ...lines, ...lines], options);
const metaWith = (thresholds: ModelMeta["thresholds"], examples: ModelMeta["examples"] = []): ModelMeta => ({
  version: 1,
  options,
  thresholds,
  training: { items: lines.length, corpusTrain: 0, sources: 0 },
  examples,
});
const layerWith = (thresholds: ModelMeta["thresholds"], withRules: readonly Rule[] = rules, examples = []) =>
  new LearnedLayer(bytes, metaWith(thresholds, examples), withRules);
/** flags whatever it reads: shows what is read and where the evidence is */
const reader = layerWith({ warn: 0, block: 1 });

describe("FastTextModel.predict", () => {
  let model: FastTextModel;
  beforeAll(() => {
    model = new FastTextModel(bytes);
  });
  it("gives each label's probability, without the __label__ prefix, at most k of them", () => {
    const all = model.predict(modelTokens("信不信我找人去你家打你"));
    expect([...all.keys()].sort()).toEqual(["insult", OK_LABEL, "violence-threat"]);
    for (const p of all.values()) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1.0001); // fastText adds 1e-5 before taking the log
    }
    expect(all.get("violence-threat")).toBeGreaterThan(0.5);
    const top = model.predict(modelTokens("信不信我找人去你家打你"), 1);
    expect([...top.keys()]).toEqual(["violence-threat"]);
  });
  it("training and loading leave no file behind in the runtime's memory", () => {
    const once = new FastTextModel(trainModel(lines, options));
    once.dispose();
    // the runtime's own folders (dev, tmp …) stay; no training text or model file is left beside them
    expect(runtimeFiles().length).toBeGreaterThan(0);
    expect(runtimeFiles().filter((f) => /\.(txt|bin)$/.test(f))).toEqual([]);
  });
  it("cannot be asked any more once disposed", () => {
    const once = new FastTextModel(bytes);
    once.dispose();
    expect(() => once.predict(modelTokens("信不信我找人去你家打你"))).toThrow();
  });
});

describe("LearnedLayer.judge", () => {
  const threat = "再不还钱，今晚就找人上门打断你的腿！";
  let violation = 0;
  beforeAll(() => {
    violation = reader.score(threat).violation;
  });

  it("reads the model's score against the thresholds: below warn nothing, from warn a warning, from block a block", () => {
    expect(violation).toBeGreaterThan(0.5);
    expect(violation).toBeLessThan(1);
    expect(layerWith({ warn: violation + 1e-6, block: 1 }).judge(threat)).toBeNull();
    expect(layerWith({ warn: violation, block: violation + 1e-6 }).judge(threat)?.severity).toBe("warn");
    expect(layerWith({ warn: violation, block: violation }).judge(threat)?.severity).toBe("block");
    expect(layerWith({ warn: 0.1, block: 0.2 }).judge("请问您这个月方便按时还款吗")).toBeNull();
  });

  it("names the finding after the likeliest category, with the confidence to two decimals", () => {
    const v = reader.judge(threat)!;
    expect(v.rule).toBe("model-violence-threat");
    expect(v.category).toBe("violence-threat");
    expect(String(v.confidence)).toMatch(/^0\.\d\d?$/);
    expect(Math.abs(v.confidence! - violation)).toBeLessThanOrEqual(0.005);
    expect(reader.judge("你这种废物活着有什么用啊")?.rule).toBe("model-insult");
  });

  it("leaves texts of under ten compact characters to the rules", () => {
    expect(reader.judge("你这个废物")).toBeNull();
    expect(reader.judge("你 这 个 废 物 快 还 钱")).toBeNull(); // spaces do not count
    expect(reader.judge("你个废物赶紧把钱还上")).not.toBeNull(); // ten
  });

  it("trims the evidence and points start/end at it in the original text", () => {
    const text = `   ${threat}  `;
    const v = reader.judge(text)!;
    expect(v.evidence).toBe(threat);
    expect(v.start).toBe(3);
    expect(v.end).toBe(3 + threat.length);
    expect(text.slice(v.start, v.end)).toBe(v.evidence);
  });

  it("explains the finding with the category's first rule", () => {
    const base = rules.find((r) => r.category === "violence-threat")!;
    const first = { ...base, description: "第一条", explanation: "说明一", basis: "依据一" };
    const second = { ...base, description: "第二条", explanation: "说明二", basis: "依据二" };
    const insult = rules.find((r) => r.category === "insult")!;
    const v = layerWith({ warn: 0.5, block: 1 }, [insult, first, second]).judge(threat)!;
    expect(v).toMatchObject({ description: "第一条", explanation: "说明一", basis: "依据一" });
  });

  it("falls back to the category's name when no rule of the category is loaded", () => {
    const insult = rules.find((r) => r.category === "insult")!;
    const v = layerWith({ warn: 0.5, block: 1 }, [insult]).judge(threat)!;
    expect(v).toMatchObject({ description: "violence-threat", explanation: "", basis: "" });
  });

  it("shows the nearest example of the category, and none when there is none", () => {
    const examples: ModelMeta["examples"] = [
      { text: "今晚就找人去你家砸门", categories: ["violence-threat"] },
      { text: "你个废物", categories: ["insult"] },
    ];
    const layer = layerWith({ warn: 0.5, block: 1 }, rules, examples as never);
    expect(layer.judge(threat)?.example).toBe("今晚就找人去你家砸门");
    const none = layerWith({ warn: 0.5, block: 1 }, rules, [examples[1]] as never).judge(threat)!;
    expect("example" in none).toBe(false);
  });
});

describe("LearnedLayer.judge on long texts: read in pieces of whole sentences", () => {
  const P = "您好，提醒您本月的账单请按时还款，谢谢。"; // 20 characters, polite
  const T = "你再不还钱，今晚我就找人上门打断你的腿！"; // 20 characters, a threat
  const times = (s: string, n: number) => s.repeat(n);
  const reading = (text: string, layer = reader) => {
    const spy = vi.spyOn(layer, "score");
    const v = layer.judge(text);
    const read = spy.mock.calls.map(([t]) => t);
    spy.mockRestore();
    return { v, read };
  };
  const at = (v: ReturnType<LearnedLayer["judge"]>) => [v?.start, v?.end];

  it("reads up to 240 characters whole", () => {
    const text = times(P, 8) + T + times(P, 3);
    expect(text).toHaveLength(240);
    const { v, read } = reading(text);
    expect(read).toEqual([text]);
    expect(at(v)).toEqual([0, 240]);
  });

  it("cuts a longer text after the sentence that reaches 160 characters, and shows the piece that scores highest", () => {
    const text = times(P, 11) + T + times(P, 12);
    const { v, read } = reading(text);
    expect(read).toEqual([text.slice(0, 160), text.slice(160, 320), text.slice(320)]);
    expect(at(v)).toEqual([160, 320]);
    expect(v?.evidence).toBe(text.slice(160, 320));
    expect(v?.category).toBe("violence-threat");
  });

  it("keeps a run of marks (！！) with its sentence", () => {
    const text = `${times(P, 7)}${T}！${times(P, 9)}`; // the first ！ ends at 160, the second at 161
    const { v, read } = reading(text);
    expect(read[0]).toBe(text.slice(0, 161));
    expect(v?.evidence.endsWith("！！")).toBe(true);
    expect(read[1]!.startsWith("您好")).toBe(true);
  });

  it("shows the first of two equally scored pieces", () => {
    const text = times(times(P, 7) + T, 2) + times(P, 8);
    const { v } = reading(text);
    expect(at(v)).toEqual([0, 160]);
  });

  it("reads a short tail (a signature) with the piece before it, a tail of 80 characters on its own", () => {
    const signed = `${times(P, 8)}${T}${times(P, 7)}——催收部小王`;
    const one = reading(signed);
    expect(one.read).toEqual([signed.slice(0, 160), signed.slice(160)]);
    expect(at(one.v)).toEqual([160, signed.length]);
    const tail80 = times(P, 8) + T + times(P, 7) + times(P, 4);
    const two = reading(tail80);
    expect(two.read).toEqual([tail80.slice(0, 160), tail80.slice(160, 320), tail80.slice(320)]);
    expect(at(two.v)).toEqual([160, 320]);
  });

  it("cuts a text without sentence ends every 320 characters", () => {
    const clause = "您好，提醒您本月的账单请按时还款谢谢您，"; // 20, ends in a comma
    const threatClause = "再不还钱，今晚我就找人上门打断你两条腿，";
    const text = times(clause, 17) + threatClause + times(clause, 17); // 700
    const { v, read } = reading(text);
    expect(read).toEqual([text.slice(0, 320), text.slice(320)]);
    expect(at(v)).toEqual([320, 700]);
  });

  it("skips a blank stretch: the tail after it joins the piece before", () => {
    const threatClause = "再不还钱，今晚我就找人上门打断你两条腿，";
    const text = `${times(threatClause, 16)}${" ".repeat(320)}您好请按时还款谢谢`;
    const { v, read } = reading(text);
    expect(read).toEqual([text]);
    expect(v?.start).toBe(0);
    expect(v?.evidence).toBe(text.trim());
  });

  it("samples at most 48 pieces of a very long text, evenly from its start to its end", () => {
    const bill = (n: number) => `您好，第${String(n).padStart(3, "0")}期的账单请按时还款，谢谢。`;
    const sentences = Array.from({ length: 800 }, (_, i) => bill(i));
    sentences[1] = T;
    const text = sentences.join(""); // 100 pieces of 8 sentences
    const { v, read } = reading(text);
    expect(read).toHaveLength(48);
    expect(read[0]).toBe(text.slice(0, 160));
    expect(text.indexOf(read.at(-1)!)).toBeGreaterThan(text.length * 0.95);
    expect(at(v)).toEqual([0, 160]);
    expect(text.slice(v!.start, v!.end)).toBe(v!.evidence);
  });
});

describe("LearnedLayer.load", () => {
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "learned-load-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string, files: Record<string, string | Uint8Array>) => {
    const dir = join(root, name, MODEL_DIR_NAME);
    mkdirSync(dir, { recursive: true });
    for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
    return join(root, name);
  };

  it("is null when the knowledge folder holds no model", () => {
    expect(LearnedLayer.load(rules, join(root, "nothing"))).toBeNull();
    const onlyMeta = folder("meta-only", {
      [META_FILE]: JSON.stringify(metaWith({ warn: 0.5, block: 0.9 })),
    });
    expect(LearnedLayer.load(rules, onlyMeta)).toBeNull();
  });

  it("loads a trained model with its thresholds", () => {
    const dir = folder("trained", {
      [MODEL_FILE]: bytes,
      [META_FILE]: JSON.stringify(metaWith({ warn: 0.5, block: 0.9 })),
    });
    const layer = LearnedLayer.load(rules, dir)!;
    expect(layer.meta.thresholds).toEqual({ warn: 0.5, block: 0.9 });
    expect(layer.judge("再不还钱，今晚就找人上门打断你的腿！")?.rule).toBe("model-violence-threat");
  });

  it("rejects a broken model.json as invalid rules, naming the folder", () => {
    for (const [name, json] of [
      ["truncated", "{"],
      ["threshold", JSON.stringify(metaWith({ warn: 1.5, block: 0.9 }))],
    ] as const) {
      const dir = folder(name, { [MODEL_FILE]: bytes, [META_FILE]: json });
      let err: unknown;
      try {
        LearnedLayer.load(rules, dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CoachError);
      expect((err as CoachError).code).toBe("RULES_INVALID");
      expect((err as CoachError).details[0]).toContain(join(dir, MODEL_DIR_NAME));
    }
  });
});
