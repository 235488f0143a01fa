import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { corpusItemSchema, HELDOUT_SHARE, loadCorpus, splitOf } from "../src/compliance/corpus.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import { ruleSchema } from "../src/compliance/rule-schema.ts";
import { CoachError } from "../src/errors.ts";

/**
 * The files a company edits (knowledge/rules/*.yaml, its own rule folders) and the corpus that trains and
 * measures the learned layer: what loads, and the error that names the file, line and field when not.
 */
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "coach-files-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const detailsOf = (fn: () => unknown): { code: string; details: string[] } => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CoachError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error("no error thrown");
};

const item = (over: object = {}) =>
  JSON.stringify({
    text: "明天再不还钱就去你单位闹",
    label: "violation",
    categories: ["third-party-disclosure"],
    source: "https://example.com/news/1",
    register: "spoken",
    script: "hans",
    region: "mainland",
    ...over,
  });

describe("the corpus files", () => {
  it("reads every .jsonl file in name order with its file and line, skipping blank lines and other files", () => {
    const dir = tempDir();
    // written in reverse name order: the folder's own order is not the reading order
    for (const name of ["e", "d", "c"]) writeFileSync(join(dir, `${name}.jsonl`), "");
    writeFileSync(join(dir, "b.jsonl"), `${item({ text: "第二个文件的第一条" })}\n`);
    writeFileSync(
      join(dir, "a.jsonl"),
      `\n${item()}\n\n${item({ text: "您好，请问方便说话吗", label: "ok", categories: [] })}\n`,
    );
    writeFileSync(join(dir, "notes.txt"), "不是语料");
    const items = loadCorpus(dir);
    expect(items.map((i) => [i.file, i.line, i.text])).toEqual([
      ["a.jsonl", 2, "明天再不还钱就去你单位闹"],
      ["a.jsonl", 4, "您好，请问方便说话吗"],
      ["b.jsonl", 1, "第二个文件的第一条"],
    ]);
  });

  it("skips a line of spaces like a blank line", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.jsonl"), `${item()}\n   \n\t\n${item({ text: "第二条" })}\n`);
    expect(loadCorpus(dir).map((i) => [i.line, i.text])).toEqual([
      [1, "明天再不还钱就去你单位闹"],
      [4, "第二条"],
    ]);
  });

  it("names a field inside a list by its place: categories.0", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.jsonl"), item({ categories: ["shouting"] }));
    const { details } = detailsOf(() => loadCorpus(dir));
    expect(details).toHaveLength(1);
    expect(details[0]).toMatch(/^a\.jsonl:1: categories\.0: /);
  });

  it("reads the shipped corpus by default", () => {
    const items = loadCorpus();
    expect(items.length).toBeGreaterThan(1000);
    expect(new Set(items.map((i) => i.label))).toEqual(new Set(["violation", "ok"]));
  });

  it("drops a text already read, however it is spaced", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.jsonl"), [item(), item({ text: "明天 再不还钱 就去你单位闹" })].join("\n"));
    expect(loadCorpus(dir)).toHaveLength(1);
  });

  it("names the file, line and field of every bad line at once", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "a.jsonl"),
      [item(), "{not json", item({ label: "ok" }), item({ register: "shouting", source: "not a url" })].join(
        "\n",
      ),
    );
    const { code, details } = detailsOf(() => loadCorpus(dir));
    expect(code).toBe("KNOWLEDGE_INVALID");
    expect(details[0]).toBe("a.jsonl:2: not valid JSON");
    expect(details[1]).toMatch(/^a\.jsonl:3: categories: a violation names 1–3 categories, an ok item none$/);
    expect(details.slice(2).map((d) => d.split(":").slice(0, 3).join(":"))).toEqual([
      "a.jsonl:4: source",
      "a.jsonl:4: register",
    ]);
  });

  it("a missing corpus folder is a clear error, not a crash", () => {
    const { code, details } = detailsOf(() => loadCorpus(join(tempDir(), "nowhere")));
    expect(code).toBe("KNOWLEDGE_INVALID");
    expect(details[0]).toContain("nowhere");
  });

  it("an item is a violation with one to three categories, or ok with none", () => {
    const parse = (over: object) => corpusItemSchema.safeParse(JSON.parse(item(over))).success;
    expect(parse({})).toBe(true);
    expect(parse({ categories: [] })).toBe(false);
    expect(parse({ categories: ["insult", "harassment", "misleading", "impersonation"] })).toBe(false);
    expect(parse({ label: "ok", categories: [] })).toBe(true);
    expect(parse({ label: "ok", categories: ["insult"] })).toBe(false);
    expect(parse({ text: "  " })).toBe(false);
    // every register, script and region the taxonomy names
    for (const register of [
      "spoken",
      "crude",
      "sms",
      "formal-notice",
      "supervisor",
      "training",
      "transcript",
      "chat",
    ])
      expect(parse({ register }), register).toBe(true);
    for (const script of ["hans", "hant"]) expect(parse({ script }), script).toBe(true);
    for (const region of ["mainland", "taiwan", "hongkong"]) expect(parse({ region }), region).toBe(true);
    expect(parse({ text: "好".repeat(2001) })).toBe(false);
  });
});

describe("the held-out split", () => {
  it("is decided by the page: query, fragment, scheme and a trailing slash do not move an item", () => {
    for (let i = 0; i < 8; i++) {
      const page = `https://news.example.com/2024/05/cuishou-${i}`;
      const variants = [
        `${page}/`,
        `${page}//`,
        `${page}?from=wechat`,
        `${page}#comments`,
        page.replace("https", "http"),
      ];
      for (const variant of variants) expect(splitOf(variant), variant).toBe(splitOf(page));
    }
  });

  it("a source that is not a URL is hashed as written, and both sides get sources", () => {
    const sides = Array.from({ length: 400 }, (_, i) => splitOf(`court record ${i}`));
    const held = sides.filter((s) => s === "heldout").length / sides.length;
    expect(held).toBeGreaterThan(HELDOUT_SHARE - 0.07);
    expect(held).toBeLessThan(HELDOUT_SHARE + 0.07);
  });

  it("is a fixed hash: the same pages stay on the same side from release to release", () => {
    // FNV-1a of host + path; these values pin the function (a changed hash would silently move
    // pages the model was tuned on into the held-out figures)
    const pages = Array.from({ length: 12 }, (_, i) => `https://example.com/case/${i}`).map(splitOf);
    // this page hashes to exactly the held-out share (300 of 1000): the share is of pages below it
    expect(splitOf("https://example.com/case/b1324")).toBe("train");
    expect(pages.join(",")).toMatchInlineSnapshot(
      `"train,heldout,train,train,heldout,train,train,train,train,heldout,heldout,train"`,
    );
  });
});

const rule = (id: string, extra = "") =>
  `- id: ${id}\n  category: harassment\n  severity: block\n  description: 测试\n  explanation: 测试\n  basis: 测试\n  suggest: 测试。\n  any: [上门]\n${extra}`;

describe("the rule files", () => {
  const knowledgeWith = (files: Record<string, string>) => {
    const kb = tempDir();
    mkdirSync(join(kb, "rules"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(kb, "rules", name), text);
    return kb;
  };

  it("loads the shipped folder and a company's own folders after it", () => {
    const kb = knowledgeWith({ "a.yaml": rule("visit") });
    const company = tempDir();
    writeFileSync(join(company, "ours.yaml"), rule("our-visit"));
    expect(loadRules(kb, [company]).map((r) => r.id)).toEqual(["visit", "our-visit"]);
  });

  it("an id used twice is refused, naming both files", () => {
    const kb = knowledgeWith({ "a.yaml": rule("visit") });
    const company = tempDir();
    writeFileSync(join(company, "ours.yaml"), rule("visit"));
    const { code, details } = detailsOf(() => loadRules(kb, [company]));
    expect(code).toBe("RULES_INVALID");
    expect(details).toHaveLength(1);
    expect(details[0]).toMatch(/ours\.yaml: id: "visit" already used in .*a\.yaml$/);
  });

  it("a rule with no phrases, combination or detector names the field to add", () => {
    const kb = knowledgeWith({ "a.yaml": rule("visit").replace("  any: [上门]\n", "") });
    const { details } = detailsOf(() => loadRules(kb));
    expect(details.map((d) => d.replace(/^.*rules\//, ""))).toEqual([
      "a.yaml: any: give any, combos or detector",
    ]);
  });

  it("every bad rule is reported at once, with its file and field", () => {
    const kb = knowledgeWith({ "a.yaml": rule("Bad_Id"), "b.yaml": rule("fine", "  window: 0\n") });
    const { code, details } = detailsOf(() => loadRules(kb));
    expect(code).toBe("RULES_INVALID");
    expect(details.map((d) => d.replace(/^.*rules\//, ""))).toEqual([
      "a.yaml: id: id must be kebab-case ascii",
      expect.stringMatching(/^b\.yaml: window: /),
    ]);
  });
});

describe("a rule", () => {
  const base = {
    id: "r",
    category: "harassment",
    severity: "block",
    description: "d",
    explanation: "e",
    basis: "b",
    suggest: "s",
  };

  it("needs phrases, a combination or a detector", () => {
    expect(ruleSchema.safeParse(base).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, any: ["上门"] }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...base, combos: [[["家人"], ["施压"]]] }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...base, detector: "call-count" }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...base, any: [] }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, any: [" "] }).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, combos: [[["家人"]]] }).success).toBe(false);
  });

  it("reads a clause, with a 24-character combination window, negatable, no hedges, unless told otherwise", () => {
    expect(ruleSchema.parse({ ...base, any: [" 上门 "] })).toMatchObject({
      any: ["上门"],
      scope: "clause",
      window: 24,
      negatable: true,
      unless: [],
    });
  });

  it("the texts a collector is shown, and hedges, cannot be blank", () => {
    const ok = { ...base, any: ["上门"] };
    for (const field of ["description", "explanation", "basis", "suggest"]) {
      const r = ruleSchema.safeParse({ ...ok, [field]: "   " });
      expect(r.success, field).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join("."))).toEqual([field]);
    }
    expect(ruleSchema.safeParse({ ...ok, unless: ["可能", "  "] }).success).toBe(false);
    expect(ruleSchema.parse({ ...ok, unless: [" 可能 "], suggest: " 请按时还款。 " })).toMatchObject({
      unless: ["可能"],
      suggest: "请按时还款。",
    });
  });

  it("ids are kebab-case ASCII", () => {
    for (const id of ["visit", "night-call-2"])
      expect(ruleSchema.safeParse({ ...base, id, any: ["x"] }).success, id).toBe(true);
    for (const id of ["Visit", "night_call", "-visit", "visit-", "上门"])
      expect(ruleSchema.safeParse({ ...base, id, any: ["x"] }).success, id).toBe(false);
  });
});
